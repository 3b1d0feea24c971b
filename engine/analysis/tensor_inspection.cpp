#include "analysis/tensor_inspection.h"

#include "analysis/op_matching.h"
#include "util/error.h"

namespace ql {
namespace {

std::vector<float> valuesOf(const Model& model, int tensor, std::string* note) {
  try {
    return effectiveConstantValues(model, tensor);
  } catch (const Error& e) {
    if (note) *note = e.what();
    return {};
  }
}

bool validTensor(const Model& model, int tensor) {
  return !model.subgraphs.empty() && tensor >= 0 &&
         static_cast<size_t>(tensor) < model.subgraphs[0].tensors.size();
}

}  // namespace

TensorInspection inspectTensor(const Model& model, int tensor, const Model* twin, int twin_tensor, size_t bins) {
  TensorInspection out;
  if (!validTensor(model, tensor)) return out;
  out.values = valuesOf(model, tensor, &out.values_note);
  bool has_twin = twin && validTensor(*twin, twin_tensor);
  if (has_twin && !out.values.empty()) out.twin_values = valuesOf(*twin, twin_tensor, nullptr);
  out.stats = valueStats(out.values);
  out.twin_stats = valueStats(out.twin_values);
  auto [h, th] = histogramsOnCommonRange(out.values, out.twin_values, bins);
  out.histogram = std::move(h);
  out.twin_histogram = std::move(th);

  const Tensor& t = model.subgraphs[0].tensors[static_cast<size_t>(tensor)];
  // Any integer tensor with a scale: int8 weights and also int32 biases, whose per-channel scales follow the
  // weights'.
  auto quantized = [](const Tensor& x) {
    return x.quant.hasScale() && x.type != DType::Float32 && x.type != DType::Float16;
  };
  if (quantized(t) && !out.values.empty()) {
    out.channels = weightChannels(t, out.values, out.twin_values);
  } else if (has_twin && !out.twin_values.empty()) {
    const Tensor& tt = twin->subgraphs[0].tensors[static_cast<size_t>(twin_tensor)];
    if (quantized(tt)) {
      out.channels = weightChannels(tt, out.twin_values, out.values);
      out.channels_of_twin = true;
    }
  }
  return out;
}

int twinTensorAt(const Model& model, int op, const Model& twin, int twin_op, bool input, size_t position) {
  if (model.subgraphs.empty() || twin.subgraphs.empty() || op < 0 || twin_op < 0) return -1;
  const auto& ops = model.subgraphs[0].ops;
  const auto& twin_ops = twin.subgraphs[0].ops;
  if (static_cast<size_t>(op) >= ops.size() || static_cast<size_t>(twin_op) >= twin_ops.size()) return -1;
  const Op& a = ops[static_cast<size_t>(op)];
  const Op& b = twin_ops[static_cast<size_t>(twin_op)];
  if (model.opName(a) != twin.opName(b)) return -1;
  const auto& la = input ? a.inputs : a.outputs;
  const auto& lb = input ? b.inputs : b.outputs;
  if (la.size() != lb.size() || position >= lb.size()) return -1;
  return lb[position];
}

}  // namespace ql
