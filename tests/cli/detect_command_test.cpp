// `quantlens-cli detect` on the classic Coral/Android SSD and the photo TFLite's own Android test uses.
#include <fstream>
#include <sstream>

#include "support/test_support.h"

namespace ql::test {
namespace {

struct ExpectedBox {
  std::string label;
  double left, top, right, bottom, score;
};

double iou(double ay0, double ax0, double ay1, double ax1, double by0, double bx0, double by1, double bx1) {
  double h = std::max(0.0, std::min(ay1, by1) - std::max(ay0, by0));
  double w = std::max(0.0, std::min(ax1, bx1) - std::max(ax0, bx0));
  double inter = h * w;
  double uni = (ay1 - ay0) * (ax1 - ax0) + (by1 - by0) * (bx1 - bx0) - inter;
  return uni > 0 ? inter / uni : 0;
}

TEST(DetectCommand, FindsEveryBoxTfliteFindsOnTheTablePhoto) {
  QL_REQUIRE_SHARED();
  std::string images = sharedDir() + "/images";
  ProcResult r = runProcess({cliPath(), "detect", sharedDir() + "/models/coco_ssd_mobilenet_v1_1.0_quant.tflite",
                             images + "/table.jpg", "--json", "--threshold", "0.3", "--labels",
                             images + "/coco_labels.txt"},
                            300);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j["detections"].is_array());
  std::ifstream f(images + "/table_results_coco_ssd_mobilenet_v1_quant.txt");
  std::string line;
  int expected = 0;
  while (std::getline(f, line)) {
    std::istringstream in(line);
    ExpectedBox e;
    if (!(in >> e.label >> e.left >> e.top >> e.right >> e.bottom >> e.score)) continue;
    for (char& c : e.label)
      if (c == '_') c = ' ';
    ++expected;
    // The photo is 640x480; boxes come back normalized.
    double best = 0;
    for (auto& d : j["detections"]) {
      if (d["label"] != e.label) continue;
      auto b = d["box"];
      best = std::max(best, iou(b[0].get<double>() * 480, b[1].get<double>() * 640, b[2].get<double>() * 480,
                                b[3].get<double>() * 640, e.top, e.left, e.bottom, e.right));
    }
    EXPECT_GE(best, 0.7) << e.label << ": no detection of that class overlaps TFLite's box enough";
  }
  EXPECT_EQ(expected, 4);
  EXPECT_EQ(j["detections"][0]["class"].get<int>() >= 0, true);
}

TEST(DetectCommand, PbtxtLabelMapNamesPets) {
  QL_REQUIRE_SHARED();
  std::string images = sharedDir() + "/images";
  ProcResult r = runProcess({cliPath(), "detect", sharedDir() + "/models/pets_ssd_mobilenet_v1_quant.tflite",
                             images + "/pets.jpg", "--json", "--labels", images + "/pets_label_map.pbtxt"},
                            300);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_FALSE(j["detections"].empty()) << r.out;
  EXPECT_FALSE(j["detections"][0]["label"].get<std::string>().empty());
}

TEST(DetectCommand, AClassifierIsRefusedWithExit3) {
  QL_REQUIRE_SHARED();
  ProcResult r = runProcess({cliPath(), "detect", sharedDir() + "/models/mobilenet_v1_0.25_128_quant.tflite",
                             sharedDir() + "/images/cat.bmp"},
                            60);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("TFLite_Detection_PostProcess"), std::string::npos);
}

}  // namespace
}  // namespace ql::test
