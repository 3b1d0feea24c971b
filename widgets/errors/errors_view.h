// The layer error dock's content: a bar of controls (compute / stop with progress, per-layer | whole-model,
// linear | log, the threshold, "keep above threshold in float", colour the graphs by a metric, export), the plot
// and the sortable table side by side, and a line saying what is shown. It shows reports and forwards what the
// user asks for as signals; the controller in app/gui runs the debugger and owns the selection.
#pragma once

#include <set>

#include <QWidget>

#include "analysis/quant_debugger.h"

class QButtonGroup;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QSortFilterProxyModel;
class QStackedWidget;
class QToolButton;
class QTreeView;

namespace ql::gui {

class ErrorPlot;
class ErrorTableModel;

class ErrorsView : public QWidget {
  Q_OBJECT
 public:
  explicit ErrorsView(QWidget* parent = nullptr);

  ErrorPlot* plot() const { return plot_; }
  QTreeView* table() const { return table_; }
  ErrorTableModel* tableModel() const { return model_; }
  QSortFilterProxyModel* sortedModel() const { return sorted_; }

  // Shows `report` (a partial one keeps the table's expansion and the plot's zoom).
  void setReport(const DebugReport& report);
  // No report: the plot and table give way to `message`.
  void showMessage(const QString& message);
  void setStatus(const QString& text);
  QString status() const;
  void setRunning(bool running);
  void setProgress(int done, int total, const QString& what);
  void setMode(DebugMode mode);
  DebugMode mode() const;
  void setThreshold(double threshold);
  double threshold() const;
  void setFallbackOps(const std::set<int>& ops);
  void setSelectedOp(int op);
  // The metric the graphs are coloured by ("" for none); the combo box follows without emitting.
  void setColourMetric(const QString& metric);
  QString colourMetric() const;
  void setCanCompute(bool can);

 signals:
  void computeRequested();
  void cancelRequested();
  void modeChanged(ql::DebugMode mode);
  void thresholdChanged(double threshold);
  void keepAboveRequested();
  void colourMetricChanged(const QString& metric);
  void exportRequested(const QString& format);  // "png", "pdf" (the plot), "csv" (the table)
  void opActivated(int op);

 private:
  void copySelectedRows();
  void rowActivated(const QModelIndex& index);
  void refreshAbove();

  ErrorPlot* plot_ = nullptr;
  QTreeView* table_ = nullptr;
  ErrorTableModel* model_ = nullptr;
  QSortFilterProxyModel* sorted_ = nullptr;
  QStackedWidget* stack_ = nullptr;
  QLabel* message_ = nullptr;
  QLabel* status_ = nullptr;
  QToolButton* compute_ = nullptr;
  QToolButton* keep_above_ = nullptr;
  QToolButton* export_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QButtonGroup* mode_ = nullptr;
  QButtonGroup* scale_ = nullptr;
  QDoubleSpinBox* threshold_ = nullptr;
  QComboBox* colour_ = nullptr;
  bool running_ = false;
  bool syncing_ = false;
};

}  // namespace ql::gui
