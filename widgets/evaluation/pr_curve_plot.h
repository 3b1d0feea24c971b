// Precision-recall curves of one class, a curve per model, as the evaluation computed them: COCO's interpolated
// precision at IoU .5 on 101 recall points (0, .01, ..., 1). Recall points a model never reaches have no
// precision and are left out of its curve.
#pragma once

#include <vector>

#include <QStringList>
#include <qcustomplot.h>

namespace ql::gui {

class PrCurvePlot : public QCustomPlot {
  Q_OBJECT
 public:
  explicit PrCurvePlot(QWidget* parent = nullptr);

  // `precision[m]` is model m's curve (empty: none for this class); `names[m]` its legend entry.
  void setCurves(const std::vector<std::vector<double>>& precision, const QStringList& names, const QString& title);
  void clearCurves();
  // The points drawn for model m (tests read the state, not the pixels).
  std::vector<std::pair<double, double>> curve(int m) const;

  // The colour of model m's curve and column: float, quantized, selective, then more.
  static QColor modelColour(int m);

 private:
  QCPTextElement* title_ = nullptr;
};

}  // namespace ql::gui
