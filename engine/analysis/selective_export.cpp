#include "analysis/selective_export.h"

#include <map>

#include "analysis/folded_activation.h"
#include "model/model_builder.h"
#include "model/quantization_kind.h"
#include "model/tensor_values.h"
#include "model/writer.h"
#include "util/error.h"

namespace ql {

namespace {

bool isConversion(const std::string& name) { return name == "QUANTIZE" || name == "DEQUANTIZE"; }

int32_t conversionVersion(DType integer_type) {
  // Versions the converter gives these ops for each integer type (uint8 is version 1).
  return integer_type == DType::UInt8 ? 1 : 2;
}

class Exporter {
 public:
  Exporter(const Model& q, const Model* f, const OpMatching* m, const Selection& sel)
      : q_(q), f_(f), m_(m), sel_(sel) {}

  SelectiveExport run() {
    QuantizationKind kind = quantizationKind(q_);
    if (kind != QuantizationKind::FullInteger && kind != QuantizationKind::Mixed)
      unsupported(q_.path, std::string("the model has no integer activations (it is ") + quantizationKindName(kind) +
                               "): there is nothing to keep in float");
    if (q_.subgraphs.size() != 1) unsupported(q_.path, "models with several subgraphs cannot be exported yet");
    out_.model = q_;
    out_.model.path.clear();
    Subgraph& sg = out_.model.subgraphs[0];
    const Subgraph& qs = q_.subgraphs[0];
    for (int i : sel_.ops)
      if (i < 0 || static_cast<size_t>(i) >= qs.ops.size())
        badInput(q_.path, "op " + std::to_string(i) + " does not exist");

    // Readers of each tensor that stay integer, and model outputs: where a float region must QUANTIZE back. A
    // selected QUANTIZE/DEQUANTIZE is left as it is, so it still reads the integer tensor (yolov9t's LOGISTIC ->
    // requantizing QUANTIZE, both kept in float, read a tensor no op wrote before this).
    std::vector<bool> needed_as_int(qs.tensors.size(), false);
    for (size_t i = 0; i < qs.ops.size(); ++i)
      if (!selected(static_cast<int>(i)) || isConversion(q_.opName(qs.ops[i])))
        for (int32_t t : qs.ops[i].inputs)
          if (t >= 0) needed_as_int[static_cast<size_t>(t)] = true;
    for (int32_t t : qs.outputs) needed_as_int[static_cast<size_t>(t)] = true;

    std::vector<Op> ops;
    for (size_t i = 0; i < qs.ops.size(); ++i) {
      const Op& qo = qs.ops[i];
      std::string name = q_.opName(qo);
      if (!selected(static_cast<int>(i)) || isConversion(name)) {
        out_.op_of_original.push_back(static_cast<int>(ops.size()));
        if (selected(static_cast<int>(i))) out_.changes.push_back("op " + std::to_string(i) + " (" + name + ") is a conversion: left as it is");
        ops.push_back(qo);
        continue;
      }
      if (name == "UNIDIRECTIONAL_SEQUENCE_LSTM")
        unsupported(q_.path, "op " + std::to_string(i) + " (UNIDIRECTIONAL_SEQUENCE_LSTM): its int8 state layout "
                                                         "cannot compute in float from these files");
      Op fo = qo;
      fo.intermediates.clear();
      for (size_t k = 0; k < fo.inputs.size(); ++k) {
        int32_t t = fo.inputs[k];
        if (t < 0) continue;
        const Tensor& qt = qs.tensors[static_cast<size_t>(t)];
        bool constant = !q_.dataOf(qt).empty();
        if (constant) fo.inputs[k] = floatConstant(static_cast<int>(i), k, t);
        else if (needsFloat(qt)) fo.inputs[k] = floatInput(t, ops);
      }
      if (fo.outputs.size() == 1 && fo.outputs[0] >= 0)
        if (const char* act = restoreFoldedActivation(fo, qs.tensors[static_cast<size_t>(fo.outputs[0])]))
          out_.changes.push_back("op " + std::to_string(i) + " (" + name + ") clamps with " + act +
                                 " in float, as its quantized output range did");
      std::vector<Op> after;  // QUANTIZEs back to the integer tensors, right after the float op
      for (size_t k = 0; k < fo.outputs.size(); ++k) {
        int32_t t = fo.outputs[k];
        if (t < 0 || !needsFloat(qs.tensors[static_cast<size_t>(t)])) continue;
        int32_t ft = newFloatTensor(t);
        float_of_[t] = ft;
        fo.outputs[k] = ft;
        if (needed_as_int[static_cast<size_t>(t)]) {
          after.push_back(makeOp(out_.model, "QUANTIZE", {ft}, {t}, "", nlohmann::json::object(),
                                 conversionVersion(qs.tensors[static_cast<size_t>(t)].type)));
          out_.changes.push_back("QUANTIZE '" + sg.tensors[static_cast<size_t>(ft)].name + "' back to '" +
                                 qs.tensors[static_cast<size_t>(t)].name + "'");
        }
      }
      out_.op_of_original.push_back(static_cast<int>(ops.size()));
      ops.push_back(std::move(fo));
      out_.float_ops.push_back(static_cast<int>(ops.size() - 1));
      out_.changes.push_back("op " + std::to_string(i) + " (" + name + ") computes in float32");
      for (Op& a : after) ops.push_back(std::move(a));
    }
    sg.ops = std::move(ops);
    dropUnusedBuffers(out_.model);
    return std::move(out_);
  }

