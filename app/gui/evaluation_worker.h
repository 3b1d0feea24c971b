// Runs an evaluation (engine/analysis/evaluation) off the UI thread: reads the annotations, builds one interpreter
// per model, runs every model on every image and measures, with progress and cancel (ql::Progress / ql::Cancelled).
// The models are held by shared_ptr for the run, so closing them in the window while it runs is safe; the result
// arrives by value in a queued signal.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include "app/gui/worker_thread.h"
#include "analysis/evaluation/evaluation.h"
#include "model/graph.h"
#include "vision/preprocess.h"

namespace ql::gui {

struct EvaluationModelInput {
  QString column;  // what the dock calls it: "float", "quantized", "selective"
  std::shared_ptr<const Model> model;
  PreprocessOptions preprocess;     // as the images dock runs it
  std::vector<std::string> labels;  // labels[i] names class i (may be empty)
};

struct EvaluationRequest {
  std::vector<EvaluationModelInput> models;  // the first is the reference of the agreement
  QString annotations;                       // empty: agreement with the first model only
  QStringList images;                        // empty with annotations: the images beside the annotation file
};

struct EvaluationOutcome {
  EvaluationResult result;
  QStringList columns;                   // per model
  std::vector<std::string> image_paths;  // per evaluated image, in result order
  QString error;                         // non-empty when the evaluation could not run
  bool cancelled = false;
};

// The images an evaluation against `annotations` looks for when none were given: those in the annotation file's
// folder (a COCO JSON beside its images), or in the annotation folder itself.
QString defaultImageFolder(const QString& annotations);

class EvaluationWorker : public QObject {
  Q_OBJECT
 public:
  explicit EvaluationWorker(QObject* parent = nullptr);
  ~EvaluationWorker() override;  // cancels and waits

  // Starts an evaluation; one still going is cancelled first (its result is dropped).
  void start(EvaluationRequest request);
  void cancel();
  bool running() const { return thread_.running(); }

 signals:
  void progress(int done, int total, const QString& what);
  void finished(const ql::gui::EvaluationOutcome& outcome);

 private:
  WorkerThread thread_;
};

// The evaluation itself, on the calling thread (the worker's body; tests and the screenshot mode use it as is).
EvaluationOutcome evaluateRequest(const EvaluationRequest& request, Progress& progress);

}  // namespace ql::gui

Q_DECLARE_METATYPE(ql::gui::EvaluationOutcome)
