#include "analysis/quantize/quantize_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "analysis/op_matching.h"
#include "analysis/quantize/op_quant_spec.h"
#include "analysis/quantize/quantization_params.h"
#include "analysis/selection.h"
#include "analysis/selective_export.h"
#include "kernels/quant_math.h"
#include "model/model_builder.h"
#include "model/op_names.h"
#include "model/quantization_kind.h"
#include "model/tensor_values.h"
#include "model/unused_tensors.h"
#include "model/writer.h"
#include "util/error.h"

namespace ql {

IoType ioTypeFromName(const std::string& name) {
  if (name == "float") return IoType::Float;
  if (name == "int8") return IoType::Int8;
  if (name == "uint8") return IoType::UInt8;
  badInput("", "unknown --io '" + name + "': choose float, int8 or uint8");
}

namespace {

// A DEQUANTIZE of a float16 constant: float16 weights, which the int8 model holds as int8 directly.
bool isFloat16Weight(const Model& m, const Op& op) {
  if (m.opName(op) != "DEQUANTIZE" || op.inputs.size() != 1 || op.inputs[0] < 0 || op.outputs.size() != 1) return false;
  const Tensor& in = m.subgraphs[0].tensors[static_cast<size_t>(op.inputs[0])];
  return in.type == DType::Float16 && !m.dataOf(in).empty();
}

std::set<int> keptOps(const Model& f, const QuantizeOptions& o) {
  if (o.keep_float.empty()) return {};
  return selectOps(f, o.keep_float).ops;
}

class Quantizer {
 public:
  Quantizer(const Model& f, const CalibrationStats& stats, const QuantizeOptions& o)
      : f_(f), stats_(stats), o_(o), m_(f) {}

  QuantizeResult run() {
    m_.path.clear();
    const Subgraph& fs = f_.subgraphs[0];
    std::set<int> kept = keptOps(f_, o_);
    // Float16 weights: the DEQUANTIZE goes, its output stands for the constant's real values.
    std::vector<bool> folded(fs.ops.size(), false);
    size_t folded_count = 0;
    for (size_t i = 0; i < fs.ops.size(); ++i)
      if (isFloat16Weight(f_, fs.ops[i])) {
        folded[i] = true;
        ++folded_count;
        const Op& op = fs.ops[i];
        constant_values_[op.outputs[0]] =
            constantRealValues(f_, fs.tensors[static_cast<size_t>(op.inputs[0])]);
      }
    for (int32_t t : fs.inputs) assignFromStats(t, nullptr);

    std::vector<Op> ops;
    std::vector<int> op_of_float(fs.ops.size(), -1);
    for (size_t i = 0; i < fs.ops.size(); ++i) {
      if (folded[i]) continue;
      Op op = fs.ops[i];
      std::vector<Op> before;
      quantizeOp(static_cast<int>(i), op, before);
      for (Op& b : before) ops.push_back(std::move(b));
      op_of_float[i] = static_cast<int>(ops.size());
      ops.push_back(std::move(op));
    }
    applyParams();
    std::vector<Op> edges_in, edges_out;
    rewriteEdges(ops, edges_in, edges_out);
    std::vector<Op> all = std::move(edges_in);
    const int shift = static_cast<int>(all.size());
    for (Op& op : ops) all.push_back(std::move(op));
    for (Op& op : edges_out) all.push_back(std::move(op));
    for (int& o : op_of_float)
      if (o >= 0) o += shift;
    m_.subgraphs[0].ops = std::move(all);
    dropUnusedTensors(m_);
    dropUnusedOpcodes(m_);
    dropUnusedBuffers(m_);

    QuantizeResult r;
    r.notes.push_back(std::to_string(quantized_ops_) + " ops quantized to int8 (" +
                      rangeEstimatorName(o_.estimator) + " ranges from " + std::to_string(stats_.samples) +
                      " calibration input(s))");
    if (weights_) r.notes.push_back(std::to_string(weights_) + " weight tensors int8 " +
                                    (o_.per_tensor ? "per tensor" : "per channel") + ", " + std::to_string(biases_) +
                                    " biases int32");
    if (folded_count) r.notes.push_back(std::to_string(folded_count) + " float16 weights (DEQUANTIZE) folded into int8");
    if (requantized_) r.notes.push_back(std::to_string(requantized_) + " QUANTIZE op(s) requantize inputs of ops whose inputs and output share one scale");
    for (const std::string& n : missing_) r.notes.push_back(n);
    for (int k : kept)
      if (folded[static_cast<size_t>(k)])
        r.notes.push_back("op " + std::to_string(k) + " (DEQUANTIZE of float16 weights) is folded into its reader's "
                          "weights: nothing to keep in float");
    if (!kept.empty()) {
      OpMatching matching;
      matching.float_op.assign(m_.subgraphs[0].ops.size(), -1);
      Selection sel;
      for (size_t i = 0; i < op_of_float.size(); ++i)
        if (op_of_float[i] >= 0) {
          matching.float_op[static_cast<size_t>(op_of_float[i])] = static_cast<int>(i);
          if (kept.count(static_cast<int>(i))) sel.ops.insert(op_of_float[i]);
        }
      SelectiveExport ex = exportSelective(m_, &f_, &matching, sel);
      for (int& o : op_of_float)
        if (o >= 0) o = ex.op_of_original[static_cast<size_t>(o)];
      m_ = std::move(ex.model);
      r.notes.push_back(std::to_string(sel.ops.size()) + " op(s) kept in float (--keep-float)");
    }
    r.model = std::move(m_);
    r.op_of_float = std::move(op_of_float);
    return r;
  }