 private:
  bool selected(int i) const { return sel_.ops.count(i) > 0; }

  static bool needsFloat(const Tensor& t) { return isQuantizedTensor(t); }

  int32_t newFloatTensor(int32_t t) {
    Subgraph& sg = out_.model.subgraphs[0];
    Tensor ft = sg.tensors[static_cast<size_t>(t)];
    ft.name += "/float";
    ft.type = DType::Float32;
    ft.quant = QuantParams{};
    ft.buffer = 0;
    ft.is_variable = false;
    return addTensor(sg, std::move(ft));
  }

  // The float version of a dynamic integer input: the float output of a selected op before it, or a DEQUANTIZE
  // (made once, shared by every float reader).
  int32_t floatInput(int32_t t, std::vector<Op>& ops) {
    auto it = float_of_.find(t);
    if (it != float_of_.end()) return it->second;
    int32_t ft = newFloatTensor(t);
    ops.push_back(makeOp(out_.model, "DEQUANTIZE", {t}, {ft}, "", nlohmann::json::object(),
                         conversionVersion(q_.subgraphs[0].tensors[static_cast<size_t>(t)].type)));
    out_.changes.push_back("DEQUANTIZE '" + q_.subgraphs[0].tensors[static_cast<size_t>(t)].name + "' into '" +
                           out_.model.subgraphs[0].tensors[static_cast<size_t>(ft)].name + "'");
    float_of_[t] = ft;
    return ft;
  }

  // A float32 constant for input `k` of quantized op `op`: the float model's (matched op, same input) when it
  // has one of the same size, else the quantized constant's real values. Constants that are not quantized
  // (shapes, axes) stay as they are.
  int32_t floatConstant(int op, size_t k, int32_t t) {
    const Tensor& qt = q_.subgraphs[0].tensors[static_cast<size_t>(t)];
    bool real_valued = qt.quant.hasScale() || qt.type == DType::Float16;
    if (!real_valued) return t;
    auto key = std::make_pair(op, t);
    auto cached = float_constant_of_.find(key);
    if (cached != float_constant_of_.end()) return cached->second;
    std::vector<float> values;
    std::string source = "dequantized";
    if (f_ && m_) {
      int fop = m_->float_op[static_cast<size_t>(op)];
      if (fop >= 0) {
        const Op& fo = f_->subgraphs[0].ops[static_cast<size_t>(fop)];
        if (k < fo.inputs.size() && fo.inputs[k] >= 0) {
          std::vector<float> fv = effectiveConstantValues(*f_, fo.inputs[k]);
          if (static_cast<int64_t>(fv.size()) == elementCount(qt.shape)) {
            values = std::move(fv);
            source = "from the float model";
          }
        }
      }
    }
    if (values.empty()) values = constantRealValues(q_, qt);
    Subgraph& sg = out_.model.subgraphs[0];
    Tensor ft = qt;
    ft.name += "/float";
    ft.type = DType::Float32;
    ft.quant = QuantParams{};
    ft.buffer = addBuffer(out_.model, Bytes::copyOf(values.data(), values.size() * sizeof(float)));
    int32_t index = addTensor(sg, std::move(ft));
    float_constant_of_[key] = index;
    out_.changes.push_back("constant '" + qt.name + "' in float32 (" + source + ")");
    return index;
  }

  const Model& q_;
  const Model* f_;
  const OpMatching* m_;
  const Selection& sel_;
  SelectiveExport out_;
  std::map<int32_t, int32_t> float_of_;
  std::map<std::pair<int, int32_t>, int32_t> float_constant_of_;
};

}  // namespace

SelectiveExport exportSelective(const Model& quant, const Model* float_model, const OpMatching* matching,
                                const Selection& selection) {
  return Exporter(quant, float_model, matching, selection).run();
}

}  // namespace ql
