#include "support/op_model.h"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "model/model_builder.h"
#include "model/reader.h"
#include "model/writer.h"
#include "util/error.h"

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

namespace {

// Every kernel test also checks that the op computes its outputs' shapes from its inputs, as the runtime does:
// the same model with each op output's stored shape made wrong must prepare to the same shapes.
void expectShapesComputedFromInputs(const Model& model, const Interpreter& prepared) {
  auto corrupted = std::make_shared<Model>(model);
  Subgraph& sg = corrupted->subgraphs[0];
  std::vector<int32_t> outputs;
  for (const Op& op : sg.ops) {
    if (corrupted->opName(op) == "TFLite_Detection_PostProcess") continue;  // its outputs have no stored shape
    for (int32_t t : op.outputs)
      if (t >= 0 && std::find(sg.inputs.begin(), sg.inputs.end(), t) == sg.inputs.end()) {
        for (int32_t& d : sg.tensors[static_cast<size_t>(t)].shape) d = d == 7 ? 11 : 7;
        outputs.push_back(t);
      }
  }
  InterpreterOptions o;
  o.prepare_only = true;
  try {
    Interpreter other(std::shared_ptr<const Model>(corrupted), o);
    for (int32_t t : outputs)
      EXPECT_EQ(other.tensor(t).shape(), prepared.tensor(t).shape())
          << "tensor " << t << ": the op keeps the shape the file stores instead of computing it from its inputs";
  } catch (const Error& e) {
    ADD_FAILURE() << "with wrong stored output shapes the model no longer prepares: " << e.what();
  }
}

}  // namespace

Interpreter& OpModel::interpreter(Arithmetic arithmetic) {
  if (!interp_) {
    // Through the writer and the reader, so the test also covers how options survive the file format.
    loaded_ = std::make_shared<const Model>(readModelFromBytes(Bytes::own(serializeModel(building_)), "op model"));
    InterpreterOptions o;
    o.arithmetic = arithmetic;
    interp_ = std::make_unique<Interpreter>(loaded_, o);
    expectShapesComputedFromInputs(*loaded_, *interp_);
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
