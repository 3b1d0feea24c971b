#include "run_options.h"

#include <iostream>

namespace ql::cli {

void addMaxMemoryOption(CLI::App& cmd, size_t& mb) {
  cmd.add_option("--max-memory", mb,
                 "stop (exit 2) before a run allocates more than MB megabytes of tensors; default: half of "
                 "physical memory")
      ->check(CLI::Range(size_t{1}, size_t{1} << 30));
}

void printWarnings(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) std::cerr << "warning: " << w << "\n";
}

}  // namespace ql::cli
