#include "vision/preprocess.h"

#include <cmath>
#include <cstring>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "util/error.h"

namespace ql {

namespace {

template <typename T>
void store(std::vector<uint8_t>& out, size_t index, T v) {
  std::memcpy(out.data() + index * sizeof(T), &v, sizeof(T));
}

template <typename T>
T quantizeClamped(float v, float scale, int32_t zp) {
  long q = std::lround(v / scale) + zp;
  long lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  return static_cast<T>(std::min(std::max(q, lo), hi));
}

}  // namespace

std::vector<uint8_t> imageToInputTensor(const std::string& path, DType type, const std::vector<int32_t>& shape,
                                        float scale, int32_t zero_point, const ImageNormalization& norm) {
  if (shape.size() != 4 || shape[0] != 1)
    unsupported(path, "the model input is not an image tensor [1,H,W,C] or [1,C,H,W]");
  bool nchw = shape[1] == 3 && shape[3] != 3 && shape[3] != 1;
  int h = nchw ? shape[2] : shape[1], w = nchw ? shape[3] : shape[2], c = nchw ? shape[1] : shape[3];
  if (c != 1 && c != 3) unsupported(path, "the model input has " + std::to_string(c) + " channels; images give 1 or 3");
  cv::Mat img = cv::imread(path, c == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
  if (img.empty()) badInput(path, "cannot read as an image");
  if (c == 3) cv::cvtColor(img, img, cv::COLOR_BGR2RGB);
  cv::Mat resized;
  cv::resize(img, resized, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);

  auto pick = [](const std::vector<float>& v, int ch) { return v.size() == 3 ? v[static_cast<size_t>(ch)] : v[0]; };
  size_t count = static_cast<size_t>(h) * w * c;
  std::vector<uint8_t> out(count * dtypeSize(type));
  if (out.empty()) unsupported(path, std::string("image inputs of type ") + dtypeName(type) + " are not supported");
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int ch = 0; ch < c; ++ch) {
        float pixel = c == 1 ? resized.at<uint8_t>(y, x) : resized.at<cv::Vec3b>(y, x)[ch];
        size_t index = nchw ? (static_cast<size_t>(ch) * h + y) * w + x : (static_cast<size_t>(y) * w + x) * c + ch;
        float value = (pixel - pick(norm.mean, ch)) / pick(norm.std, ch);
        switch (type) {
          case DType::Float32: store<float>(out, index, value); break;
          case DType::UInt8:
            store<uint8_t>(out, index, scale > 0 ? quantizeClamped<uint8_t>(value, scale, zero_point)
                                                 : static_cast<uint8_t>(pixel));
            break;
          case DType::Int8:
            store<int8_t>(out, index, scale > 0 ? quantizeClamped<int8_t>(value, scale, zero_point)
                                                : static_cast<int8_t>(pixel - 128));
            break;
          default: unsupported(path, std::string("image inputs of type ") + dtypeName(type) + " are not supported");
        }
      }
  return out;
}

}  // namespace ql
