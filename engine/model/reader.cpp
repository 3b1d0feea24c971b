#include "model/reader.h"

#include <flatbuffers/flatbuffers.h>

#include "model/model_builder.h"
#include "model/op_names.h"
#include "model/options_codec.h"
#include "tflite_schema_generated.h"
#include "util/error.h"
#include "util/mapped_file.h"

namespace ql {
namespace {

constexpr size_t kMaxVerifierTables = 50'000'000;

template <typename T>
std::vector<uint8_t> packStandalone(const T& object_t) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(T::TableType::Pack(fbb, &object_t));
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

template <typename Union>
std::vector<uint8_t> packUnion(uint8_t type, const void* table) {
  Union u;
  u.type = static_cast<decltype(u.type)>(type);
  u.value = Union::UnPack(table, u.type, nullptr);
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(u.Pack(fbb));
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

template <typename V>
std::vector<int32_t> ints(const V* v) {
  return v ? std::vector<int32_t>(v->begin(), v->end()) : std::vector<int32_t>{};
}

class Reader {
 public:
  Reader(Bytes bytes, std::string name) : bytes_(std::move(bytes)), name_(std::move(name)) {}

  Model read() {
    const uint8_t* data = bytes_.data;
    size_t size = bytes_.size;
    if (size == 0) fail("is empty");
    if (size < 8) fail("truncated: " + std::to_string(size) + " bytes is too short for a TFLite model");
    if (!flatbuffers::BufferHasIdentifier(data, tflite::ModelIdentifier())) {
      std::string id(reinterpret_cast<const char*>(data) + 4, 4);
      for (char& c : id)
        if (c < 32 || c > 126) c = '?';
      fail("not a TFLite model: file identifier is '" + id + "' where 'TFL3' is expected");
    }
    size_t verify_size = std::min<size_t>(size, FLATBUFFERS_MAX_BUFFER_SIZE - 1);
    flatbuffers::Verifier verifier(data, verify_size, 64, kMaxVerifierTables);
    if (!tflite::VerifyModelBuffer(verifier))
      fail("corrupt model: the flatbuffer does not verify (truncated or damaged file)");
    size_t fb_size = verifier.GetComputedSize();
    if (fb_size == 0 || fb_size > size) fb_size = size;

    const tflite::Model* m = tflite::GetModel(data);
    Model model;
    model.path = name_;
    model.version = m->version();
    if (m->description()) model.description = m->description()->str();
    readOpcodes(*m, model);
    size_t external_end = readBuffers(*m, model);
    size_t trailing_start = std::max(fb_size, external_end);
    if (trailing_start < size) {
      model.trailing.data = data + trailing_start;
      model.trailing.size = size - trailing_start;
      model.trailing.keepalive = bytes_.keepalive;
    }
    if (!m->subgraphs() || m->subgraphs()->size() == 0) fail("model has no subgraph");
    for (uint32_t s = 0; s < m->subgraphs()->size(); ++s)
      model.subgraphs.push_back(readSubgraph(*m->subgraphs()->Get(s), s, model));
    readMetadata(*m, model);
    readSignatures(*m, model);
    model.load_warnings = std::move(warnings_);
    return model;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { badInput(name_, what); }

  void readOpcodes(const tflite::Model& m, Model& model) {
    if (!m.operator_codes()) return;
    for (uint32_t i = 0; i < m.operator_codes()->size(); ++i) {
      const tflite::OperatorCode* oc = m.operator_codes()->Get(i);
      OperatorCode c;
      // Old files set only deprecated_builtin_code (values < 127); new ones set both, or only builtin_code.
      c.builtin = std::max<int32_t>(oc->deprecated_builtin_code(), oc->builtin_code());
      if (c.builtin < 0 || c.builtin > maxBuiltinOpCode())
        fail("operator code " + std::to_string(i) + ": unknown builtin operator " + std::to_string(c.builtin));
      if (oc->custom_code()) c.custom_code = oc->custom_code()->str();
      c.version = oc->version();
      model.opcodes.push_back(std::move(c));
    }
  }

  // Returns the end of the last buffer stored after the flatbuffer (0 when none is).
  size_t readBuffers(const tflite::Model& m, Model& model) {
    size_t external_end = 0;
    if (!m.buffers()) return 0;
    for (uint32_t i = 0; i < m.buffers()->size(); ++i) {
      const tflite::Buffer* b = m.buffers()->Get(i);
      Bytes out;
      if (b->offset() > 1) {
        uint64_t off = b->offset(), len = b->size();
        if (off > bytes_.size || len > bytes_.size - off)
          fail("buffer " + std::to_string(i) + ": data at offset " + std::to_string(off) + " with size " +
               std::to_string(len) + " lies outside the file (" + std::to_string(bytes_.size) + " bytes)");
        out = {bytes_.data + off, static_cast<size_t>(len), bytes_.keepalive};
        external_end = std::max<size_t>(external_end, static_cast<size_t>(off + len));
      } else if (b->data() && b->data()->size() > 0) {
        out = {b->data()->data(), b->data()->size(), bytes_.keepalive};
      }
      model.buffers.push_back(out);
    }
    return external_end;
  }

  QuantParams readQuant(const tflite::QuantizationParameters* q) {
    QuantParams p;
    if (!q) return p;
    if (q->scale()) p.scale.assign(q->scale()->begin(), q->scale()->end());
    if (q->zero_point()) {
      // The Verifier leaves a vector's 64-bit elements unchecked for alignment; only a damaged file misaligns them.
      if (reinterpret_cast<uintptr_t>(q->zero_point()->Data()) % alignof(int64_t) != 0)
        fail("corrupt model: a zero_point vector is not 8-byte aligned (damaged file)");
      p.zero_point.assign(q->zero_point()->begin(), q->zero_point()->end());
    }
    if (q->min()) p.min.assign(q->min()->begin(), q->min()->end());
    if (q->max()) p.max.assign(q->max()->begin(), q->max()->end());
    p.quantized_dimension = q->quantized_dimension();
    if (q->details_type() != tflite::QuantizationDetails_NONE && q->details()) {
      if (!unionTableWideVectorsAligned("tflite.QuantizationDetails", q->details_type(), q->details()))
        fail("corrupt model: quantization details hold a misaligned 64-bit vector (damaged file)");
      p.details_type = q->details_type();
      p.details_blob = packUnion<tflite::QuantizationDetailsUnion>(q->details_type(), q->details());
    }
    return p;
  }

  Tensor readTensor(const tflite::Tensor& t, const std::string& where, const Model& model) {
    Tensor out;
    if (t.name()) out.name = t.name()->str();
    int type = static_cast<int>(t.type());
    if (!isKnownDType(type)) fail(where + ": unknown tensor type " + std::to_string(type));
    out.type = static_cast<DType>(type);
    out.shape_present = t.shape() != nullptr;
    out.shape = ints(t.shape());
    out.shape_signature = ints(t.shape_signature());
    out.buffer = t.buffer();
    out.is_variable = t.is_variable();
    out.has_rank = t.has_rank();
    out.quant = readQuant(t.quantization());
    if (t.sparsity()) {
      tflite::SparsityParametersT sp;
      t.sparsity()->UnPackTo(&sp);
      out.sparsity_blob = packStandalone(sp);
    }

    for (int32_t d : out.shape)
      if (d < 0) fail(where + " '" + out.name + "': negative dimension in shape " + shapeText(out.shape));
    int64_t count = elementCount(out.shape);
    if (count < 0 || count > (int64_t{1} << 40))
      fail(where + " '" + out.name + "': shape " + shapeText(out.shape) + " has too many elements");
    if (out.buffer >= model.buffers.size())
      fail(where + " '" + out.name + "': buffer index " + std::to_string(out.buffer) + " out of range (" +
           std::to_string(model.buffers.size()) + " buffers)");
    const Bytes& data = model.buffers[out.buffer];
    int64_t need = dtypeStorageBytes(out.type, count);
    if (!data.empty() && need >= 0 && out.sparsity_blob.empty() && static_cast<int64_t>(data.size) < need)
      fail(where + " '" + out.name + "': buffer " + std::to_string(out.buffer) + " holds " +
           std::to_string(data.size) + " bytes, the tensor needs " + std::to_string(need));

    const QuantParams& q = out.quant;
    if (!q.zero_point.empty() && q.zero_point.size() != q.scale.size())
      fail(where + " '" + out.name + "': " + std::to_string(q.scale.size()) + " scales but " +
           std::to_string(q.zero_point.size()) + " zero points");
    // An 8-bit tensor's zero point is one of its values; anything else is a damaged file, and kernels fold zero
    // points into int32 sums that it would overflow (the run fuzzer's int8 LSTM with a zero point of 788529024).
    if (out.type == DType::Int8 || out.type == DType::UInt8) {
      const int64_t lo = out.type == DType::Int8 ? -128 : 0, hi = out.type == DType::Int8 ? 127 : 255;
      for (int64_t zp : q.zero_point)
        if (zp < lo || zp > hi)
          fail(where + " '" + out.name + "': zero point " + std::to_string(zp) + " outside the " +
               dtypeName(out.type) + " range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    if (q.perChannel()) {
      // Converters write 1-D per-channel biases with the weights' axis (3 for depthwise); TFLite Micro reads
      // them along their only axis. Do the same, say so, and keep axis 0 so that exports are valid.
      if (out.shape.size() == 1 && (q.quantized_dimension < 0 || q.quantized_dimension >= 1)) {
        warnings_.push_back(where + " '" + out.name + "': quantized_dimension " +
                            std::to_string(q.quantized_dimension) + " is not an axis of its shape " +
                            shapeText(out.shape) + "; axis 0 is used");
        out.quant.quantized_dimension = 0;
      }
      if (q.quantized_dimension < 0 || static_cast<size_t>(q.quantized_dimension) >= out.shape.size())
        fail(where + " '" + out.name + "': quantized_dimension " + std::to_string(q.quantized_dimension) +
             " outside shape " + shapeText(out.shape));
      if (out.shape_present && static_cast<size_t>(out.shape[q.quantized_dimension]) != q.scale.size())
        fail(where + " '" + out.name + "': " + std::to_string(q.scale.size()) + " per-channel scales for " +
             std::to_string(out.shape[q.quantized_dimension]) + " channels");
    }
    return out;
  }

  void checkIndex(int32_t idx, size_t count, bool optional, const std::string& what) {
    if ((optional && idx == -1) || (idx >= 0 && static_cast<size_t>(idx) < count)) return;
    fail(what + ": tensor index " + std::to_string(idx) + " out of range (" + std::to_string(count) + " tensors)");
  }

  Op readOp(const tflite::Operator& o, const std::string& where, const Model& model, size_t ntensors) {
    Op op;
    op.opcode_index = o.opcode_index();
    if (op.opcode_index >= model.opcodes.size())
      fail(where + ": operator code index " + std::to_string(op.opcode_index) + " out of range (" +
           std::to_string(model.opcodes.size()) + " codes)");
    op.inputs = ints(o.inputs());
    op.outputs = ints(o.outputs());
    op.intermediates = ints(o.intermediates());
    for (int32_t i : op.inputs) checkIndex(i, ntensors, true, where + " input");
    for (int32_t i : op.outputs) checkIndex(i, ntensors, false, where + " output");
    for (int32_t i : op.intermediates) checkIndex(i, ntensors, true, where + " intermediate");
    if (o.mutating_variable_inputs())
      for (uint8_t b : *o.mutating_variable_inputs()) op.mutating_variable_inputs.push_back(b != 0);

    if (o.builtin_options_type() != tflite::BuiltinOptions_NONE && o.builtin_options()) {
      if (!unionTableWideVectorsAligned("tflite.BuiltinOptions", o.builtin_options_type(), o.builtin_options()))
        fail(where + ": options hold a misaligned 64-bit vector (damaged file)");
      op.builtin_options.type = o.builtin_options_type();
      op.builtin_options.bytes =
          packUnion<tflite::BuiltinOptionsUnion>(o.builtin_options_type(), o.builtin_options());
    }
    if (o.builtin_options_2_type() != tflite::BuiltinOptions2_NONE && o.builtin_options_2()) {
      if (!unionTableWideVectorsAligned("tflite.BuiltinOptions2", o.builtin_options_2_type(), o.builtin_options_2()))
        fail(where + ": options hold a misaligned 64-bit vector (damaged file)");
      op.builtin_options_2.type = o.builtin_options_2_type();
      op.builtin_options_2.bytes =
          packUnion<tflite::BuiltinOptions2Union>(o.builtin_options_2_type(), o.builtin_options_2());
    }
    op.custom_options_format = static_cast<int8_t>(o.custom_options_format());
    if (o.custom_options()) {
      op.custom_options.assign(o.custom_options()->begin(), o.custom_options()->end());
    } else if (o.large_custom_options_offset() > 1) {
      uint64_t off = o.large_custom_options_offset(), len = o.large_custom_options_size();
      if (off > bytes_.size || len > bytes_.size - off) fail(where + ": custom options lie outside the file");
      op.custom_options.assign(bytes_.data + off, bytes_.data + off + len);
    }

    decodeOptions(model, op);
    return op;
  }

  Subgraph readSubgraph(const tflite::SubGraph& sg, uint32_t index, const Model& model) {
    Subgraph out;
    std::string where = "subgraph " + std::to_string(index);
    if (sg.name()) out.name = sg.name()->str();
    if (sg.tensors())
      for (uint32_t t = 0; t < sg.tensors()->size(); ++t)
        out.tensors.push_back(readTensor(*sg.tensors()->Get(t), where + " tensor " + std::to_string(t), model));
    size_t n = out.tensors.size();
    out.inputs = ints(sg.inputs());
    out.outputs = ints(sg.outputs());
    for (int32_t i : out.inputs) checkIndex(i, n, false, where + " input");
    for (int32_t i : out.outputs) checkIndex(i, n, false, where + " output");
    if (sg.operators())
      for (uint32_t o = 0; o < sg.operators()->size(); ++o)
        out.ops.push_back(readOp(*sg.operators()->Get(o), where + " operator " + std::to_string(o), model, n));
    return out;
  }

  void readMetadata(const tflite::Model& m, Model& model) {
    if (m.metadata_buffer()) model.metadata_buffer = ints(m.metadata_buffer());
    if (!m.metadata()) return;
    for (uint32_t i = 0; i < m.metadata()->size(); ++i) {
      const tflite::Metadata* md = m.metadata()->Get(i);
      MetadataEntry e;
      if (md->name()) e.name = md->name()->str();
      e.buffer = md->buffer();
      if (e.buffer >= model.buffers.size())
        fail("metadata '" + e.name + "': buffer index " + std::to_string(e.buffer) + " out of range");
      model.metadata.push_back(std::move(e));
    }
  }

  void readSignatures(const tflite::Model& m, Model& model) {
    if (!m.signature_defs()) return;
    for (uint32_t i = 0; i < m.signature_defs()->size(); ++i) {
      const tflite::SignatureDef* sd = m.signature_defs()->Get(i);
      Signature s;
      if (sd->signature_key()) s.key = sd->signature_key()->str();
      s.subgraph = sd->subgraph_index();
      if (s.subgraph >= model.subgraphs.size())
        fail("signature '" + s.key + "': subgraph " + std::to_string(s.subgraph) + " does not exist");
      size_t n = model.subgraphs[s.subgraph].tensors.size();
      auto maps = [&](const auto* v, std::vector<TensorMap>& dst) {
        if (!v) return;
        for (uint32_t k = 0; k < v->size(); ++k) {
          TensorMap tm;
          if (v->Get(k)->name()) tm.name = v->Get(k)->name()->str();
          tm.tensor = v->Get(k)->tensor_index();
          if (tm.tensor >= n) fail("signature '" + s.key + "' names tensor " + std::to_string(tm.tensor) +
                                   " of " + std::to_string(n));
          dst.push_back(std::move(tm));
        }
      };
      maps(sd->inputs(), s.inputs);
      maps(sd->outputs(), s.outputs);
      model.signatures.push_back(std::move(s));
    }
  }

  Bytes bytes_;
  std::string name_;
  std::vector<std::string> warnings_;
};

}  // namespace

Model readModelFromBytes(Bytes bytes, const std::string& name) { return Reader(std::move(bytes), name).read(); }

Model readModel(const std::string& path) {
  auto file = MappedFile::open(path);
  Bytes b{file->data(), file->size(), file};
  return readModelFromBytes(std::move(b), path);
}

}  // namespace ql
