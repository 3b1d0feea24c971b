#include "model/model_builder.h"

#include <stdexcept>

#include "model/op_names.h"
#include "model/options_codec.h"

namespace ql {

void decodeOptions(const Model& model, Op& op) {
  if (model.isCustom(op))
    op.options = flexbufferToJson(op.custom_options.data(), op.custom_options.size());
  else if (op.builtin_options_2.present())
    op.options = unionTableToJson("tflite.BuiltinOptions2", op.builtin_options_2);
  else
    op.options = unionTableToJson("tflite.BuiltinOptions", op.builtin_options);
}

Op makeOp(Model& model, const std::string& name, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
          const std::string& options_table, const nlohmann::json& options, int32_t version) {
  Op op;
  op.inputs = std::move(inputs);
  op.outputs = std::move(outputs);
  int32_t code = builtinOpCode(name);
  if (code < 0 || code == kCustomOpCode) {
    op.opcode_index = model.internOpcode(kCustomOpCode, version, name);
    op.custom_options = flexbufferFromJson(options);
  } else {
    op.opcode_index = model.internOpcode(code, version);
    if (!options_table.empty()) {
      bool second = false;
      try {
        op.builtin_options = unionTableFromJson("tflite.BuiltinOptions", options_table, options);
      } catch (const std::invalid_argument&) {
        second = true;
      }
      if (second) op.builtin_options_2 = unionTableFromJson("tflite.BuiltinOptions2", options_table, options);
    }
  }
  decodeOptions(model, op);
  return op;
}

uint32_t addBuffer(Model& model, Bytes data) {
  if (model.buffers.empty()) model.buffers.emplace_back();
  model.buffers.push_back(std::move(data));
  return static_cast<uint32_t>(model.buffers.size() - 1);
}

int32_t addTensor(Subgraph& sg, Tensor t) {
  sg.tensors.push_back(std::move(t));
  return static_cast<int32_t>(sg.tensors.size() - 1);
}

Model emptyModel(const std::string& description) {
  Model m;
  m.description = description;
  m.buffers.emplace_back();
  m.subgraphs.emplace_back();
  return m;
}

}  // namespace ql
