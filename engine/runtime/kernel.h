// The contract between the interpreter and an op's implementation. A kernel is chosen per op by the op's name
// and its input types; prepare() checks types, sets output shapes and computes parameters once; eval() only
// loops. See engine/kernels/ for one file per op family.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/graph.h"
#include "runtime/tensor.h"

namespace ql {

// Which integer arithmetic quantized kernels follow.
enum class Arithmetic {
  Deployed,   // what TFLite's CPU runtime computes today: XNNPACK (fp32 requantization) where it runs an op
  Reference,  // TFLite's builtin fixed-point kernels everywhere (integer multiplier and shift)
};

class Interpreter;

struct KernelContext {
  const Model& model;
  const Op& op;
  int op_index = 0;
  std::vector<RuntimeTensor*> in;   // nullptr where the op omits an optional input (-1)
  std::vector<RuntimeTensor*> out;
  Arithmetic arithmetic = Arithmetic::Deployed;
  Interpreter* interpreter = nullptr;  // for ops that call other subgraphs

  const nlohmann::json& options() const { return op.options; }
  std::string opName() const { return model.opName(op); }
  size_t inputCount() const { return in.size(); }
  RuntimeTensor& input(size_t i) const;    // throws BadInput when absent
  RuntimeTensor* optionalInput(size_t i) const { return i < in.size() ? in[i] : nullptr; }
  RuntimeTensor& output(size_t i) const;   // throws BadInput when absent

  // "op 12 (CONV_2D): what" as an Unsupported / BadInput error.
  [[noreturn]] void unsupported(const std::string& what) const;
  [[noreturn]] void invalid(const std::string& what) const;
  // BadInput when `bytes` of working memory a kernel keeps (index tables, packed weights) would pass the run's
  // memory limit: a damaged file's huge shape must stop in prepare, not in the allocator.
  void checkScratch(size_t bytes, const std::string& what) const;
  // Option helpers with the schema default when the field is absent or null.
  int64_t intOption(const char* name, int64_t fallback = 0) const;
  double floatOption(const char* name, double fallback = 0) const;
  bool boolOption(const char* name, bool fallback = false) const;
  std::string enumOption(const char* name, const std::string& fallback = "") const;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  virtual void prepare(KernelContext& ctx) = 0;
  virtual void eval(KernelContext& ctx) = 0;
};

// Builds the kernel for an op, looking at its input types; returns nullptr when it has no kernel for them.
using KernelFactory = std::function<std::unique_ptr<Kernel>(const KernelContext&)>;

class KernelRegistry {
 public:
  void add(const std::string& op_name, KernelFactory factory);
  const KernelFactory* find(const std::string& op_name) const;
  std::vector<std::string> names() const;

 private:
  std::unordered_map<std::string, KernelFactory> factories_;
};

// Every kernel quantlens has (engine/kernels/all_kernels.cpp fills it on first use).
const KernelRegistry& kernelRegistry();

// A kernel made from two lambdas, for simple ops.
template <typename Prepare, typename Eval>
class LambdaKernel : public Kernel {
 public:
  LambdaKernel(Prepare p, Eval e) : prepare_(std::move(p)), eval_(std::move(e)) {}
  void prepare(KernelContext& ctx) override { prepare_(ctx); }
  void eval(KernelContext& ctx) override { eval_(ctx); }

 private:
  Prepare prepare_;
  Eval eval_;
};
template <typename Prepare, typename Eval>
std::unique_ptr<Kernel> makeKernel(Prepare p, Eval e) {
  return std::make_unique<LambdaKernel<Prepare, Eval>>(std::move(p), std::move(e));
}

}  // namespace ql
