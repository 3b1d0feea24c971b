// The pair of models the window shows, and how one or two files become that pair: a float model on the left, a
// quantized one on the right, linked by the engine's op matching; a quantized model alone gets its dequantized
// twin on the left; a float model alone opens alone. No Qt: it runs on a worker thread and in tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analysis/op_matching.h"
#include "model/graph.h"

namespace ql::gui {

struct ModelPair {
  std::shared_ptr<const Model> float_model;  // the float model, or the quantized model's dequantized twin
  std::shared_ptr<const Model> quant_model;  // null when a float model opened alone
  std::shared_ptr<const OpMatching> matching;  // null unless both are present and could be matched
  bool float_is_twin = false;
  std::string float_path, quant_path;         // the files (the quantized file's path for a twin)
  std::vector<std::string> notices;           // what the user should know about how the pair was formed

  // The twin of an op on the other side, or -1.
  int floatOpOf(int quant_op) const;
  int quantOpOf(int float_op) const;
  // Per op: no twin on the other side (only meaningful when both sides are present).
  std::vector<bool> unmatchedQuantOps() const;
  std::vector<bool> unmatchedFloatOps() const;
  // Per op: what quantization changed: ops without a twin, QUANTIZE/DEQUANTIZE, a fused activation that differs
  // from the twin's.
  std::vector<bool> quantDifferences() const { return differences(true); }
  std::vector<bool> floatDifferences() const { return differences(false); }
  std::vector<bool> differences(bool quant_side) const;

  std::vector<int> quant_of_float;  // inverse of matching->float_op, filled by formPair
};

// Float-like for pairing: float, float16 weights and dynamic range compute in float; integer activations do not.
bool computesInFloat(const Model& model);

// Reads the files and forms the pair. `files` are given without roles (one or two); `float_path`/`quant_path`
// force a role. Throws ql::Error naming the file for anything unreadable or for more than two models.
ModelPair formPair(const std::vector<std::string>& files, const std::string& float_path,
                   const std::string& quant_path);

}  // namespace ql::gui
