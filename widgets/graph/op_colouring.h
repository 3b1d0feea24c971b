// Ops coloured by a number per op (a metric of the layer error report: rmse/scale, range, ...): one sequential
// colour scale, pale yellow to dark red as the number grows, fitted to the values (logarithmic when allowed and
// they span more than two decades), ops without a value in a quiet grey, and a
// legend naming the metric with the scale's ends where the op-kind legend usually sits. The numbers come from
// the engine's report; this only turns them into colours.
#pragma once

#include <vector>

#include <QColor>
#include <QString>
#include <QWidget>

namespace ql::gui {

class GraphView;

struct ColourScale {
  double lo = 0, hi = 1;
  bool log = false;
  // The scale from the lowest to the highest of `values` (NaN and infinities ignored); logarithmic when
  // `log_allowed` and the positive values span more than two decades.
  static ColourScale fitting(const std::vector<double>& values, bool log_allowed);
  double position(double v) const;  // 0 at lo, 1 at hi, clamped
  QColor colourOf(double v) const;  // the no-value grey for NaN
};

// The sequential scale at t in [0, 1].
QColor sequentialColour(double t);
QColor noValueColour();

// Colours `view`'s ops: values[op] on `scale` (NaN: no value), with a legend titled `metric`.
void showOpColouring(GraphView* view, const std::vector<double>& values, const QString& metric,
                     const ColourScale& scale);
// Back to the op-kind tints.
void clearOpColouring(GraphView* view);

// The legend: the metric's name, the colour ramp, its ends (and middle), and the no-value swatch.
class OpColourLegend : public QWidget {
  Q_OBJECT
 public:
  explicit OpColourLegend(GraphView* view);
  void setScale(const QString& metric, const ColourScale& scale);
  QString metric() const { return metric_; }
  QSize sizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* e) override;

 private:
  QString metric_;
  ColourScale scale_;
};

}  // namespace ql::gui
