// The producer/consumer index on hand-made graphs: fan-out, an op reading one tensor twice, omitted inputs.
#include "model/graph_index.h"
#include "model/model_builder.h"
#include "support/test_support.h"

namespace ql::test {
namespace {

TEST(GraphIndex, ProducersConsumersAndNeighbours) {
  Model m = emptyModel();
  Subgraph& sg = m.subgraphs[0];
  int in = addTensor(sg, {"in", DType::Float32, {1, 4}});
  int a = addTensor(sg, {"a", DType::Float32, {1, 4}});
  int b = addTensor(sg, {"b", DType::Float32, {1, 4}});
  int c = addTensor(sg, {"c", DType::Float32, {1, 4}});
  sg.inputs = {in};
  sg.outputs = {c};
  sg.ops.push_back(makeOp(m, "RELU", {in}, {a}));
  sg.ops.push_back(makeOp(m, "MUL", {a, a}, {b}, "MulOptions", {{"fused_activation_function", "NONE"}}));
  sg.ops.push_back(makeOp(m, "ADD", {a, b, -1}, {c}, "AddOptions", {{"fused_activation_function", "NONE"}}));
  GraphIndex g = buildGraphIndex(sg);
  EXPECT_EQ(g.producer[static_cast<size_t>(in)], -1);
  EXPECT_EQ(g.producer[static_cast<size_t>(b)], 1);
  EXPECT_EQ(g.consumers[static_cast<size_t>(a)], (std::vector<int>{1, 2}));  // MUL reads `a` twice, listed once
  EXPECT_TRUE(g.is_graph_input[static_cast<size_t>(in)]);
  EXPECT_TRUE(g.is_graph_output[static_cast<size_t>(c)]);
  EXPECT_FALSE(g.is_graph_output[static_cast<size_t>(b)]);
  EXPECT_EQ(g.successors(sg, 0), (std::vector<int>{1, 2}));
  EXPECT_EQ(g.predecessors(sg, 2), (std::vector<int>{0, 1}));
  EXPECT_TRUE(g.predecessors(sg, 0).empty());
}

}  // namespace
}  // namespace ql::test
