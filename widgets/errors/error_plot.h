// The layer error plot: bar charts in graph order (x = the quantized model's op index) of rmse/scale (top, with the
// ideal 1/sqrt(12) = 0.289 line and a threshold line the user drags) and of range (bottom: 255 x scale, 65535 x
// scale for int16, as the engine computes it), linear or log. Bars above the threshold are red, bars of ops kept
// in float are hatched, the selected op's bar is outlined; hovering a bar shows its op and every metric, clicking
// it asks for its op to be selected. It draws the rows of a ql::DebugReport and computes nothing: which rows are
// above the threshold comes from the engine's selectAboveThreshold.
#pragma once

#include <map>
#include <set>

#include <qcustomplot.h>

#include "analysis/quant_debugger.h"

namespace ql::gui {

class ErrorPlot : public QCustomPlot {
  Q_OBJECT
 public:
  static constexpr double kIdealRmseOverScale = 0.28867513459481287;  // 1/sqrt(12): rounding error alone

  explicit ErrorPlot(QWidget* parent = nullptr);

  void setReport(const DebugReport& report);
  void clear();
  void setThreshold(double threshold);
  double threshold() const { return threshold_; }
  void setLogScale(bool on);
  bool logScale() const { return log_; }
  void setFallbackOps(const std::set<int>& ops);
  // Outlines the op's bar and scrolls it into view when zoomed in; -1 clears.
  void setSelectedOp(int op);
  int selectedOp() const { return selected_op_; }

  // The plot as .png (twice its on-screen size) or .pdf (vector), chosen by the file's suffix; written to a
  // temporary file and renamed. False with `error` naming the file when it cannot be written.
  bool exportTo(const QString& path, QString* error = nullptr);

  // What is drawn: the bar heights at `op` (false when the op has no bar), the ops drawn as above the threshold,
  // the ops drawn hatched, and the widget position of an op's rmse/scale bar (for clicks).
  bool plottedValues(int op, double* range, double* rmse_over_scale) const;
  std::set<int> opsDrawnAboveThreshold() const;
  std::set<int> opsDrawnHatched() const;
  QPoint barPosition(int op) const;
  QPoint thresholdLinePosition() const;  // a point on the threshold line, in widget pixels

 signals:
  void opClicked(int op);
  // The user dragged the threshold line.
  void thresholdDragged(double threshold);

 protected:
  void mousePressEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void leaveEvent(QEvent* e) override;

 private:
  const LayerRow* rowAt(const QPoint& pos) const;
  bool nearThresholdLine(const QPoint& pos) const;
  void fillOverlays();
  void fitValueAxes();

  DebugReport report_;
  std::map<int, size_t> row_of_op_;
  double threshold_ = 0.7;
  bool log_ = false;
  std::set<int> fallback_;
  int selected_op_ = -1;
  QCPAxisRect* rmse_rect_ = nullptr;
  QCPAxisRect* range_rect_ = nullptr;
  QCPBars* rmse_bars_ = nullptr;
  QCPBars* rmse_above_ = nullptr;
  QCPBars* rmse_hatched_ = nullptr;
  QCPBars* rmse_selected_ = nullptr;
  QCPBars* range_bars_ = nullptr;
  QCPBars* range_hatched_ = nullptr;
  QCPBars* range_selected_ = nullptr;
  QCPItemStraightLine* ideal_line_ = nullptr;
  QCPItemStraightLine* threshold_line_ = nullptr;
  QSharedPointer<QCPAxisTickerText> line_labels_;  // the right axis names the two lines where they meet it
  QCPItemStraightLine* selected_marks_[2] = {nullptr, nullptr};  // a thin vertical line in each chart
  bool dragging_ = false;
  QPoint press_pos_;
  bool pressed_ = false;
};

}  // namespace ql::gui
