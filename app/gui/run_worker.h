// Runs the float and the quantized model on the chosen images off the UI thread: one image after the other, a
// cancel flag checked between images (ql::Progress / ql::Cancelled), each image's results delivered to the UI
// thread as a signal carrying values as soon as they are ready. The models are held by shared_ptr for the run,
// so closing them in the window while it runs is safe.
#pragma once

#include <atomic>
#include <memory>

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include "analysis/image_run.h"
#include "app/gui/worker_thread.h"

namespace ql::gui {

struct ImageRunRequest {
  std::shared_ptr<const Model> float_model, quant_model;  // either may be null
  ImageRunSetup float_setup, quant_setup;
  std::shared_ptr<const Model> selective_model;  // optional: the quantized model with chosen ops in float
  ImageRunSetup selective_setup;
  QStringList images;
};

// One image's results, by value.
struct ImagePairResult {
  int index = -1;
  QString image;
  bool has_float = false, has_quant = false, has_selective = false;
  ImageRunResult float_result, quant_result, selective_result;
  Image float_seen, quant_seen, selective_seen;  // the pixels each model saw
  QString error;                 // non-empty when this image failed (the run goes on)
  QString selective_error;       // the selective model's failure on this image, kept apart from the others' run
};

class RunWorker : public QObject {
  Q_OBJECT
 public:
  explicit RunWorker(QObject* parent = nullptr);
  ~RunWorker() override;  // cancels and waits for the image being run

  // Starts a run; one still going is cancelled first (its late results are dropped).
  void start(ImageRunRequest request);
  void cancel();
  bool running() const { return thread_.running(); }

 signals:
  void progress(int done, int total, const QString& image);
  void imageDone(const ql::gui::ImagePairResult& result);
  void finished(bool cancelled);

 private:
  WorkerThread thread_;
};

}  // namespace ql::gui

Q_DECLARE_METATYPE(ql::gui::ImagePairResult)
