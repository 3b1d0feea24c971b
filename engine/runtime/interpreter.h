// Runs one subgraph of a Model: chooses a kernel per op, propagates shapes, allocates tensors, executes the ops
// in order and lets observers and feeders see every intermediate tensor.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/graph.h"
#include "runtime/kernel.h"
#include "runtime/observer.h"
#include "runtime/tensor.h"

namespace ql {

struct InterpreterOptions {
  Arithmetic arithmetic = Arithmetic::Deployed;
  int subgraph = 0;
};

// The ops of a subgraph that have no kernel here, in order; empty when all are supported.
std::vector<int> unsupportedOpIndices(const Model& model, int subgraph = 0);
// The same ops named for messages ("op 12 (FOO)").
std::vector<std::string> unsupportedOps(const Model& model, int subgraph = 0);

class Interpreter {
 public:
  // Throws ql::Error: Unsupported naming the first op without a kernel (and its index), BadInput for a model
  // whose shapes or types do not fit together.
  explicit Interpreter(const Model& model, InterpreterOptions options = {});
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  const Model& model() const { return model_; }
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

  // Bytes of the shared arena that intermediate tensors live in (memory planning), and what they would take
  // each in storage of its own.
  size_t arenaBytes() const { return arena_bytes_; }
  size_t unplannedBytes() const { return unplanned_bytes_; }

  // Runs every op once. Variable tensors (LSTM state) keep their values between calls until resetVariables().
  // Intermediate tensors share memory once their last reader ran: read them through an observer, not after
  // invoke(); model inputs, outputs, constants and variables keep their own storage.
  void invoke();
  void resetVariables();

 private:
  struct OpSlot;
  void prepareAll();
  void planMemory();
  void runOp(size_t i);

  const Model& model_;
  const Subgraph& sg_;
  InterpreterOptions options_;
  std::vector<RuntimeTensor> tensors_;
  std::vector<std::unique_ptr<OpSlot>> ops_;
  std::vector<TensorObserver*> observers_;
  TensorFeeder* feeder_ = nullptr;
  size_t arena_bytes_ = 0, unplanned_bytes_ = 0;
};

}  // namespace ql
