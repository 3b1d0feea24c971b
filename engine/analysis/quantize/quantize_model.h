// Full-integer post-training quantization of a float model, following TFLite's int8 quantization specification:
// weights int8 symmetric (per channel on the axis the specification sets, or per tensor), biases int32 at
// input scale x weight scale, activations int8 asymmetric from calibrated ranges, fixed outputs and shared scales
// where the specification requires them, float16 weights behind DEQUANTIZE folded, QUANTIZE / DEQUANTIZE at the
// edges for float I/O, chosen ops left in float by the selective exporter. Metadata, signatures and trailing
// bytes of the float model are carried over.
#pragma once

#include <string>
#include <vector>

#include "analysis/quantize/calibration.h"
#include "analysis/quantize/range_estimator.h"
#include "model/graph.h"
#include "util/progress.h"

namespace ql {

enum class IoType { Float, Int8, UInt8 };
IoType ioTypeFromName(const std::string& name);  // "float", "int8", "uint8"; BadInput otherwise

struct QuantizeOptions {
  RangeEstimator estimator = RangeEstimator::MinMax;
  double percentile = 99.99;
  bool per_tensor = false;
  IoType io = IoType::Float;
  std::vector<std::string> keep_float;  // op indices or output tensor names of the float model
};

struct QuantizeResult {
  Model model;
  std::vector<std::string> notes;  // what was done, one line each, for the user
  std::vector<int> op_of_float;    // per op of the float model: its op in the new model (-1: folded away)
};

// Refuses (Unsupported) a model that is not float, has several subgraphs, or has ops quantlens cannot quantize
// (naming each) that are not kept in float.
void checkQuantizable(const Model& float_model, const QuantizeOptions& options);

// Per tensor of subgraph 0: whether its calibrated range is used (model inputs and outputs of ops whose output
// parameters are neither fixed nor copied from their input), for calibrate()'s `wanted`.
std::vector<bool> tensorsToCalibrate(const Model& float_model);

// The rewrite from calibration statistics (calibrate() on the same model).
QuantizeResult quantizeModel(const Model& float_model, const CalibrationStats& stats, const QuantizeOptions& options);

// Checks, calibrates (with progress and cancel), rewrites.
QuantizeResult quantizeModel(const Model& float_model, const CalibrationSet& set, const QuantizeOptions& options,
                             Progress& progress);

}  // namespace ql
