// Progress as a line on stderr per step, for long CLI commands.
#pragma once

#include <iostream>
#include <string>

#include "util/progress.h"

namespace ql::cli {

class StderrProgress : public Progress {
 public:
  explicit StderrProgress(std::string prefix) : prefix_(std::move(prefix)) {}
  void report(size_t done, size_t total, const std::string& what) override {
    std::cerr << prefix_ << ": [" << done << "/" << total << "] " << what << "\n";
  }

 private:
  std::string prefix_;
};

}  // namespace ql::cli
