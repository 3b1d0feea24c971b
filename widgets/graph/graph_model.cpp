#include "widgets/graph/graph_model.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "model/graph_index.h"

namespace ql::gui {

OpKind opKindOf(const std::string& t, bool custom) {
  auto is = [&](std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (t == n) return true;
    return false;
  };
  if (t == "TFLite_Detection_PostProcess" || is({"NON_MAX_SUPPRESSION_V4", "NON_MAX_SUPPRESSION_V5"}))
    return OpKind::Detection;
  if (custom) return OpKind::Custom;
  if (is({"CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV", "CONV_3D", "CONV_3D_TRANSPOSE", "FULLY_CONNECTED",
          "BATCH_MATMUL", "EMBEDDING_LOOKUP", "UNIDIRECTIONAL_SEQUENCE_LSTM", "LSTM", "SVDF"}))
    return OpKind::Conv;
  if (is({"AVERAGE_POOL_2D", "MAX_POOL_2D", "L2_POOL_2D", "MEAN", "SUM", "REDUCE_MAX", "REDUCE_MIN",
          "REDUCE_PROD", "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"}))
    return OpKind::Pooling;
  if (is({"RELU", "RELU6", "RELU_N1_TO_1", "RELU_0_TO_1", "LEAKY_RELU", "PRELU", "LOGISTIC", "TANH", "HARD_SWISH",
          "SOFTMAX", "LOG_SOFTMAX", "ELU", "GELU", "EXP", "LOG", "SQRT", "RSQRT"}))
    return OpKind::Activation;
  if (is({"ADD", "SUB", "MUL", "DIV", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE", "POW", "ABS", "NEG",
          "SQUARE", "ADD_N", "FLOOR", "FLOOR_DIV", "FLOOR_MOD", "GREATER", "LESS", "EQUAL", "NOT_EQUAL",
          "GREATER_EQUAL", "LESS_EQUAL", "SELECT", "SELECT_V2", "LOGICAL_AND", "LOGICAL_OR", "CAST"}))
    return OpKind::Elementwise;
  if (is({"QUANTIZE", "DEQUANTIZE"})) return OpKind::Quantize;
  if (is({"RESHAPE", "SQUEEZE", "EXPAND_DIMS", "TRANSPOSE", "CONCATENATION", "SPLIT", "SPLIT_V", "PACK",
          "UNPACK", "SLICE", "STRIDED_SLICE", "PAD", "PADV2", "MIRROR_PAD", "GATHER", "GATHER_ND", "TILE",
          "DEPTH_TO_SPACE", "SPACE_TO_DEPTH", "BROADCAST_TO", "SHAPE", "ARG_MAX", "ARG_MIN", "TOPK_V2"}))
    return OpKind::Layout;
  return OpKind::Other;
}

const char* opKindName(OpKind k) {
  switch (k) {
    case OpKind::Conv: return "convolution";
    case OpKind::Pooling: return "pooling";
    case OpKind::Activation: return "activation";
    case OpKind::Elementwise: return "elementwise";
    case OpKind::Layout: return "reshape/layout";
    case OpKind::Quantize: return "quantize";
    case OpKind::Detection: return "detection";
    case OpKind::Custom: return "custom";
    case OpKind::Other: return "other";
    case OpKind::Io: return "input/output";
    case OpKind::Group: return "group";
  }
  return "?";
}

bool GraphModel::inside(int scope, int ancestor) const {
  for (int s = scope; s >= 0; s = scopes[static_cast<size_t>(s)].parent)
    if (s == ancestor) return true;
  return false;
}

namespace {
std::string lowerDType(DType t) {
  std::string s = dtypeName(t);
  std::transform(s.begin(), s.end(), s.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
}  // namespace

std::string edgeText(const Tensor& t) {
  return t.type == DType::Float32 ? shapeText(t) : shapeText(t) + " " + lowerDType(t.type);
}

std::string shapeText(const Tensor& t) {
  if (!t.shape_present) return "?";
  if (t.shape.empty()) return "scalar";
  std::string s;
  for (size_t i = 0; i < t.shape.size(); ++i) {
    if (i) s += "×";
    s += std::to_string(t.shape[i]);
  }
  return s;
}

namespace {

// What a constant input is for, by the op's input slot (the names Netron and the TFLite docs use).
std::string constantRole(const std::string& type, size_t slot) {
  auto in = [&](std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (type == n) return true;
    return false;
  };
  if (in({"CONV_2D", "DEPTHWISE_CONV_2D", "CONV_3D", "FULLY_CONNECTED"})) return slot == 1 ? "weights" : "bias";
  if (type == "TRANSPOSE_CONV") return slot == 0 ? "output_shape" : slot == 1 ? "weights" : "bias";
  if (in({"PAD", "PADV2", "MIRROR_PAD"})) return slot == 1 ? "paddings" : "constant";
  if (type == "RESHAPE") return "shape";
  if (type == "STRIDED_SLICE") return slot == 1 ? "begin" : slot == 2 ? "end" : "strides";
  if (type == "SLICE") return slot == 1 ? "begin" : "size";
  if (in({"MEAN", "SUM", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_PROD", "CONCATENATION"})) return "axis";
  if (type == "TRANSPOSE") return "perm";
  if (in({"RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"})) return "size";
  if (in({"GATHER", "GATHER_ND"})) return "indices";
  if (type == "PRELU") return "alpha";
  if (type == "UNIDIRECTIONAL_SEQUENCE_LSTM" || type == "LSTM" || type == "BIDIRECTIONAL_SEQUENCE_LSTM") {
    // The TFLite LSTM's input slots, named as the TFLite kernel names them.
    static const char* kLstm[] = {"input", "input_to_input_weights", "input_to_forget_weights",
                                  "input_to_cell_weights", "input_to_output_weights", "recurrent_to_input_weights",
                                  "recurrent_to_forget_weights", "recurrent_to_cell_weights",
                                  "recurrent_to_output_weights", "cell_to_input_weights", "cell_to_forget_weights",
                                  "cell_to_output_weights", "input_gate_bias", "forget_gate_bias", "cell_gate_bias",
                                  "output_gate_bias", "projection_weights", "projection_bias", "output_state",
                                  "cell_state", "input_layer_norm", "forget_layer_norm", "cell_layer_norm",
                                  "output_layer_norm"};
    if (slot < sizeof(kLstm) / sizeof(kLstm[0])) return kLstm[slot];
  }
  return "constant";
}


// "weights 32×3×3×16 int8 per-channel"; small int32 constants (shapes, axes, paddings) with their values.
std::string describeConstant(const Model& m, const std::string& role, const Tensor& t) {
  std::string s = role + " " + shapeText(t) + " " + lowerDType(t.type);
  if (t.quant.perChannel()) s += " per-channel";
  const Bytes& b = m.dataOf(t);
  if (t.type == DType::Int32 && b.size >= 4 && b.size <= 16) {
    s += " [";
    for (size_t i = 0; i + 4 <= b.size; i += 4) {
      int32_t v;
      std::memcpy(&v, b.data + i, 4);
      s += (i ? "," : "") + std::to_string(v);
    }
    s += "]";
  }
  return s;
}

}  // namespace

GraphModel buildGraphModel(const Model& model, int subgraph) {
  GraphModel g;
  if (subgraph < 0 || static_cast<size_t>(subgraph) >= model.subgraphs.size()) return g;
  const Subgraph& sg = model.subgraphs[static_cast<size_t>(subgraph)];
  GraphIndex index = buildGraphIndex(sg);
  const size_t n_ops = sg.ops.size(), n_tensors = sg.tensors.size();
  auto constant = [&](int t) { return !model.dataOf(sg.tensors[static_cast<size_t>(t)]).empty(); };

  // A DEQUANTIZE of a constant (float16 weights) is folded into its readers: they show its input instead.
  std::vector<int> folded_source(n_tensors, -1);  // per tensor: the constant it is a DEQUANTIZE of
  std::vector<bool> folded_op(n_ops, false);
  for (size_t i = 0; i < n_ops; ++i) {
    const Op& op = sg.ops[i];
    if (model.opName(op) != "DEQUANTIZE" || op.inputs.empty() || op.outputs.empty()) continue;
    if (op.inputs[0] < 0 || !constant(op.inputs[0]) || op.outputs[0] < 0) continue;
    if (index.is_graph_output[static_cast<size_t>(op.outputs[0])]) continue;
    folded_op[i] = true;
    folded_source[static_cast<size_t>(op.outputs[0])] = op.inputs[0];
  }

  // Name scopes: the `/`-separated prefix of an op's name (the first of `;`-joined fused names).
  std::unordered_map<std::string, int> scope_of_path;
  auto scopeOf = [&](const std::string& name) {
    std::string first = name.substr(0, name.find(';'));
    int parent = -1;
    size_t start = 0;
    for (size_t slash = first.find('/'); slash != std::string::npos; slash = first.find('/', slash + 1)) {
      std::string path = first.substr(0, slash);
      auto it = scope_of_path.find(path);
      if (it == scope_of_path.end()) {
        GraphModel::Scope s;
        s.path = path;
        s.label = first.substr(start, slash - start);
        s.parent = parent;
        s.depth = parent < 0 ? 0 : g.scopes[static_cast<size_t>(parent)].depth + 1;
        it = scope_of_path.emplace(path, static_cast<int>(g.scopes.size())).first;
        g.scopes.push_back(std::move(s));
      }
      parent = it->second;
      start = slash + 1;
    }
    return parent;
  };

  // A graph input or output node; its index.
  auto addIo = [&](int32_t t, const char* type) {
    GraphModel::Node node;
    node.tensor = t;
    node.type = type;
    node.name = sg.tensors[static_cast<size_t>(t)].name;
    node.kind = OpKind::Io;
    g.nodes.push_back(std::move(node));
    return static_cast<int>(g.nodes.size()) - 1;
  };
  std::vector<int> node_of_input(n_tensors, -1);
  for (int32_t t : sg.inputs)
    if (t >= 0 && static_cast<size_t>(t) < n_tensors) node_of_input[static_cast<size_t>(t)] = addIo(t, "input");
  g.node_of_op.assign(n_ops, -1);
  for (size_t i = 0; i < n_ops; ++i) {
    if (folded_op[i]) continue;
    const Op& op = sg.ops[i];
    GraphModel::Node node;
    node.op = static_cast<int>(i);
    node.type = model.opName(op);
    node.kind = opKindOf(node.type, model.isCustom(op));
    if (!op.outputs.empty() && op.outputs[0] >= 0) node.name = sg.tensors[static_cast<size_t>(op.outputs[0])].name;
    auto act = op.options.find("fused_activation_function");
    if (act != op.options.end() && act->is_string() && act->get<std::string>() != "NONE")
      node.fused = act->get<std::string>();
    for (size_t slot = 0; slot < op.inputs.size(); ++slot) {
      int t = op.inputs[slot];
      if (t < 0) continue;
      int source = folded_source[static_cast<size_t>(t)];
      if (source >= 0) {
        node.constants.push_back(describeConstant(model, constantRole(node.type, slot),
                                                  sg.tensors[static_cast<size_t>(source)]));
        g.node_of_op[static_cast<size_t>(index.producer[static_cast<size_t>(t)])] = static_cast<int>(g.nodes.size());
      } else if (constant(t)) {
        node.constants.push_back(describeConstant(model, constantRole(node.type, slot),
                                                  sg.tensors[static_cast<size_t>(t)]));
      }
    }
    node.scope = scopeOf(node.name);
    g.node_of_op[i] = static_cast<int>(g.nodes.size());
    g.nodes.push_back(std::move(node));
  }
  for (int32_t t : sg.outputs) {
    if (t < 0 || static_cast<size_t>(t) >= n_tensors) continue;
    int from = index.producer[static_cast<size_t>(t)];
    int to = addIo(t, "output");
    int from_node = from >= 0 ? g.node_of_op[static_cast<size_t>(from)] : node_of_input[static_cast<size_t>(t)];
    if (from_node >= 0) g.edges.push_back({from_node, to, t, edgeText(sg.tensors[static_cast<size_t>(t)])});
  }

  // Edges: each non-constant input of a shown op, from its producer (or the graph input node).
  for (size_t i = 0; i < n_ops; ++i) {
    if (folded_op[i]) continue;
    int to = g.node_of_op[i];
    std::unordered_set<int> seen;
    for (int32_t t : sg.ops[i].inputs) {
      if (t < 0 || folded_source[static_cast<size_t>(t)] >= 0 || constant(t) || !seen.insert(t).second) continue;
      int p = index.producer[static_cast<size_t>(t)];
      int from = p >= 0 ? g.node_of_op[static_cast<size_t>(p)] : node_of_input[static_cast<size_t>(t)];
      if (from < 0) continue;
      g.edges.push_back({from, to, t, edgeText(sg.tensors[static_cast<size_t>(t)])});
    }
  }
  for (const auto& node : g.nodes)
    for (int s = node.scope; s >= 0; s = g.scopes[static_cast<size_t>(s)].parent)
      ++g.scopes[static_cast<size_t>(s)].node_count;
  return g;
}

VisibleGraph visibleGraph(const GraphModel& g, const std::vector<bool>& collapsed) {
  VisibleGraph v;
  const size_t n = g.nodes.size();
  // The outermost collapsed scope around each scope (or -1).
  std::vector<int> hidden_by(g.scopes.size(), -1);
  for (size_t s = 0; s < g.scopes.size(); ++s) {
    const auto& sc = g.scopes[s];
    int outer = sc.parent >= 0 ? hidden_by[static_cast<size_t>(sc.parent)] : -1;
    bool here = s < collapsed.size() && collapsed[s] && sc.node_count >= 2;
    hidden_by[s] = outer >= 0 ? outer : here ? static_cast<int>(s) : -1;
  }
  v.unit_of_node.assign(n, -1);
  std::unordered_map<int, int> unit_of_scope;
  for (size_t i = 0; i < n; ++i) {
    int s = g.nodes[i].scope;
    int group = s >= 0 ? hidden_by[static_cast<size_t>(s)] : -1;
    if (group < 0) {
      v.unit_of_node[i] = static_cast<int>(v.units.size());
      v.units.push_back({static_cast<int>(i), -1});
      continue;
    }
    auto [it, fresh] = unit_of_scope.emplace(group, static_cast<int>(v.units.size()));
    if (fresh) v.units.push_back({-1, group});
    v.unit_of_node[i] = it->second;
  }
  std::unordered_set<int64_t> seen;
  for (const auto& e : g.edges) {
    int a = v.unit_of_node[static_cast<size_t>(e.from)], b = v.unit_of_node[static_cast<size_t>(e.to)];
    if (a == b || !seen.insert(static_cast<int64_t>(a) * static_cast<int64_t>(n + 1) + b).second) continue;
    v.edges.push_back({a, b, e.tensor, e.label});
  }
  return v;
}

std::vector<bool> initialCollapse(const GraphModel& g, int max_units) {
  std::vector<bool> collapsed(g.scopes.size(), false);
  if (static_cast<int>(g.nodes.size()) <= max_units || g.scopes.empty()) return collapsed;
  int deepest = 0;
  for (const auto& s : g.scopes) deepest = std::max(deepest, s.depth);
  // Collapse every scope at one depth; take the shallowest depth that shows enough units to be worth reading
  // (one box "model" says nothing), or the one with the most units that still fits.
  std::vector<bool> best = collapsed;
  size_t best_units = g.nodes.size() + 1;
  for (int depth = 0; depth <= deepest; ++depth) {
    std::vector<bool> c(g.scopes.size(), false);
    for (size_t s = 0; s < g.scopes.size(); ++s) c[s] = g.scopes[s].depth == depth;
    size_t units = visibleGraph(g, c).units.size();
    if (units >= 12 && static_cast<int>(units) <= max_units) return c;
    if (static_cast<int>(units) <= max_units || units < best_units) {
      best = c;
      best_units = units;
    }
  }
  return best;
}

}  // namespace ql::gui