 private:
  Subgraph& sg() { return m_.subgraphs[0]; }
  const Tensor& floatTensor(int t) const { return f_.subgraphs[0].tensors[static_cast<size_t>(t)]; }

  // Real values of a float constant (float32, float16, or a folded float16 DEQUANTIZE); empty when `t` is not one.
  std::vector<float> constantValues(int t) const {
    auto it = constant_values_.find(t);
    if (it != constant_values_.end()) return it->second;
    const Tensor& ft = floatTensor(t);
    if ((ft.type == DType::Float32 || ft.type == DType::Float16) && !f_.dataOf(ft).empty())
      return constantRealValues(f_, ft);
    return {};
  }
  bool isConstant(int t) const { return constant_values_.count(t) || !f_.dataOf(floatTensor(t)).empty(); }
  bool isFloatActivation(int t) const {
    return static_cast<size_t>(t) < f_.subgraphs[0].tensors.size() && floatTensor(t).type == DType::Float32 &&
           !isConstant(t);
  }

  void assignFromStats(int t, const Op* producer) {
    if (!isFloatActivation(t)) return;
    const TensorHistogram* h = stats_.of(t);
    if (!h || h->empty()) {
      missing_.push_back("tensor '" + floatTensor(t).name + "' was never computed during calibration: range [0, 0]");
      params_[t] = asymmetricParams(0, 0);
      return;
    }
    ValueRange r = estimateRange(*h, o_.estimator, o_.percentile);
    if (producer) {
      // A fused activation bounds what the op can output, whatever the estimator said.
      auto act = producer->options.find("fused_activation_function");
      float lo, hi;
      activationRangeFloat(activationFromName(act != producer->options.end() && act->is_string() ? act->get<std::string>()
                                                                                                 : "NONE"),
                           &lo, &hi);
      r.min = std::max(r.min, lo);
      r.max = std::min(r.max, hi);
    }
    params_[t] = asymmetricParams(r.min, r.max);
  }

  // A new int8 (or int32) constant tensor like `like`, holding `bytes`.
  int32_t newConstant(int like, const std::string& suffix, DType type, const void* bytes, size_t size, QuantParams q) {
    Tensor t = floatTensor(like);
    t.name += suffix;
    t.type = type;
    t.quant = std::move(q);
    t.buffer = addBuffer(m_, Bytes::copyOf(bytes, size));
    return addTensor(sg(), std::move(t));
  }

