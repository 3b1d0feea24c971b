// Runs one subgraph of a Model: chooses a kernel per op, propagates shapes, allocates tensors, executes the ops
// in order and lets observers and feeders see every intermediate tensor.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "model/graph.h"
#include "model/graph_index.h"
#include "runtime/kernel.h"
#include "runtime/observer.h"
#include "runtime/tensor.h"
#include "util/progress.h"

namespace ql {

struct InterpreterOptions {
  Arithmetic arithmetic = Arithmetic::Deployed;
  int subgraph = 0;
  // Bytes of tensor storage a run may allocate (CLI --max-memory); past it the run stops with BadInput naming
  // the tensor, before allocating. 0: defaultMaxMemory(), half of physical memory.
  size_t max_memory = 0;
  // Interpreters that run together (the debugger's quantized and float models) may count in one budget; when
  // set, max_memory is ignored.
  std::shared_ptr<MemoryBudget> budget;
  // Prepare only (shapes, checks, warnings): no memory plan, nothing allocated for running; invoke() refuses.
  // What inspect uses to report stored shapes that differ from the computed ones.
  bool prepare_only = false;
  // Keep every intermediate tensor of the last invoke() readable through tensor(i) (dtype, shape, quantization,
  // values): no shared arena then, each tensor in storage of its own, counted in the memory limit. Off, nothing
  // is kept or copied.
  bool keep_tensors = false;
  // When set, cancelRequested() is checked between ops: invoke() throws Cancelled, and the next invoke() starts
  // the run over.
  const Progress* cancel = nullptr;
};

// An op of a subgraph that has no kernel here: its index and its opcode (builtin name or custom code).
struct UnsupportedOp {
  int index = 0;
  std::string opcode;
  std::string text() const { return "op " + std::to_string(index) + " (" + opcode + ")"; }
};
inline std::ostream& operator<<(std::ostream& os, const UnsupportedOp& op) { return os << op.text(); }

// The ops of a subgraph that have no kernel here, in order; empty when all are supported.
std::vector<UnsupportedOp> unsupportedOps(const Model& model, int subgraph = 0);

// What preparing subgraph `subgraph` warns about (stored shapes that differ from the computed ones), or why it
// cannot be prepared ("cannot be run: ..."); nothing is allocated. Empty when there is nothing to say or the
// model has ops without a kernel (unsupportedOps() names those).
std::vector<std::string> preparationWarnings(const Model& model, int subgraph = 0);

class Interpreter {
 public:
  // Throws ql::Error: Unsupported naming the first op without a kernel (and its index), BadInput for a model
  // whose shapes or types do not fit together. The interpreter shares ownership of the model: closing or
  // reloading it elsewhere cannot leave a run reading freed memory.
  explicit Interpreter(std::shared_ptr<const Model> model, InterpreterOptions options = {});
  // Borrows `model`, which must outlive the interpreter: for runs that begin and end inside one call (the CLI, a
  // test, a decoder run). Anything that outlives the caller's model, or runs on another thread (the app's
  // workers), takes the shared form above.
  explicit Interpreter(const Model& model, InterpreterOptions options = {});
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  const Model& model() const { return *model_; }
  const std::shared_ptr<const Model>& sharedModel() const { return model_; }
  bool keepsTensors() const { return options_.keep_tensors; }
  const Subgraph& subgraph() const { return sg_; }
  const std::vector<int32_t>& inputs() const { return sg_.inputs; }
  const std::vector<int32_t>& outputs() const { return sg_.outputs; }
  RuntimeTensor& tensor(int index) { return tensors_.at(static_cast<size_t>(index)); }
  const RuntimeTensor& tensor(int index) const { return tensors_.at(static_cast<size_t>(index)); }
  RuntimeTensor& input(size_t i) { return tensor(sg_.inputs.at(i)); }
  RuntimeTensor& output(size_t i) { return tensor(sg_.outputs.at(i)); }

  // Copies raw bytes (the input's dtype and shape) into input i; throws BadInput on a size mismatch.
  void setInput(size_t i, const void* data, size_t size);

  void addObserver(TensorObserver* o) { observers_.push_back(o); }
  void clearObservers() { observers_.clear(); }
  void setFeeder(TensorFeeder* f) { feeder_ = f; }

  // What preparing found worth telling without refusing the model: shapes the file stores that differ from the
  // ones computed from the op's inputs (the computed ones are used).
  const std::vector<std::string>& warnings() const { return warnings_; }
  const MemoryBudget& memory() const { return *budget_; }

  // Bytes of the shared arena that intermediate tensors live in (memory planning), and what they would take
  // each in storage of its own.
  size_t arenaBytes() const { return arena_bytes_; }
  size_t unplannedBytes() const { return unplanned_bytes_; }

  // Runs every op once. Variable tensors (LSTM state) keep their values between calls until resetVariables().
  // Intermediate tensors share memory once their last reader ran: read them through an observer, not after
  // invoke() (unless keep_tensors); model inputs, outputs, constants and variables keep their own storage.
  void invoke();
  void resetVariables();

 private:
  struct OpSlot;
  void checkWriters(const GraphIndex& index) const;
  void prepareAll();
  void checkStoredShapes(size_t op);
  void planMemory(const GraphIndex& index);
  void runOp(size_t i);

  std::shared_ptr<const Model> model_;
  const Subgraph& sg_;
  InterpreterOptions options_;
  std::vector<RuntimeTensor> tensors_;
  std::vector<std::unique_ptr<OpSlot>> ops_;
  std::vector<TensorObserver*> observers_;
  TensorFeeder* feeder_ = nullptr;
  size_t arena_bytes_ = 0, unplanned_bytes_ = 0;
  std::shared_ptr<MemoryBudget> budget_;
  std::vector<std::string> warnings_;
};

}  // namespace ql
