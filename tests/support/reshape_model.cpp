#include "support/reshape_model.h"

#include "model/model_builder.h"
#include "model/writer.h"

namespace ql::test {

Model reshapeModel(std::vector<int32_t> in_shape, std::vector<int32_t> out_shape, const std::string& out_name) {
  Model m = emptyModel("reshape");
  Subgraph& sg = m.subgraphs[0];
  int image = addTensor(sg, {"image", DType::Float32, in_shape});
  Tensor shape_t{"shape", DType::Int32, {static_cast<int32_t>(out_shape.size())}};
  shape_t.buffer = addBuffer(m, Bytes::copyOf(out_shape.data(), out_shape.size() * sizeof(int32_t)));
  int shape = addTensor(sg, shape_t);
  int out = addTensor(sg, {out_name, DType::Float32, out_shape});
  sg.inputs = {image};
  sg.outputs = {out};
  sg.ops.push_back(makeOp(m, "RESHAPE", {image, shape}, {out}, "ReshapeOptions", {{"new_shape", out_shape}}));
  return m;
}

std::string writeReshapeModel(const std::string& dir, const std::string& name, std::vector<int32_t> in_shape,
                              std::vector<int32_t> out_shape) {
  std::string path = dir + "/" + name;
  writeModel(reshapeModel(std::move(in_shape), std::move(out_shape)), path);
  return path;
}

}  // namespace ql::test
