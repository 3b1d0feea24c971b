#include "app/gui/run_worker.h"

#include <QPointer>

#include "util/error.h"
#include "util/progress.h"

namespace ql::gui {

struct RunWorker::Shared {
  std::atomic<bool> cancel{false};
};

namespace {

const Tensor& inputTensor(const Model& m) {
  const Subgraph& sg = m.subgraphs.at(0);
  if (sg.inputs.size() != 1) unsupported(m.path, "the app runs models with one image input");
  return sg.tensors.at(static_cast<size_t>(sg.inputs[0]));
}

}  // namespace

RunWorker::RunWorker(QObject* parent) : QObject(parent) {
  qRegisterMetaType<ql::gui::ImagePairResult>();
}

RunWorker::~RunWorker() { stopThread(); }

void RunWorker::cancel() {
  if (shared_) shared_->cancel = true;
}

void RunWorker::stopThread() {
  cancel();
  if (thread_.joinable()) thread_.join();
  running_ = false;
}

void RunWorker::start(ImageRunRequest request) {
  stopThread();
  shared_ = std::make_shared<Shared>();
  running_ = true;
  const int generation = ++generation_;
  std::shared_ptr<Shared> shared = shared_;
  QPointer<RunWorker> self(this);
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
  thread_ = std::thread([request = std::move(request), shared, post] {
    const int total = static_cast<int>(request.images.size());
    struct Flag : Progress {
      explicit Flag(std::shared_ptr<Shared> s) : s_(std::move(s)) {}
      void report(size_t, size_t, const std::string&) override {}
      bool cancelRequested() const override { return s_->cancel.load(); }
      std::shared_ptr<Shared> s_;
    } progress(shared);
    bool cancelled = false;
    try {
      for (int i = 0; i < total; ++i) {
        const QString image = request.images[i];
        progress.step(static_cast<size_t>(i), static_cast<size_t>(total), image.toStdString());
        post([i, total, image](RunWorker* w) { emit w->progress(i, total, image); });
        ImagePairResult r;
        r.index = i;
        r.image = image;
        try {
          const std::string path = image.toStdString();
          if (request.float_model) {
            const PreparedInput in =
                imageFileToInput(path, inputSpecOf(inputTensor(*request.float_model)), request.float_setup.preprocess);
            r.float_result = runOnImage(*request.float_model, request.float_setup, in);
            r.float_seen = in.seen;
            r.has_float = true;
          }
          if (progress.cancelRequested()) throw Cancelled();
          if (request.quant_model) {
            const PreparedInput in =
                imageFileToInput(path, inputSpecOf(inputTensor(*request.quant_model)), request.quant_setup.preprocess);
            r.quant_result = runOnImage(*request.quant_model, request.quant_setup, in);
            r.quant_seen = in.seen;
            r.has_quant = true;
          }
          if (progress.cancelRequested()) throw Cancelled();
          if (request.selective_model) {
            const PreparedInput in = imageFileToInput(path, inputSpecOf(inputTensor(*request.selective_model)),
                                                      request.selective_setup.preprocess);
            r.selective_result = runOnImage(*request.selective_model, request.selective_setup, in);
            r.selective_seen = in.seen;
            r.has_selective = true;
          }
        } catch (const Cancelled&) {
          throw;
        } catch (const std::exception& e) {
          r.error = QString::fromStdString(e.what());
        }
        post([r = std::move(r)](RunWorker* w) { emit w->imageDone(r); });
      }
    } catch (const Cancelled&) {
      cancelled = true;
    }
    post([total, cancelled](RunWorker* w) {
      w->running_ = false;
      emit w->progress(total, total, QString());
      emit w->finished(cancelled);
    });
  });
}

}  // namespace ql::gui
