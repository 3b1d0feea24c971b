#include "runtime/tensor.h"

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
  return const_cast<uint8_t*>(data_);
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
  if (bytes_ > capacity_ || !owned_) {
    size_t cap = (std::max<size_t>(bytes_, 1) + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, cap);
    if (!p) throw std::bad_alloc();
    std::memset(p, 0, cap);
    owned_ = std::shared_ptr<uint8_t>(static_cast<uint8_t*>(p), [](uint8_t* q) { std::free(q); });
    offset_ = 0;
    capacity_ = cap;
  }
  data_ = owned_.get() + offset_;
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
