#include "app/gui/errors_controller.h"

#include <algorithm>
#include <cmath>

#include <QActionGroup>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>

#include "analysis/debug_report.h"
#include "analysis/selection.h"
#include "app/gui/debug_worker.h"
#include "app/gui/float_fallback.h"
#include "app/gui/images_controller.h"
#include "app/gui/main_window.h"
#include "util/atomic_write.h"
#include "widgets/errors/error_plot.h"
#include "widgets/errors/errors_view.h"
#include "widgets/errors/layer_metrics.h"
#include "widgets/graph/graph_view.h"
#include "widgets/graph/op_colouring.h"
#include "widgets/images/images_strip.h"

namespace ql::gui {

namespace {
size_t modeSlot(DebugMode m) { return m == DebugMode::PerLayer ? 0 : 1; }
}  // namespace

ErrorsController::ErrorsController(MainWindow* window) : QObject(window), window_(window) {
  view_ = new ErrorsView;
  worker_ = new DebugWorker(this);
  dock_ = new QDockWidget("Layer error", window);
  dock_->setObjectName("layer_error_dock");
  dock_->setWidget(view_);
  window->addDockWidget(Qt::BottomDockWidgetArea, dock_);
  if (window->images()) window->tabifyDockWidget(window->images()->dock(), dock_);
  dock_->hide();  // until the user asks for it: the graphs keep the window's height otherwise

  QMenu* analyze = window->analyzeMenu();
  compute_action_ = analyze->addAction("Compute &layer error", this, [this] { compute(); });
  compute_action_->setShortcut(QKeySequence("Ctrl+L"));
  compute_action_->setToolTip("The quantization error of every layer on the images of the Images dock");
  cancel_action_ = analyze->addAction("&Stop layer error", this, &ErrorsController::cancel);
  cancel_action_->setEnabled(false);
  analyze->addAction("&Keep ops above threshold in float", this, &ErrorsController::keepAboveThreshold);
  QMenu* view_menu = window->viewMenu();
  view_menu->addAction(dock_->toggleViewAction());
  QMenu* colour = view_menu->addMenu("Colour ops &by");
  colour_actions_ = new QActionGroup(this);
  auto add_colour = [this, colour](const QString& label, const QString& metric) {
    QAction* a = colour->addAction(label, this, [this, metric] { setColourMetric(metric); });
    a->setCheckable(true);
    a->setData(metric);
    a->setChecked(metric.isEmpty());
    colour_actions_->addAction(a);
  };
  add_colour("&Op kind", QString());
  for (const LayerMetric& m : layerMetrics()) add_colour(m.name, m.name);

  connect(window, &MainWindow::modelsShown, this, &ErrorsController::modelsShown);
  connect(window, &MainWindow::opSelected, this, [this](bool quant_side, int op, int twin) {
    view_->setSelectedOp(quant_side ? op : twin);
  });
  connect(window->fallback(), &FloatFallback::changed, this, [this] {
    view_->setFallbackOps(window_->fallback()->ops());
    updateStatus();
  });
  if (ImagesController* images = window->images()) {
    connect(images->strip(), &ImagesStrip::imagesAdded, this, &ErrorsController::inputsChanged);
    connect(images->strip(), &ImagesStrip::preprocessingChanged, this, &ErrorsController::inputsChanged);
  }

  connect(view_, &ErrorsView::computeRequested, this, [this] { compute(); });
  connect(view_, &ErrorsView::cancelRequested, this, &ErrorsController::cancel);
  connect(view_, &ErrorsView::modeChanged, this, &ErrorsController::setMode);
  connect(view_, &ErrorsView::thresholdChanged, this, [this] {
    updateStatus();
    if (colour_metric_ == "rmse/scale") applyColouring();
  });
  connect(view_, &ErrorsView::keepAboveRequested, this, &ErrorsController::keepAboveThreshold);
  connect(view_, &ErrorsView::colourMetricChanged, this, &ErrorsController::setColourMetric);
  connect(view_, &ErrorsView::exportRequested, this, &ErrorsController::exportDialog);
  // A bar or a row: the op in the quantized graph, its twin in the float one, centred.
  connect(view_, &ErrorsView::opActivated, this, [this](int op) { window_->selectOp(window_->quantView(), op); });

  connect(worker_, &DebugWorker::progress, view_, &ErrorsView::setProgress);
  connect(worker_, &DebugWorker::partial, this, [this](const DebugReport& so_far) {
    shown_ = so_far;
    complete_ = false;
    showShown();
  });
  connect(worker_, &DebugWorker::finished, this, [this](const DebugReport& report) {
    by_mode_[modeSlot(report.mode)] = report;
    shown_ = report;
    complete_ = true;
    showShown();
    finish(true);
    emit reportChanged();
  });
  connect(worker_, &DebugWorker::stopped, this, [this](bool cancelled, const QString& message) {
    last_error_ = cancelled ? QString() : message;
    // A stopped run keeps nothing: the last complete report comes back, of this mode, else of the other one (a
    // cancelled switch of mode goes back).
    const DebugMode mode = view_->mode();
    const DebugMode other = mode == DebugMode::PerLayer ? DebugMode::WholeModel : DebugMode::PerLayer;
    if (!by_mode_[modeSlot(mode)] && by_mode_[modeSlot(other)]) view_->setMode(other);
    shown_ = by_mode_[modeSlot(view_->mode())];
    complete_ = shown_.has_value();
    if (shown_) showShown();
    else view_->showMessage(cancelled ? "Cancelled." : "The layer error could not be computed:\n" + message);
    finish(false);
  });
}

ErrorsController::~ErrorsController() = default;

double ErrorsController::threshold() const { return view_->threshold(); }

void ErrorsController::setThreshold(double threshold) {
  view_->setThreshold(threshold);
  updateStatus();
}

void ErrorsController::modelsShown() {
  const bool was_running = worker_->running();
  worker_->discard();
  for (auto& r : by_mode_) r.reset();
  shown_.reset();
  complete_ = false;
  stale_ = false;
  view_->showMessage("Add images in the Images dock, then Compute: the error each layer adds, in graph order.");
  view_->setFallbackOps(window_->fallback()->ops());
  applyColouring();
  if (was_running) finish(false);
  updateStatus();
  if (compute_when_shown_) {
    compute_when_shown_ = false;
    compute();
  }
}

void ErrorsController::inputsChanged() {
  for (auto& r : by_mode_) r.reset();
  stale_ = shown_.has_value();
  updateStatus();
}

bool ErrorsController::compute() {
  const ModelPair& pair = window_->document().pair();
  ImagesController* images = window_->images();
  const QStringList files = images ? images->strip()->images() : QStringList();
  QString why;
  if (!pair.float_model || !pair.quant_model || !pair.matching)
    why = "Open a float model and its quantized twin (or a quantized model alone, against its dequantized twin).";
  else if (files.isEmpty())
    why = "Add images in the Images dock (drop them there, or start with --image): the layer error is computed "
          "on them.";
  dock_->show();
  dock_->raise();
  if (!why.isEmpty()) {
    worker_->cancel();
    view_->showMessage(why);
    last_error_ = why;
    finish(false);
    return false;
  }
  DebugRequest request;
  request.float_model = pair.float_model;
  request.quant_model = pair.quant_model;
  request.matching = pair.matching;
  request.mode = view_->mode();
  request.preprocess = images->floatSetup().preprocess;
  request.images = files;
  images_used_ = static_cast<int>(files.size());
  last_error_.clear();
  stale_ = false;
  by_mode_[modeSlot(request.mode)].reset();
  view_->setRunning(true);
  view_->setProgress(0, images_used_, QString());
  compute_action_->setEnabled(false);
  cancel_action_->setEnabled(true);
  worker_->start(std::move(request));
  updateStatus();
  return true;
}

void ErrorsController::cancel() { worker_->cancel(); }

void ErrorsController::finish(bool completed) {
  view_->setRunning(false);
  compute_action_->setEnabled(true);
  cancel_action_->setEnabled(false);
  updateStatus();
  emit runFinished(completed);
  std::vector<std::function<void()>> waiting;
  waiting.swap(after_run_);
  for (auto& f : waiting) f();
}

void ErrorsController::computeThen(std::function<void()> done) {
  after_run_.push_back(std::move(done));
  if (!compute()) return;  // finish() already called it
}

void ErrorsController::setMode(DebugMode mode) {
  view_->setMode(mode);
  if (const auto& ready = by_mode_[modeSlot(mode)]; ready && !stale_) {
    worker_->cancel();
    shown_ = ready;
    complete_ = true;
    showShown();
    emit reportChanged();
    return;
  }
  if (shown_ || worker_->running()) compute();
}

void ErrorsController::showReport(DebugReport report) {
  worker_->cancel();
  view_->setMode(report.mode);
  by_mode_[modeSlot(report.mode)] = report;
  shown_ = std::move(report);
  complete_ = true;
  stale_ = false;
  showShown();
  emit reportChanged();
}

void ErrorsController::showShown() {
  view_->setReport(*shown_);
  view_->setFallbackOps(window_->fallback()->ops());
  const GraphView* quant = window_->quantView();
  view_->setSelectedOp(quant->model() ? quant->selectedOp() : -1);
  applyColouring();
  updateStatus();
}

void ErrorsController::keepAboveThreshold() {
  if (!shown_) {
    window_->statusBar()->showMessage("Compute the layer error first: the threshold applies to its rows", 6000);
    return;
  }
  const double t = threshold();
  window_->fallback()->set(selectAboveThreshold(*shown_, t).ops,
                           QString("Keep ops above %1 in float").arg(t, 0, 'f', 3));
}

void ErrorsController::setColourMetric(const QString& metric) {
  colour_metric_ = layerMetric(metric) ? metric : QString();
  view_->setColourMetric(colour_metric_);
  for (QAction* a : colour_actions_->actions()) a->setChecked(a->data().toString() == colour_metric_);
  applyColouring();
}

void ErrorsController::applyColouring() {
  GraphView* fv = window_->floatView();
  GraphView* qv = window_->quantView();
  const LayerMetric* metric = layerMetric(colour_metric_);
  const ModelPair& pair = window_->document().pair();
  if (!metric || !shown_ || !pair.quant_model) {
    clearOpColouring(fv);
    clearOpColouring(qv);
    return;
  }
  // Each row's value on its quantized op and on that op's float twin; one scale for both graphs.
  const size_t quant_ops = pair.quant_model->subgraphs[0].ops.size();
  const size_t float_ops = pair.float_model ? pair.float_model->subgraphs[0].ops.size() : 0;
  std::vector<double> quant_values(quant_ops, std::nan("")), float_values(float_ops, std::nan(""));
  for (const LayerRow& r : shown_->layers) {
    const double v = metric->of(r);
    if (r.op_index >= 0 && static_cast<size_t>(r.op_index) < quant_ops) quant_values[static_cast<size_t>(r.op_index)] = v;
    const int twin = pair.floatOpOf(r.op_index);
    if (twin >= 0 && static_cast<size_t>(twin) < float_ops) float_values[static_cast<size_t>(twin)] = v;
  }
  ColourScale scale = ColourScale::fitting(quant_values, metric->log_when_spread);
  // rmse/scale: the scale reaches the threshold at least, so that dark red means "above it" and a healthy model
  // stays pale instead of being stretched over its own small spread.
  if (metric->name == "rmse/scale") scale.hi = std::max(scale.hi, threshold());
  showOpColouring(qv, quant_values, metric->name, scale);
  if (fv->model()) showOpColouring(fv, float_values, metric->name, scale);
}

void ErrorsController::updateStatus() {
  if (!shown_) {
    view_->setStatus(worker_->running() ? QString("computing on %1 image(s)...").arg(images_used_) : QString());
    view_->setCanCompute(true);
    return;
  }
  const DebugReport& r = *shown_;
  const size_t above = selectAboveThreshold(r, threshold()).ops.size();
  QStringList parts;
  parts << QString("%1 error against the %2")
               .arg(debugModeName(r.mode), r.dequantized_twin ? "dequantized twin" : "float model");
  parts << QString("%1 image(s)%2").arg(r.inputs.size()).arg(complete_ ? "" : QString(" of %1 so far").arg(images_used_));
  parts << QString("%1 layers").arg(r.layers.size());
  parts << QString("%1 above %2").arg(above).arg(threshold(), 0, 'f', 3);
  parts << QString("%1 kept in float").arg(window_->fallback()->ops().size());
  if (!r.unmatched.empty()) parts << QString("%1 op(s) without a float twin").arg(r.unmatched.size());
  if (!r.warnings.empty()) parts << QString("%1 warning(s)").arg(r.warnings.size());
  QString text = parts.join("  ·  ");
  if (stale_) text += "  ·  <b>the images changed since: Compute again</b>";
  view_->setStatus(text);
}

bool ErrorsController::exportPlot(const QString& path, QString* error) {
  return view_->plot()->exportTo(path, error);
}

bool ErrorsController::exportCsv(const QString& path, QString* error) {
  if (!shown_) {
    if (error) *error = "no layer error has been computed yet";
    return false;
  }
  try {
    writeFileAtomically(path.toStdString(), debugReportCsv(*shown_));
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  return true;
}

void ErrorsController::exportDialog(const QString& format) {
  if (!shown_) return;
  const QString filter = format == "csv" ? "CSV (*.csv)" : format == "pdf" ? "PDF (*.pdf)" : "PNG (*.png)";
  const QString name = format == "csv" ? "layer_error.csv" : "layer_error." + format;
  const QString path = QFileDialog::getSaveFileName(window_, "Export layer error", name, filter);
  if (path.isEmpty()) return;
  QString error;
  const bool ok = format == "csv" ? exportCsv(path, &error) : exportPlot(path, &error);
  if (!ok) QMessageBox::warning(window_, "quantlens", error);
  else window_->statusBar()->showMessage("Exported " + path, 5000);
}

}  // namespace ql::gui
