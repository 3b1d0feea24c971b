#include "widgets/graph/graph_layout.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <unordered_map>

namespace ql::gui {

namespace {

constexpr double kDummyWidth = 10;

// The layered graph: real nodes first, then one dummy per layer a long edge crosses.
struct Layered {
  std::vector<int> layer;
  std::vector<double> width, height;
  std::vector<std::vector<int>> up, down;  // neighbours one layer above / below
  std::vector<bool> dummy;

  int add(int lay, double w, double h, bool is_dummy) {
    layer.push_back(lay);
    width.push_back(w);
    height.push_back(h);
    up.emplace_back();
    down.emplace_back();
    dummy.push_back(is_dummy);
    return static_cast<int>(layer.size()) - 1;
  }
  void link(int a, int b) {
    down[static_cast<size_t>(a)].push_back(b);
    up[static_cast<size_t>(b)].push_back(a);
  }
};

// Closest positions to `want` (weighted) with x[i+1] >= x[i] + sep[i]: shifting by the running sum of separations
// turns it into isotonic regression, which pool-adjacent-violators solves exactly in one pass.
std::vector<double> placeInOrder(const std::vector<double>& want, const std::vector<double>& weight,
                                 const std::vector<double>& sep) {
  size_t n = want.size();
  std::vector<double> offset(n, 0);
  for (size_t i = 1; i < n; ++i) offset[i] = offset[i - 1] + sep[i - 1];
  struct Block {
    double sum_wy, sum_w;
    size_t count;
    double mean() const { return sum_wy / sum_w; }
  };
  std::vector<Block> blocks;
  blocks.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    blocks.push_back({weight[i] * (want[i] - offset[i]), weight[i], 1});
    while (blocks.size() > 1 && blocks[blocks.size() - 2].mean() > blocks.back().mean()) {
      Block b = blocks.back();
      blocks.pop_back();
      blocks.back().sum_wy += b.sum_wy;
      blocks.back().sum_w += b.sum_w;
      blocks.back().count += b.count;
    }
  }
  std::vector<double> x(n);
  size_t i = 0;
  for (const Block& b : blocks)
    for (size_t k = 0; k < b.count; ++k, ++i) x[i] = b.mean() + offset[i];
  return x;
}

}  // namespace

