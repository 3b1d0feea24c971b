// A float model of one RESHAPE: its image input becomes an output of another shape. Enough to give a command a
// detector head of any shape, or to see the input tensor an image became.
#pragma once

#include <string>
#include <vector>

#include "model/graph.h"

namespace ql::test {

Model reshapeModel(std::vector<int32_t> in_shape, std::vector<int32_t> out_shape, const std::string& out_name = "head");
// The same written to DIR/NAME; returns the path.
std::string writeReshapeModel(const std::string& dir, const std::string& name, std::vector<int32_t> in_shape,
                              std::vector<int32_t> out_shape);

}  // namespace ql::test
