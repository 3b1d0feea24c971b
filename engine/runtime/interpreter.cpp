#include "runtime/interpreter.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "model/graph_index.h"
#include "util/error.h"

namespace ql {

struct Interpreter::OpSlot {
  KernelContext ctx;
  std::unique_ptr<Kernel> kernel;
  bool folded = false;  // every input constant: computed once in prepare, skipped in invoke
};

namespace {

KernelContext contextFor(const Model& model, const Subgraph& sg, std::vector<RuntimeTensor>& tensors, size_t i,
                         Arithmetic arithmetic, Interpreter* interp) {
  const Op& op = sg.ops[i];
  KernelContext ctx{model, op, static_cast<int>(i), {}, {}, arithmetic, interp};
  for (int32_t t : op.inputs) ctx.in.push_back(t < 0 ? nullptr : &tensors[static_cast<size_t>(t)]);
  for (int32_t t : op.outputs) ctx.out.push_back(t < 0 ? nullptr : &tensors[static_cast<size_t>(t)]);
  return ctx;
}

std::unique_ptr<Kernel> kernelFor(const KernelContext& ctx) {
  const KernelFactory* f = kernelRegistry().find(ctx.opName());
  if (!f) return nullptr;
  return (*f)(ctx);
}

}  // namespace

std::vector<UnsupportedOp> unsupportedOps(const Model& model, int subgraph) {
  std::vector<UnsupportedOp> out;
  if (subgraph < 0 || static_cast<size_t>(subgraph) >= model.subgraphs.size()) return out;
  const Subgraph& sg = model.subgraphs[static_cast<size_t>(subgraph)];
  std::vector<RuntimeTensor> tensors;
  for (const Tensor& t : sg.tensors) tensors.emplace_back(t, model.dataOf(t));
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    KernelContext ctx = contextFor(model, sg, tensors, i, Arithmetic::Deployed, nullptr);
    if (!kernelFor(ctx)) out.push_back({static_cast<int>(i), model.opName(sg.ops[i])});
  }
  return out;
}

std::vector<std::string> preparationWarnings(const Model& model, int subgraph) {
  InterpreterOptions o;
  o.subgraph = subgraph;
  o.prepare_only = true;
  try {
    return Interpreter(model, o).warnings();  // borrowed: the interpreter lives only inside this call
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::Unsupported) return {};
    return {std::string("cannot be run: ") + e.what()};
  }
}

Interpreter::Interpreter(const Model& model, InterpreterOptions options)
    : Interpreter(std::shared_ptr<const Model>(&model, [](const Model*) {}), std::move(options)) {}

Interpreter::Interpreter(std::shared_ptr<const Model> shared_model, InterpreterOptions options)
    : model_(shared_model ? std::move(shared_model)
                          : throw Error(ErrorKind::Internal, "an interpreter needs a model")),
      sg_(options.subgraph >= 0 && static_cast<size_t>(options.subgraph) < model_->subgraphs.size()
              ? model_->subgraphs[static_cast<size_t>(options.subgraph)]
              : throw Error(ErrorKind::BadInput, model_->path + ": no subgraph " + std::to_string(options.subgraph))),
      options_(options),
      budget_(options.budget ? options.budget
                             : std::make_shared<MemoryBudget>(
                                   options.max_memory ? options.max_memory : defaultMaxMemory(), model_->path)) {
  const Model& model = *model_;
  tensors_.reserve(sg_.tensors.size());
  for (const Tensor& t : sg_.tensors) {
    tensors_.emplace_back(t, model.dataOf(t));
    tensors_.back().setBudget(budget_, static_cast<int>(tensors_.size() - 1));
    const Bytes& init = model.dataOf(t);
    // Variable tensors (LSTM state) start from their constant data but are written by the ops.
    if (t.is_variable && !init.empty()) tensors_.back().assign(t.shape, init.data, init.size);
  }
  for (size_t i = 0; i < sg_.ops.size(); ++i) {
    auto slot = std::make_unique<OpSlot>(OpSlot{contextFor(model, sg_, tensors_, i, options.arithmetic, this), {}});
    slot->kernel = kernelFor(slot->ctx);
    if (!slot->kernel) {
      std::string types;
      for (auto* t : slot->ctx.in)
        if (t) types += std::string(types.empty() ? "" : ", ") + dtypeName(t->type());
      slot->ctx.unsupported(kernelRegistry().find(slot->ctx.opName())
                                ? "no kernel for inputs of type " + types
                                : "op is not supported by quantlens's interpreter");
    }
    ops_.push_back(std::move(slot));
  }
  const GraphIndex index = buildGraphIndex(sg_);
  checkWriters(index);
  prepareAll();
  if (options.prepare_only) return;
  planMemory(index);
  resetVariables();
}

