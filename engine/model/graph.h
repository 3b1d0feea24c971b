// The one in-memory model of a .tflite file that the rest of quantlens uses.
// Flatbuffer types never leave engine/model: readers and writers translate between the file and these structs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/dtype.h"

namespace ql {

// Bytes that live either in a memory-mapped file or in an owned vector; `keepalive` holds whichever it is.
struct Bytes {
  const uint8_t* data = nullptr;
  size_t size = 0;
  std::shared_ptr<const void> keepalive;

  bool empty() const { return size == 0; }
  static Bytes copyOf(const void* p, size_t n);
  static Bytes own(std::vector<uint8_t> v);
};

// Affine quantization r = scale * (q - zero_point); per-channel when scale has more than one value, along
// quantized_dimension. `details` (custom quantization) is kept raw so a rewrite loses nothing.
struct QuantParams {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  std::vector<float> min, max;
  int32_t quantized_dimension = 0;
  uint8_t details_type = 0;          // QuantizationDetails union tag (0 = none)
  std::vector<uint8_t> details_blob;  // that union's table as a standalone flatbuffer

  bool present() const { return !scale.empty() || !min.empty() || !max.empty() || details_type != 0; }
  bool hasScale() const { return !scale.empty(); }
  bool perChannel() const { return scale.size() > 1; }
};

// A union member table (builtin options, quantization details, sparsity) serialized on its own, so that ops the
// engine does not understand are written back unchanged.
struct TableBlob {
  uint8_t type = 0;           // union tag; 0 = absent
  std::vector<uint8_t> bytes;  // standalone flatbuffer whose root is the table
  bool present() const { return type != 0 && !bytes.empty(); }
};

struct Tensor {
  std::string name;
  DType type = DType::Float32;
  std::vector<int32_t> shape;
  std::vector<int32_t> shape_signature;  // empty when the file has none
  bool shape_present = true;             // false when the file stores no shape at all (unknown until run)
  uint32_t buffer = 0;                   // index into Model::buffers; 0 is the empty sentinel
  QuantParams quant;
  bool is_variable = false;
  bool has_rank = false;
  std::vector<uint8_t> sparsity_blob;        // SparsityParameters, standalone flatbuffer, empty if none
  std::vector<uint8_t> variant_tensors_blob;  // kept raw for round trips
};

struct Op {
  uint32_t opcode_index = 0;  // into Model::opcodes
  std::vector<int32_t> inputs, outputs, intermediates;  // -1 marks an omitted optional input
  std::vector<bool> mutating_variable_inputs;
  TableBlob builtin_options;
  TableBlob builtin_options_2;
  std::vector<uint8_t> custom_options;
  int8_t custom_options_format = 0;  // FLEXBUFFERS
  // Decoded options by schema field name (enum values by name); custom ops: their flexbuffer map.
  nlohmann::json options = nlohmann::json::object();
};

struct OperatorCode {
  int32_t builtin = 0;  // BuiltinOperator value (the larger of builtin_code and deprecated_builtin_code)
  std::string custom_code;
  int32_t version = 1;
};

struct TensorMap {
  std::string name;
  uint32_t tensor = 0;
};

struct Signature {
  std::string key;
  uint32_t subgraph = 0;
  std::vector<TensorMap> inputs, outputs;
};

struct Subgraph {
  std::string name;
  std::vector<Tensor> tensors;
  std::vector<int32_t> inputs, outputs;
  std::vector<Op> ops;
};

struct MetadataEntry {
  std::string name;
  uint32_t buffer = 0;
};

struct Model {
  uint32_t version = 3;
  std::string description;
  std::vector<OperatorCode> opcodes;
  std::vector<Subgraph> subgraphs;
  std::vector<Bytes> buffers;  // constant data; buffers[0] is the empty sentinel by convention
  std::vector<int32_t> metadata_buffer;
  std::vector<MetadataEntry> metadata;
  std::vector<Signature> signatures;
  Bytes trailing;              // bytes after the flatbuffer (e.g. a zip of label files)
  std::string path;            // where it was read from, for messages
  // What the reader accepted with a fix-up instead of refusing the file (as the runtimes do), one line each;
  // inspect and run print them. The Model holds the fixed values, so anything exported from it is clean.
  std::vector<std::string> load_warnings;

  const OperatorCode& opcodeOf(const Op& op) const { return opcodes.at(op.opcode_index); }
  // BuiltinOperator name, or the custom code for custom ops.
  std::string opName(const Op& op) const;
  bool isCustom(const Op& op) const;
  // Constant data of a tensor (empty when it has none).
  const Bytes& dataOf(const Tensor& t) const;
  // Index of an opcode, appending it when the model has none like it.
  uint32_t internOpcode(int32_t builtin, int32_t op_version, const std::string& custom_code = {});
};

// Element count of a shape, or -1 when a dimension is negative or the count overflows.
int64_t elementCount(const std::vector<int32_t>& shape);
// "[1,224,224,3]", for messages.
std::string shapeText(const std::vector<int32_t>& shape);

}  // namespace ql
