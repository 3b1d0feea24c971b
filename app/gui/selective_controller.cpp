#include "app/gui/selective_controller.h"

#include <QAction>
#include <QFileInfo>
#include <QMenu>
#include <QPointer>
#include <QStatusBar>
#include <QTimer>

#include "app/gui/export_dialog.h"
#include "app/gui/fallback_marking.h"
#include "app/gui/float_fallback.h"
#include "app/gui/images_controller.h"
#include "app/gui/main_window.h"
#include "widgets/graph/graph_view.h"
#include "widgets/graph/segment_band.h"

namespace ql::gui {

// What a build reads, held by shared_ptr so that opening other models while it runs is safe.
struct SelectiveController::Inputs {
  std::shared_ptr<const Model> quant, flt;
  std::shared_ptr<const OpMatching> matching;
  QString problem;  // why these models cannot give a selective model
};

namespace {

constexpr int kDebounceMs = 300;

std::shared_ptr<const SelectiveBuild> runBuild(const std::shared_ptr<const Model>& quant,
                                               const std::shared_ptr<const Model>& flt,
                                               const std::shared_ptr<const OpMatching>& matching,
                                               const std::set<int>& ops) {
  return std::make_shared<const SelectiveBuild>(buildSelective(*quant, flt.get(), matching.get(), Selection{ops}));
}

QString opsText(size_t n) { return QString("%1 op%2").arg(n).arg(n == 1 ? "" : "s"); }

}  // namespace

SelectiveController::SelectiveController(MainWindow* window) : QObject(window), window_(window) {
  marking_ = new FallbackMarking(window);
  band_ = new SegmentBand(window->quantView());
  debounce_ = new QTimer(this);
  debounce_->setSingleShot(true);
  debounce_->setInterval(kDebounceMs);
  connect(debounce_, &QTimer::timeout, this, [this] {
    timer_active_ = false;
    startBuild();
  });
  connect(window->fallback(), &FloatFallback::changed, this, &SelectiveController::selectionChanged);
  connect(window, &MainWindow::modelsShown, this, [this] {
    ++generation_;  // a build still running was made from the previous models
    dropBuild();
    if (!keep_on_open_.isEmpty()) applyKeepOnOpen();
  });

  // File > Export selective model..., placed with the other exports (before Quit).
  QMenu* file = window->fileMenu();
  export_action_ = new QAction("Export &selective model...", this);
  export_action_->setToolTip("Write the quantized model with the ops kept in float as a .tflite "
                             "(as quantlens-cli export does)");
  const QList<QAction*> actions = file->actions();
  file->insertAction(actions.size() >= 2 ? actions[actions.size() - 2] : nullptr, export_action_);
  connect(export_action_, &QAction::triggered, this, &SelectiveController::showExportDialog);
  connect(file, &QMenu::aboutToShow, this,
          [this] { export_action_->setEnabled(!window_->fallback()->ops().empty()); });

  band_action_ = window->viewMenu()->addAction("Accelerator &segments");
  band_action_->setCheckable(true);
  band_action_->setChecked(true);
  band_action_->setToolTip("Beside the quantized ops: where an Edge TPU-like compiler would run the selective model");
  connect(band_action_, &QAction::toggled, this, [this] { apply(); });
}

SelectiveController::~SelectiveController() {
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const Model> SelectiveController::selectiveModel() const {
  if (!build_) return nullptr;
  return std::shared_ptr<const Model>(build_, &build_->exported.model);  // shares the build's lifetime
}

SelectiveController::Inputs SelectiveController::inputs() const {
  const ModelPair& pair = window_->document().pair();
  Inputs in;
  in.quant = pair.quant_model;
  if (!in.quant) in.problem = "no quantized model is open";
  // As `quantlens-cli export` with --float when the user opened a float model, without it for the twin.
  if (pair.float_model && !pair.float_is_twin) {
    in.flt = pair.float_model;
    in.matching = pair.matching;
    if (!in.matching) in.problem = "the float and quantized models could not be matched op to op";
  }
  return in;
}

std::vector<std::string> SelectiveController::inputPaths() const {
  const ModelPair& pair = window_->document().pair();
  return {pair.quant_path, pair.float_is_twin ? std::string() : pair.float_path};
}

void SelectiveController::dropBuild() {
  debounce_->stop();
  timer_active_ = false;
  build_.reset();
  built_ops_.clear();
  error_.clear();
  apply();
}

void SelectiveController::keepOnOpen(const QString& spec) { keep_on_open_ = spec.trimmed(); }

void SelectiveController::applyKeepOnOpen() {
  const QString spec = keep_on_open_;
  keep_on_open_.clear();
  const auto& q = window_->document().pair().quant_model;
  try {
    if (!q) throw std::runtime_error("--keep-float needs a quantized model");
    bool is_count = false;
    const int n = spec.section(':', 1).toInt(&is_count);
    Selection s;
    if (spec.startsWith("first:") && is_count) s = selectFirst(*q, n);
    else if (spec.startsWith("last:") && is_count) s = selectLast(*q, n);
    else {
      std::vector<std::string> items;
      for (const QString& item : spec.split(',', Qt::SkipEmptyParts)) items.push_back(item.trimmed().toStdString());
      s = selectOps(*q, items);
    }
    window_->fallback()->set(s.ops, "Keep " + spec + " in float");
  } catch (const std::exception& e) {
    error_ = "--keep-float " + spec + ": " + QString::fromStdString(e.what());
    window_->statusBar()->showMessage(error_, 15000);
    emit buildFailed(error_);
  }
}

void SelectiveController::selectionChanged() {
  const std::set<int>& ops = window_->fallback()->ops();
  if (ops.empty()) return dropBuild();
  window_->images()->setSelectiveModel(nullptr, QString("selective: %1 kept in float").arg(opsText(ops.size())),
                                       "building the selective model...");
  timer_active_ = true;
  debounce_->start();
}

void SelectiveController::startBuild() {
  if (running_) return;  // finished() starts the next one when the selection moved on meanwhile
  const std::set<int> ops = window_->fallback()->ops();
  if (ops.empty()) return;
  Inputs in = inputs();
  if (!in.problem.isEmpty()) {
    finished(generation_, nullptr, in.problem, ops);
    return;
  }
  running_ = true;
  const int generation = generation_;
  QPointer<SelectiveController> self(this);
  thread_ = std::thread([self, in, ops, generation] {
    std::shared_ptr<const SelectiveBuild> build;
    QString error;
    try {
      build = runBuild(in.quant, in.flt, in.matching, ops);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(
        self.data(),
        [self, generation, build, error, ops] {
          if (self) self->finished(generation, build, error, ops);
        },
        Qt::QueuedConnection);
  });
}

void SelectiveController::finished(int generation, std::shared_ptr<const SelectiveBuild> build,
                                   const QString& error, const std::set<int>& ops) {
  if (running_ && thread_.joinable()) thread_.join();
  running_ = false;
  const std::set<int>& now = window_->fallback()->ops();
  if (generation != generation_) return;
  if (ops != now) {
    if (!now.empty() && !timer_active_) startBuild();  // the selection moved on while this one was built
    return;
  }
  build_ = std::move(build);
  built_ops_ = ops;
  error_ = error;
  apply();
  if (!error.isEmpty()) {
    window_->statusBar()->showMessage("No selective model: " + error, 15000);
    emit buildFailed(error);
  }
}

std::shared_ptr<const SelectiveBuild> SelectiveController::buildNow(QString* error) {
  const std::set<int> ops = window_->fallback()->ops();
  if (ops.empty()) {
    *error = "no op is kept in float: mark ops first (graph context menu, Analyze > Keep in float)";
    return nullptr;
  }
  if (build_ && built_ops_ == ops) return build_;
  Inputs in = inputs();
  if (!in.problem.isEmpty()) {
    *error = in.problem;
    return nullptr;
  }
  try {
    return runBuild(in.quant, in.flt, in.matching, ops);
  } catch (const std::exception& e) {
    *error = QString::fromStdString(e.what());
    return nullptr;
  }
}

void SelectiveController::apply() {
  const bool show_band = build_ && band_action_->isChecked();
  if (show_band) {
    band_->setSegments(build_->segments, build_->segment_of_quant_op);
    marking_->describeSegments(build_->segments);
  } else {
    band_->setSegments({}, {});
    marking_->describeSegments(std::nullopt, error_);
  }
  ImagesController* images = window_->images();
  const size_t kept = window_->fallback()->ops().size();
  if (build_)
    images->setSelectiveModel(selectiveModel(), QString("selective: %1 kept in float").arg(opsText(built_ops_.size())));
  else if (!error_.isEmpty())
    images->setSelectiveModel(nullptr, QString("selective: %1 kept in float").arg(opsText(kept)),
                              "no selective model: " + error_);
  else images->setSelectiveModel(nullptr, {});
  emit selectiveModelChanged();
}

void SelectiveController::showExportDialog() {
  auto* dialog = new ExportDialog(this, window_);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  if (!dialog->askAndExport()) dialog->deleteLater();
}

}  // namespace ql::gui