LayoutResult layoutLayered(const LayoutInput& in) {
  const int n = static_cast<int>(in.nodes.size());
  LayoutResult out;
  out.centre.resize(static_cast<size_t>(n));
  out.layer.assign(static_cast<size_t>(n), 0);
  out.route.resize(in.edges.size());
  if (n == 0) return out;

  // 1. Orient every edge along the node order; merge parallel edges so each pair gets one chain of dummies.
  std::unordered_map<int64_t, int> chain_of_pair;
  std::vector<std::pair<int, int>> pairs;
  std::vector<int> chain_of_edge(in.edges.size(), -1);
  for (size_t e = 0; e < in.edges.size(); ++e) {
    int a = in.edges[e].from, b = in.edges[e].to;
    if (a == b || a < 0 || b < 0 || a >= n || b >= n) continue;
    if (a > b) std::swap(a, b);
    int64_t key = static_cast<int64_t>(a) * n + b;
    auto [it, fresh] = chain_of_pair.emplace(key, static_cast<int>(pairs.size()));
    if (fresh) pairs.emplace_back(a, b);
    chain_of_edge[e] = it->second;
  }

  // 2. Longest-path layering in node order, then sources pulled down next to their first reader.
  std::vector<std::vector<int>> succ(static_cast<size_t>(n));
  std::vector<bool> has_pred(static_cast<size_t>(n), false);
  for (auto [a, b] : pairs) {
    succ[static_cast<size_t>(a)].push_back(b);
    has_pred[static_cast<size_t>(b)] = true;
  }
  std::vector<int> layer(static_cast<size_t>(n), 0);
  for (int a = 0; a < n; ++a)
    for (int b : succ[static_cast<size_t>(a)])
      layer[static_cast<size_t>(b)] = std::max(layer[static_cast<size_t>(b)], layer[static_cast<size_t>(a)] + 1);
  for (int a = 0; a < n; ++a) {
    if (has_pred[static_cast<size_t>(a)] || succ[static_cast<size_t>(a)].empty()) continue;
    int lowest = 1 << 30;
    for (int b : succ[static_cast<size_t>(a)]) lowest = std::min(lowest, layer[static_cast<size_t>(b)]);
    layer[static_cast<size_t>(a)] = lowest - 1;
  }

  // 3. Dummies for long edges, then barycenter ordering.
  Layered g;
  for (int v = 0; v < n; ++v)
    g.add(layer[static_cast<size_t>(v)], in.nodes[static_cast<size_t>(v)].width,
          in.nodes[static_cast<size_t>(v)].height, false);
  std::vector<std::vector<int>> chain(pairs.size());
  for (size_t c = 0; c < pairs.size(); ++c) {
    auto [a, b] = pairs[c];
    chain[c].push_back(a);
    int prev = a;
    for (int l = layer[static_cast<size_t>(a)] + 1; l < layer[static_cast<size_t>(b)]; ++l) {
      int d = g.add(l, kDummyWidth, 0, true);
      g.link(prev, d);
      chain[c].push_back(d);
      prev = d;
    }
    g.link(prev, b);
    chain[c].push_back(b);
  }
  const int total = static_cast<int>(g.layer.size());
  int layers = 1 + *std::max_element(g.layer.begin(), g.layer.end());
  std::vector<std::vector<int>> rows(static_cast<size_t>(layers));
  for (int v = 0; v < total; ++v) rows[static_cast<size_t>(g.layer[static_cast<size_t>(v)])].push_back(v);
  std::vector<double> pos(static_cast<size_t>(total), 0);  // rank inside the layer
  auto renumber = [&](std::vector<int>& row) {
    for (size_t i = 0; i < row.size(); ++i) pos[static_cast<size_t>(row[i])] = static_cast<double>(i);
  };
  for (auto& row : rows) renumber(row);
  auto sweep = [&](int l, bool use_up) {
    auto& row = rows[static_cast<size_t>(l)];
    std::vector<double> key(row.size());
    for (size_t i = 0; i < row.size(); ++i) {
      const auto& nb = use_up ? g.up[static_cast<size_t>(row[i])] : g.down[static_cast<size_t>(row[i])];
      if (nb.empty()) {
        key[i] = pos[static_cast<size_t>(row[i])];
        continue;
      }
      double s = 0;
      for (int u : nb) s += pos[static_cast<size_t>(u)];
      key[i] = s / static_cast<double>(nb.size());
    }
    std::vector<size_t> idx(row.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return key[a] < key[b]; });
    std::vector<int> sorted(row.size());
    for (size_t i = 0; i < idx.size(); ++i) sorted[i] = row[idx[i]];
    row = std::move(sorted);
    renumber(row);
  };
  for (int iter = 0; iter < 6; ++iter) {
    for (int l = 1; l < layers; ++l) sweep(l, true);
    for (int l = layers - 2; l >= 0; --l) sweep(l, false);
  }
  for (int l = 1; l < layers; ++l) sweep(l, true);

  // 4. x coordinates: start packed, then pull each node towards its neighbours, keeping order and spacing.
  std::vector<double> x(static_cast<size_t>(total), 0);
  for (auto& row : rows) {
    double cursor = 0;
    for (int v : row) {
      x[static_cast<size_t>(v)] = cursor + g.width[static_cast<size_t>(v)] / 2;
      cursor += g.width[static_cast<size_t>(v)] + in.node_gap;
    }
  }
  auto place = [&](int l, bool use_up, bool use_down) {
    const auto& row = rows[static_cast<size_t>(l)];
    size_t m = row.size();
    std::vector<double> want(m), weight(m, 1), sep(m > 0 ? m - 1 : 0);
    for (size_t i = 0; i < m; ++i) {
      int v = row[i];
      // A dummy follows all its neighbours, dummies most (long edges run straight). A real node follows only its
      // real neighbours when it has any: if the long edges passing by pulled it too, every residual edge would
      // push the main column sideways and a deep network would drift into a diagonal.
      double s = 0, w = 0, ds = 0, dw = 0;
      const bool vd = g.dummy[static_cast<size_t>(v)];
      auto take = [&](const std::vector<int>& nb) {
        for (int u : nb) {
          const bool ud = g.dummy[static_cast<size_t>(u)];
          if (!vd && ud) {
            ds += x[static_cast<size_t>(u)];
            dw += 1;
            continue;
          }
          double k = vd && ud ? 8.0 : vd ? 2.0 : 1.0;
          s += k * x[static_cast<size_t>(u)];
          w += k;
        }
      };
      if (use_up) take(g.up[static_cast<size_t>(v)]);
      if (use_down) take(g.down[static_cast<size_t>(v)]);
      if (w == 0 && dw > 0) s = ds, w = dw;
      want[i] = w > 0 ? s / w : x[static_cast<size_t>(v)];
      // In a crowded layer dummies give way: a long edge bends around the real nodes rather than shoving them.
      weight[i] = (w > 0 ? w : 0.5) * (vd ? 0.05 : 1.0);
      if (i + 1 < m)
        sep[i] = (g.width[static_cast<size_t>(v)] + g.width[static_cast<size_t>(row[i + 1])]) / 2 + in.node_gap;
    }
    std::vector<double> placed = placeInOrder(want, weight, sep);
    for (size_t i = 0; i < m; ++i) x[static_cast<size_t>(row[i])] = placed[i];
  };
  for (int iter = 0; iter < 8; ++iter) {
    for (int l = 1; l < layers; ++l) place(l, true, false);
    for (int l = layers - 2; l >= 0; --l) place(l, false, true);
  }
  for (int l = 0; l < layers; ++l) place(l, true, true);

  double min_x = 1e300, max_x = -1e300;
  for (int v = 0; v < total; ++v) {
    min_x = std::min(min_x, x[static_cast<size_t>(v)] - g.width[static_cast<size_t>(v)] / 2);
    max_x = std::max(max_x, x[static_cast<size_t>(v)] + g.width[static_cast<size_t>(v)] / 2);
  }
  std::vector<double> top(static_cast<size_t>(layers)), band(static_cast<size_t>(layers), 0);
  for (int v = 0; v < total; ++v)
    band[static_cast<size_t>(g.layer[static_cast<size_t>(v)])] =
        std::max(band[static_cast<size_t>(g.layer[static_cast<size_t>(v)])], g.height[static_cast<size_t>(v)]);
  double y = 0;
  for (int l = 0; l < layers; ++l) {
    top[static_cast<size_t>(l)] = y;
    y += band[static_cast<size_t>(l)] + in.layer_gap;
  }
  out.width = max_x - min_x;
  out.height = y - in.layer_gap;
  for (int v = 0; v < n; ++v) {
    out.layer[static_cast<size_t>(v)] = g.layer[static_cast<size_t>(v)];
    out.centre[static_cast<size_t>(v)] = {x[static_cast<size_t>(v)] - min_x,
                                          top[static_cast<size_t>(g.layer[static_cast<size_t>(v)])] +
                                              g.height[static_cast<size_t>(v)] / 2};
  }

  // Routes: bottom of the upper node, down through each dummy's band, into the top of the lower node. Edges
  // entering one node are spread over its top, ordered by where they come from, so they do not meet in a point.
  std::vector<std::vector<LayoutResult::Point>> chain_route(pairs.size());
  std::vector<std::vector<size_t>> entering(static_cast<size_t>(n));
  for (size_t c = 0; c < pairs.size(); ++c) {
    auto& r = chain_route[c];
    int a = chain[c].front();
    r.push_back({out.centre[static_cast<size_t>(a)].x,
                 out.centre[static_cast<size_t>(a)].y + g.height[static_cast<size_t>(a)] / 2});
    for (size_t k = 1; k + 1 < chain[c].size(); ++k) {
      int d = chain[c][k];
      double dx = x[static_cast<size_t>(d)] - min_x;
      int l = g.layer[static_cast<size_t>(d)];
      r.push_back({dx, top[static_cast<size_t>(l)]});
      r.push_back({dx, top[static_cast<size_t>(l)] + band[static_cast<size_t>(l)]});
    }
    int b = chain[c].back();
    r.push_back({out.centre[static_cast<size_t>(b)].x,
                 out.centre[static_cast<size_t>(b)].y - g.height[static_cast<size_t>(b)] / 2});
    entering[static_cast<size_t>(b)].push_back(c);
  }
  for (int b = 0; b < n; ++b) {
    auto& list = entering[static_cast<size_t>(b)];
    if (list.size() < 2) continue;
    auto from_x = [&](size_t c) { return chain_route[c][chain_route[c].size() - 2].x; };
    std::stable_sort(list.begin(), list.end(), [&](size_t p, size_t q) { return from_x(p) < from_x(q); });
    double w = in.nodes[static_cast<size_t>(b)].width * 0.6;
    for (size_t i = 0; i < list.size(); ++i)
      chain_route[list[i]].back().x +=
          w * (static_cast<double>(i + 1) / static_cast<double>(list.size() + 1) - 0.5);
  }
  for (size_t e = 0; e < in.edges.size(); ++e) {
    int c = chain_of_edge[e];
    if (c < 0) continue;
    out.route[e] = chain_route[static_cast<size_t>(c)];
    if (in.edges[e].from > in.edges[e].to) std::reverse(out.route[e].begin(), out.route[e].end());
  }
  return out;
}

}  // namespace ql::gui
