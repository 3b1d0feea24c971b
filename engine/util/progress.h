// One progress/cancel interface for every long operation: the GUI adapts it to signals, the CLI to a line on
// stderr. Operations call step() between units of work and stop (throwing Cancelled) when asked to.
#pragma once

#include <stdexcept>
#include <string>

namespace ql {

class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

class Progress {
 public:
  virtual ~Progress() = default;
  // done of total units; `what` says what is being done now.
  virtual void report(size_t done, size_t total, const std::string& what) = 0;
  virtual bool cancelRequested() const { return false; }

  // Reports, then throws Cancelled when the user asked to stop.
  void step(size_t done, size_t total, const std::string& what) {
    report(done, total, what);
    if (cancelRequested()) throw Cancelled();
  }
};

// Reports nothing and never cancels.
class NoProgress : public Progress {
 public:
  void report(size_t, size_t, const std::string&) override {}
};

}  // namespace ql
