#include "app/gui/model_pair.h"

#include "analysis/dequantized_twin.h"
#include "model/quantization_kind.h"
#include "model/reader.h"
#include "util/error.h"

namespace ql::gui {

bool computesInFloat(const Model& model) {
  QuantizationKind k = quantizationKind(model);
  return k == QuantizationKind::Float || k == QuantizationKind::Float16 || k == QuantizationKind::DynamicRange;
}

namespace {

std::string fileName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void addMatching(ModelPair& pair) {
  const Model& q = *pair.quant_model;
  try {
    auto m = std::make_shared<OpMatching>(matchOps(*pair.float_model, q));
    for (const auto& w : m->warnings) pair.notices.push_back(w.message);
    pair.matching = std::move(m);
  } catch (const std::exception& e) {
    pair.notices.push_back(std::string("the two models could not be matched op to op: ") + e.what());
  }
}

void fillInverse(ModelPair& pair) {
  if (!pair.matching || !pair.float_model) return;
  pair.quant_of_float.assign(pair.float_model->subgraphs.empty() ? 0 : pair.float_model->subgraphs[0].ops.size(),
                             -1);
  const auto& m = *pair.matching;
  // Prefer the op that computes the float op over an identity QUANTIZE/DEQUANTIZE standing for the same tensor.
  for (int pass = 0; pass < 2; ++pass)
    for (size_t q = 0; q < m.float_op.size(); ++q) {
      int f = m.float_op[q];
      if (f < 0 || static_cast<size_t>(f) >= pair.quant_of_float.size()) continue;
      bool identity = m.kind[q] == MatchKind::Identity;
      if ((pass == 0) == identity) continue;
      if (pair.quant_of_float[static_cast<size_t>(f)] < 0) pair.quant_of_float[static_cast<size_t>(f)] = static_cast<int>(q);
    }
}

}  // namespace

ModelPair formPair(const std::vector<std::string>& files, const std::string& float_path,
                   const std::string& quant_path) {
  std::vector<std::string> all = files;
  if (!float_path.empty()) all.push_back(float_path);
  if (!quant_path.empty()) all.push_back(quant_path);
  if (all.empty()) badInput("", "no model given");
  if (all.size() > 2) badInput(all[2], "at most two models can be opened, a float one and a quantized one");

  std::vector<std::shared_ptr<Model>> models;
  for (const auto& path : all) models.push_back(std::make_shared<Model>(readModel(path)));

  ModelPair pair;
  int fi = -1, qi = -1;  // indices into `all`
  if (!float_path.empty()) fi = static_cast<int>(files.size());
  if (!quant_path.empty()) qi = static_cast<int>(all.size()) - 1;
  if (all.size() == 1) {
    if (fi < 0 && qi < 0) (computesInFloat(*models[0]) ? fi : qi) = 0;
  } else if (fi < 0 || qi < 0) {
    int known = fi >= 0 ? fi : qi;
    if (known >= 0) {
      (fi < 0 ? fi : qi) = 1 - known;
    } else {
      bool f0 = computesInFloat(*models[0]), f1 = computesInFloat(*models[1]);
      if (f0 != f1) {
        fi = f0 ? 0 : 1;
        qi = 1 - fi;
      } else {
        fi = 0;
        qi = 1;
        pair.notices.push_back("both models are " +
                               std::string(quantizationKindName(quantizationKind(*models[0]))) + " and " +
                               quantizationKindName(quantizationKind(*models[1])) +
                               ": opened in the order given, " + fileName(all[0]) + " as the float model");
      }
    }
  }

  if (qi >= 0) {
    pair.quant_model = models[static_cast<size_t>(qi)];
    pair.quant_path = all[static_cast<size_t>(qi)];
  }
  if (fi >= 0) {
    pair.float_model = models[static_cast<size_t>(fi)];
    pair.float_path = all[static_cast<size_t>(fi)];
    if (pair.quant_model) addMatching(pair);
  } else {
    // A quantized model alone: its dequantized twin stands in for the float model.
    try {
      DequantizedTwin twin = makeDequantizedTwin(*pair.quant_model);
      auto m = std::make_shared<OpMatching>(twinMatching(twin, *pair.quant_model));
      twin.model.path = pair.quant_path;
      pair.float_model = std::make_shared<Model>(std::move(twin.model));
      pair.matching = std::move(m);
      pair.float_is_twin = true;
      pair.float_path = pair.quant_path;
      pair.notices.push_back("only a quantized model was given: the float side is its dequantized twin (same "
                             "graph, weights dequantized, activations in float)");
    } catch (const std::exception& e) {
      pair.notices.push_back(std::string("no dequantized twin could be made: ") + e.what());
    }
  }
  fillInverse(pair);
  return pair;
}

int ModelPair::floatOpOf(int quant_op) const {
  if (!matching || quant_op < 0 || static_cast<size_t>(quant_op) >= matching->float_op.size()) return -1;
  return matching->float_op[static_cast<size_t>(quant_op)];
}

int ModelPair::quantOpOf(int float_op) const {
  if (float_op < 0 || static_cast<size_t>(float_op) >= quant_of_float.size()) return -1;
  return quant_of_float[static_cast<size_t>(float_op)];
}

std::vector<bool> ModelPair::unmatchedQuantOps() const {
  std::vector<bool> out;
  if (!matching) return out;
  for (size_t q = 0; q < matching->float_op.size(); ++q) out.push_back(matching->float_op[q] < 0);
  return out;
}

std::vector<bool> ModelPair::unmatchedFloatOps() const {
  std::vector<bool> out;
  if (!matching) return out;
  for (int q : quant_of_float) out.push_back(q < 0);
  return out;
}

namespace {
std::string fusedOf(const Op& op) {
  auto it = op.options.find("fused_activation_function");
  return it != op.options.end() && it->is_string() ? it->get<std::string>() : "NONE";
}
}  // namespace

// Ops of one side that quantization changed: no twin, a QUANTIZE/DEQUANTIZE, or a fused activation other than
// its twin's.
std::vector<bool> ModelPair::differences(bool quant_side) const {
  std::vector<bool> out = quant_side ? unmatchedQuantOps() : unmatchedFloatOps();
  if (out.empty()) return out;
  const Model& mine = quant_side ? *quant_model : *float_model;
  const Model& other = quant_side ? *float_model : *quant_model;
  const Subgraph& sg = mine.subgraphs[0];
  for (size_t i = 0; i < sg.ops.size() && i < out.size(); ++i) {
    std::string name = mine.opName(sg.ops[i]);
    if (name == "QUANTIZE" || name == "DEQUANTIZE") out[i] = true;
    int twin = quant_side ? floatOpOf(static_cast<int>(i)) : quantOpOf(static_cast<int>(i));
    if (twin >= 0 && fusedOf(sg.ops[i]) != fusedOf(other.subgraphs[0].ops[static_cast<size_t>(twin)])) out[i] = true;
  }
  return out;
}

}  // namespace ql::gui
