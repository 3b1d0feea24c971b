// Progress on stderr for long CLI commands. On a terminal one line is rewritten in place; into a file or a pipe
// (logs, CI) a line is written at the first and last step and about every tenth of the way, so that 1,000
// calibration images do not make 1,000 lines.
#pragma once

#include <unistd.h>

#include <iostream>
#include <string>

#include "util/progress.h"

namespace ql::cli {

class StderrProgress : public Progress {
 public:
  explicit StderrProgress(std::string prefix) : prefix_(std::move(prefix)), terminal_(isatty(STDERR_FILENO) == 1) {}
  // A command that stops half way (an error, a cancel) ends the rewritten line, so its message starts on its own.
  ~StderrProgress() override {
    if (pending_) std::cerr << "\n";
  }
  void report(size_t done, size_t total, const std::string& what) override {
    const bool last = done >= total;
    if (terminal_) {
      std::cerr << "\r\033[K" << prefix_ << ": [" << done << "/" << total << "] " << what << (last ? "\n" : "")
                << std::flush;
      pending_ = !last;
      return;
    }
    const size_t tenth = total / 10 + 1;
    if (!last && done != 0 && done / tenth == written_ / tenth) return;
    written_ = done;
    std::cerr << prefix_ << ": [" << done << "/" << total << "] " << what << "\n";
  }

 private:
  std::string prefix_;
  bool terminal_;
  bool pending_ = false;
  size_t written_ = 0;
};

}  // namespace ql::cli
