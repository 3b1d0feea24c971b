#include "runtime/kernel.h"

#include "runtime/interpreter.h"
#include "util/error.h"

namespace ql {

RuntimeTensor& KernelContext::input(size_t i) const {
  if (i >= in.size() || !in[i]) invalid("input " + std::to_string(i) + " is missing");
  return *in[i];
}

RuntimeTensor& KernelContext::output(size_t i) const {
  if (i >= out.size() || !out[i]) invalid("output " + std::to_string(i) + " is missing");
  return *out[i];
}

void KernelContext::unsupported(const std::string& what) const {
  throw Error(ErrorKind::Unsupported,
              model.path + ": op " + std::to_string(op_index) + " (" + opName() + "): " + what);
}

void KernelContext::invalid(const std::string& what) const {
  throw Error(ErrorKind::BadInput, model.path + ": op " + std::to_string(op_index) + " (" + opName() + "): " + what);
}

void KernelContext::checkScratch(size_t bytes, const std::string& what) const {
  if (!interpreter) return;
  const MemoryBudget& budget = interpreter->memory();
  if (bytes > budget.limit() || budget.used() > budget.limit() - bytes)
    invalid(what + " would need " + std::to_string(bytes >> 20) + " MB, over the memory limit of " +
            std::to_string(budget.limit() >> 20) + " MB (--max-memory)");
}

int64_t KernelContext::intOption(const char* name, int64_t fallback) const {
  auto it = op.options.find(name);
  if (it == op.options.end() || !it->is_number()) return fallback;
  return it->get<int64_t>();
}

double KernelContext::floatOption(const char* name, double fallback) const {
  auto it = op.options.find(name);
  if (it == op.options.end() || !it->is_number()) return fallback;
  return it->get<double>();
}

bool KernelContext::boolOption(const char* name, bool fallback) const {
  auto it = op.options.find(name);
  if (it == op.options.end()) return fallback;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_number()) return it->get<int64_t>() != 0;
  return fallback;
}

std::string KernelContext::enumOption(const char* name, const std::string& fallback) const {
  auto it = op.options.find(name);
  if (it == op.options.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

void KernelRegistry::add(const std::string& op_name, KernelFactory factory) {
  factories_[op_name] = std::move(factory);
}

const KernelFactory* KernelRegistry::find(const std::string& op_name) const {
  auto it = factories_.find(op_name);
  return it == factories_.end() ? nullptr : &it->second;
}

std::vector<std::string> KernelRegistry::names() const {
  std::vector<std::string> out;
  for (auto& [k, v] : factories_) out.push_back(k);
  return out;
}

}  // namespace ql