  static QuantParams perTensor(const AffineParams& p) {
    QuantParams q;
    q.scale = {p.scale};
    q.zero_point = {p.zero_point};
    return q;
  }

  // A float constant read as an activation (ADD's constant operand, say): int8 asymmetric with `p`.
  int32_t quantizeConstantAsActivation(int t, const AffineParams& p) {
    std::vector<float> v = constantValues(t);
    std::vector<int8_t> q(v.size());
    for (size_t i = 0; i < v.size(); ++i) q[i] = quantizeValue<int8_t>(v[i], p.scale, p.zero_point);
    int32_t nt = newConstant(t, "", DType::Int8, q.data(), q.size(), perTensor(p));
    params_[nt] = p;
    return nt;
  }

  AffineParams ownRange(int t) const {
    std::vector<float> v = constantValues(t);
    float lo = 0, hi = 0;
    for (float x : v) lo = std::min(lo, x), hi = std::max(hi, x);
    return asymmetricParams(lo, hi);
  }

  void quantizeOp(int index, Op& op, std::vector<Op>& before) {
    const std::string name = f_.opName(op);
    OpQuantSpec spec = f_.isCustom(op) ? OpQuantSpec{} : opQuantSpec(name);
    if (spec.quantizable) ++quantized_ops_;
    // Constant real-valued inputs other than weights and biases.
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      int32_t t = op.inputs[k];
      if (t < 0 || static_cast<int>(k) == spec.weight_input || static_cast<int>(k) == spec.bias_input) continue;
      if (constantValues(t).empty()) continue;
      if (spec.same_scale == SameScale::InputsFollowOutput) continue;  // after the output
      op.inputs[k] = quantizeConstantAsActivation(t, ownRange(t));
    }
    // Outputs.
    for (int32_t t : op.outputs) {
      if (t < 0 || !isFloatActivation(t)) continue;
      if (spec.fixed_output) {
        params_[t] = AffineParams{spec.fixed_scale, spec.fixed_zero_point};
      } else if (spec.same_scale == SameScale::OutputsFollowInput &&
                 static_cast<size_t>(spec.real_input) < op.inputs.size() && params_.count(op.inputs[spec.real_input])) {
        params_[t] = params_.at(op.inputs[static_cast<size_t>(spec.real_input)]);
      } else {
        assignFromStats(t, &op);
      }
    }
    if (spec.same_scale == SameScale::InputsFollowOutput && !op.outputs.empty() && params_.count(op.outputs[0]))
      requantizeInputs(op, params_.at(op.outputs[0]), before);
    if (spec.weight_input >= 0) quantizeWeightsAndBias(index, op, spec);
    if (spec.quantizable && !f_.isCustom(op)) {
      const OperatorCode& code = f_.opcodeOf(op);
      op.opcode_index = m_.internOpcode(code.builtin, std::max(code.version, spec.int8_version));
    }
  }

  void requantizeInputs(Op& op, const AffineParams& out, std::vector<Op>& before) {
    for (int32_t& t : op.inputs) {
      if (t < 0) continue;
      if (!constantValues(t).empty()) {
        t = quantizeConstantAsActivation(t, out);
        continue;
      }
      auto it = params_.find(t);
      if (it == params_.end()) continue;
      if (it->second.scale == out.scale && it->second.zero_point == out.zero_point) continue;
      Tensor rq = floatTensor(t);
      rq.name += "/requantized";
      rq.buffer = 0;
      int32_t nt = addTensor(sg(), std::move(rq));
      params_[nt] = out;
      before.push_back(makeOp(m_, "QUANTIZE", {t}, {nt}, "", nlohmann::json::object(), 2));
      ++requantized_;
      t = nt;
    }
  }

