// `quantlens-cli evaluate` on the shared COCO images: mAP of two real detectors, the agreement of the quantized
// SSD with its dequantized twin, the image listed but absent, and a YOLO label folder made here from the same
// boxes giving the same mAP@[.5:.95] as the COCO JSON (crowd region removed, areas set to the box areas).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "support/test_support.h"

namespace fs = std::filesystem;

namespace ql::test {
namespace {

std::string models() { return sharedDir() + "/models/"; }
std::string coco() { return sharedDir() + "/images/coco"; }
std::string labels() { return sharedDir() + "/images/coco_labels.txt"; }

nlohmann::json evaluate(std::vector<std::string> args, const std::string& out_dir, ProcResult* r_out = nullptr) {
  const std::string json = out_dir + "/eval.json";
  std::vector<std::string> argv{cliPath(), "evaluate"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--json", json});
  ProcResult r = runProcess(argv, 900);
  if (r_out) *r_out = r;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? readJson(json) : nlohmann::json();
}

double metric(const nlohmann::json& model, const std::string& name) {
  const auto& v = model["metrics"][name];
  return v.is_number() ? v.get<double>() : -1;
}

TEST(EvaluateCommand, TwoDetectorsOnCocoWithTheTwinAgreement) {
  QL_REQUIRE_SHARED();
  const std::string dir = makeTempDir("evaluate");
  const std::string quant = models() + "coco_ssd_mobilenet_v1_1.0_quant.tflite";
  const std::string twin = dir + "/ssd_twin.tflite";
  ProcResult d = runProcess({cliPath(), "dequantize", quant, "-o", twin}, 300);
  ASSERT_EQ(d.exit_code, 0) << d.err;

  ProcResult r;
  nlohmann::json j =
      evaluate({"--model", twin, "--model", quant, "--model",
                models() + "ssd_mobilenet_v2_fpnlite320_coco_dynamic_range.tflite", "--images", coco(), "--annotations",
                coco() + "/annotations.json", "--model-labels", labels(), "--csv", dir + "/eval.csv"},
               dir, &r);
  ASSERT_EQ(j["models"].size(), 3u);
  std::cout << r.out;
  // Image 89 is listed but absent: reported on stderr and in the JSON, and left out.
  EXPECT_NE(r.err.find("000000000089.jpg is listed in"), std::string::npos) << r.err;
  EXPECT_EQ(j["missing_images"], nlohmann::json::array({"000000000089.jpg"}));
  for (const auto& m : j["models"]) {
    EXPECT_EQ(m["images"].size(), 5u);
    for (const char* k : {"map", "map50", "map75", "map_small", "map_medium", "map_large", "ar100"})
      EXPECT_TRUE(m["metrics"].contains(k)) << k;
    EXPECT_GE(metric(m, "map50"), metric(m, "map"));
    ASSERT_FALSE(m["per_class"].empty());
    EXPECT_TRUE(m["per_class"][0].contains("ap"));
    EXPECT_TRUE(m["per_class"][0]["label"].is_string());
    const auto& im = m["images"][0];
    EXPECT_GT(im["width"].get<int>(), 0);
    ASSERT_FALSE(im["detections"].empty());
    EXPECT_EQ(im["detections"][0]["box"].size(), 4u);
  }
  const auto& mt = j["models"][0];
  const auto& mq = j["models"][1];
  const auto& mv2 = j["models"][2];
  // The figures pycocotools' COCOeval gives for these detections (checked against a transcription of it).
  EXPECT_NEAR(metric(mq, "map"), 0.2507425743, 1e-6);
  EXPECT_NEAR(metric(mq, "map50"), 0.4133663366, 1e-6);
  EXPECT_NEAR(metric(mv2, "map"), 0.3392297265, 1e-6);
  EXPECT_GT(metric(mt, "map"), 0.2);
  // The quantized SSD against its dequantized twin: nearly the same detections.
  EXPECT_FALSE(mt["metrics"].contains("agreement"));
  EXPECT_GT(metric(mq, "agreement"), 0.9);
  EXPECT_EQ(mq["images"][0]["agreement"].is_number(), true);
  // The table: a column per model; the CSV: a row per model and metric.
  EXPECT_NE(r.out.find("ssd_twin.tflite"), std::string::npos);
  EXPECT_NE(r.out.find("agreement"), std::string::npos);
  std::ifstream csv(dir + "/eval.csv");
  std::string line;
  int rows = 0;
  std::getline(csv, line);
  EXPECT_EQ(line, "model,metric,value");
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, 7 + 8 + 8);
  fs::remove_all(dir);
}

TEST(EvaluateCommand, YoloLabelsFromTheSameBoxesGiveTheSameMap) {
  QL_REQUIRE_SHARED();
  const std::string dir = makeTempDir("evaluate-yolo");
  nlohmann::json gt = readJson(coco() + "/annotations.json");
  // The COCO JSON without its crowd region and with box areas: what YOLO labels can say.
  nlohmann::json plain = gt;
  plain["annotations"] = nlohmann::json::array();
  for (auto a : gt["annotations"]) {
    if (a.value("iscrowd", 0) != 0) continue;
    a["area"] = a["bbox"][2].get<double>() * a["bbox"][3].get<double>();
    plain["annotations"].push_back(a);
  }
  ASSERT_LT(plain["annotations"].size(), gt["annotations"].size());  // there was a crowd region
  std::ofstream(dir + "/plain.json") << plain.dump();

  // YOLO: class i = the i-th category by id, classes.txt beside the label files.
  fs::create_directories(dir + "/labels");
  std::map<int64_t, int> index;
  std::ofstream names(dir + "/labels/classes.txt");
  for (const auto& c : gt["categories"]) index[c["id"].get<int64_t>()] = 0;
  int i = 0;
  for (auto& [id, k] : index) k = i++;
  std::map<int64_t, std::string> name_of;
  for (const auto& c : gt["categories"]) name_of[c["id"].get<int64_t>()] = c["name"].get<std::string>();
  for (auto& [id, k] : index) names << name_of[id] << "\n";
  names.close();
  std::map<int64_t, nlohmann::json> image_of;
  for (const auto& im : gt["images"]) image_of[im["id"].get<int64_t>()] = im;
  for (const auto& [id, im] : image_of)
    std::ofstream(dir + "/labels/" + fs::path(im["file_name"].get<std::string>()).stem().string() + ".txt");
  for (const auto& a : plain["annotations"]) {
    const auto& im = image_of[a["image_id"].get<int64_t>()];
    const double w = im["width"], h = im["height"];
    const auto& b = a["bbox"];
    char line[256];
    std::snprintf(line, sizeof line, "%d %.17g %.17g %.17g %.17g\n", index[a["category_id"].get<int64_t>()],
                  (b[0].get<double>() + b[2].get<double>() / 2) / w, (b[1].get<double>() + b[3].get<double>() / 2) / h,
                  b[2].get<double>() / w, b[3].get<double>() / h);
    std::ofstream(dir + "/labels/" + fs::path(im["file_name"].get<std::string>()).stem().string() + ".txt",
                  std::ios::app)
        << line;
  }

  const std::string model = models() + "ssd_mobilenet_v2_fpnlite320_coco_dynamic_range.tflite";
  nlohmann::json from_coco = evaluate(
      {"--model", model, "--images", coco(), "--annotations", dir + "/plain.json", "--model-labels", labels()}, dir);
  ProcResult r;
  nlohmann::json from_yolo = evaluate({"--model", model, "--images", coco(), "--annotations", dir + "/labels",
                                       "--format", "yolo", "--model-labels", labels()},
                                      dir, &r);
  ASSERT_FALSE(from_coco.is_null());
  ASSERT_FALSE(from_yolo.is_null());
  const double a = metric(from_coco["models"][0], "map"), b = metric(from_yolo["models"][0], "map");
  std::cout << "mAP@[.5:.95] from COCO JSON " << a << ", from YOLO labels " << b << "\n";
  EXPECT_GT(a, 0.2);
  EXPECT_NEAR(a, b, 1e-9);
  // The label file of image 89 has no image: reported and left out here too.
  EXPECT_EQ(from_yolo["missing_images"], nlohmann::json::array({"000000000089.txt"}));
  fs::remove_all(dir);
}

// YOLOv9-tiny (3 classes: person, vehicle, animal) through the detector module: Ultralytics' letterbox and
// [0, 1] input from its profile, every box down to 0.001. Only "person" names a COCO category, so the mAP is
// measured on the persons of the shared photos (a COCO JSON cut to them here) and on the whole JSON.
TEST(EvaluateCommand, YoloV9FloatAndInt8OnCoco) {
  QL_REQUIRE_SHARED();
  const std::string dir = makeTempDir("evaluate-yolov9");
  nlohmann::json gt = readJson(coco() + "/annotations.json");
  nlohmann::json persons = gt;
  persons["annotations"] = nlohmann::json::array();
  persons["categories"] = nlohmann::json::array();
  for (const auto& c : gt["categories"])
    if (c["name"] == "person") persons["categories"].push_back(c);
  ASSERT_EQ(persons["categories"].size(), 1u);
  for (const auto& a : gt["annotations"])
    if (a["category_id"] == persons["categories"][0]["id"]) persons["annotations"].push_back(a);
  std::ofstream(dir + "/persons.json") << persons.dump();

  const std::string yolo_labels = sharedDir() + "/images/yolov9t_labels.txt";
  const std::vector<std::string> pair{"--model", models() + "yolov9t_320_float16.tflite", "--model",
                                      models() + "yolov9t_320_full_integer_quant.tflite"};
  auto run = [&](const std::string& annotations, std::vector<std::string> extra) {
    std::vector<std::string> args = pair;
    args.insert(args.end(), {"--images", coco(), "--annotations", annotations, "--model-labels", yolo_labels});
    args.insert(args.end(), extra.begin(), extra.end());
    ProcResult r;
    nlohmann::json j = evaluate(args, dir, &r);
    std::cout << r.out;
    return j;
  };
  const nlohmann::json p = run(dir + "/persons.json", {});
  const nlohmann::json all = run(coco() + "/annotations.json", {});
  ASSERT_EQ(p["models"].size(), 2u);
  ASSERT_EQ(all["models"].size(), 2u);
  const auto& pf = p["models"][0];
  const auto& pq = p["models"][1];
  std::cout << "persons: float16 mAP " << metric(pf, "map") << " mAP@.5 " << metric(pf, "map50") << "; int8 mAP "
            << metric(pq, "map") << " mAP@.5 " << metric(pq, "map50") << "; int8 agreement with float16 "
            << metric(pq, "agreement") << "\n";
  std::cout << "all COCO categories: float16 mAP@.5 " << metric(all["models"][0], "map50") << ", int8 "
            << metric(all["models"][1], "map50") << "\n";
  // Decoded as YOLO (person found at all: a wrong head, layout or preprocessing gives mAP near 0).
  EXPECT_GT(metric(pf, "map50"), 0.5);
  EXPECT_GT(metric(pq, "map50"), 0.5);
  EXPECT_GT(metric(pf, "map"), 0.3);
  EXPECT_NEAR(metric(pq, "map"), metric(pf, "map"), 0.15);
  // The converter's int8 twin mostly finds what the float model finds; not a copy of it.
  EXPECT_GT(metric(pq, "agreement"), 0.8);
  EXPECT_LT(metric(pq, "agreement"), 1.0);
  // The other categories have ground truth but no model class: counted, so the mean over them is lower.
  EXPECT_LT(metric(all["models"][0], "map50"), metric(pf, "map50"));
  // COCO's limit per image, after NMS; boxes within the image.
  for (const auto& im : pf["images"]) {
    EXPECT_LE(im["detections"].size(), 100u);
    for (const auto& d : im["detections"])
      for (const auto& v : d["box"]) EXPECT_TRUE(v.get<double>() >= 0 && v.get<double>() <= 1) << d;
  }
  // The flags override the profile's preprocessing: stretched [-1, 1] input is not what the model was trained on.
  const nlohmann::json stretched = run(dir + "/persons.json", {"--resize", "stretch", "--mean", "127.5", "--std", "127.5"});
  ASSERT_EQ(stretched["models"].size(), 2u);
  std::cout << "persons, stretched [-1, 1] input: float16 mAP " << metric(stretched["models"][0], "map") << "\n";
  EXPECT_LT(metric(stretched["models"][0], "map"), metric(pf, "map") - 0.05);
  fs::remove_all(dir);
}

TEST(EvaluateCommand, BadInputsExitTwoNamingTheProblem) {
  QL_REQUIRE_SHARED();
  const std::string dir = makeTempDir("evaluate-bad");
  std::ofstream(dir + "/broken.json") << "{\"images\": [";
  const std::string model = models() + "coco_ssd_mobilenet_v1_1.0_quant.tflite";
  ProcResult r = runProcess(
      {cliPath(), "evaluate", "--model", model, "--images", coco(), "--annotations", dir + "/broken.json"}, 120);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("broken.json"), std::string::npos) << r.err;
  // A classifier cannot be measured on boxes.
  r = runProcess({cliPath(), "evaluate", "--model", models() + "mobilenet_v1_0.25_128_quant.tflite", "--images", coco(),
                  "--annotations", coco() + "/annotations.json"},
                 120);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("classification"), std::string::npos) << r.err;
  // Without annotations one model has nothing to agree with.
  r = runProcess({cliPath(), "evaluate", "--model", model, "--images", coco()}, 120);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--annotations"), std::string::npos) << r.err;
  // Labels that name no annotation category.
  std::ofstream(dir + "/labels.txt") << "zebra crossing\nspaceship\n";
  r = runProcess({cliPath(), "evaluate", "--model", model, "--images", coco(), "--annotations",
                  coco() + "/annotations.json", "--model-labels", dir + "/labels.txt"},
                 120);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--class-map"), std::string::npos) << r.err;
  fs::remove_all(dir);
}

