// Wires the "Evaluation" dock to the window's models and to an EvaluationWorker: Analyze > Evaluate... (or the
// dock's Evaluate button, or annotations chosen in the dock or given with `quantlens --annotations`) measures the
// float and quantized models, and any model added with addModel (the selective one) in a column of its own, on the
// Images dock's images against the annotations, or without annotations by their agreement with the float model.
// Clicking one of the worst images opens it in the Images dock.
#pragma once

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <QObject>
#include <QString>

#include "app/gui/evaluation_worker.h"

class QAction;
class QDockWidget;

namespace ql::gui {

class EvaluationView;
class MainWindow;

class EvaluationController : public QObject {
  Q_OBJECT
 public:
  // Adds the "Evaluation" dock (hidden until used) and Analyze > Evaluate... to `window`.
  explicit EvaluationController(MainWindow* window);

  EvaluationView* view() const { return view_; }
  QDockWidget* dock() const { return dock_; }
  EvaluationWorker* worker() const { return worker_; }
  QAction* evaluateAction() const { return evaluate_action_; }

  // The annotations to evaluate against (a file or folder, format told from the path); empty: agreement only.
  void setAnnotations(const QString& path);
  const QString& annotations() const { return annotations_; }
  // Evaluate as soon as models and images are there (the command line's --annotations).
  void evaluateWhenReady() { evaluate_when_ready_ = true; }

  // A model measured in a column of its own after float and quantized, run as the quantized model is (its
  // preprocessing and labels): the selective model. Adding a column again replaces its model; null removes it.
  void addModel(const QString& column, std::shared_ptr<const Model> model);
  void removeModel(const QString& column) { addModel(column, nullptr); }

  // Runs now on the current models and images (an evaluation in progress is replaced).
  void evaluate();
  void cancel();
  // Shows an evaluation made earlier (a restored session) as if it had just finished.
  void showOutcome(const EvaluationOutcome& outcome) { done(outcome); }
  // The last finished evaluation, or null.
  const EvaluationOutcome* outcome() const { return outcome_ ? &*outcome_ : nullptr; }

 signals:
  // An evaluation ended: `ok` when it has results (false: failed or cancelled, the message says why).
  void finished(bool ok);

 private:
  void modelsShown();
  void done(const EvaluationOutcome& outcome);
  void openImage(int image);
  EvaluationRequest request(QString* why_not) const;

  MainWindow* window_;
  QDockWidget* dock_ = nullptr;
  EvaluationView* view_ = nullptr;
  EvaluationWorker* worker_ = nullptr;
  QAction* evaluate_action_ = nullptr;
  QString annotations_;
  std::vector<std::pair<QString, std::shared_ptr<const Model>>> extra_models_;
  std::optional<EvaluationOutcome> outcome_;
  bool evaluate_when_ready_ = false;
};

}  // namespace ql::gui