  void quantizeWeightsAndBias(int index, Op& op, const OpQuantSpec& spec) {
    const size_t wi = static_cast<size_t>(spec.weight_input);
    if (wi >= op.inputs.size() || op.inputs[wi] < 0) return;
    const int32_t w = op.inputs[wi];
    std::vector<float> wv = constantValues(w);
    if (wv.empty())
      unsupported(f_.path, "op " + std::to_string(index) + " (" + f_.opName(op) + "): weights that are not constant");
    const Tensor& wt = floatTensor(w);
    int axis = o_.per_tensor || spec.weight_axis >= static_cast<int>(wt.shape.size()) ? -1 : spec.weight_axis;
    const int32_t in = static_cast<size_t>(spec.real_input) < op.inputs.size() ? op.inputs[static_cast<size_t>(spec.real_input)] : -1;
    auto in_params = params_.find(in);
    if (in_params == params_.end())
      unsupported(f_.path, "op " + std::to_string(index) + " (" + f_.opName(op) + "): its input has no int8 parameters");
    const float input_scale = in_params->second.scale;
    const size_t bi = static_cast<size_t>(spec.bias_input);
    const int32_t b = spec.bias_input >= 0 && bi < op.inputs.size() ? op.inputs[bi] : -1;
    std::vector<float> bv = b >= 0 ? constantValues(b) : std::vector<float>{};
    std::vector<float> min_scales;
    const size_t channels = axis < 0 ? 1 : static_cast<size_t>(wt.shape[static_cast<size_t>(axis)]);
    if (!bv.empty() && (axis < 0 || bv.size() == channels)) min_scales = weightScalesForBias(bv, input_scale, axis < 0);
    QuantizedWeights qw = quantizeWeightsSymmetric(wv, wt.shape, axis, min_scales);
    QuantParams wq;
    wq.scale = qw.scales;
    wq.zero_point.assign(qw.scales.size(), 0);
    wq.quantized_dimension = qw.axis;
    op.inputs[wi] = newConstant(w, "", DType::Int8, qw.values.data(), qw.values.size(), wq);
    ++weights_;
    if (bv.empty()) return;
    if (qw.scales.size() != 1 && bv.size() != qw.scales.size())
      unsupported(f_.path, "op " + std::to_string(index) + ": " + std::to_string(bv.size()) + " biases for " +
                               std::to_string(qw.scales.size()) + " weight channels");
    std::vector<float> bias_scales;
    std::vector<int32_t> qb = quantizeBias(bv, input_scale, qw.scales, &bias_scales);
    QuantParams bq;
    bq.scale = bias_scales;
    bq.zero_point.assign(bias_scales.size(), 0);
    op.inputs[bi] = newConstant(b, "", DType::Int32, qb.data(), qb.size() * sizeof(int32_t), bq);
    ++biases_;
  }

  void applyParams() {
    for (auto& [t, p] : params_) {
      Tensor& tensor = sg().tensors[static_cast<size_t>(t)];
      if (tensor.type != DType::Float32) continue;  // new constants already carry their type
      tensor.type = DType::Int8;
      tensor.quant = perTensor(p);
    }
  }

