#include "model/graph.h"

#include <cstring>
#include <limits>

#include "model/op_names.h"

namespace ql {

Bytes Bytes::copyOf(const void* p, size_t n) {
  std::vector<uint8_t> v(n);
  if (n) std::memcpy(v.data(), p, n);
  return own(std::move(v));
}

Bytes Bytes::own(std::vector<uint8_t> v) {
  auto holder = std::make_shared<std::vector<uint8_t>>(std::move(v));
  Bytes b;
  b.data = holder->data();
  b.size = holder->size();
  b.keepalive = holder;
  return b;
}

std::string Model::opName(const Op& op) const {
  const OperatorCode& c = opcodeOf(op);
  if (c.builtin == kCustomOpCode) return c.custom_code;
  std::string n = builtinOpName(c.builtin);
  return n.empty() ? "BUILTIN_" + std::to_string(c.builtin) : n;
}

bool Model::isCustom(const Op& op) const { return opcodeOf(op).builtin == kCustomOpCode; }

const Bytes& Model::dataOf(const Tensor& t) const {
  static const Bytes kNone;
  return t.buffer < buffers.size() ? buffers[t.buffer] : kNone;
}

uint32_t Model::internOpcode(int32_t builtin, int32_t op_version, const std::string& custom_code) {
  for (uint32_t i = 0; i < opcodes.size(); ++i) {
    const OperatorCode& c = opcodes[i];
    if (c.builtin == builtin && c.version == op_version && c.custom_code == custom_code) return i;
  }
  opcodes.push_back({builtin, custom_code, op_version});
  return static_cast<uint32_t>(opcodes.size() - 1);
}

std::string shapeText(const std::vector<int32_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

int64_t elementCount(const std::vector<int32_t>& shape) {
  int64_t n = 1;
  for (int32_t d : shape) {
    if (d < 0) return -1;
    if (d != 0 && n > std::numeric_limits<int64_t>::max() / 4 / d) return -1;  // leaves room for byte counts
    n *= d;
  }
  return n;
}

}  // namespace ql