// Greedy by size, as TFLite's arena planner: the largest tensors first, each at the lowest offset where it does
// not overlap a placed tensor whose lifetime [producer, last reader] overlaps its own.
void Interpreter::planMemory(const GraphIndex& index) {
  const size_t n = tensors_.size();
  const std::vector<int>& first = index.producer;
  std::vector<int> last(n, -1);
  for (size_t t = 0; t < n; ++t)
    if (!index.consumers[t].empty()) last[t] = index.consumers[t].back();
  // LSTM scratch tensors (intermediates) live while their op runs.
  for (size_t i = 0; i < sg_.ops.size(); ++i)
    for (int32_t t : sg_.ops[i].intermediates)
      if (t >= 0) last[static_cast<size_t>(t)] = std::max(last[static_cast<size_t>(t)], static_cast<int>(i));
  std::vector<bool> keep(n, false);
  for (size_t t = 0; t < n; ++t) keep[t] = index.is_graph_input[t] || index.is_graph_output[t];
  struct Item {
    size_t tensor, bytes;
    int first, last;
    size_t offset = 0;
  };
  std::vector<Item> items;
  for (size_t t = 0; t < n; ++t) {
    const RuntimeTensor& rt = tensors_[t];
    if (keep[t] || rt.isConstant() || rt.isVariable() || first[t] < 0 || rt.bytes() == 0) continue;
    size_t bytes = (rt.bytes() + 63) / 64 * 64;
    items.push_back({t, bytes, first[t], std::max(last[t], first[t])});
    unplanned_bytes_ += bytes;
  }
  if (options_.keep_tensors) return;  // each tensor keeps storage of its own, allocated when first written
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.bytes > b.bytes; });
  std::vector<const Item*> placed;
  for (Item& it : items) {
    std::vector<std::pair<size_t, size_t>> busy;  // address ranges of placed tensors alive at the same time
    for (const Item* p : placed)
      if (p->first <= it.last && it.first <= p->last) busy.push_back({p->offset, p->offset + p->bytes});
    std::sort(busy.begin(), busy.end());
    size_t offset = 0;
    for (auto& [begin, end] : busy) {
      if (offset + it.bytes <= begin) break;
      offset = std::max(offset, end);
    }
    it.offset = offset;
    arena_bytes_ = std::max(arena_bytes_, offset + it.bytes);
    placed.push_back(&it);
  }
  if (arena_bytes_ == 0) return;
  // items[0] is the largest: naming it says which shape made the arena too large.
  std::shared_ptr<uint8_t> arena = allocateCounted(
      arena_bytes_, budget_,
      "the arena of " + std::to_string(items.size()) + " intermediate tensors (largest: " +
          tensors_[items[0].tensor].describe() + ", " + std::to_string(items[0].bytes) + " bytes)");
  for (const Item& it : items) tensors_[it.tensor].placeIn(arena, it.offset, it.bytes);
}

Interpreter::~Interpreter() = default;

void Interpreter::checkStoredShapes(size_t i) {
  const Op& op = sg_.ops[i];
  // The detection post-process's outputs depend on max_detections; converters store no shape for them.
  if (model_->opName(op) == "TFLite_Detection_PostProcess") return;
  for (int32_t t : op.outputs) {
    if (t < 0) continue;
    const Tensor& stored = sg_.tensors[static_cast<size_t>(t)];
    const std::vector<int32_t>& computed = tensors_[static_cast<size_t>(t)].shape();
    if (!stored.shape_present || stored.shape == computed) continue;
    // Dimensions the file marks dynamic (-1 in shape_signature) may differ.
    bool dynamic_only = stored.shape_signature.size() == computed.size() && stored.shape.size() == computed.size();
    for (size_t d = 0; dynamic_only && d < computed.size(); ++d)
      if (stored.shape[d] != computed[d] && stored.shape_signature[d] != -1) dynamic_only = false;
    if (dynamic_only) continue;
    warnings_.push_back("tensor " + std::to_string(t) + " '" + stored.name + "': the file stores shape " +
                        shapeText(stored.shape) + " but op " + std::to_string(i) + " (" + model_->opName(op) +
                        ") computes " + shapeText(computed) + " from its inputs; the computed shape is used");
  }
}

