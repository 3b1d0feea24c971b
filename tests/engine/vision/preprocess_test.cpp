// Images into input tensors: stretch and letterbox (with the transform back), pixels from memory in either byte
// order and with padded rows, quantized inputs, image folders, and raw tensor files.
#include <filesystem>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "model/graph.h"
#include "support/test_support.h"
#include "util/error.h"
#include "vision/preprocess.h"

namespace ql::test {
namespace {

// A 64x36 BGR picture with a colour ramp, so resizing and byte order show.
cv::Mat rampImage() {
  cv::Mat img(36, 64, CV_8UC3);
  for (int y = 0; y < img.rows; ++y)
    for (int x = 0; x < img.cols; ++x) img.at<cv::Vec3b>(y, x) = cv::Vec3b(x * 4, y * 7, 200);
  return img;
}

InputSpec floatSpec(int h, int w) {
  InputSpec s;
  s.name = "image";
  s.shape = {1, h, w, 3};
  return s;
}

float at(const PreparedInput& in, int w, int y, int x, int c) {
  float v;
  std::memcpy(&v, in.bytes.data() + ((static_cast<size_t>(y) * w + x) * 3 + c) * 4, 4);
  return v;
}

TEST(Preprocess, LetterboxPadsCentredAndMapsPointsBack) {
  const cv::Mat img = rampImage();
  PixelBuffer px{img.data, img.cols, img.rows, 3, img.step[0], PixelOrder::Bgr};
  PreprocessOptions o;
  o.norm = {{0.0f}, {255.0f}};
  o.resize = ResizeMode::Letterbox;
  PreparedInput in = pixelsToInput(px, floatSpec(32, 32), o);
  // 64x36 -> 32x18, centred: 7 rows of grey above and below.
  EXPECT_EQ(in.transform.content_width, 32);
  EXPECT_EQ(in.transform.content_height, 18);
  EXPECT_EQ(in.transform.offset_y, 7);
  EXPECT_EQ(in.transform.offset_x, 0);
  EXPECT_DOUBLE_EQ(in.transform.scaleX(), 0.5);
  for (int y : {0, 6, 25, 31})
    for (int c = 0; c < 3; ++c) EXPECT_FLOAT_EQ(at(in, 32, y, 5, c), 114.0f / 255.0f) << y;
  cv::Mat expected;
  cv::resize(img, expected, cv::Size(32, 18), 0, 0, cv::INTER_LINEAR);
  for (int y = 0; y < 18; ++y)
    for (int x = 0; x < 32; x += 7) {
      const cv::Vec3b bgr = expected.at<cv::Vec3b>(y, x);
      EXPECT_FLOAT_EQ(at(in, 32, y + 7, x, 0), bgr[2] / 255.0f);
      EXPECT_FLOAT_EQ(at(in, 32, y + 7, x, 2), bgr[0] / 255.0f);
      EXPECT_EQ(in.seen.pixels[((static_cast<size_t>(y) + 7) * 32 + x) * 3], bgr[2]);
    }
  // The input's middle row is the original's middle row.
  EXPECT_NEAR(in.transform.originalY(0.5), 0.5, 1e-9);
  EXPECT_NEAR(in.transform.originalY(7.0 / 32), 0.0, 1e-9);
  EXPECT_NEAR(in.transform.originalX(0.25), 0.25, 1e-9);
  o.pad = {1, 2, 3};
  in = pixelsToInput(px, floatSpec(32, 32), o);
  EXPECT_FLOAT_EQ(at(in, 32, 0, 0, 2), 3.0f / 255.0f);
}

TEST(Preprocess, PixelsInMemoryEqualTheSameImageReadFromAFile) {
  const cv::Mat img = rampImage();
  std::string dir = makeTempDir("preprocess");
  ASSERT_TRUE(cv::imwrite(dir + "/ramp.png", img));
  PreprocessOptions o;
  PreparedInput from_file = imageFileToInput(dir + "/ramp.png", floatSpec(20, 30), o);
  // RGB with a padded row stride, as a GUI hands it over.
  cv::Mat rgb;
  cv::cvtColor(img, rgb, cv::COLOR_BGR2RGB);
  const size_t stride = 64 * 3 + 16;
  std::vector<uint8_t> padded(stride * 36, 0xEE);
  for (int y = 0; y < 36; ++y) std::memcpy(&padded[y * stride], rgb.ptr(y), 64 * 3);
  PreparedInput from_memory = pixelsToInput({padded.data(), 64, 36, 3, stride, PixelOrder::Rgb}, floatSpec(20, 30), o);
  EXPECT_EQ(from_file.bytes, from_memory.bytes);
  EXPECT_EQ(from_file.seen.pixels, from_memory.seen.pixels);
  // Stretch maps points to themselves.
  EXPECT_EQ(from_file.transform.originalX(0.3), 0.3);
  // BGRA too.
  cv::Mat bgra;
  cv::cvtColor(img, bgra, cv::COLOR_BGR2BGRA);
  EXPECT_EQ(pixelsToInput({bgra.data, 64, 36, 4, bgra.step[0], PixelOrder::Bgr}, floatSpec(20, 30), o).bytes,
            from_file.bytes);
  EXPECT_EQ(thrownError([&] { pixelsToInput({padded.data(), 64, 36, 3, 10, PixelOrder::Rgb}, floatSpec(2, 2), o); }).kind(),
            ErrorKind::BadInput);
  std::filesystem::remove_all(dir);
}

TEST(Preprocess, QuantizedInputsAndRawFiles) {
  const cv::Mat img = rampImage();
  PixelBuffer px{img.data, img.cols, img.rows, 3, img.step[0], PixelOrder::Bgr};
  InputSpec q = floatSpec(36, 64);
  q.type = DType::Int8;
  q.scale = 1.0f / 255, q.zero_point = -128;
  PreprocessOptions o;
  o.norm = {{0.0f}, {255.0f}};
  PreparedInput in = pixelsToInput(px, q, o);
  // Same size: the pixels as they are, shifted by the zero point; channel 0 is red (200).
  EXPECT_EQ(static_cast<int8_t>(in.bytes[0]), 200 - 128);
  EXPECT_EQ(static_cast<int8_t>(in.bytes[(5 * 64 + 3) * 3 + 2]), 3 * 4 - 128);
  InputSpec nchw = floatSpec(36, 64);
  nchw.shape = {1, 3, 36, 64};
  PreparedInput planar = pixelsToInput(px, nchw, o);
  float first_blue;
  std::memcpy(&first_blue, planar.bytes.data() + 2 * 36 * 64 * 4, 4);
  EXPECT_FLOAT_EQ(first_blue, 0.0f);  // x = 0 gives blue 0
  InputSpec bad = floatSpec(4, 4);
  bad.shape = {1, 4, 4, 5};
  EXPECT_EQ(thrownError([&] { pixelsToInput(px, bad, o); }).kind(), ErrorKind::Unsupported);

  std::string dir = makeTempDir("preprocess");
  writeBytes(dir + "/t.bin", std::vector<uint8_t>(4 * 4 * 3 * 4, 0));
  EXPECT_EQ(loadModelInput(dir + "/t.bin", floatSpec(4, 4), o).bytes.size(), 192u);
  EXPECT_EQ(thrownError([&] { loadModelInput(dir + "/t.bin", floatSpec(5, 4), o); }).kind(), ErrorKind::BadInput);
  EXPECT_EQ(thrownError([&] { loadModelInput(dir + "/missing.png", floatSpec(5, 4), o); }).kind(), ErrorKind::BadInput);
  std::filesystem::remove_all(dir);
}

TEST(Preprocess, ImageFoldersAreListedSortedAndEmptyOnesNamed) {
  std::string dir = makeTempDir("images");
  for (const char* name : {"b.PNG", "a.jpg", "c.txt", "d.jpeg", "e.bmp"}) writeBytes(dir + "/" + name, {1});
  std::filesystem::create_directory(dir + "/sub.jpg");
  std::vector<std::string> files = listImages(dir);
  ASSERT_EQ(files.size(), 4u);
  EXPECT_EQ(baseName(files[0]), "a");
  EXPECT_EQ(baseName(files[1]), "b");
  EXPECT_EQ(baseName(files[3]), "e");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directory(dir);
  try {
    listImages(dir);
    ADD_FAILURE() << "an empty folder was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find(dir), std::string::npos);
  }
  EXPECT_EQ(thrownError([&] { listImages(dir + "/nope"); }).kind(), ErrorKind::BadInput);
  std::filesystem::remove_all(dir);
}

TEST(Preprocess, ConvertInputQuantizesTheFloatTwinsValues) {
  Tensor f{"in", DType::Float32, {1, 3}};
  Tensor q{"in", DType::Int8, {1, 3}};
  q.quant.scale = {0.5f};
  q.quant.zero_point = {-1};
  std::vector<float> values{0.0f, 1.0f, -100.0f};
  std::vector<uint8_t> bytes(12);
  std::memcpy(bytes.data(), values.data(), 12);
  std::vector<uint8_t> out = convertInput(f, bytes, q);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(static_cast<int8_t>(out[0]), -1);
  EXPECT_EQ(static_cast<int8_t>(out[1]), 1);
  EXPECT_EQ(static_cast<int8_t>(out[2]), -128);
  EXPECT_EQ(convertInput(f, bytes, f), bytes);
}

}  // namespace
}  // namespace ql::test
