#include "model/unused_tensors.h"

namespace ql {

std::vector<int> dropUnusedTensors(Model& model) {
  std::vector<int> first_map;
  for (size_t s = 0; s < model.subgraphs.size(); ++s) {
    Subgraph& sg = model.subgraphs[s];
    std::vector<bool> used(sg.tensors.size(), false);
    auto mark = [&](int32_t t) {
      if (t >= 0 && static_cast<size_t>(t) < used.size()) used[static_cast<size_t>(t)] = true;
    };
    for (const Op& op : sg.ops) {
      for (int32_t t : op.inputs) mark(t);
      for (int32_t t : op.outputs) mark(t);
      for (int32_t t : op.intermediates) mark(t);
    }
    for (int32_t t : sg.inputs) mark(t);
    for (int32_t t : sg.outputs) mark(t);
    for (const Signature& sig : model.signatures)
      if (sig.subgraph == s) {
        for (const TensorMap& tm : sig.inputs) mark(static_cast<int32_t>(tm.tensor));
        for (const TensorMap& tm : sig.outputs) mark(static_cast<int32_t>(tm.tensor));
      }
    std::vector<int> map(sg.tensors.size(), -1);
    std::vector<Tensor> kept;
    for (size_t t = 0; t < sg.tensors.size(); ++t)
      if (used[t]) {
        map[t] = static_cast<int>(kept.size());
        kept.push_back(std::move(sg.tensors[t]));
      }
    sg.tensors = std::move(kept);
    auto remap = [&](int32_t& t) {
      if (t >= 0) t = map[static_cast<size_t>(t)];
    };
    for (Op& op : sg.ops) {
      for (int32_t& t : op.inputs) remap(t);
      for (int32_t& t : op.outputs) remap(t);
      for (int32_t& t : op.intermediates) remap(t);
    }
    for (int32_t& t : sg.inputs) remap(t);
    for (int32_t& t : sg.outputs) remap(t);
    for (Signature& sig : model.signatures)
      if (sig.subgraph == s) {
        for (TensorMap& tm : sig.inputs) tm.tensor = static_cast<uint32_t>(map[tm.tensor]);
        for (TensorMap& tm : sig.outputs) tm.tensor = static_cast<uint32_t>(map[tm.tensor]);
      }
    if (s == 0) first_map = std::move(map);
  }
  return first_map;
}

void dropUnusedOpcodes(Model& model) {
  std::vector<int> map(model.opcodes.size(), -1);
  std::vector<OperatorCode> kept;
  for (Subgraph& sg : model.subgraphs)
    for (Op& op : sg.ops) {
      int& m = map[op.opcode_index];
      if (m < 0) {
        m = static_cast<int>(kept.size());
        kept.push_back(model.opcodes[op.opcode_index]);
      }
      op.opcode_index = static_cast<uint32_t>(m);
    }
  model.opcodes = std::move(kept);
}

}  // namespace ql
