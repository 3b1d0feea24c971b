// The preprocessing flags every command that takes images shares: --mean --std --resize --pad.
#include <cstring>
#include <filesystem>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/reshape_model.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

// A float model whose [1,320,320,3] image input is reshaped to its output.
std::string writeImageModel(const std::string& dir) {
  return writeReshapeModel(dir, "image.tflite", {1, 320, 320, 3}, {1, 320 * 320 * 3});
}

TEST(PreprocessFlags, RunLetterboxesA1280x720ImageInto320x320WithGreyBars) {
  std::string dir = makeTempDir("letterbox");
  std::string model = writeImageModel(dir);
  cv::Mat img(720, 1280, CV_8UC3);
  for (int y = 0; y < img.rows; ++y)
    for (int x = 0; x < img.cols; ++x)
      img.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uint8_t>(x / 5), static_cast<uint8_t>(y / 3), 30);
  ASSERT_TRUE(cv::imwrite(dir + "/wide.png", img));
  ProcResult r = runProcess({cliPath(), "run", model, "--input", dir + "/wide.png", "--out", dir + "/out",
                             "--resize", "letterbox", "--mean", "0", "--std", "255"},
                            120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<uint8_t> bytes = readBytes(dir + "/out/in0.bin");
  ASSERT_EQ(bytes.size(), 320u * 320 * 3 * 4);
  std::vector<float> in(bytes.size() / 4);
  std::memcpy(in.data(), bytes.data(), bytes.size());
  auto px = [&](int y, int x, int c) { return in[(static_cast<size_t>(y) * 320 + x) * 3 + c]; };
  for (int y = 0; y < 320; ++y) {
    if (y >= 70 && y < 250) continue;
    for (int x = 0; x < 320; ++x)
      for (int c = 0; c < 3; ++c) ASSERT_FLOAT_EQ(px(y, x, c), 114.0f / 255.0f) << "row " << y;
  }
  // The middle 180 rows are the image at a quarter of its size (RGB).
  cv::Mat small;
  cv::resize(img, small, cv::Size(320, 180), 0, 0, cv::INTER_LINEAR);
  for (int y = 0; y < 180; ++y)
    for (int x = 0; x < 320; ++x) {
      const cv::Vec3b bgr = small.at<cv::Vec3b>(y, x);
      ASSERT_FLOAT_EQ(px(70 + y, x, 0), bgr[2] / 255.0f) << y << "," << x;
      ASSERT_FLOAT_EQ(px(70 + y, x, 1), bgr[1] / 255.0f) << y << "," << x;
      ASSERT_FLOAT_EQ(px(70 + y, x, 2), bgr[0] / 255.0f) << y << "," << x;
    }
  // --pad changes the bars; stretch has none.
  r = runProcess({cliPath(), "run", model, "--input", dir + "/wide.png", "--out", dir + "/pad", "--resize",
                  "letterbox", "--pad", "0,0,255", "--mean", "0", "--std", "255"},
                 120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  bytes = readBytes(dir + "/pad/in0.bin");
  std::memcpy(in.data(), bytes.data(), bytes.size());
  EXPECT_FLOAT_EQ(px(0, 0, 0), 0.0f);
  EXPECT_FLOAT_EQ(px(319, 5, 2), 1.0f);
  std::filesystem::remove_all(dir);
}

TEST(PreprocessFlags, RunDebugAndDetectShareTheFlagsAndTheirErrors) {
  for (const char* command : {"run", "debug", "detect"}) {
    ProcResult help = runProcess({cliPath(), command, "--help"}, 30);
    for (const char* flag : {"--mean", "--std", "--resize", "--pad"})
      EXPECT_NE(help.out.find(flag), std::string::npos) << command << " lacks " << flag;
  }
  std::string dir = makeTempDir("flags");
  std::string model = writeImageModel(dir);
  cv::Mat img(10, 10, CV_8UC3, cv::Scalar(1, 2, 3));
  ASSERT_TRUE(cv::imwrite(dir + "/a.png", img));
  ProcResult r = runProcess(
      {cliPath(), "run", model, "--input", dir + "/a.png", "--out", dir + "/o", "--resize", "squash"}, 30);
  EXPECT_EQ(r.exit_code, 2);
  r = runProcess({cliPath(), "run", model, "--input", dir + "/a.png", "--out", dir + "/o", "--pad", "1,2"}, 30);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--pad"), std::string::npos) << r.err;
  r = runProcess({cliPath(), "debug", "--quant", model, "--input", dir + "/a.png", "--mean", "x"}, 30);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--mean"), std::string::npos) << r.err;
  r = runProcess({cliPath(), "detect", model, dir + "/a.png", "--resize", "squash"}, 30);
  EXPECT_EQ(r.exit_code, 2);
  r = runProcess({cliPath(), "debug", "--quant", model, "--images", dir + "/none"}, 30);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(dir + "/none"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ql::test
