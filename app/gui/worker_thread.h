// What the app's background workers (the runs on images, the layer error, the evaluation) share: one std::thread
// at a time, a cancel flag the engine's Progress reads between steps, and a generation number so that the queued
// results of a run that a newer one replaced, or whose owner is gone, are dropped instead of shown.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include <QMetaObject>
#include <QPointer>

namespace ql::gui {

class WorkerThread {
 public:
  WorkerThread() = default;
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;
  ~WorkerThread() { stop(); }

  bool running() const { return running_; }
  // Asks the run to stop at its next check; its last results still arrive.
  void cancel() {
    if (cancel_) cancel_->store(true);
  }
  // Cancels and waits for the thread.
  void stop() {
    cancel();
    if (thread_.joinable()) thread_.join();
    running_ = false;
  }
  // Cancels and drops whatever the run still posts (new models: its results meant the old ones).
  void discard() {
    cancel();
    ++generation_;
    running_ = false;
  }
  // Called on the UI thread by the run's last posted call.
  void finished() { running_ = false; }

  // Stops the previous run, then runs `body(post, cancelled)` on a new thread. `post(fn)` queues fn(owner) onto
  // the owner's (UI) thread, where it runs unless the owner is gone or another start() or discard() came since;
  // `cancelled` is the flag cancel() sets.
  template <typename Owner, typename Body>
  void start(Owner* owner, Body body) {
    stop();
    auto cancelled = cancel_ = std::make_shared<std::atomic<bool>>(false);
    running_ = true;
    const int generation = ++generation_;
    QPointer<Owner> self(owner);
    const WorkerThread* me = this;  // a member of the owner: alive whenever `self` is
    auto post = [self, me, generation](auto fn) {
      QMetaObject::invokeMethod(
          self.data(),
          [self, me, generation, fn] {
            if (self && me->generation_ == generation) fn(self.data());
          },
          Qt::QueuedConnection);
    };
    thread_ = std::thread([body = std::move(body), post, cancelled]() mutable { body(post, *cancelled); });
  }

 private:
  std::shared_ptr<std::atomic<bool>> cancel_;
  std::thread thread_;
  bool running_ = false;
  int generation_ = 0;
};

}  // namespace ql::gui
