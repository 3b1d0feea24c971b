// Per-layer quantization error from two .tflite files (or one and its dequantized twin), like TFLite's
// QuantizationDebugger but without the converter, keeping every channel.
//  - per-layer: the float op runs on the dequantized inputs of the quantized op (fed through the float
//    interpreter), so a row is the error that op adds;
//  - whole-model: both models run on their own, so a row is the error accumulated up to that op.
#pragma once

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

struct LayerRow {
  int op_index = 0;
  std::string op_name;  // BuiltinOperator name or custom code of the quantized op
  int tensor_idx = 0;   // the quantized model's output tensor
  std::string tensor_name;
  ErrorStats stats;
  double scale = 0;
  int64_t zero_point = 0;
  double range = 0;            // 255 * scale
  double rmse_over_scale = 0;  // sqrt(mean_squared_error) / scale
  nlohmann::json per_channel;  // weight quantization error per channel, where the op has quantized weights
};

struct OutputComparison {
  int tensor_idx = 0;
  std::string name;
  double mean_squared_error = 0, max_abs_error = 0;
  double top1_agreement = -1;  // classifiers: the fraction of samples whose top-1 class agrees; -1 otherwise
};

struct DebugReport {
  DebugMode mode = DebugMode::PerLayer;
  bool dequantized_twin = false;
  std::vector<std::string> inputs;
  std::vector<LayerRow> layers;
  std::vector<OutputComparison> outputs;
  std::vector<int> unmatched;
  std::vector<std::string> unmatched_names;
  std::vector<AnalysisWarning> warnings;
};

DebugReport runQuantDebugger(const Model& float_model, const Model& quant_model, const OpMatching& matching,
                             DebugMode mode, const std::vector<DebugSample>& samples, Progress& progress);

// Weight quantization error per output channel of an op's quantized constant weights (input 1 of CONV_2D,
// DEPTHWISE_CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV...) against the float model's; null when there are none.
nlohmann::json weightErrorPerChannel(const Model& float_model, const Model& quant_model, const OpMatching& matching,
                                     int quant_op);

}  // namespace ql
