#include "model/model_json.h"

#include "model/options_codec.h"

namespace ql {

namespace {
nlohmann::json floats(const std::vector<float>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (float x : v) a.push_back(floatToJson(x));
  return a;
}
}  // namespace

nlohmann::json quantToJson(const QuantParams& q) {
  if (!q.present()) return nullptr;
  nlohmann::json j{{"scale", floats(q.scale)},
                   {"zero_point", q.zero_point},
                   {"quantized_dimension", q.quantized_dimension},
                   {"min", floats(q.min)},
                   {"max", floats(q.max)}};
  if (q.details_type != 0) j["details_type"] = q.details_type;
  return j;
}

nlohmann::json tensorToJson(const Model& model, const Tensor& t, int index) {
  const Bytes& data = model.dataOf(t);
  return {{"index", index},
          {"name", t.name},
          {"type", dtypeName(t.type)},
          {"shape", t.shape},
          // No signature in the file means every dimension is static: the signature is the shape.
          {"shape_signature", t.shape_signature.empty() ? t.shape : t.shape_signature},
          {"buffer", t.buffer},
          {"constant", !data.empty()},
          {"bytes", data.size},
          {"is_variable", t.is_variable},
          {"quantization", quantToJson(t.quant)}};
}

nlohmann::json modelToJson(const Model& model) {
  nlohmann::json j;
  j["file"] = model.path;
  j["version"] = model.version;
  j["description"] = model.description;
  j["subgraphs"] = nlohmann::json::array();
  for (const Subgraph& sg : model.subgraphs) {
    nlohmann::json s;
    s["name"] = sg.name;
    s["inputs"] = sg.inputs;
    s["outputs"] = sg.outputs;
    s["tensors"] = nlohmann::json::array();
    for (size_t i = 0; i < sg.tensors.size(); ++i)
      s["tensors"].push_back(tensorToJson(model, sg.tensors[i], static_cast<int>(i)));
    s["operators"] = nlohmann::json::array();
    for (size_t i = 0; i < sg.ops.size(); ++i) {
      const Op& op = sg.ops[i];
      s["operators"].push_back({{"index", i},
                                {"opcode", model.opName(op)},
                                {"custom", model.isCustom(op)},
                                {"version", model.opcodeOf(op).version},
                                {"inputs", op.inputs},
                                {"outputs", op.outputs},
                                {"intermediates", op.intermediates},
                                {"options", op.options}});
    }
    j["subgraphs"].push_back(std::move(s));
  }
  j["signatures"] = nlohmann::json::array();
  for (const Signature& sig : model.signatures) {
    nlohmann::json ins = nlohmann::json::array(), outs = nlohmann::json::array();
    for (const TensorMap& tm : sig.inputs) ins.push_back({{"name", tm.name}, {"tensor", tm.tensor}});
    for (const TensorMap& tm : sig.outputs) outs.push_back({{"name", tm.name}, {"tensor", tm.tensor}});
    j["signatures"].push_back({{"key", sig.key}, {"subgraph", sig.subgraph}, {"inputs", ins}, {"outputs", outs}});
  }
  return j;
}

}  // namespace ql
