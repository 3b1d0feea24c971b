// A tensor as the interpreter holds it while running: type, current shape, quantization and its bytes, which
// are either the model's constant data (read-only, not copied) or storage the tensor owns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/graph.h"

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

  const uint8_t* raw() const { return data_; }
  uint8_t* mutableRaw();  // throws for constants: kernels never write their inputs
  template <typename T>
  const T* data() const { return reinterpret_cast<const T*>(data_); }
  template <typename T>
  T* mutableData() { return reinterpret_cast<T*>(mutableRaw()); }

  // Sets the shape and (re)allocates owned storage for it; contents are unspecified afterwards unless the byte
  // size is unchanged. Throws for constants whose shape would change.
  void resize(const std::vector<int32_t>& shape);
  // Makes this tensor hold a copy of `bytes` with `shape` (feeding inputs, --feed, variable state).
  void assign(const std::vector<int32_t>& shape, const void* bytes, size_t size);
  // Marks a tensor computed once from constants (constant folding) as constant from now on.
  void freeze() { constant_ = true; }
  // Makes the tensor live at `offset` of a shared arena (memory planning); a later resize beyond `capacity`
  // moves it to storage of its own.
  void placeIn(const std::shared_ptr<uint8_t>& arena, size_t offset, size_t capacity);

 private:
  DType type_ = DType::Float32;
  std::vector<int32_t> shape_;
  const QuantParams* quant_ = &kNoQuant;
  const std::string* name_ = &kNoName;
  bool constant_ = false, variable_ = false;
  const uint8_t* data_ = nullptr;
  size_t bytes_ = 0;
  std::shared_ptr<uint8_t> owned_;  // 64-byte aligned storage, for SIMD kernels (or the planned arena)
  size_t offset_ = 0;               // where the tensor starts in owned_
  size_t capacity_ = 0;

  static const QuantParams kNoQuant;
  static const std::string kNoName;
};

}  // namespace ql
