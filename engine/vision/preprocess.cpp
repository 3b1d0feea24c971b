#include "vision/preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "kernels/quant_math.h"
#include "model/tensor_values.h"
#include "runtime/tensor_dump.h"
#include "util/error.h"

namespace ql {

namespace {

template <typename T>
void store(std::vector<uint8_t>& out, size_t index, T v) {
  std::memcpy(out.data() + index * sizeof(T), &v, sizeof(T));
}

struct InputGeometry {
  int height, width, channels;
  bool nchw;
};

InputGeometry geometryOf(const InputSpec& spec, const std::string& what) {
  const std::vector<int32_t>& shape = spec.shape;
  if (shape.size() != 4 || shape[0] != 1)
    unsupported(what, "the model input is not an image tensor [1,H,W,C] or [1,C,H,W]");
  bool nchw = shape[1] == 3 && shape[3] != 3 && shape[3] != 1;
  InputGeometry g{nchw ? shape[2] : shape[1], nchw ? shape[3] : shape[2], nchw ? shape[1] : shape[3], nchw};
  if (g.channels != 1 && g.channels != 3)
    unsupported(what, "the model input has " + std::to_string(g.channels) + " channels; images give 1 or 3");
  if (g.height <= 0 || g.width <= 0) unsupported(what, "the model input has no fixed height and width");
  if (spec.type != DType::Float32 && spec.type != DType::UInt8 && spec.type != DType::Int8)
    unsupported(what, std::string("image inputs of type ") + dtypeName(spec.type) + " are not supported");
  return g;
}

// Resizes `img` (RGB or grey, the original) to the input's size and records how the two relate.
cv::Mat resizeForInput(const cv::Mat& img, const InputGeometry& g, const PreprocessOptions& options,
                       LetterboxTransform& t) {
  t = LetterboxTransform{};
  t.original_width = img.cols, t.original_height = img.rows, t.input_width = g.width, t.input_height = g.height;
  cv::Mat out;
  if (options.resize == ResizeMode::Stretch) {
    cv::resize(img, out, cv::Size(g.width, g.height), 0, 0, cv::INTER_LINEAR);
    t.content_width = g.width, t.content_height = g.height;
    return out;
  }
  // Letterbox as Ultralytics does: one scale that fits both sides, the rest padded equally on both sides.
  const double r = std::min(static_cast<double>(g.width) / img.cols, static_cast<double>(g.height) / img.rows);
  const int w = std::max(1, static_cast<int>(std::lround(img.cols * r)));
  const int h = std::max(1, static_cast<int>(std::lround(img.rows * r)));
  cv::Mat scaled;
  cv::resize(img, scaled, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);
  const int left = (g.width - w) / 2, top = (g.height - h) / 2;
  const cv::Scalar pad = img.channels() == 1 ? cv::Scalar(options.pad[0])
                                             : cv::Scalar(options.pad[0], options.pad[1], options.pad[2]);
  cv::copyMakeBorder(scaled, out, top, g.height - h - top, left, g.width - w - left, cv::BORDER_CONSTANT, pad);
  t.content_width = w, t.content_height = h, t.offset_x = left, t.offset_y = top;
  return out;
}

// `img`: RGB (or grey for 1-channel inputs) at the original size.
PreparedInput prepare(const cv::Mat& img, const InputSpec& spec, const InputGeometry& g,
                      const PreprocessOptions& options, const std::string& what) {
  PreparedInput result;
  cv::Mat resized = resizeForInput(img, g, options, result.transform);
  const int h = g.height, w = g.width, c = g.channels;
  auto pick = [](const std::vector<float>& v, int ch) { return v.size() == 3 ? v[static_cast<size_t>(ch)] : v[0]; };
  const ImageNormalization& norm = options.norm;
  if ((norm.mean.size() != 1 && norm.mean.size() != 3) || (norm.std.size() != 1 && norm.std.size() != 3))
    badInput(what, "mean and std take one value or three (R, G, B)");
  const size_t count = static_cast<size_t>(h) * static_cast<size_t>(w) * static_cast<size_t>(c);
  result.bytes.resize(count * dtypeSize(spec.type));
  result.seen.width = w, result.seen.height = h, result.seen.channels = c;
  result.seen.pixels.resize(count);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int ch = 0; ch < c; ++ch) {
        const uint8_t pixel = c == 1 ? resized.at<uint8_t>(y, x) : resized.at<cv::Vec3b>(y, x)[ch];
        result.seen.pixels[(static_cast<size_t>(y) * w + x) * c + ch] = pixel;
        size_t index = g.nchw ? (static_cast<size_t>(ch) * h + y) * w + x : (static_cast<size_t>(y) * w + x) * c + ch;
        float value = (pixel - pick(norm.mean, ch)) / pick(norm.std, ch);
        switch (spec.type) {
          case DType::Float32: store<float>(result.bytes, index, value); break;
          case DType::UInt8:
            store<uint8_t>(result.bytes, index,
                           spec.scale > 0 ? quantizeValue<uint8_t>(value, spec.scale, spec.zero_point) : pixel);
            break;
          default:  // Int8 (geometryOf refused the rest)
            store<int8_t>(result.bytes, index,
                          spec.scale > 0 ? quantizeValue<int8_t>(value, spec.scale, spec.zero_point)
                                         : static_cast<int8_t>(pixel - 128));
            break;
        }
      }
  return result;
}

}  // namespace

bool samePreprocessing(const PreprocessOptions& a, const PreprocessOptions& b) {
  return a.norm.mean == b.norm.mean && a.norm.std == b.norm.std && a.resize == b.resize && a.pad == b.pad;
}

const char* resizeModeName(ResizeMode m) { return m == ResizeMode::Letterbox ? "letterbox" : "stretch"; }

