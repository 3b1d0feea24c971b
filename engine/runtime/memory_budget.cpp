#include "runtime/memory_budget.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "util/error.h"

namespace ql {

size_t defaultMaxMemory() {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return size_t{4} << 30;  // unknown: 4 GiB
  return static_cast<size_t>(pages) / 2 * static_cast<size_t>(page);
}

namespace {
std::string megabytes(size_t bytes) {
  double mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
  char buf[64];
  std::snprintf(buf, sizeof buf, mb < 10 ? "%.2f MB" : "%.0f MB", mb);
  return buf;
}
}  // namespace

void MemoryBudget::reserve(size_t bytes, const std::string& what) {
  size_t used = used_.load();
  do {
    if (bytes > limit_ || used > limit_ - bytes)
      badInput(model_path_, what + " needs " + std::to_string(bytes) + " bytes (" + megabytes(bytes) + "), " +
                                (used >= (size_t{1} << 20) ? "with " + megabytes(used) + " already in use, " : std::string()) +
                                "over the memory limit of " + megabytes(limit_) + " (--max-memory)");
  } while (!used_.compare_exchange_weak(used, used + bytes));
  size_t peak = peak_.load();
  while (used + bytes > peak && !peak_.compare_exchange_weak(peak, used + bytes)) {
  }
}

std::shared_ptr<uint8_t> allocateCounted(size_t bytes, const std::shared_ptr<MemoryBudget>& budget,
                                         const std::string& what) {
  size_t cap = (std::max<size_t>(bytes, 1) + 63) / 64 * 64;
  if (budget) budget->reserve(cap, what);
  void* p = std::aligned_alloc(64, cap);
  if (!p) {
    if (budget) budget->release(cap);
    throw std::bad_alloc();
  }
  std::memset(p, 0, cap);
  return std::shared_ptr<uint8_t>(static_cast<uint8_t*>(p), [budget, cap](uint8_t* q) {
    std::free(q);
    if (budget) budget->release(cap);
  });
}

}  // namespace ql
