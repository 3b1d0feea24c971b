#include "app/gui/evaluation_controller.h"

#include <QAction>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenu>

#include "app/gui/images_controller.h"
#include "app/gui/main_window.h"
#include "app/gui/selective_controller.h"
#include "widgets/evaluation/evaluation_view.h"
#include "widgets/images/images_strip.h"

namespace ql::gui {

EvaluationController::EvaluationController(MainWindow* window) : QObject(window), window_(window) {
  view_ = new EvaluationView;
  worker_ = new EvaluationWorker(this);
  dock_ = new QDockWidget("Evaluation", window);
  dock_->setObjectName("evaluation_dock");
  dock_->setWidget(view_);
  window->addDockWidget(Qt::BottomDockWidgetArea, dock_);
  if (QDockWidget* images = window->images()->dock()) window->tabifyDockWidget(images, dock_);
  dock_->hide();  // until used: Analyze > Evaluate... or View > Evaluation
  window->viewMenu()->addAction(dock_->toggleViewAction());
  evaluate_action_ = window->analyzeMenu()->addAction("&Evaluate...", this, [this] {
    dock_->show();
    dock_->raise();
    evaluate();
  });
  evaluate_action_->setToolTip("mAP / accuracy / mean IoU of the float, quantized and selective models on the "
                               "images, against annotations or the float model");
  view_->clearResult("Choose annotations, or evaluate without them: the agreement with the float model.");

  connect(window, &MainWindow::modelsShown, this, &EvaluationController::modelsShown);
  // Results measured on other images or preprocessing say so (they stay shown until the next evaluation).
  for (auto signal : {&ImagesStrip::imagesAdded, &ImagesStrip::preprocessingChanged})
    connect(window->images()->strip(), signal, this, [this] {
      if (outcome_ && !worker_->running())
        view_->showMessage("The images or their preprocessing changed: Evaluate again.", false);
    });
  // The selective model (the ops kept in float) gets the third column once it is built.
  if (SelectiveController* selective = window->selective())
    connect(selective, &SelectiveController::selectiveModelChanged, this, [this, selective] {
      addModel("selective", selective->selectiveModel());
      if (outcome_ && !worker_->running())
        view_->showMessage("The ops kept in float changed: Evaluate again to measure the selective model.", false);
    });
  connect(view_, &EvaluationView::annotationsChosen, this, [this](const QString& path) {
    setAnnotations(path);
    evaluate();
  });
  connect(view_, &EvaluationView::evaluateRequested, this, &EvaluationController::evaluate);
  connect(view_, &EvaluationView::cancelRequested, this, &EvaluationController::cancel);
  connect(view_, &EvaluationView::imageActivated, this, &EvaluationController::openImage);
  connect(worker_, &EvaluationWorker::progress, view_, &EvaluationView::setProgress);
  connect(worker_, &EvaluationWorker::finished, this, &EvaluationController::done);
}

void EvaluationController::setAnnotations(const QString& path) {
  annotations_ = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
  view_->setAnnotations(annotations_);
}

void EvaluationController::addModel(const QString& column, std::shared_ptr<const Model> model) {
  auto it = std::find_if(extra_models_.begin(), extra_models_.end(), [&](auto& e) { return e.first == column; });
  if (it != extra_models_.end()) extra_models_.erase(it);
  if (model) extra_models_.emplace_back(column, std::move(model));
}

void EvaluationController::modelsShown() {
  worker_->cancel();
  extra_models_.clear();  // they were made from the previous models
  outcome_.reset();
  view_->setRunning(false);
  view_->clearResult("Models changed: Evaluate to measure them.");
  if (evaluate_when_ready_) {
    evaluate_when_ready_ = false;
    dock_->show();
    dock_->raise();
    evaluate();
  }
}

EvaluationRequest EvaluationController::request(QString* why_not) const {
  EvaluationRequest r;
  const ModelPair& pair = window_->document().pair();
  const ImagesController* images = window_->images();
  if (pair.float_model)
    r.models.push_back({pair.float_is_twin ? "dequantized twin" : "float", pair.float_model,
                        images->floatSetup().preprocess, images->floatSetup().labels});
  if (pair.quant_model)
    r.models.push_back(
        {"quantized", pair.quant_model, images->quantSetup().preprocess, images->quantSetup().labels});
  for (const auto& [column, model] : extra_models_)
    r.models.push_back({column, model, images->quantSetup().preprocess, images->quantSetup().labels});
  r.annotations = annotations_;
  r.images = images->strip()->images();
  if (r.models.empty()) *why_not = "Open a model first.";
  else if (r.annotations.isEmpty() && r.models.size() < 2)
    *why_not = "Without annotations the evaluation measures agreement with the float model: open a pair, or "
               "choose annotations.";
  else if (r.annotations.isEmpty() && r.images.isEmpty())
    *why_not = "Add images in the Images dock, or choose annotations (their images are looked for beside them).";
  return r;
}

void EvaluationController::evaluate() {
  QString why_not;
  EvaluationRequest r = request(&why_not);
  if (!why_not.isEmpty()) {
    view_->showMessage(why_not, true);
    emit finished(false);
    return;
  }
  view_->setRunning(true);
  view_->showMessage(QString("Evaluating %1 model(s)%2 ...")
                         .arg(r.models.size())
                         .arg(r.annotations.isEmpty() ? QString(" (agreement with the first)")
                                                      : " against " + QFileInfo(r.annotations).fileName()),
                     false);
  worker_->start(std::move(r));
}

void EvaluationController::cancel() { worker_->cancel(); }

void EvaluationController::done(const EvaluationOutcome& o) {
  view_->setRunning(false);
  if (o.cancelled || !o.error.isEmpty()) {
    view_->showMessage(o.cancelled ? QString("Evaluation cancelled.") : "Could not evaluate: " + o.error, true);
    emit finished(false);
    return;
  }
  outcome_ = o;
  const EvaluationResult& r = o.result;
  const size_t n = r.models.empty() ? 0 : r.models[0].images.size();
  QString summary = QString("Evaluated on %1 image(s) ").arg(n);
  summary += r.annotations.empty() ? QString("without annotations: agreement with the %1 model.").arg(o.columns.value(0))
                                   : "against " + QString::fromStdString(r.annotations) + ".";
  if (!r.missing.empty()) {
    QStringList missing;
    for (const std::string& m : r.missing) missing << QString::fromStdString(m);
    summary += QString(" %1 listed image(s) not among the images, left out: %2.")
                   .arg(missing.size())
                   .arg(missing.mid(0, 5).join(", ") + (missing.size() > 5 ? ", ..." : ""));
  }
  // A note every model has (the class mapping of twins) is said once, naming them all.
  QStringList notes, note_models;
  for (size_t m = 0; m < r.models.size(); ++m)
    for (const std::string& note : r.models[m].notes) {
      const QString text = QString::fromStdString(note);
      const int i = static_cast<int>(notes.indexOf(text));
      if (i < 0) notes << text, note_models << o.columns.value(static_cast<int>(m));
      else note_models[i] += ", " + o.columns.value(static_cast<int>(m));
    }
  for (int i = 0; i < notes.size(); ++i) summary += "\n" + note_models[i] + ": " + notes[i];
  view_->showResult(r, o.columns, summary);
  emit finished(true);
}

void EvaluationController::openImage(int image) {
  if (!outcome_ || image < 0 || static_cast<size_t>(image) >= outcome_->image_paths.size()) return;
  const QString path = QFileInfo(QString::fromStdString(outcome_->image_paths[static_cast<size_t>(image)]))
                           .absoluteFilePath();
  ImagesController* images = window_->images();
  if (!images->strip()->images().contains(path)) {
    images->addImages({path});
    images->runAll();  // the new image needs its results
  }
  images->strip()->setCurrent(static_cast<int>(images->strip()->images().indexOf(path)));
  images->dock()->show();
  images->dock()->raise();
}

}  // namespace ql::gui