  // --io float: the model's float inputs and outputs stay float, a QUANTIZE after each input and a DEQUANTIZE
  // before each output; uint8 I/O: the edges are uint8 (zero point + 128) with a QUANTIZE to and from int8.
  void rewriteEdges(std::vector<Op>& ops, std::vector<Op>& in_ops, std::vector<Op>& out_ops) {
    if (o_.io == IoType::Int8) return;
    const DType edge = o_.io == IoType::Float ? DType::Float32 : DType::UInt8;
    auto edgeTensor = [&](int32_t t) {
      Tensor& tensor = sg().tensors[static_cast<size_t>(t)];
      if (edge == DType::Float32) {
        tensor.quant = QuantParams{};
      } else {
        tensor.quant.zero_point[0] += 128;
      }
      tensor.type = edge;
    };
    auto innerCopy = [&](int32_t t, const char* suffix) {
      Tensor inner = sg().tensors[static_cast<size_t>(t)];
      inner.name += suffix;
      return addTensor(sg(), std::move(inner));
    };
    for (int32_t t : sg().inputs) {
      if (!params_.count(t)) continue;
      int32_t inner = innerCopy(t, "/int8");
      for (Op& op : ops)
        for (int32_t& in : op.inputs)
          if (in == t) in = inner;
      edgeTensor(t);
      in_ops.push_back(makeOp(m_, "QUANTIZE", {t}, {inner}, "", nlohmann::json::object(), 2));
    }
    for (int32_t t : sg().outputs) {
      if (!params_.count(t)) continue;
      int32_t inner = innerCopy(t, "/int8");
      for (Op& op : ops) {
        for (int32_t& in : op.inputs)
          if (in == t) in = inner;
        for (int32_t& out : op.outputs)
          if (out == t) out = inner;
      }
      edgeTensor(t);
      out_ops.push_back(makeOp(m_, edge == DType::Float32 ? "DEQUANTIZE" : "QUANTIZE", {inner}, {t}, "",
                               nlohmann::json::object(), 2));
    }
  }

  const Model& f_;
  const CalibrationStats& stats_;
  const QuantizeOptions& o_;
  Model m_;
  std::map<int, std::vector<float>> constant_values_;
  std::map<int, AffineParams> params_;
  std::vector<std::string> missing_;
  size_t quantized_ops_ = 0, weights_ = 0, biases_ = 0, requantized_ = 0;
};

}  // namespace

void checkQuantizable(const Model& f, const QuantizeOptions& o) {
  if (f.subgraphs.size() != 1) unsupported(f.path, "models with several subgraphs cannot be quantized yet");
  QuantizationKind kind = quantizationKind(f);
  if (kind != QuantizationKind::Float && kind != QuantizationKind::Float16)
    unsupported(f.path, std::string("the model is already quantized (") + quantizationKindName(kind) +
                            "): quantize takes a float model");
  std::set<int> kept = keptOps(f, o);
  std::string refused;
  const Subgraph& sg = f.subgraphs[0];
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const Op& op = sg.ops[i];
    if (isFloat16Weight(f, op) || kept.count(static_cast<int>(i))) continue;
    if (!f.isCustom(op) && opQuantSpec(f.opName(op)).quantizable) continue;
    refused += (refused.empty() ? "" : ", ") + std::string("op ") + std::to_string(i) + " (" + f.opName(op) + ")";
  }
  if (!refused.empty())
    unsupported(f.path, "quantlens cannot quantize " + refused + "; keep them in float with --keep-float");
}

std::vector<bool> tensorsToCalibrate(const Model& f) {
  const Subgraph& sg = f.subgraphs.at(0);
  std::vector<bool> wanted(sg.tensors.size(), false);
  for (int32_t t : sg.inputs) wanted[static_cast<size_t>(t)] = true;
  for (const Op& op : sg.ops) {
    if (isFloat16Weight(f, op)) continue;
    OpQuantSpec spec = f.isCustom(op) ? OpQuantSpec{} : opQuantSpec(f.opName(op));
    if (spec.fixed_output || spec.same_scale == SameScale::OutputsFollowInput) continue;
    for (int32_t t : op.outputs)
      if (t >= 0) wanted[static_cast<size_t>(t)] = true;
  }
  return wanted;
}

QuantizeResult quantizeModel(const Model& float_model, const CalibrationStats& stats, const QuantizeOptions& options) {
  checkQuantizable(float_model, options);
  return Quantizer(float_model, stats, options).run();
}

QuantizeResult quantizeModel(const Model& float_model, const CalibrationSet& set, const QuantizeOptions& options,
                             Progress& progress) {
  checkQuantizable(float_model, options);
  CalibrationStats stats = calibrate(float_model, set, options.estimator != RangeEstimator::MinMax, progress,
                                     tensorsToCalibrate(float_model));
  return Quantizer(float_model, stats, options).run();
}

}  // namespace ql
