// The memory a run may take: every tensor storage the interpreter allocates (owned tensors, the shared arena)
// is reserved here first, so a model whose shapes ask for more than the limit stops with a clear error before
// anything is allocated instead of swapping or being killed.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

namespace ql {

// Half of the machine's physical memory: the default limit of a run.
size_t defaultMaxMemory();

class MemoryBudget {
 public:
  MemoryBudget(size_t limit, std::string model_path) : limit_(limit), model_path_(std::move(model_path)) {}

  // Counts `bytes` more for `what` ("tensor 12 'x' [1,3]"), or throws BadInput naming it, the size and the
  // limit when they would pass the limit. Nothing is counted when it throws.
  void reserve(size_t bytes, const std::string& what);
  void release(size_t bytes) { used_ -= bytes; }

  size_t limit() const { return limit_; }
  size_t used() const { return used_; }
  size_t peak() const { return peak_; }

 private:
  // Atomic: the interpreters of one analysis (quantized and float) may share a budget and run on two threads.
  const size_t limit_;
  std::atomic<size_t> used_{0}, peak_{0};
  std::string model_path_;
};

// A 64-byte aligned, zeroed block of `bytes` counted in `budget` (when given) until the last owner drops it.
std::shared_ptr<uint8_t> allocateCounted(size_t bytes, const std::shared_ptr<MemoryBudget>& budget,
                                         const std::string& what);

}  // namespace ql
