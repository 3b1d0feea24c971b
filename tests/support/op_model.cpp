#include "support/op_model.h"

#include <cmath>

#include "model/model_builder.h"
#include "model/reader.h"
#include "model/writer.h"

namespace ql::test {

int OpModel::addTensor(const TensorSpec& spec, uint32_t buffer, bool is_variable) {
  if (building_.subgraphs.empty()) building_ = emptyModel("op model");
  Tensor t;
  t.name = "t" + std::to_string(building_.subgraphs[0].tensors.size());
  t.type = spec.type;
  t.shape = spec.shape;
  t.buffer = buffer;
  t.is_variable = is_variable;
  t.quant.scale = spec.scale;
  t.quant.zero_point = spec.zero_point;
  if (!spec.scale.empty() && spec.zero_point.empty()) t.quant.zero_point.assign(spec.scale.size(), 0);
  t.quant.quantized_dimension = spec.quantized_dimension;
  return ql::addTensor(building_.subgraphs[0], std::move(t));
}

int OpModel::input(const TensorSpec& spec) {
  int i = addTensor(spec, 0);
  building_.subgraphs[0].inputs.push_back(i);
  return i;
}

int OpModel::output(const TensorSpec& spec) {
  int i = addTensor(spec, 0);
  building_.subgraphs[0].outputs.push_back(i);
  return i;
}

int OpModel::intermediate(const TensorSpec& spec) { return addTensor(spec, 0); }

int OpModel::variable(const TensorSpec& spec) { return addTensor(spec, 0, true); }

int OpModel::addConstant(const TensorSpec& spec, const void* data, size_t size) {
  if (building_.subgraphs.empty()) building_ = emptyModel("op model");
  uint32_t b = addBuffer(building_, Bytes::copyOf(data, size));
  return addTensor(spec, b);
}

void OpModel::op(const std::string& name, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
                 const std::string& options_table, const nlohmann::json& options, int32_t version) {
  if (building_.subgraphs.empty()) building_ = emptyModel("op model");
  building_.subgraphs[0].ops.push_back(
      makeOp(building_, name, std::move(inputs), std::move(outputs), options_table, options, version));
}

Interpreter& OpModel::interpreter(Arithmetic arithmetic) {
  if (!interp_) {
    // Through the writer and the reader, so the test also covers how options survive the file format.
    loaded_ = std::make_shared<const Model>(readModelFromBytes(Bytes::own(serializeModel(building_)), "op model"));
    InterpreterOptions o;
    o.arithmetic = arithmetic;
    interp_ = std::make_unique<Interpreter>(loaded_, o);
  }
  return *interp_;
}

std::vector<int8_t> quantizeInt8(const std::vector<float>& v, float scale, int32_t zp) {
  std::vector<int8_t> out;
  for (float x : v) out.push_back(static_cast<int8_t>(std::max(-128L, std::min(127L, std::lround(x / scale) + zp))));
  return out;
}

std::vector<uint8_t> quantizeUInt8(const std::vector<float>& v, float scale, int32_t zp) {
  std::vector<uint8_t> out;
  for (float x : v) out.push_back(static_cast<uint8_t>(std::max(0L, std::min(255L, std::lround(x / scale) + zp))));
  return out;
}

}  // namespace ql::test
