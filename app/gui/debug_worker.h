// Runs the engine's quantization debugger (per-layer or whole-model) on the chosen images off the UI thread:
// progress per image, cancel (between images and between ops), and the report so far after each image, so that
// rows appear as they are computed. Models and matching are held by shared_ptr for the run: closing them in the
// window while it runs is safe, and destroying the worker cancels and waits for the op being run.
#pragma once

#include <memory>

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include "app/gui/worker_thread.h"
#include "analysis/op_matching.h"
#include "analysis/quant_debugger.h"
#include "vision/preprocess.h"

namespace ql::gui {

struct DebugRequest {
  std::shared_ptr<const Model> float_model, quant_model;
  std::shared_ptr<const OpMatching> matching;
  DebugMode mode = DebugMode::PerLayer;
  PreprocessOptions preprocess;  // the float model's; the quantized model gets the same real values
  QStringList images;
};

class DebugWorker : public QObject {
  Q_OBJECT
 public:
  explicit DebugWorker(QObject* parent = nullptr);
  ~DebugWorker() override;

  // Starts a run; one still going is cancelled first (its late results are dropped).
  void start(DebugRequest request);
  void cancel();
  // Cancels the run and drops everything it would still say (new models: its report means nothing now).
  void discard();
  bool running() const { return thread_.running(); }

 signals:
  void progress(int done, int total, const QString& what);
  // The report averaged over the images done so far.
  void partial(const ql::DebugReport& so_far);
  void finished(const ql::DebugReport& report);
  // The run ended without a report: cancelled, or `message` says what went wrong.
  void stopped(bool cancelled, const QString& message);

 private:
  WorkerThread thread_;
};

}  // namespace ql::gui

Q_DECLARE_METATYPE(ql::DebugReport)
