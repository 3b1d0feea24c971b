#include "analysis/op_matching.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "model/graph_index.h"
#include "model/quantization_kind.h"
#include "model/tensor_values.h"

namespace ql {

const char* matchKindName(MatchKind k) {
  switch (k) {
    case MatchKind::Unmatched: return "unmatched";
    case MatchKind::ByName: return "name";
    case MatchKind::ByPosition: return "position";
    case MatchKind::Identity: return "identity";
    case MatchKind::Twin: return "twin";
  }
  return "?";
}

size_t OpMatching::matchedCount() const {
  size_t n = 0;
  for (MatchKind k : kind) n += k != MatchKind::Unmatched;
  return n;
}

namespace {

// Which tensors are constant or derived from constants only, and which op produced each tensor.
struct GraphFacts {
  std::vector<bool> constant;
  std::vector<int> producer;
  std::vector<bool> compute_op;  // an op with at least one non-constant input

  GraphFacts(const Model& m) {
    const Subgraph& sg = m.subgraphs[0];
    constant.assign(sg.tensors.size(), false);
    producer = buildGraphIndex(sg).producer;
    for (size_t t = 0; t < sg.tensors.size(); ++t) constant[t] = !m.dataOf(sg.tensors[t]).empty();
    compute_op.assign(sg.ops.size(), false);
    for (size_t i = 0; i < sg.ops.size(); ++i) {
      const Op& op = sg.ops[i];
      bool all_const = !op.inputs.empty();
      for (int32_t in : op.inputs)
        if (in >= 0 && !constant[static_cast<size_t>(in)]) all_const = false;
      compute_op[i] = !all_const;
      for (int32_t out : op.outputs)
        if (out >= 0 && all_const) constant[static_cast<size_t>(out)] = true;
    }
  }
};

bool isConversion(const std::string& name) { return name == "QUANTIZE" || name == "DEQUANTIZE"; }

bool commutative(const std::string& name) {
  return name == "ADD" || name == "MUL" || name == "MAXIMUM" || name == "MINIMUM" || name == "SQUARED_DIFFERENCE";
}

// Fraction of quantized weight elements whose real value lies more than half a step from the float value.
double disagreement(const Model& q, int qt, const Model& f, int ft) {
  const Tensor& qtensor = q.subgraphs[0].tensors[static_cast<size_t>(qt)];
  if (!qtensor.quant.hasScale()) return -1;
  std::vector<float> qv = constantRealValues(q, qtensor);
  std::vector<float> fv = effectiveConstantValues(f, ft);
  if (qv.empty() || qv.size() != fv.size()) return 1.0;
  ChannelIndexer ch(qtensor.shape, qtensor.quant.perChannel() ? qtensor.quant.quantized_dimension : -1);
  size_t bad = 0;
  for (size_t i = 0; i < qv.size(); ++i) {
    float step = qtensor.quant.scale[qtensor.quant.perChannel() ? static_cast<size_t>(ch.channel(static_cast<int64_t>(i))) : 0];
    // Half a step, plus slack for float16 float weights and for clamping at the int8 limits.
    float tol = 0.5f * step * 1.01f + 1e-3f * std::fabs(fv[i]) + 1e-7f;
    if (!(std::fabs(qv[i] - fv[i]) <= tol)) ++bad;
  }
  return static_cast<double>(bad) / static_cast<double>(qv.size());
}

class Matcher {
 public:
  Matcher(const Model& f, const Model& q) : f_(f), q_(q), ff_(f), qf_(q) {}

  OpMatching run() {
    const Subgraph& fs = f_.subgraphs[0];
    const Subgraph& qs = q_.subgraphs[0];
    m_.float_op.assign(qs.ops.size(), -1);
    m_.kind.assign(qs.ops.size(), MatchKind::Unmatched);
    m_.float_tensor.assign(qs.tensors.size(), -1);
    m_.weight_disagreement.assign(qs.ops.size(), -1);
    float_used_.assign(fs.ops.size(), false);
    for (size_t i = 0; i < std::min(fs.inputs.size(), qs.inputs.size()); ++i)
      m_.float_tensor[static_cast<size_t>(qs.inputs[i])] = fs.inputs[i];
    for (size_t t = 0; t < fs.tensors.size(); ++t) float_by_name_[fs.tensors[t].name].push_back(static_cast<int>(t));

    // Two passes: the second picks up ops whose inputs were mapped only after them (none in a DAG processed in
    // order, but name matches may precede position matches).
    for (int pass = 0; pass < 2; ++pass)
      for (size_t i = 0; i < qs.ops.size(); ++i)
        if (m_.kind[i] == MatchKind::Unmatched && qf_.compute_op[i]) matchOne(static_cast<int>(i));

    for (size_t i = 0; i < qs.ops.size(); ++i)
      if (m_.kind[i] == MatchKind::Unmatched && qf_.compute_op[i]) m_.unmatched.push_back(static_cast<int>(i));
    warnIfNotTwins();
    return m_;
  }

