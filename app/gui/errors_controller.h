// The "Layer error" dock wired to the window: runs the engine's quantization debugger (DebugWorker) on the Images
// dock's images with the float model's preprocessing, per-layer or whole-model, and shows the rows as they come;
// one selection everywhere (a clicked bar or row selects the op in both graphs, an op selected in a graph
// highlights its bar and row); the threshold marks ops to keep in float through the window's FloatFallback
// (undoable); the graphs can be coloured by any metric of the report; the plot exports as PNG/PDF and the table as
// the debugger's CSV. Analyze > Compute layer error, View > Colour ops by.
#pragma once

#include <functional>
#include <optional>

#include <QObject>
#include <QString>

#include "analysis/quant_debugger.h"

class QAction;
class QActionGroup;
class QDockWidget;

namespace ql::gui {

class DebugWorker;
class ErrorsView;
class MainWindow;

class ErrorsController : public QObject {
  Q_OBJECT
 public:
  // Adds the "Layer error" dock (bottom area, hidden until used) and its menu actions to `window`.
  explicit ErrorsController(MainWindow* window);
  ~ErrorsController() override;

  QDockWidget* dock() const { return dock_; }
  ErrorsView* view() const { return view_; }
  DebugWorker* worker() const { return worker_; }

  // The report shown once complete; null before a run ends (and while one replaces it).
  const DebugReport* report() const { return complete_ ? &*shown_ : nullptr; }
  // Shows a report computed elsewhere (a saved session): it becomes report() for its mode.
  void showReport(DebugReport report);
  double threshold() const;
  void setThreshold(double threshold);

  // Runs the debugger in the dock's mode on the Images dock's images (a run in progress is replaced). False, with
  // the reason shown in the dock, when there is no pair or no image.
  bool compute();
  void cancel();
  // Shows the report of `mode`, computing it when the current one is of the other mode or out of date.
  void setMode(DebugMode mode);
  // Marks every op above the threshold to keep in float (one undo step).
  void keepAboveThreshold();
  // Colours both graphs by `metric` (a debug CSV column: "rmse/scale", "range", ...) whenever a report is shown;
  // "" turns colouring off.
  void setColourMetric(const QString& metric);
  QString colourMetric() const { return colour_metric_; }
  // Runs once the next models are shown, on their images (File > Quantize... opens its pair this way).
  void computeWhenShown() { compute_when_shown_ = true; }
  // Calls `done` once after the next run ends (finished, failed or cancelled); at once when none can start.
  void computeThen(std::function<void()> done);

  // Why the last run did not give a report (no pair, no image, the engine's error); empty after a good one.
  QString lastError() const { return last_error_; }

  bool exportPlot(const QString& path, QString* error = nullptr);
  bool exportCsv(const QString& path, QString* error = nullptr);

 signals:
  // A complete report is shown (computed, or given to showReport).
  void reportChanged();
  // A run ended: `completed` is false when it was cancelled or failed.
  void runFinished(bool completed);

 private:
  void modelsShown();
  void inputsChanged();
  void showShown();
  void applyColouring();
  void updateStatus();
  void exportDialog(const QString& format);
  void finish(bool completed);

  MainWindow* window_;
  QDockWidget* dock_ = nullptr;
  ErrorsView* view_ = nullptr;
  DebugWorker* worker_ = nullptr;
  QAction* compute_action_ = nullptr;
  QAction* cancel_action_ = nullptr;
  QActionGroup* colour_actions_ = nullptr;
  std::optional<DebugReport> shown_;       // what the dock shows (a partial report while a run goes on)
  bool complete_ = false;
  std::optional<DebugReport> by_mode_[2];  // complete reports of the current inputs, per mode
  bool stale_ = false;                     // the images or preprocessing changed since the shown report
  int images_used_ = 0;
  QString colour_metric_;
  QString last_error_;
  bool compute_when_shown_ = false;
  std::vector<std::function<void()>> after_run_;
};

}  // namespace ql::gui
