#include "model/writer.h"

#include <flatbuffers/flatbuffers.h>

#include "tflite_schema_generated.h"
#include "util/atomic_write.h"
#include "util/error.h"

namespace ql {
namespace {

template <typename Union>
Union unpackUnion(const TableBlob& blob) {
  Union u;
  if (!blob.present()) return u;
  u.type = static_cast<decltype(u.type)>(blob.type);
  u.value = Union::UnPack(flatbuffers::GetRoot<void>(blob.bytes.data()), u.type, nullptr);
  return u;
}

std::unique_ptr<tflite::QuantizationParametersT> toQuant(const QuantParams& q) {
  if (!q.present()) return nullptr;
  auto out = std::make_unique<tflite::QuantizationParametersT>();
  out->scale = q.scale;
  out->zero_point = q.zero_point;
  out->min = q.min;
  out->max = q.max;
  out->quantized_dimension = q.quantized_dimension;
  out->details = unpackUnion<tflite::QuantizationDetailsUnion>(TableBlob{q.details_type, q.details_blob});
  return out;
}

std::unique_ptr<tflite::TensorT> toTensor(const Tensor& t) {
  auto out = std::make_unique<tflite::TensorT>();
  out->name = t.name;
  out->type = static_cast<tflite::TensorType>(t.type);
  out->shape = t.shape;
  out->shape_signature = t.shape_signature;
  out->buffer = t.buffer;
  out->is_variable = t.is_variable;
  out->has_rank = t.has_rank;
  out->quantization = toQuant(t.quant);
  if (!t.sparsity_blob.empty()) {
    out->sparsity = std::make_unique<tflite::SparsityParametersT>();
    flatbuffers::GetRoot<tflite::SparsityParameters>(t.sparsity_blob.data())->UnPackTo(out->sparsity.get());
  }
  return out;
}

std::unique_ptr<tflite::OperatorT> toOperator(const Op& op) {
  auto out = std::make_unique<tflite::OperatorT>();
  out->opcode_index = op.opcode_index;
  out->inputs = op.inputs;
  out->outputs = op.outputs;
  out->intermediates = op.intermediates;
  out->mutating_variable_inputs = op.mutating_variable_inputs;
  out->builtin_options = unpackUnion<tflite::BuiltinOptionsUnion>(op.builtin_options);
  out->builtin_options_2 = unpackUnion<tflite::BuiltinOptions2Union>(op.builtin_options_2);
  out->custom_options = op.custom_options;
  out->custom_options_format = static_cast<tflite::CustomOptionsFormat>(op.custom_options_format);
  return out;
}

}  // namespace

std::vector<uint8_t> serializeModel(const Model& model) {
  tflite::ModelT m;
  m.version = model.version;
  m.description = model.description;
  for (const OperatorCode& c : model.opcodes) {
    auto oc = std::make_unique<tflite::OperatorCodeT>();
    // Readers older than builtin_code look only at deprecated_builtin_code, which tops out at 127
    // (PLACEHOLDER_FOR_GREATER_OP_CODES).
    oc->deprecated_builtin_code = static_cast<int8_t>(std::min<int32_t>(c.builtin, 127));
    oc->builtin_code = static_cast<tflite::BuiltinOperator>(c.builtin);
    oc->custom_code = c.custom_code;
    oc->version = c.version;
    m.operator_codes.push_back(std::move(oc));
  }
  for (const Subgraph& sg : model.subgraphs) {
    auto s = std::make_unique<tflite::SubGraphT>();
    s->name = sg.name;
    s->inputs = sg.inputs;
    s->outputs = sg.outputs;
    for (const Tensor& t : sg.tensors) s->tensors.push_back(toTensor(t));
    for (const Op& op : sg.ops) s->operators.push_back(toOperator(op));
    m.subgraphs.push_back(std::move(s));
  }
  for (const Bytes& b : model.buffers) {
    auto buf = std::make_unique<tflite::BufferT>();
    if (b.size) buf->data.assign(b.data, b.data + b.size);
    m.buffers.push_back(std::move(buf));
  }
  m.metadata_buffer = model.metadata_buffer;
  for (const MetadataEntry& e : model.metadata) {
    auto md = std::make_unique<tflite::MetadataT>();
    md->name = e.name;
    md->buffer = e.buffer;
    m.metadata.push_back(std::move(md));
  }
  for (const Signature& sig : model.signatures) {
    auto sd = std::make_unique<tflite::SignatureDefT>();
    sd->signature_key = sig.key;
    sd->subgraph_index = sig.subgraph;
    for (const TensorMap& tm : sig.inputs) {
      auto x = std::make_unique<tflite::TensorMapT>();
      x->name = tm.name;
      x->tensor_index = tm.tensor;
      sd->inputs.push_back(std::move(x));
    }
    for (const TensorMap& tm : sig.outputs) {
      auto x = std::make_unique<tflite::TensorMapT>();
      x->name = tm.name;
      x->tensor_index = tm.tensor;
      sd->outputs.push_back(std::move(x));
    }
    m.signature_defs.push_back(std::move(sd));
  }

  flatbuffers::FlatBufferBuilder fbb(1 << 20);
  fbb.Finish(tflite::Model::Pack(fbb, &m), tflite::ModelIdentifier());
  std::vector<uint8_t> out(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  if (model.trailing.size) {
    // Keep what followed the flatbuffer (a zip of label files, say) byte for byte after it.
    while (out.size() % 16) out.push_back(0);
    out.insert(out.end(), model.trailing.data, model.trailing.data + model.trailing.size);
  }
  return out;
}

void writeModel(const Model& model, const std::string& path) {
  if (!model.path.empty() && sameFile(model.path, path))
    badInput(path, "refusing to overwrite the input model; choose another output path");
  std::vector<uint8_t> bytes = serializeModel(model);
  writeFileAtomically(path, {bytes.data()}, {bytes.size()});
}

void dropUnusedBuffers(Model& model) {
  std::vector<bool> used(model.buffers.size(), false);
  if (!used.empty()) used[0] = true;
  for (const Subgraph& sg : model.subgraphs)
    for (const Tensor& t : sg.tensors)
      if (t.buffer < used.size()) used[t.buffer] = true;
  for (const MetadataEntry& e : model.metadata)
    if (e.buffer < used.size()) used[e.buffer] = true;
  for (int32_t b : model.metadata_buffer)
    if (b >= 0 && static_cast<size_t>(b) < used.size()) used[b] = true;
  std::vector<uint32_t> remap(model.buffers.size(), 0);
  std::vector<Bytes> kept;
  for (size_t i = 0; i < model.buffers.size(); ++i)
    if (used[i]) {
      remap[i] = static_cast<uint32_t>(kept.size());
      kept.push_back(model.buffers[i]);
    }
  model.buffers = std::move(kept);
  for (Subgraph& sg : model.subgraphs)
    for (Tensor& t : sg.tensors) t.buffer = remap[t.buffer];
  for (MetadataEntry& e : model.metadata) e.buffer = remap[e.buffer];
  for (int32_t& b : model.metadata_buffer) b = static_cast<int32_t>(remap[static_cast<size_t>(b)]);
}

}  // namespace ql
