#include "app/gui/debug_worker.h"

#include <atomic>

#include <QPointer>

#include "analysis/debug_samples.h"
#include "util/progress.h"

namespace ql::gui {

DebugWorker::DebugWorker(QObject* parent) : QObject(parent) { qRegisterMetaType<ql::DebugReport>(); }

DebugWorker::~DebugWorker() { thread_.stop(); }

void DebugWorker::cancel() { thread_.cancel(); }

void DebugWorker::discard() { thread_.discard(); }

void DebugWorker::start(DebugRequest request) {
  thread_.start(this, [request = std::move(request)](auto post, const std::atomic<bool>& cancelled) {
    using Post = decltype(post);
    // The engine's progress, turned into queued signals.
    struct Relay : Progress {
      Relay(const std::atomic<bool>& c, Post p) : cancel_flag(c), to_ui(std::move(p)) {}
      void report(size_t done, size_t total, const std::string& what) override {
        to_ui([done, total, what = QString::fromStdString(what)](DebugWorker* w) {
          emit w->progress(static_cast<int>(done), static_cast<int>(total), what);
        });
      }
      bool cancelRequested() const override { return cancel_flag.load(); }
      void partial(size_t, const PartialResult& so_far) override {
        if (const auto* r = dynamic_cast<const DebugReport*>(&so_far))
          to_ui([r = *r](DebugWorker* w) { emit w->partial(r); });
      }
      const std::atomic<bool>& cancel_flag;
      Post to_ui;
    } relay(cancelled, post);
    auto end = [post](bool was_cancelled, QString message) {
      post([was_cancelled, message](DebugWorker* w) {
        w->thread_.finished();
        emit w->stopped(was_cancelled, message);
      });
    };
    try {
      std::vector<std::string> files;
      for (const QString& f : request.images) files.push_back(f.toStdString());
      const SampleSource samples = fileSamples(request.float_model, request.quant_model, files, request.preprocess);
      DebugReport report = runQuantDebugger(request.float_model, request.quant_model, *request.matching, request.mode,
                                            samples, relay);
      post([report = std::move(report)](DebugWorker* w) {
        w->thread_.finished();
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
