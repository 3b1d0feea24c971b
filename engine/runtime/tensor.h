// A tensor as the interpreter holds it while running: type, current shape, quantization and its bytes, which
// are either the model's constant data (read-only, not copied) or storage the tensor owns. Storage is allocated
// on first access, not when the shape is set: preparing a model (shapes, memory plan) touches no tensor memory,
// and a shape a damaged file stores is never allocated unless an op really produces it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/graph.h"
#include "runtime/memory_budget.h"

namespace ql {

class RuntimeTensor {
 public:
  RuntimeTensor() = default;
  RuntimeTensor(const Tensor& t, const Bytes& constant);

  DType type() const { return type_; }
  const std::vector<int32_t>& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int32_t dim(int i) const { return shape_[i < 0 ? i + rank() : i]; }
  int64_t elements() const { return elementCount(shape_); }
  size_t bytes() const { return bytes_; }
  const std::string& name() const { return *name_; }
  const QuantParams& quant() const { return *quant_; }
  bool isConstant() const { return constant_; }
  bool isVariable() const { return variable_; }

  // Per-tensor parameters (channel 0 for per-channel tensors); scale 0 / zero point 0 when not quantized.
  float scale() const { return quant_->scale.empty() ? 0.f : quant_->scale[0]; }
  int32_t zeroPoint() const { return quant_->zero_point.empty() ? 0 : static_cast<int32_t>(quant_->zero_point[0]); }

  // The bytes, allocated (zeroed, counted in the memory budget) on first access; throw BadInput past the budget.
  const uint8_t* raw() const {
    if (!data_) allocate();
    return data_;
  }
  uint8_t* mutableRaw();  // throws for constants: kernels never write their inputs
  template <typename T>
  const T* data() const { return reinterpret_cast<const T*>(raw()); }
  template <typename T>
  T* mutableData() { return reinterpret_cast<T*>(mutableRaw()); }

  // Sets the shape; storage is kept when it is large enough, else dropped and allocated again on next access.
  // Contents are unspecified afterwards unless the byte size is unchanged. Throws for constants whose shape
  // would change.
  void resize(const std::vector<int32_t>& shape);
  // Makes this tensor hold a copy of `bytes` with `shape` (feeding inputs, --feed, variable state).
  void assign(const std::vector<int32_t>& shape, const void* bytes, size_t size);
  // Marks a tensor computed once from constants (constant folding) as constant from now on.
  void freeze() { constant_ = true; }
  // Makes the tensor live at `offset` of a shared arena (memory planning); a later resize beyond `capacity`
  // moves it to storage of its own.
  void placeIn(const std::shared_ptr<uint8_t>& arena, size_t offset, size_t capacity);
  // Where allocations of this tensor are counted, and its index in the subgraph for messages.
  void setBudget(std::shared_ptr<MemoryBudget> budget, int index) {
    budget_ = std::move(budget);
    index_ = index;
  }
  // "tensor 12 'name' [1,2,3] int8", for messages.
  std::string describe() const;

 private:
  DType type_ = DType::Float32;
  std::vector<int32_t> shape_;
  const QuantParams* quant_ = &kNoQuant;
  const std::string* name_ = &kNoName;
  bool constant_ = false, variable_ = false;
  void allocate() const;

  // Mutable: storage is allocated lazily by the const accessors.
  mutable const uint8_t* data_ = nullptr;
  size_t bytes_ = 0;
  mutable std::shared_ptr<uint8_t> owned_;  // 64-byte aligned storage, for SIMD kernels (or the planned arena)
  mutable size_t offset_ = 0;               // where the tensor starts in owned_
  mutable size_t capacity_ = 0;
  std::shared_ptr<MemoryBudget> budget_;
  int index_ = -1;

  static const QuantParams kNoQuant;
  static const std::string kNoName;
};

}  // namespace ql
