// One tensor of the quantized model on one image, next to the float values it stands for: what the app's tensor
// view draws when an op is selected after a run. Both models run once per image: the quantized one keeping every
// intermediate tensor (the interpreter's keep_tensors), the float one per layer as the debugger's per-layer mode
// runs it (each float op on the dequantized inputs of its quantized op), so the pairing shows the error that op
// adds. Any op of that image is then summarized from memory without running again. No Qt.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "analysis/error_metrics.h"
#include "analysis/op_matching.h"
#include "analysis/value_histogram.h"
#include "model/graph.h"
#include "runtime/tensor_dump.h"
#include "util/progress.h"

namespace ql {

class Interpreter;

// Both models' runs on one input, kept for reading any tensor afterwards.
class ImageTensors {
 public:
  // `float_inputs` / `quant_inputs`: each model input's raw bytes. `cancel` is checked between ops (Cancelled
  // thrown); `max_memory` bounds both runs together (0: half of physical memory). Throws ql::Error from the
  // interpreter. The models are shared, so the runs stay valid when the caller closes them.
  ImageTensors(std::shared_ptr<const Model> float_model, std::shared_ptr<const Model> quant_model,
               std::shared_ptr<const OpMatching> matching, const std::vector<std::vector<uint8_t>>& float_inputs,
               const std::vector<std::vector<uint8_t>>& quant_inputs, const Progress* cancel = nullptr,
               size_t max_memory = 0);
  ~ImageTensors();
  ImageTensors(const ImageTensors&) = delete;
  ImageTensors& operator=(const ImageTensors&) = delete;

  const Model& quantModel() const { return *quant_model_; }
  const OpMatching& matching() const { return *matching_; }
  // The real (dequantized) values of quantized-model tensor `t` in this run; empty when it has none.
  std::vector<float> quantValues(int t) const;
  std::vector<int32_t> shapeOf(int t) const;  // its shape in this run
  // The float values paired with quantized tensor `t` per layer; empty when the float model has no counterpart.
  // For a QUANTIZE the float model does not have (an identity match), the real values of its own input.
  std::vector<float> floatValues(int t) const;

 private:
  std::shared_ptr<const Model> float_model_, quant_model_;
  std::shared_ptr<const OpMatching> matching_;
  std::unique_ptr<Interpreter> quant_run_;
  TensorRecorder float_outputs_;  // what each float op computed, before the feeder replaced it
};

// One channel of a 4-D NHWC activation as small planes (box-averaged down to a size a grid can show).
struct ChannelMap {
  int channel = 0;
  double rmse = 0;                   // of quantized - float over the channel's full-size plane
  int width = 0, height = 0;         // of the planes below
  std::vector<float> float_plane, quant_plane, error_plane;  // rows of `width`; error = quantized - float
  float value_lo = 0, value_hi = 0;  // one range for the float and quantized planes
  float error_abs_max = 0;           // the error plane's largest |value|
};

struct TensorOnImageOptions {
  size_t bins = 64;
  int max_channels = 16;  // channel maps kept: the channels with the largest rmse
  int max_plane = 48;     // largest side of a channel map
};

struct TensorOnImage {
  int op = -1, tensor = -1;
  std::string op_name, tensor_name;
  std::vector<int32_t> shape;
  DType type = DType::Float32;
  int64_t elements = 0;
  bool has_float = false;  // false: no float counterpart (note says why); only the quantized values are shown
  std::string note;
  // Integer outputs: the real values the type can hold, [scale x (qmin - zp), scale x (qmax - zp)].
  bool quantized = false;
  double scale = 0;
  int64_t zero_point = 0;
  double range_lo = 0, range_hi = 0;
  // Float values outside that range, and their share of all values (-1 when not quantized or no float values).
  int64_t clipped = 0;
  double clipped_share = -1;
  Histogram float_histogram, quant_histogram;  // on common bins
  Histogram error_histogram;                   // quantized - float
  ErrorStats error;
  double rmse_over_scale = 0;
  // 4-D activations: every channel's rmse, and the maps of the worst channels, worst first.
  std::vector<double> channel_rmse;
  std::vector<ChannelMap> channel_maps;
};

// The summary of output `output` of quantized op `quant_op` in `run`. Throws BadInput for an op or output index
// out of range.
TensorOnImage tensorOnImage(const ImageTensors& run, int quant_op, const TensorOnImageOptions& options = {},
                            size_t output = 0);

// The share of `float_values` outside [lo, hi] (what a quantized tensor with that range clips); counts into
// `clipped` when given. 0 for no values.
double clippedShare(const std::vector<float>& float_values, double lo, double hi, int64_t* clipped = nullptr);

}  // namespace ql
