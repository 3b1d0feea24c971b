#include "analysis/per_layer_feed.h"

#include "model/graph_index.h"
#include "runtime/tensor.h"

namespace ql {

std::map<int, int> perLayerFeeds(const Model& quant_model, const OpMatching& matching) {
  const Subgraph& qs = quant_model.subgraphs[0];
  const std::vector<int> q_producer = buildGraphIndex(qs).producer;
  std::map<int, int> quant_of_float;
  for (size_t t = 0; t < matching.float_tensor.size(); ++t) {
    int ft = matching.float_tensor[t];
    if (ft < 0 || !quant_model.dataOf(qs.tensors[t]).empty()) continue;
    auto it = quant_of_float.find(ft);
    if (it == quant_of_float.end() || q_producer[t] > q_producer[static_cast<size_t>(it->second)])
      quant_of_float[ft] = static_cast<int>(t);
  }
  return quant_of_float;
}

bool DequantizedFeeder::feed(int tensor_index, RuntimeTensor& tensor) {
  auto it = quant_of_float_.find(tensor_index);
  if (it == quant_of_float_.end() || tensor.type() != DType::Float32) return false;
  const std::vector<float> real = real_of_quant_(it->second);
  if (real.empty() || static_cast<int64_t>(real.size()) != tensor.elements()) return false;  // keep its own
  tensor.assign(tensor.shape(), real.data(), real.size() * sizeof(float));
  return true;
}

}  // namespace ql