 private:
  std::string qname(int op) const { return q_.opName(q_.subgraphs[0].ops[static_cast<size_t>(op)]); }
  std::string fname(int op) const { return f_.opName(f_.subgraphs[0].ops[static_cast<size_t>(op)]); }

  std::vector<int> mappedDynamicInputs(const Op& op, bool* complete) const {
    std::vector<int> out;
    *complete = true;
    for (int32_t in : op.inputs) {
      if (in < 0 || qf_.constant[static_cast<size_t>(in)]) continue;
      int ft = m_.float_tensor[static_cast<size_t>(in)];
      if (ft < 0) *complete = false;
      out.push_back(ft);
    }
    return out;
  }

  std::vector<int> dynamicInputs(const Op& op) const {
    std::vector<int> out;
    for (int32_t in : op.inputs)
      if (in >= 0 && !ff_.constant[static_cast<size_t>(in)]) out.push_back(in);
    return out;
  }

  bool sameInputs(std::vector<int> a, std::vector<int> b, bool any_order) const {
    if (any_order) {
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
    }
    return a == b;
  }

  // Weights (constant inputs) disagreement of a candidate pairing; -1 when there is nothing to compare.
  double weightScore(int qop, int fop) const {
    const Op& qo = q_.subgraphs[0].ops[static_cast<size_t>(qop)];
    const Op& fo = f_.subgraphs[0].ops[static_cast<size_t>(fop)];
    double worst = -1;
    for (size_t k = 0; k < std::min(qo.inputs.size(), fo.inputs.size()); ++k) {
      int qt = qo.inputs[k], ft = fo.inputs[k];
      if (qt < 0 || ft < 0 || !qf_.constant[static_cast<size_t>(qt)] || !ff_.constant[static_cast<size_t>(ft)])
        continue;
      const Tensor& t = q_.subgraphs[0].tensors[static_cast<size_t>(qt)];
      if (!t.quant.hasScale() || elementCount(t.shape) < 2) continue;  // shapes, axes, scalars: not weights
      worst = std::max(worst, disagreement(q_, qt, f_, ft));
    }
    return worst;
  }

  void accept(int qop, int fop, MatchKind kind) {
    const Op& qo = q_.subgraphs[0].ops[static_cast<size_t>(qop)];
    const Op& fo = f_.subgraphs[0].ops[static_cast<size_t>(fop)];
    m_.float_op[static_cast<size_t>(qop)] = fop;
    m_.kind[static_cast<size_t>(qop)] = kind;
    float_used_[static_cast<size_t>(fop)] = true;
    for (size_t k = 0; k < std::min(qo.outputs.size(), fo.outputs.size()); ++k)
      if (qo.outputs[k] >= 0) m_.float_tensor[static_cast<size_t>(qo.outputs[k])] = fo.outputs[k];
    m_.weight_disagreement[static_cast<size_t>(qop)] = weightScore(qop, fop);
  }

