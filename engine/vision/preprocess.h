// Images into model inputs, from a file or from pixels already in memory (what a GUI holds): resize to the
// input's height and width (stretch, or letterbox: scale to fit, keep the aspect ratio, pad centred), lay out
// NHWC (or NCHW for [1,3,H,W] inputs), normalize (pixel - mean) / std per channel, and quantize for integer
// inputs. The result also holds the pixels the model saw and the transform that maps its boxes back.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/dtype.h"
#include "model/graph.h"

namespace ql {

struct ImageNormalization {
  std::vector<float> mean{127.5f};  // one value, or one per channel (R, G, B)
  std::vector<float> std{127.5f};
};

enum class ResizeMode { Stretch, Letterbox };
const char* resizeModeName(ResizeMode m);  // "stretch", "letterbox"

struct PreprocessOptions {
  ImageNormalization norm;
  ResizeMode resize = ResizeMode::Stretch;
  std::array<uint8_t, 3> pad{114, 114, 114};  // letterbox border, R, G, B (Ultralytics' grey)
};

// Same normalization, resize mode and padding.
bool samePreprocessing(const PreprocessOptions& a, const PreprocessOptions& b);

// What an input tensor needs from an image.
struct InputSpec {
  std::string name;
  DType type = DType::Float32;
  std::vector<int32_t> shape;
  float scale = 0;  // 0 when the input is not quantized
  int32_t zero_point = 0;
};
InputSpec inputSpecOf(const Tensor& t);

enum class PixelOrder { Rgb, Bgr };

// Pixels held by the caller: `channels` 1 (grey), 3 or 4 (the 4th, alpha, is ignored) bytes per pixel, rows
// `row_stride` bytes apart.
struct PixelBuffer {
  const uint8_t* data = nullptr;
  int width = 0, height = 0, channels = 3;
  size_t row_stride = 0;
  PixelOrder order = PixelOrder::Rgb;
};

// Tightly packed 8-bit pixels, RGB (or grey when channels == 1).
struct Image {
  int width = 0, height = 0, channels = 0;
  std::vector<uint8_t> pixels;
};

// How the model input relates to the original image: the image fills content_width x content_height input
// pixels starting at (offset_x, offset_y); input pixel = original pixel * scale + offset, per axis. Stretch fills
// the whole input (offsets 0); letterbox keeps one scale for both axes and centres the image.
struct LetterboxTransform {
  int original_width = 0, original_height = 0, input_width = 0, input_height = 0;
  int content_width = 0, content_height = 0, offset_x = 0, offset_y = 0;
  double scaleX() const { return static_cast<double>(content_width) / original_width; }
  double scaleY() const { return static_cast<double>(content_height) / original_height; }
  // A point normalized to the model input ([0, 1] of its width and height) as a point normalized to the
  // original image (exactly the same value under stretch).
  double originalX(double input_x) const { return (input_x * input_width - offset_x) / content_width; }
  double originalY(double input_y) const { return (input_y * input_height - offset_y) / content_height; }
  static LetterboxTransform identity(int width, int height);
};

struct PreparedInput {
  std::vector<uint8_t> bytes;  // the input tensor's raw data
  Image seen;                  // the pixels the model saw (resized and padded), before normalization
  LetterboxTransform transform;
};

// The input tensor for `spec` holding the image: float inputs get (pixel - mean) / std; integer inputs get those
// values quantized with the input's scale and zero point (a pixel as it is, minus 128 for int8, when the input
// has no scale). Throws BadInput naming the file for an unreadable image, Unsupported for an input that is not
// an image ([1,H,W,1|3] or [1,1|3,H,W]) or of a type images cannot fill.
PreparedInput imageFileToInput(const std::string& path, const InputSpec& spec, const PreprocessOptions& options);
PreparedInput pixelsToInput(const PixelBuffer& pixels, const InputSpec& spec, const PreprocessOptions& options);

// An --input file: an image (by extension) prepared as above, or a raw tensor file that must hold exactly the
// input's bytes (then `seen` is empty and the transform the identity of the input's size).
PreparedInput loadModelInput(const std::string& path, const InputSpec& spec, const PreprocessOptions& options);

bool isImageFile(const std::string& path);  // .jpg .jpeg .png .bmp, any case
// The images in `dir` (not its subdirectories), sorted by name. Throws BadInput naming the folder when it is not
// a directory or holds no image.
std::vector<std::string> listImages(const std::string& dir);

// The same real values as `bytes` (an input of tensor `from`) as an input of tensor `to`: quantized with `to`'s
// parameters (TFLite's rounding), or the bytes as they are when both have one type and `to` has no scale. For
// feeding a quantized model what its float twin was fed.
std::vector<uint8_t> convertInput(const Tensor& from, const std::vector<uint8_t>& bytes, const Tensor& to);

}  // namespace ql
