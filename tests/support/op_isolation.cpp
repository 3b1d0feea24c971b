#include "support/op_isolation.h"

#include <map>

#include "model/model_builder.h"

namespace ql::test {

IsolatedOp isolateOp(const Model& source, int op_index) {
  const Subgraph& ss = source.subgraphs[0];
  const Op& op = ss.ops[static_cast<size_t>(op_index)];
  IsolatedOp out;
  out.model = emptyModel("op " + std::to_string(op_index) + " of " + source.path);
  out.model.path = source.path;
  Subgraph& sg = out.model.subgraphs[0];
  std::map<int, int> index_of;
  auto copyTensor = [&](int t) -> int {
    if (t < 0) return -1;
    auto it = index_of.find(t);
    if (it != index_of.end()) return it->second;
    Tensor copy = ss.tensors[static_cast<size_t>(t)];
    const Bytes& data = source.dataOf(copy);
    copy.buffer = data.empty() ? 0 : addBuffer(out.model, data);
    int i = addTensor(sg, copy);
    index_of[t] = i;
    return i;
  };
  Op copy = op;
  copy.opcode_index = out.model.internOpcode(source.opcodeOf(op).builtin, source.opcodeOf(op).version,
                                             source.opcodeOf(op).custom_code);
  for (int32_t& t : copy.inputs) {
    int src = t;
    t = copyTensor(t);
    if (src >= 0 && source.dataOf(ss.tensors[static_cast<size_t>(src)]).empty() &&
        !ss.tensors[static_cast<size_t>(src)].is_variable &&
        std::find(out.source_inputs.begin(), out.source_inputs.end(), src) == out.source_inputs.end()) {
      sg.inputs.push_back(t);
      out.source_inputs.push_back(src);
    }
  }
  for (int32_t& t : copy.intermediates) t = copyTensor(t);
  for (int32_t& t : copy.outputs) {
    int src = t;
    t = copyTensor(t);
    if (src >= 0) {
      sg.outputs.push_back(t);
      out.source_outputs.push_back(src);
    }
  }
  sg.ops.push_back(std::move(copy));
  return out;
}

}  // namespace ql::test
