#include "app/gui/run_worker.h"

#include <QPointer>

#include "util/error.h"
#include "util/progress.h"

namespace ql::gui {

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

RunWorker::~RunWorker() { thread_.stop(); }

void RunWorker::cancel() { thread_.cancel(); }

void RunWorker::start(ImageRunRequest request) {
  thread_.start(this, [request = std::move(request)](auto post, const std::atomic<bool>& cancelled) {
    const int total = static_cast<int>(request.images.size());
    struct Flag : Progress {
      explicit Flag(const std::atomic<bool>& c) : cancel_flag(c) {}
      void report(size_t, size_t, const std::string&) override {}
      bool cancelRequested() const override { return cancel_flag.load(); }
      const std::atomic<bool>& cancel_flag;
    } progress(cancelled);
    bool stopped = false;
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
          // Each model on its own input (their preprocessing may differ), cancel checked between them.
          auto runOne = [&](const std::shared_ptr<const Model>& model, const ImageRunSetup& setup,
                            ImageRunResult* result, Image* seen, bool* has) {
            if (!model) return;
            if (progress.cancelRequested()) throw Cancelled();
            const PreparedInput in = imageFileToInput(path, inputSpecOf(inputTensor(*model)), setup.preprocess);
            *result = runOnImage(*model, setup, in);
            *seen = in.seen;
            *has = true;
          };
          runOne(request.float_model, request.float_setup, &r.float_result, &r.float_seen, &r.has_float);
          runOne(request.quant_model, request.quant_setup, &r.quant_result, &r.quant_seen, &r.has_quant);
          runOne(request.selective_model, request.selective_setup, &r.selective_result, &r.selective_seen,
                 &r.has_selective);
        } catch (const Cancelled&) {
          throw;
        } catch (const std::exception& e) {
          r.error = QString::fromStdString(e.what());
        }
        post([r = std::move(r)](RunWorker* w) { emit w->imageDone(r); });
      }
    } catch (const Cancelled&) {
      stopped = true;
    }
    post([total, stopped](RunWorker* w) {
      w->thread_.finished();
      emit w->progress(total, total, QString());
      emit w->finished(stopped);
    });
  });
}

}  // namespace ql::gui
