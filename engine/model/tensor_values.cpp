#include "model/tensor_values.h"

#include <algorithm>
#include <cstring>

#include <Eigen/Core>

#include "util/error.h"

namespace ql {

float halfToFloat(uint16_t h) { return static_cast<float>(Eigen::numext::bit_cast<Eigen::half>(h)); }

uint16_t floatToHalf(float f) { return Eigen::numext::bit_cast<uint16_t>(Eigen::half(f)); }

ChannelIndexer::ChannelIndexer(const std::vector<int32_t>& shape, int axis) {
  if (axis < 0 || static_cast<size_t>(axis) >= shape.size()) return;
  channels_ = std::max(1, shape[static_cast<size_t>(axis)]);
  for (size_t i = static_cast<size_t>(axis) + 1; i < shape.size(); ++i) inner_ *= shape[i];
}

namespace {

template <typename T>
void dequantize(const uint8_t* data, int64_t n, const std::vector<int32_t>& shape, const QuantParams& q,
                std::vector<float>& out) {
  out.resize(static_cast<size_t>(n));
  const bool scaled = !q.scale.empty();
  ChannelIndexer ch(shape, q.perChannel() ? q.quantized_dimension : -1);
  for (int64_t i = 0; i < n; ++i) {
    T v;
    std::memcpy(&v, data + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
    if (!scaled) {
      out[static_cast<size_t>(i)] = static_cast<float>(v);
      continue;
    }
    size_t c = q.perChannel() ? static_cast<size_t>(ch.channel(i)) : 0;
    float scale = q.scale[c];
    int64_t zp = q.zero_point.empty() ? 0 : q.zero_point[c];
    out[static_cast<size_t>(i)] = scale * static_cast<float>(static_cast<int64_t>(v) - zp);
  }
}

}  // namespace

std::vector<float> realValues(DType type, const std::vector<int32_t>& shape, const QuantParams& q,
                              const uint8_t* data, size_t bytes) {
  int64_t n = elementCount(shape);
  int64_t need = dtypeStorageBytes(type, n);
  if (n < 0 || need < 0 || static_cast<size_t>(need) > bytes)
    throw Error(ErrorKind::BadInput, std::string("tensor data too small for its shape (") + dtypeName(type) + ")");
  std::vector<float> out;
  switch (type) {
    case DType::Float32:
      out.resize(static_cast<size_t>(n));
      std::memcpy(out.data(), data, static_cast<size_t>(need));
      break;
    case DType::Float16: {
      out.resize(static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, data + 2 * i, 2);
        out[static_cast<size_t>(i)] = halfToFloat(h);
      }
      break;
    }
    case DType::Int8: dequantize<int8_t>(data, n, shape, q, out); break;
    case DType::UInt8: dequantize<uint8_t>(data, n, shape, q, out); break;
    case DType::Int16: dequantize<int16_t>(data, n, shape, q, out); break;
    case DType::Int32: dequantize<int32_t>(data, n, shape, q, out); break;
    case DType::Int64: dequantize<int64_t>(data, n, shape, q, out); break;
    case DType::Bool: dequantize<uint8_t>(data, n, shape, QuantParams{}, out); break;
    default:
      throw Error(ErrorKind::Unsupported, std::string("no real values for ") + dtypeName(type) + " tensors");
  }
  return out;
}

std::vector<float> constantRealValues(const Model& model, const Tensor& t) {
  const Bytes& b = model.dataOf(t);
  if (b.empty()) return {};
  return realValues(t.type, t.shape, t.quant, b.data, b.size);
}

bool representableRange(const Tensor& t, size_t channel, double* lo, double* hi) {
  const QuantParams& q = t.quant;
  if (!q.hasScale()) return false;
  double qmin = 0, qmax = 0;
  switch (t.type) {
    case DType::Int8: qmin = -128; qmax = 127; break;
    case DType::UInt8: qmin = 0; qmax = 255; break;
    case DType::Int16: qmin = -32768; qmax = 32767; break;
    case DType::UInt16: qmin = 0; qmax = 65535; break;
    case DType::Int32: qmin = -2147483648.0; qmax = 2147483647.0; break;
    case DType::Int4: qmin = -8; qmax = 7; break;
    case DType::UInt4: qmin = 0; qmax = 15; break;
    default: return false;
  }
  size_t p = q.perChannel() ? std::min(channel, q.scale.size() - 1) : 0;
  double scale = q.scale[p];
  double zp = p < q.zero_point.size() ? static_cast<double>(q.zero_point[p]) : 0;
  *lo = scale * (qmin - zp);
  *hi = scale * (qmax - zp);
  return true;
}

}  // namespace ql
