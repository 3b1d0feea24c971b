// A top-down layered (Sugiyama-style) layout of a directed graph on plain structs, without Qt.
//
// Why our own and not Graphviz: libgvc laid out the 685-op yolov9t graph in ~0.2 s but took over 120 s on a
// 10,000-op graph, and a graph view relays out every time a name scope is expanded. The four classic steps below
// are each linear or near-linear in nodes + edge spans, so one code path serves a 20-node model and a fully
// expanded 10,000-op one (well under a second; see bench/gui_open_bench.cpp):
//   1. cycles (a collapsed scope can read its own output through an outside op) are broken by orienting every edge
//      along the caller's node order (execution order for ops);
//   2. layering by longest path from the sources, sources then pulled down next to their first reader;
//   3. edges spanning several layers get one dummy node per layer crossed, then the order inside each layer is
//      improved by barycenter sweeps down and up (fewer crossings);
//   4. x coordinates: each node wants the mean x of its neighbours; the closest positions to those wishes that keep
//      the layer's order and spacing are found exactly by pool-adjacent-violators (isotonic regression), sweeping
//      down and up a few times. Chains of dummies then straighten, and a node sits above its readers.
#pragma once

#include <vector>

namespace ql::gui {

struct LayoutInput {
  struct Node {
    double width = 0, height = 0;
  };
  struct Edge {
    int from = 0, to = 0;
  };
  std::vector<Node> nodes;  // in a topological-ish order (execution order): it orients edges that form cycles
  std::vector<Edge> edges;
  double node_gap = 24;   // horizontal space between neighbours in a layer
  double layer_gap = 44;  // vertical space between layers (room for an edge label)
};

struct LayoutResult {
  struct Point {
    double x = 0, y = 0;
  };
  // Per node: the centre, and the layer it was put in (0 at the top).
  std::vector<Point> centre;
  std::vector<int> layer;
  // Per input edge: the route from the bottom of the upper node to the top of the lower one through the dummy
  // nodes, listed from `from` to `to` (so an edge reversed to break a cycle runs upwards); empty for self-loops.
  std::vector<std::vector<Point>> route;
  double width = 0, height = 0;
};

LayoutResult layoutLayered(const LayoutInput& in);

}  // namespace ql::gui
