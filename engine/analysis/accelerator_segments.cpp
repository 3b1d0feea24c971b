#include "analysis/accelerator_segments.h"

#include <algorithm>

namespace ql {

namespace {
bool isFloatType(DType t) { return t == DType::Float32 || t == DType::Float16 || t == DType::Float64; }
}  // namespace

bool computesInFloat(const Model& model, int i) {
  const Subgraph& sg = model.subgraphs[0];
  const Op& op = sg.ops[static_cast<size_t>(i)];
  std::string name = model.opName(op);
  auto isInput = [&](int32_t t) { return std::find(sg.inputs.begin(), sg.inputs.end(), t) != sg.inputs.end(); };
  auto isOutput = [&](int32_t t) { return std::find(sg.outputs.begin(), sg.outputs.end(), t) != sg.outputs.end(); };
  // Conversions at the model's edges are the accelerator's way in and out. A QUANTIZE from an integer tensor is a
  // requantization (int8 -> int8 to another scale, as converters put before CONCATENATION): integer arithmetic,
  // mapped like any integer op (the Edge TPU compiler maps them).
  if (name == "QUANTIZE") {
    if (op.inputs.size() == 1 && op.inputs[0] >= 0 && !isFloatType(sg.tensors[static_cast<size_t>(op.inputs[0])].type))
      return false;
    return !(op.inputs.size() == 1 && isInput(op.inputs[0]));
  }
  if (name == "DEQUANTIZE") {
    if (op.inputs.size() == 1 && op.inputs[0] >= 0 && !model.dataOf(sg.tensors[static_cast<size_t>(op.inputs[0])]).empty())
      return true;  // dequantizing weights means float compute follows
    return !(op.outputs.size() == 1 && isOutput(op.outputs[0]));
  }
  for (int32_t t : op.inputs)
    if (t >= 0 && isFloatType(sg.tensors[static_cast<size_t>(t)].type)) return true;
  for (int32_t t : op.outputs)
    if (t >= 0 && isFloatType(sg.tensors[static_cast<size_t>(t)].type)) return true;
  return false;
}

const char* segmentKindName(SegmentKind k) { return k == SegmentKind::Float ? "float" : "int8"; }
const char* deviceName(Device d) { return d == Device::Cpu ? "cpu" : "accelerator"; }

SegmentReport acceleratorSegments(const Model& model) {
  SegmentReport r;
  const Subgraph& sg = model.subgraphs[0];
  bool on_accelerator = true;
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    bool is_float = computesInFloat(model, static_cast<int>(i));
    if (is_float) on_accelerator = false;
    SegmentKind kind = is_float ? SegmentKind::Float : SegmentKind::Int8;
    Device where = on_accelerator ? Device::Accelerator : Device::Cpu;
    if (r.segments.empty() || r.segments.back().kind != kind || r.segments.back().runs_on != where)
      r.segments.push_back({{}, kind, where});
    r.segments.back().ops.push_back(static_cast<int>(i));
    (on_accelerator ? r.accelerator_ops : r.cpu_ops)++;
  }
  return r;
}

nlohmann::json SegmentReport::toJson() const {
  nlohmann::json j;
  j["segments"] = nlohmann::json::array();
  for (const Segment& s : segments) j["segments"].push_back(
        {{"ops", s.ops}, {"kind", segmentKindName(s.kind)}, {"runs_on", deviceName(s.runs_on)}});
  j["accelerator_ops"] = accelerator_ops;
  j["cpu_ops"] = cpu_ops;
  return j;
}

}  // namespace ql
