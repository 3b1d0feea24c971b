// Per-layer quantization error from two .tflite files (or one and its dequantized twin), like TFLite's
// QuantizationDebugger but without the converter, keeping every channel.
//  - per-layer: the float op runs on the dequantized inputs of the quantized op (fed through the float
//    interpreter), so a row is the error that op adds;
//  - whole-model: both models run on their own, so a row is the error accumulated up to that op.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/error_metrics.h"
#include "analysis/op_matching.h"
#include "model/graph.h"
#include "util/progress.h"

namespace ql {

enum class DebugMode { PerLayer, WholeModel };
const char* debugModeName(DebugMode m);  // "per-layer", "whole-model"

// One sample: the raw bytes of each model input, for the float model and for the quantized one.
struct DebugSample {
  std::string description;
  std::vector<std::vector<uint8_t>> float_inputs, quant_inputs;
};

// Samples pulled one at a time: the debugger calls sample(i) for i = 0 .. count-1, in order, once each, and
// drops each before asking for the next, so a thousand images are never all decoded at once.
struct SampleSource {
  size_t count = 0;
  std::function<DebugSample(size_t)> sample;
};
// A source over samples already in memory (tests, a few raw tensors).
SampleSource samplesOf(std::vector<DebugSample> samples);

// Weight quantization error of one output channel.
struct ChannelError {
  int channel = 0;
  double scale = 0;
  int64_t zero_point = 0;
  double max_abs_error = 0, mean_squared_error = 0, rmse_over_scale = 0;
};

// Weight quantization error per output channel of an op's quantized constant weights; empty `channels` when
// the op has none.
struct WeightChannelErrors {
  int axis = 0;
  bool per_channel_quantization = false;  // the weights have a scale per channel (else one for all)
  std::vector<ChannelError> channels;
  bool present() const { return !channels.empty(); }
};

struct LayerRow {
  int op_index = 0;
  std::string op_name;  // BuiltinOperator name or custom code of the quantized op
  int tensor_idx = 0;   // the quantized model's output tensor
  std::string tensor_name;
  ErrorStats stats;
  double scale = 0;
  int64_t zero_point = 0;
  double range = 0;            // 255 * scale (8-bit), 65535 * scale (int16)
  double rmse_over_scale = 0;  // sqrt(mean_squared_error) / scale
  WeightChannelErrors per_channel;  // weight quantization error per channel, where the op has quantized weights
};

struct OutputComparison {
  int tensor_idx = 0;
  std::string name;
  double mean_squared_error = 0, max_abs_error = 0;
  double top1_agreement = -1;  // classifiers: the fraction of samples whose top-1 class agrees; -1 otherwise
};

// The report; also what Progress::partial() receives after each sample (the rows averaged over the samples
// done so far).
struct DebugReport : PartialResult {
  DebugMode mode = DebugMode::PerLayer;
  bool dequantized_twin = false;
  std::vector<std::string> inputs;
  std::vector<LayerRow> layers;
  std::vector<OutputComparison> outputs;
  std::vector<int> unmatched;
  std::vector<std::string> unmatched_names;
  std::vector<AnalysisWarning> warnings;
};

// `progress` gets a step per sample, the report so far after each (partial()), and may cancel between samples
// and between ops (Cancelled is thrown; nothing is kept). `max_memory`: bytes both interpreters may allocate
// together (0 = half of physical memory). The interpreters share ownership of the models.
DebugReport runQuantDebugger(std::shared_ptr<const Model> float_model, std::shared_ptr<const Model> quant_model,
                             const OpMatching& matching, DebugMode mode, const SampleSource& samples,
                             Progress& progress, size_t max_memory = 0);

// Weight quantization error per output channel of an op's quantized constant weights (input 1 of CONV_2D,
// DEPTHWISE_CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV...) against the float model's; empty when there are none.
WeightChannelErrors weightErrorPerChannel(const Model& float_model, const Model& quant_model, const OpMatching& matching,
                                     int quant_op);

}  // namespace ql
