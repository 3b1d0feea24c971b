// Hooks on the interpreter: observers see every tensor an op produced; a feeder may replace an op output before
// the ops that read it run. Debug metrics, --all-tensors, --feed and the GUI's intermediate views are built on
// these, not on special cases in the interpreter loop.
#pragma once

#include "runtime/tensor.h"

namespace ql {

class TensorObserver {
 public:
  virtual ~TensorObserver() = default;
  // Called after op `op_index` ran, once per output tensor, with what the op computed.
  virtual void onTensor(int op_index, int tensor_index, const RuntimeTensor& tensor) = 0;
};

class TensorFeeder {
 public:
  virtual ~TensorFeeder() = default;
  // Called after observers saw `tensor`; return true after replacing its contents (same type, any shape) so
  // that later ops read the fed values instead.
  virtual bool feed(int tensor_index, RuntimeTensor& tensor) = 0;
};

}  // namespace ql
