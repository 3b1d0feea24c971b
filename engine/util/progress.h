// One progress/cancel interface for every long operation: the GUI adapts it to signals, the CLI to a line on
// stderr. Operations call step() between units of work and stop (throwing Cancelled) when asked to; the
// interpreter checks cancelRequested() between ops. Operations whose result grows as they go (the debugger's
// rows) hand what they have so far to partial() after each unit.
#pragma once

#include <atomic>
#include <stdexcept>
#include <string>

namespace ql {

class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

// The result so far of an operation that reports partial results; receivers dynamic_cast it to the type the
// operation documents (the debugger: DebugReport).
struct PartialResult {
  virtual ~PartialResult() = default;
};

class Progress {
 public:
  virtual ~Progress() = default;
  // done of total units; `what` says what is being done now.
  virtual void report(size_t done, size_t total, const std::string& what) = 0;
  // May be called from the thread doing the work at any time; must be cheap (an atomic flag).
  virtual bool cancelRequested() const { return false; }
  // The result after `done` units, a complete value the receiver may copy (it is not kept alive after the call).
  virtual void partial(size_t /*done*/, const PartialResult& /*so_far*/) {}

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

// Reports nothing; cancels once cancel() was called, from any thread (a GUI's Stop button, a test, a bench).
class CancelFlag : public Progress {
 public:
  void report(size_t, size_t, const std::string&) override {}
  bool cancelRequested() const override { return cancelled_.load(std::memory_order_relaxed); }
  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

}  // namespace ql
