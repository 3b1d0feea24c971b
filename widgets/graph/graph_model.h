// What a graph view shows of one model, without Qt: one node per op (constant inputs folded into it as Netron
// does, DEQUANTIZE of a constant folded into its reader), graph inputs and outputs as small nodes, tensors as
// edges labelled with their shape, and the `/`-separated name scopes of the op names as a tree of groups that can
// be collapsed. The QGraphicsView (graph_view.h) only draws this and the layout (graph_layout.h).
#pragma once

#include <string>
#include <vector>

#include "model/graph.h"

namespace ql::gui {

// Op families, each drawn with its own quiet tint.
enum class OpKind { Conv, Pooling, Activation, Elementwise, Layout, Quantize, Detection, Custom, Other, Io, Group };
OpKind opKindOf(const std::string& op_type, bool custom);
const char* opKindName(OpKind k);

struct GraphModel {
  struct Node {
    int op = -1;             // op index; -1 for a graph input/output node
    int tensor = -1;         // input/output nodes: the tensor they stand for
    std::string type;        // "CONV_2D"; "input"/"output" for I/O nodes
    std::string name;        // the first output tensor's name (how Netron names an op); the tensor for I/O nodes
    std::string fused;       // fused activation ("RELU6"), empty when none
    std::vector<std::string> constants;  // folded constant inputs: "weights 32×3×3×16 int8 per-channel"
    OpKind kind = OpKind::Other;
    int scope = -1;          // innermost name scope, -1 at the top level
  };
  struct Edge {
    int from = 0, to = 0;  // node indices (or unit indices in a VisibleGraph)
    int tensor = -1;
    std::string label;     // the tensor's shape "1×80×80×16", with its type when not float32 ("1×80×80×16 int8")
  };
  struct Scope {
    std::string path;      // "model.2/cv1"
    std::string label;     // "cv1"
    int parent = -1;
    int depth = 0;         // 0 for top-level scopes
    int node_count = 0;    // op nodes inside, nested scopes included
  };
  std::vector<Node> nodes;     // inputs, then ops in execution order, then outputs
  std::vector<Edge> edges;
  std::vector<Scope> scopes;   // a parent always before its children
  std::vector<int> node_of_op;  // per op: the node showing it (a folded DEQUANTIZE: its reader's node), or -1

  // Whether `scope` lies inside `ancestor` (or is it).
  bool inside(int scope, int ancestor) const;
};

GraphModel buildGraphModel(const Model& model, int subgraph = 0);

// The graph as drawn with some scopes collapsed: each unit is a node, or a collapsed scope standing for all its
// nodes. Units are ordered by their first node, so execution order orients the layout.
struct VisibleGraph {
  struct Unit {
    int node = -1;   // a node of the model, or
    int scope = -1;  // a collapsed scope
  };
  std::vector<Unit> units;
  std::vector<int> unit_of_node;
  std::vector<GraphModel::Edge> edges;  // between units, one per connected pair
};

// `collapsed` has one flag per scope; a scope holding fewer than two nodes never collapses (it would hide nothing).
VisibleGraph visibleGraph(const GraphModel& g, const std::vector<bool>& collapsed);

// The collapse state a view opens with: everything expanded when the graph has at most `max_units` nodes, else
// the shallowest level of scopes that brings it to a browsable number of units.
std::vector<bool> initialCollapse(const GraphModel& g, int max_units);

// "1×80×80×16"; "scalar" for rank 0; "?" when the file stores no shape.
std::string shapeText(const Tensor& t);
// An edge's label: the shape, and the element type unless float32, so a quantized graph shows where int8 flows.
std::string edgeText(const Tensor& t);

}  // namespace ql::gui
