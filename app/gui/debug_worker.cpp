#include "app/gui/debug_worker.h"

#include <atomic>

#include <QPointer>

#include "analysis/debug_samples.h"
#include "util/progress.h"

namespace ql::gui {

struct DebugWorker::Shared {
  std::atomic<bool> cancel{false};
};

DebugWorker::DebugWorker(QObject* parent) : QObject(parent) { qRegisterMetaType<ql::DebugReport>(); }

DebugWorker::~DebugWorker() { stopThread(); }

void DebugWorker::cancel() {
  if (shared_) shared_->cancel = true;
}

void DebugWorker::discard() {
  cancel();
  ++generation_;  // the run's queued results check it and are dropped
  running_ = false;
}

void DebugWorker::stopThread() {
  cancel();
  if (thread_.joinable()) thread_.join();
  running_ = false;
}

void DebugWorker::start(DebugRequest request) {
  stopThread();
  shared_ = std::make_shared<Shared>();
  running_ = true;
  const int generation = ++generation_;
  QPointer<DebugWorker> self(this);
  // Every result goes through a queued call on this object: it runs on the UI thread, and is dropped when the
  // worker is gone or a newer run started.
  auto post = [self, generation](auto fn) {
    QMetaObject::invokeMethod(
        self.data(),
        [self, generation, fn] {
          if (self && self->generation_ == generation) fn(self.data());
        },
        Qt::QueuedConnection);
  };
  using Post = decltype(post);
  thread_ = std::thread([request = std::move(request), shared = shared_, post] {
    // The engine's progress, turned into queued signals.
    struct Relay : Progress {
      Relay(std::shared_ptr<Shared> s, Post p) : shared(std::move(s)), to_ui(std::move(p)) {}
      void report(size_t done, size_t total, const std::string& what) override {
        to_ui([done, total, what = QString::fromStdString(what)](DebugWorker* w) {
          emit w->progress(static_cast<int>(done), static_cast<int>(total), what);
        });
      }
      bool cancelRequested() const override { return shared->cancel.load(); }
      void partial(size_t, const PartialResult& so_far) override {
        if (const auto* r = dynamic_cast<const DebugReport*>(&so_far))
          to_ui([r = *r](DebugWorker* w) { emit w->partial(r); });
      }
      std::shared_ptr<Shared> shared;
      Post to_ui;
    } relay(shared, post);
    auto end = [post](bool cancelled, QString message) {
      post([cancelled, message](DebugWorker* w) {
        w->running_ = false;
        emit w->stopped(cancelled, message);
      });
    };
    try {
      std::vector<std::string> files;
      for (const QString& f : request.images) files.push_back(f.toStdString());
      const SampleSource samples = fileSamples(request.float_model, request.quant_model, files, request.preprocess);
      DebugReport report = runQuantDebugger(request.float_model, request.quant_model, *request.matching, request.mode,
                                            samples, relay);
      post([report = std::move(report)](DebugWorker* w) {
        w->running_ = false;
        emit w->finished(report);
      });
    } catch (const Cancelled&) {
      end(true, QString());
    } catch (const std::exception& e) {
      end(false, QString::fromStdString(e.what()));
    }
  });
}

}  // namespace ql::gui
