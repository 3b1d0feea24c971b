// The `inspect --json` view of a model: every subgraph, tensor, operator (with decoded options) and signature.
#pragma once

#include <nlohmann/json.hpp>

#include "model/graph.h"

namespace ql {

nlohmann::json quantToJson(const QuantParams& q);  // null when the tensor is not quantized
nlohmann::json tensorToJson(const Model& model, const Tensor& t, int index);
nlohmann::json modelToJson(const Model& model);

}  // namespace ql