  void matchOne(int qop) {
    const Op& qo = q_.subgraphs[0].ops[static_cast<size_t>(qop)];
    std::string type = qname(qop);
    bool complete = false;
    std::vector<int> inputs = mappedDynamicInputs(qo, &complete);

    // A conversion the float model has no counterpart for passes its input's float tensor through.
    if (isConversion(type) && inputs.size() == 1 && complete && qo.outputs.size() == 1) {
      int fop = ff_.producer[static_cast<size_t>(inputs[0])];
      bool float_has_same = fop >= 0 && fname(fop) == type;
      if (!float_has_same) {
        m_.float_tensor[static_cast<size_t>(qo.outputs[0])] = inputs[0];
        m_.kind[static_cast<size_t>(qop)] = MatchKind::Identity;
        return;
      }
    }

    std::vector<int> candidates;
    const Subgraph& fs = f_.subgraphs[0];
    // 1. By output tensor name.
    if (!qo.outputs.empty() && qo.outputs[0] >= 0) {
      auto it = float_by_name_.find(q_.subgraphs[0].tensors[static_cast<size_t>(qo.outputs[0])].name);
      if (it != float_by_name_.end())
        for (int ft : it->second) {
          int fop = ff_.producer[static_cast<size_t>(ft)];
          if (fop >= 0 && !float_used_[static_cast<size_t>(fop)] && fname(fop) == type && ff_.compute_op[static_cast<size_t>(fop)] &&
              (!complete || sameInputs(dynamicInputs(fs.ops[static_cast<size_t>(fop)]), inputs, commutative(type))))
            candidates.push_back(fop);
        }
      if (candidates.size() == 1) return accept(qop, candidates[0], MatchKind::ByName);
    }
    // 2. By position: an unused float op of the same type reading the float tensors of this op's inputs.
    if (!complete || inputs.empty()) return;
    candidates.clear();
    std::set<int> readers;
    for (int ft : inputs)
      for (size_t i = 0; i < fs.ops.size(); ++i)
        for (int32_t in : fs.ops[i].inputs)
          if (in == ft) readers.insert(static_cast<int>(i));
    for (int fop : readers)
      if (!float_used_[static_cast<size_t>(fop)] && fname(fop) == type &&
          sameInputs(dynamicInputs(fs.ops[static_cast<size_t>(fop)]), inputs, commutative(type)))
        candidates.push_back(fop);
    if (candidates.empty()) return;
    // Several float ops read the same tensors with the same type (parallel branches): the one whose weights
    // agree wins.
    int best = candidates[0];
    double best_score = 2;
    for (int fop : candidates) {
      double s = weightScore(qop, fop);
      double key = s < 0 ? 1.5 : s;
      if (key < best_score) best_score = key, best = fop;
    }
    accept(qop, best, MatchKind::ByPosition);
  }

  void warnIfNotTwins() {
    size_t compared = 0, disagreeing = 0;
    for (double d : m_.weight_disagreement) {
      if (d < 0) continue;
      ++compared;
      if (d > 0.01) ++disagreeing;
    }
    if (compared > 0 && disagreeing * 10 > compared) {
      m_.warnings.push_back(
          {"not_twins", std::to_string(disagreeing) + " of " + std::to_string(compared) +
                            " matched ops with weights have weights further than half a quantization step from the "
                            "float model's: these files look alike but hold different weights, so the errors below "
                            "are not quantization error"});
    }
  }

  const Model& f_;
  const Model& q_;
  GraphFacts ff_, qf_;
  OpMatching m_;
  std::vector<bool> float_used_;
  std::map<std::string, std::vector<int>> float_by_name_;
};

}  // namespace

std::vector<float> effectiveConstantValues(const Model& model, int tensor) {
  const Subgraph& sg = model.subgraphs[0];
  const Tensor& t = sg.tensors[static_cast<size_t>(tensor)];
  if (!model.dataOf(t).empty()) return constantRealValues(model, t);
  // The output of a DEQUANTIZE of a constant (float16 or int8 weights) has that constant's real values.
  for (const Op& op : sg.ops)
    if (op.outputs.size() == 1 && op.outputs[0] == tensor && model.opName(op) == "DEQUANTIZE" && op.inputs.size() == 1 &&
        op.inputs[0] >= 0 && !model.dataOf(sg.tensors[static_cast<size_t>(op.inputs[0])]).empty())
      return constantRealValues(model, sg.tensors[static_cast<size_t>(op.inputs[0])]);
  return {};
}

OpMatching matchOps(const Model& float_model, const Model& quant_model) {
  return Matcher(float_model, quant_model).run();
}

OpMatching twinMatching(const DequantizedTwin& twin, const Model& quant_model) {
  OpMatching m;
  m.float_is_dequantized_twin = true;
  const Subgraph& qs = quant_model.subgraphs[0];
  m.float_op = twin.op_of_quant;
  m.kind.assign(qs.ops.size(), MatchKind::Twin);
  for (size_t i = 0; i < qs.ops.size(); ++i)
    if (twin.op_of_quant[i] < 0) m.kind[i] = MatchKind::Identity;
  m.float_tensor = twin.tensor_of_quant;
  m.weight_disagreement.assign(qs.ops.size(), 0.0);
  return m;
}

}  // namespace ql
