#include "runtime/tensor.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "util/error.h"

namespace ql {

const QuantParams RuntimeTensor::kNoQuant{};
const std::string RuntimeTensor::kNoName{};

RuntimeTensor::RuntimeTensor(const Tensor& t, const Bytes& constant)
    : type_(t.type), shape_(t.shape), quant_(&t.quant), name_(&t.name), variable_(t.is_variable) {
  if (!constant.empty()) {
    constant_ = true;
    data_ = constant.data;
    bytes_ = constant.size;
  }
}

uint8_t* RuntimeTensor::mutableRaw() {
  if (constant_) throw Error(ErrorKind::Internal, "tensor '" + name() + "' is constant and cannot be written");
  return const_cast<uint8_t*>(raw());
}

std::string RuntimeTensor::describe() const {
  std::string s = (index_ >= 0 ? "tensor " + std::to_string(index_) + " '" : "tensor '") + name() + "' [";
  for (size_t i = 0; i < shape_.size(); ++i) s += (i ? "," : "") + std::to_string(shape_[i]);
  return s + "] " + dtypeName(type_);
}

void RuntimeTensor::allocate() const {
  owned_ = allocateCounted(bytes_, budget_, describe());
  offset_ = 0;
  capacity_ = (std::max<size_t>(bytes_, 1) + 63) / 64 * 64;
  data_ = owned_.get();
}

void RuntimeTensor::resize(const std::vector<int32_t>& shape) {
  int64_t n = elementCount(shape);
  int64_t need = dtypeStorageBytes(type_, n);
  if (n < 0 || need < 0)
    throw Error(ErrorKind::Unsupported, "tensor '" + name() + "': cannot hold " + dtypeName(type_) + " data");
  if (constant_) {
    if (static_cast<size_t>(need) != bytes_)
      throw Error(ErrorKind::BadInput, "constant tensor '" + name() + "' does not fit its shape");
    shape_ = shape;
    return;
  }
  shape_ = shape;
  bytes_ = static_cast<size_t>(need);
  if (owned_ && bytes_ <= capacity_) {
    data_ = owned_.get() + offset_;
    return;
  }
  owned_.reset();  // allocated again, for the new size, on next access
  offset_ = capacity_ = 0;
  data_ = nullptr;
}

void RuntimeTensor::placeIn(const std::shared_ptr<uint8_t>& arena, size_t offset, size_t capacity) {
  owned_ = arena;
  offset_ = offset;
  capacity_ = capacity;
  data_ = owned_.get() + offset_;
}

void RuntimeTensor::assign(const std::vector<int32_t>& shape, const void* bytes, size_t size) {
  constant_ = false;
  resize(shape);
  if (size != bytes_)
    throw Error(ErrorKind::BadInput, "tensor '" + name() + "' needs " + std::to_string(bytes_) + " bytes, got " +
                                         std::to_string(size));
  std::memcpy(mutableRaw(), bytes, size);
}

}  // namespace ql
