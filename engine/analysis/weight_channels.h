// A quantized constant tensor channel by channel: each channel's scale and zero point, the range of its real
// values, and, against the float model's weights, the error quantization put into it. The debugger's per-channel
// report and the inspector's per-channel table are both this.
#pragma once

#include <cstdint>
#include <vector>

#include "model/graph.h"

namespace ql {

struct WeightChannel {
  int64_t channel = 0;
  double scale = 0;
  int64_t zero_point = 0;
  double min = 0, max = 0;  // of the dequantized values
  // How many quantization levels the channel spans, (max - min) / scale + 1: few levels under a shared
  // (per-tensor) scale are what makes a channel lose precision.
  int64_t levels = 0;
  // Against the reference (float) weights; NaN when there is none.
  double reference_min, reference_max, max_abs_error, mean_squared_error, rmse_over_scale;
};

struct WeightChannels {
  // quantized_dimension; for a per-tensor scale the output channels: axis 0, or the last axis of a depthwise
  // filter [1, h, w, channels].
  int axis = 0;
  bool per_channel = false;     // the file stores one scale per channel
  bool has_reference = false;
  std::vector<WeightChannel> channels;
};

// `real` holds the tensor's dequantized values, `reference` the float weights it stands for (ignored unless it
// has as many elements). Empty channels when `t` has no scale or `real` does not fill its shape.
WeightChannels weightChannels(const Tensor& t, const std::vector<float>& real, const std::vector<float>& reference);

}  // namespace ql
