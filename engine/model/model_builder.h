// Building blocks for making or changing a Model in code: the selective export adds ops and tensors with these,
// and tests build small models with them instead of shipping files.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/graph.h"

namespace ql {

// Decodes op.options from its option blobs or custom options (what the reader does for every op).
void decodeOptions(const Model& model, Op& op);

// An op of builtin `name` ("CONV_2D") or, when `name` is not a builtin, a custom op of that code whose
// `options` become a flexbuffer map. For builtins `options_table` names the BuiltinOptions member
// ("Conv2DOptions"; empty for ops without options) and `options` its fields.
Op makeOp(Model& model, const std::string& name, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
          const std::string& options_table = {}, const nlohmann::json& options = nlohmann::json::object(),
          int32_t version = 1);

uint32_t addBuffer(Model& model, Bytes data);
int32_t addTensor(Subgraph& sg, Tensor t);

// A model with one empty subgraph and the empty sentinel buffer 0.
Model emptyModel(const std::string& description = "quantlens");

}  // namespace ql
