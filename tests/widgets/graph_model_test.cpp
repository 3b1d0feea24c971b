// What a graph view shows of a model built with the project's writer: constants folded into their op,
// DEQUANTIZE of float16 weights folded into its reader, ops named by their outputs, name scopes that collapse.
#include <QtTest/QtTest>

#include "model/model_builder.h"
#include "model/tensor_values.h"
#include "widgets/graph/graph_model.h"

using namespace ql;
using namespace ql::gui;

namespace {

int32_t tensor(Model& m, const std::string& name, DType type, std::vector<int32_t> shape, size_t const_bytes = 0) {
  Tensor t;
  t.name = name;
  t.type = type;
  t.shape = std::move(shape);
  if (const_bytes) t.buffer = addBuffer(m, Bytes::own(std::vector<uint8_t>(const_bytes, 0)));
  return addTensor(m.subgraphs[0], t);
}

// input -> CONV_2D(weights via DEQUANTIZE of float16, bias) -> ADD(residual with input) -> RESHAPE(shape const)
Model smallModel() {
  Model m = emptyModel();
  Subgraph& sg = m.subgraphs[0];
  int in = tensor(m, "input", DType::Float32, {1, 8, 8, 4});
  int w16 = tensor(m, "block/conv/w16", DType::Float16, {4, 3, 3, 4}, 4 * 9 * 4 * 2);
  int w = tensor(m, "block/conv/w", DType::Float32, {4, 3, 3, 4});
  int bias = tensor(m, "block/conv/bias", DType::Float32, {4}, 16);
  int conv = tensor(m, "block/conv/out", DType::Float32, {1, 8, 8, 4});
  int add = tensor(m, "block/add/out", DType::Float32, {1, 8, 8, 4});
  int shape = tensor(m, "head/shape", DType::Int32, {2}, 8);
  int out = tensor(m, "head/reshape/out", DType::Float32, {1, 256});
  sg.inputs = {in};
  sg.outputs = {out};
  sg.ops.push_back(makeOp(m, "DEQUANTIZE", {w16}, {w}));
  sg.ops.push_back(makeOp(m, "CONV_2D", {in, w, bias}, {conv}, "Conv2DOptions",
                          {{"padding", "SAME"}, {"stride_w", 1}, {"stride_h", 1}, {"fused_activation_function", "RELU6"}}));
  sg.ops.push_back(makeOp(m, "ADD", {conv, in}, {add}, "AddOptions", {{"fused_activation_function", "NONE"}}));
  sg.ops.push_back(makeOp(m, "RESHAPE", {add, shape}, {out}));
  return m;
}

const GraphModel::Node& nodeOfOp(const GraphModel& g, int op) {
  return g.nodes[static_cast<size_t>(g.node_of_op[static_cast<size_t>(op)])];
}

}  // namespace

class GraphModelTest : public QObject {
  Q_OBJECT
 private slots:
  void foldsConstantsAndFloat16Dequantize() {
    Model m = smallModel();
    GraphModel g = buildGraphModel(m);
    // The DEQUANTIZE of float16 weights is no node of its own: it shows inside the conv.
    QCOMPARE(g.node_of_op[0], g.node_of_op[1]);
    const auto& conv = nodeOfOp(g, 1);
    QCOMPARE(conv.type, std::string("CONV_2D"));
    QCOMPARE(conv.name, std::string("block/conv/out"));
    QCOMPARE(conv.fused, std::string("RELU6"));
    QCOMPARE(conv.kind, OpKind::Conv);
    QCOMPARE(conv.constants.size(), size_t{2});
    QCOMPARE(conv.constants[0], std::string("weights 4×3×3×4 float16"));
    QCOMPARE(conv.constants[1], std::string("bias 4 float32"));
    QCOMPARE(nodeOfOp(g, 3).constants[0].rfind("shape 2 int32", 0), size_t{0});
    // input, conv, add, reshape, output
    QCOMPARE(g.nodes.size(), size_t{5});
    // Edges: input->conv, input->add (residual), conv->add, add->reshape, reshape->output; shapes as labels.
    QCOMPARE(g.edges.size(), size_t{5});
    bool residual = false;
    for (const auto& e : g.edges)
      if (g.nodes[static_cast<size_t>(e.from)].type == "input" && g.nodes[static_cast<size_t>(e.to)].type == "ADD")
        residual = e.label == "1×8×8×4";
    QVERIFY(residual);
  }

  void scopesCollapseIntoOneUnit() {
    Model m = smallModel();
    GraphModel g = buildGraphModel(m);
    std::vector<std::string> paths;
    for (const auto& s : g.scopes) paths.push_back(s.path);
    QVERIFY(std::find(paths.begin(), paths.end(), "block") != paths.end());
    QVERIFY(std::find(paths.begin(), paths.end(), "block/conv") != paths.end());
    int block = static_cast<int>(std::find(paths.begin(), paths.end(), "block") - paths.begin());
    QCOMPARE(g.scopes[static_cast<size_t>(block)].node_count, 2);  // conv and add
    std::vector<bool> collapsed(g.scopes.size(), false);
    QCOMPARE(visibleGraph(g, collapsed).units.size(), size_t{5});
    collapsed[static_cast<size_t>(block)] = true;
    VisibleGraph v = visibleGraph(g, collapsed);
    QCOMPARE(v.units.size(), size_t{4});
    int unit = v.unit_of_node[static_cast<size_t>(g.node_of_op[1])];
    QCOMPARE(unit, v.unit_of_node[static_cast<size_t>(g.node_of_op[2])]);
    QCOMPARE(v.units[static_cast<size_t>(unit)].scope, block);
    // The residual input->add and input->conv merge into one edge into the group; no self edge.
    for (const auto& e : v.edges) QVERIFY(e.from != e.to);
    QCOMPARE(v.edges.size(), size_t{3});
    // A scope of one node ("head/reshape") never collapses.
    std::vector<bool> all(g.scopes.size(), true);
    QVERIFY(visibleGraph(g, all).units.size() >= 3);
  }

  void largeGraphsOpenCollapsed() {
    Model m = emptyModel();
    Subgraph& sg = m.subgraphs[0];
    int prev = tensor(m, "input", DType::Float32, {1, 4});
    sg.inputs = {prev};
    for (int b = 0; b < 50; ++b)
      for (int i = 0; i < 40; ++i) {
        int t = tensor(m, "block" + std::to_string(b) + "/op" + std::to_string(i), DType::Float32, {1, 4});
        sg.ops.push_back(makeOp(m, "RELU", {prev}, {t}));
        prev = t;
      }
    sg.outputs = {prev};
    GraphModel g = buildGraphModel(m);
    QCOMPARE(initialCollapse(g, 5000), std::vector<bool>(g.scopes.size(), false));
    std::vector<bool> c = initialCollapse(g, 1500);
    VisibleGraph v = visibleGraph(g, c);
    QCOMPARE(v.units.size(), size_t{52});  // input, 50 blocks, output
  }
};

QTEST_GUILESS_MAIN(GraphModelTest)
#include "graph_model_test.moc"