TEST(EvaluateCommand, AClassifierOnAFolderPerClass) {
  QL_REQUIRE_SHARED();
  const std::string dir = makeTempDir("evaluate-classes");
  // Folder names as people write them: "hotdog" matches the model's "hotdog, hot dog, red hot" by a synonym.
  fs::create_directories(dir + "/classes/tiger cat");
  fs::create_directories(dir + "/classes/hotdog");
  fs::create_symlink(sharedDir() + "/images/cat.bmp", dir + "/classes/tiger cat/cat.bmp");
  fs::create_symlink(sharedDir() + "/images/hot_dog.jpg", dir + "/classes/hotdog/hot_dog.jpg");
  nlohmann::json j = evaluate(
      {"--model", models() + "mobilenet_v1_0.25_128_quant.tflite", "--images", dir + "/classes", "--format", "folders"},
      dir);
  ASSERT_EQ(j["models"].size(), 1u);
  const auto& m = j["models"][0];
  // The 0.25-width MobileNet at 128x128 calls the cat a tiger cat and the hot dog a conch.
  EXPECT_DOUBLE_EQ(metric(m, "top1"), 0.5);
  EXPECT_GE(metric(m, "top5"), 0.5);
  ASSERT_EQ(m["per_class"].size(), 2u);
  EXPECT_EQ(m["per_class"][1]["label"], "tiger cat");
  EXPECT_EQ(m["per_class"][1]["accuracy"], 1.0);
  EXPECT_EQ(m["images"][1]["image"], "tiger cat/cat.bmp");
  EXPECT_EQ(m["images"][1]["correct"], true);
  fs::remove_all(dir);
}

