// A model of one op (or a few), built in code with the project's writer, round-tripped through the reader and run
// by the interpreter: what kernel unit tests use.
#pragma once

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/graph.h"
#include "runtime/interpreter.h"

namespace ql::test {

struct TensorSpec {
  DType type = DType::Float32;
  std::vector<int32_t> shape;
  std::vector<float> scale;         // empty: not quantized
  std::vector<int64_t> zero_point;  // defaults to zeros when scale is set
  int32_t quantized_dimension = 0;
};

class OpModel {
 public:
  // Tensors are numbered in the order they are added.
  int input(const TensorSpec& spec);
  int output(const TensorSpec& spec);
  int intermediate(const TensorSpec& spec);  // produced by one op, read by another
  template <typename T>
  int constant(const TensorSpec& spec, const std::vector<T>& values) {
    return addConstant(spec, values.data(), values.size() * sizeof(T));
  }
  int variable(const TensorSpec& spec);  // a variable tensor (state), zero-initialized
  // Adds an op; options_table is the BuiltinOptions member ("Conv2DOptions"), or empty. For custom ops (a name
  // that is not a builtin) `options` become a flexbuffer map.
  void op(const std::string& name, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
          const std::string& options_table = {}, const nlohmann::json& options = nlohmann::json::object(),
          int32_t version = 1);

  // Writes, reads back and prepares the interpreter (first call of setInput/invoke does it).
  Interpreter& interpreter(Arithmetic arithmetic = Arithmetic::Deployed);
  template <typename T>
  void setInput(size_t i, const std::vector<T>& values) {
    interpreter().setInput(i, values.data(), values.size() * sizeof(T));
  }
  void invoke() { interpreter().invoke(); }
  template <typename T>
  std::vector<T> output(size_t i) {
    RuntimeTensor& t = interpreter().output(i);
    std::vector<T> out(t.bytes() / sizeof(T));
    std::memcpy(out.data(), t.raw(), out.size() * sizeof(T));
    return out;
  }
  std::vector<int32_t> outputShape(size_t i) { return interpreter().output(i).shape(); }
  const Model& model() const { return *loaded_; }

 private:
  int addTensor(const TensorSpec& spec, uint32_t buffer, bool is_variable = false);
  int addConstant(const TensorSpec& spec, const void* data, size_t size);

  Model building_;
  std::shared_ptr<const Model> loaded_;
  std::unique_ptr<Interpreter> interp_;
  bool started_ = false;
};

// Quantize / dequantize helpers for writing expectations.
std::vector<int8_t> quantizeInt8(const std::vector<float>& v, float scale, int32_t zp);
std::vector<uint8_t> quantizeUInt8(const std::vector<float>& v, float scale, int32_t zp);

}  // namespace ql::test