// Each tensor is written once, by one op, and never one that is a model input or that op's own input: a damaged
// file that aliases them would have an op resize the very data it reads (the run fuzzer's RESIZE_BILINEAR).
void Interpreter::checkWriters(const GraphIndex& index) const {
  for (size_t i = 0; i < sg_.ops.size(); ++i) {
    const Op& op = sg_.ops[i];
    for (int32_t t : op.outputs) {
      if (t < 0 || static_cast<size_t>(t) >= sg_.tensors.size()) continue;
      const size_t k = static_cast<size_t>(t);
      const std::string what = "op " + std::to_string(i) + " (" + model_->opName(op) + ") writes tensor " +
                               std::to_string(t) + " '" + sg_.tensors[k].name + "', ";
      if (index.is_graph_input[k]) badInput(model_->path, what + "which is a model input");
      if (index.producer[k] != static_cast<int>(i))  // the index keeps the first op that writes it
        badInput(model_->path, what + "which op " + std::to_string(index.producer[k]) + " writes too");
      if (std::find(op.inputs.begin(), op.inputs.end(), t) != op.inputs.end())
        badInput(model_->path, what + "which is also its input");
      // Ops run in file order, so a tensor is written before it is read. The run fuzzer's file had a SOFTMAX
      // write an LSTM's state after the LSTM had been prepared for its size, which it then read past the end.
      if (!index.consumers[k].empty() && index.consumers[k].front() < static_cast<int>(i))
        badInput(model_->path, what + "which op " + std::to_string(index.consumers[k].front()) +
                                   " reads before it is written");
    }
  }
}

void Interpreter::prepareAll() {
  // Non-constant tensors start with the shape the file gives (storage comes on first access); kernels set their
  // outputs' shapes from their inputs in prepare, so a stored shape is only used for model inputs.
  for (size_t t = 0; t < tensors_.size(); ++t)
    if (!tensors_[t].isConstant()) tensors_[t].resize(sg_.tensors[t].shape);
  for (size_t i = 0; i < ops_.size(); ++i) {
    OpSlot* slot = ops_[i].get();
    slot->kernel->prepare(slot->ctx);
    checkStoredShapes(i);
    bool all_const = !slot->ctx.in.empty();
    for (auto* t : slot->ctx.in)
      if (t && !t->isConstant()) all_const = false;
    // Ops of constants only (DEQUANTIZE of float16 weights, say) are computed once here.
    if (all_const && !slot->ctx.out.empty()) {
      slot->kernel->eval(slot->ctx);
      for (auto* t : slot->ctx.out)
        if (t) t->freeze();
      slot->folded = true;
    }
  }
}

void Interpreter::setInput(size_t i, const void* data, size_t size) {
  RuntimeTensor& t = input(i);
  if (size != t.bytes())
    throw Error(ErrorKind::BadInput, "input " + std::to_string(i) + " ('" + t.name() + "') needs " +
                                         std::to_string(t.bytes()) + " bytes, got " + std::to_string(size));
  std::memcpy(t.mutableRaw(), data, size);
}

namespace {
// Outputs of zero elements (a dimension of 0) leave an op nothing to compute, while its loops over the other
// dimensions could still run for hours: the run fuzzer's AVERAGE_POOL_2D over a [1,50331712,1064967,0] input.
bool writesNothing(const KernelContext& ctx) {
  if (ctx.out.empty()) return false;
  for (const RuntimeTensor* t : ctx.out)
    if (!t || t->elements() != 0) return false;
  return true;
}
}  // namespace

void Interpreter::runOp(size_t i) {
  OpSlot& slot = *ops_[i];
  if (!slot.folded && !writesNothing(slot.ctx)) slot.kernel->eval(slot.ctx);
  const Op& op = sg_.ops[i];
  for (size_t k = 0; k < op.outputs.size(); ++k) {
    int32_t t = op.outputs[k];
    if (t < 0) continue;
    for (TensorObserver* o : observers_) o->onTensor(static_cast<int>(i), t, tensors_[static_cast<size_t>(t)]);
    if (feeder_ && !tensors_[static_cast<size_t>(t)].isConstant()) feeder_->feed(t, tensors_[static_cast<size_t>(t)]);
  }
}

void Interpreter::invoke() {
  if (options_.prepare_only) throw Error(ErrorKind::Internal, "invoke() on an interpreter made to prepare only");
  if (feeder_)
    for (int32_t t : sg_.inputs) feeder_->feed(t, tensors_[static_cast<size_t>(t)]);
  for (size_t i = 0; i < ops_.size(); ++i) {
    if (options_.cancel && options_.cancel->cancelRequested()) throw Cancelled();
    runOp(i);
  }
}

void Interpreter::resetVariables() {
  for (size_t t = 0; t < tensors_.size(); ++t) {
    if (!sg_.tensors[t].is_variable) continue;
    const Bytes& init = model_->dataOf(sg_.tensors[t]);
    RuntimeTensor& rt = tensors_[t];
    if (!init.empty() && init.size == rt.bytes())
      std::memcpy(rt.mutableRaw(), init.data, init.size);
    else if (rt.bytes())
      std::memset(rt.mutableRaw(), 0, rt.bytes());
  }
}

}  // namespace ql