TEST(EvaluateCommand, AgreementOnlyWithoutAnnotations) {
  QL_REQUIRE_SHARED();
  const std::string dir = makeTempDir("evaluate-agree");
  const std::string model = models() + "mobilenet_v1_0.25_128_quant.tflite";
  nlohmann::json j = evaluate({"--model", model, "--model", model, "--input", sharedDir() + "/images/cat.bmp",
                               "--input", sharedDir() + "/images/hot_dog.jpg"},
                              dir);
  ASSERT_EQ(j["models"].size(), 2u);
  EXPECT_DOUBLE_EQ(metric(j["models"][1], "agreement"), 1.0);  // a model agrees with itself
  EXPECT_EQ(j["models"][1]["images"][0]["top5"].size(), 5u);
  EXPECT_TRUE(j["annotations"].is_null());
  // A segmenter ([1,513,513] ARG_MAX classes) against its dequantized twin: the masks mostly agree.
  const std::string twin = dir + "/deeplab_twin.tflite";
  ASSERT_EQ(runProcess({cliPath(), "dequantize", models() + "deeplabv3_mnv2_dm05_pascal_quant.tflite", "-o", twin}, 300)
                .exit_code,
            0);
  j = evaluate({"--model", twin, "--model", models() + "deeplabv3_mnv2_dm05_pascal_quant.tflite", "--input",
                sharedDir() + "/images/pets.jpg"},
               dir);
  ASSERT_EQ(j["models"].size(), 2u);
  EXPECT_EQ(j["models"][1]["task"], "segmentation");
  EXPECT_GT(metric(j["models"][1], "agreement"), 0.7);
  EXPECT_LT(metric(j["models"][1], "agreement"), 1.0);  // quantization moved some pixels
  EXPECT_TRUE(j["models"][1]["images"][0]["mask_iou"].is_number());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ql::test
