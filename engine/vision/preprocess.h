// Images into model inputs: decode (OpenCV), resize bilinearly to the input's height and width, lay out NHWC
// (or NCHW for [1,3,H,W] inputs), normalize for float inputs and quantize for integer ones.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/dtype.h"

namespace ql {

struct ImageNormalization {
  std::vector<float> mean{127.5f};  // one value, or one per channel
  std::vector<float> std{127.5f};
};

// The raw bytes of an input tensor of `type` and `shape` holding the image at `path`. Float inputs get
// (pixel - mean) / std; integer inputs get those values quantized with `scale` and `zero_point` (a pixel as it is
// when the input has no scale). Throws BadInput naming the file when it is not a readable image, Unsupported for
// an input shape that is not an image.
std::vector<uint8_t> imageToInputTensor(const std::string& path, DType type, const std::vector<int32_t>& shape,
                                        float scale, int32_t zero_point, const ImageNormalization& norm);

}  // namespace ql