InputSpec inputSpecOf(const Tensor& t) {
  InputSpec s;
  s.name = t.name, s.type = t.type, s.shape = t.shape;
  if (t.quant.hasScale()) {
    s.scale = t.quant.scale[0];
    s.zero_point = t.quant.zero_point.empty() ? 0 : static_cast<int32_t>(t.quant.zero_point[0]);
  }
  return s;
}

LetterboxTransform LetterboxTransform::identity(int width, int height) {
  LetterboxTransform t;
  t.original_width = t.input_width = t.content_width = width;
  t.original_height = t.input_height = t.content_height = height;
  return t;
}

PreparedInput imageFileToInput(const std::string& path, const InputSpec& spec, const PreprocessOptions& options) {
  const InputGeometry g = geometryOf(spec, path);
  cv::Mat img = cv::imread(path, g.channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
  if (img.empty()) badInput(path, "cannot read as an image");
  if (g.channels == 3) cv::cvtColor(img, img, cv::COLOR_BGR2RGB);
  return prepare(img, spec, g, options, path);
}

PreparedInput pixelsToInput(const PixelBuffer& px, const InputSpec& spec, const PreprocessOptions& options) {
  const InputGeometry g = geometryOf(spec, "pixel buffer");
  if (!px.data || px.width <= 0 || px.height <= 0 || (px.channels != 1 && px.channels != 3 && px.channels != 4) ||
      px.row_stride < static_cast<size_t>(px.width) * static_cast<size_t>(px.channels))
    badInput("pixel buffer", "needs data, a positive size, 1, 3 or 4 channels and a row stride of at least "
                             "width x channels bytes");
  // OpenCV only reads through this header; the caller's pixels are not written.
  const cv::Mat view(px.height, px.width, CV_8UC(px.channels), const_cast<uint8_t*>(px.data), px.row_stride);
  cv::Mat img;
  const bool bgr = px.order == PixelOrder::Bgr;
  if (g.channels == 1) {
    if (px.channels == 1) img = view.clone();
    else cv::cvtColor(view, img, px.channels == 3 ? (bgr ? cv::COLOR_BGR2GRAY : cv::COLOR_RGB2GRAY)
                                                  : (bgr ? cv::COLOR_BGRA2GRAY : cv::COLOR_RGBA2GRAY));
  } else if (px.channels == 1) {
    cv::cvtColor(view, img, cv::COLOR_GRAY2RGB);
  } else if (px.channels == 3) {
    if (bgr) cv::cvtColor(view, img, cv::COLOR_BGR2RGB);
    else img = view.clone();
  } else {
    cv::cvtColor(view, img, bgr ? cv::COLOR_BGRA2RGB : cv::COLOR_RGBA2RGB);
  }
  return prepare(img, spec, g, options, "pixel buffer");
}

PreparedInput loadModelInput(const std::string& path, const InputSpec& spec, const PreprocessOptions& options) {
  if (isImageFile(path)) return imageFileToInput(path, spec, options);
  PreparedInput result;
  result.bytes = readFileBytes(path);
  const int64_t need = dtypeStorageBytes(spec.type, elementCount(spec.shape));
  if (static_cast<int64_t>(result.bytes.size()) != need)
    badInput(path, "holds " + std::to_string(result.bytes.size()) + " bytes, but input '" + spec.name + "' (" +
                       dtypeLowerName(spec.type) + ") needs " + std::to_string(need));
  // Raw tensors: boxes stay in the input's own coordinates.
  const bool image_like = spec.shape.size() == 4;
  const bool nchw = image_like && spec.shape[1] == 3 && spec.shape[3] != 3 && spec.shape[3] != 1;
  result.transform = image_like ? LetterboxTransform::identity(nchw ? spec.shape[3] : spec.shape[2],
                                                               nchw ? spec.shape[2] : spec.shape[1])
                                : LetterboxTransform::identity(1, 1);
  return result;
}

bool isImageFile(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp";
}

std::vector<std::string> listImages(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) badInput(dir, "is not a directory");
  std::vector<std::string> out;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (isImageFile(it->path().string()) && it->is_regular_file(ec)) out.push_back(it->path().string());
  if (ec) badInput(dir, "cannot list the folder: " + ec.message());
  std::sort(out.begin(), out.end());
  if (out.empty()) badInput(dir, "holds no .jpg, .jpeg, .png or .bmp image");
  return out;
}

std::vector<uint8_t> convertInput(const Tensor& from, const std::vector<uint8_t>& bytes, const Tensor& to) {
  if (from.type == to.type && !to.quant.hasScale()) return bytes;
  const std::vector<float> real = realValues(from.type, from.shape, from.quant, bytes.data(), bytes.size());
  std::vector<uint8_t> out(real.size() * dtypeSize(to.type));
  const float scale = to.quant.hasScale() ? to.quant.scale[0] : 1.f;
  const int32_t zp = to.quant.zero_point.empty() ? 0 : static_cast<int32_t>(to.quant.zero_point[0]);
  for (size_t i = 0; i < real.size(); ++i) {
    switch (to.type) {
      case DType::Int8: store<int8_t>(out, i, quantizeValue<int8_t>(real[i], scale, zp)); break;
      case DType::UInt8: store<uint8_t>(out, i, quantizeValue<uint8_t>(real[i], scale, zp)); break;
      case DType::Int16: store<int16_t>(out, i, quantizeValue<int16_t>(real[i], scale, zp)); break;
      case DType::Float32: store<float>(out, i, real[i]); break;
      default: unsupported(to.name, std::string("quantized model inputs of type ") + dtypeName(to.type));
    }
  }
  return out;
}

}  // namespace ql
