#include "widgets/evaluation/pr_curve_plot.h"

#include "analysis/evaluation/coco_box_eval.h"

namespace ql::gui {

QColor PrCurvePlot::modelColour(int m) {
  static const QColor kColours[] = {QColor(45, 110, 185), QColor(220, 110, 30), QColor(40, 150, 80),
                                    QColor(150, 70, 160), QColor(120, 120, 120)};
  return kColours[std::min(m, 4)];
}

PrCurvePlot::PrCurvePlot(QWidget* parent) : QCustomPlot(parent) {
  setMinimumSize(260, 220);
  setBackground(palette().base());
  xAxis->setLabel("recall");
  yAxis->setLabel("precision (IoU .5)");
  for (QCPAxis* axis : {xAxis, yAxis}) {
    axis->setRange(0, 1.02);
    axis->grid()->setPen(QPen(palette().midlight().color(), 0, Qt::DotLine));
  }
  xAxis->setRange(0, 1);
  plotLayout()->insertRow(0);
  title_ = new QCPTextElement(this, "", QFont(font().family(), font().pointSize(), QFont::Bold));
  plotLayout()->addElement(0, 0, title_);
  legend->setVisible(true);
  legend->setBrush(QColor(255, 255, 255, 220));
  axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignLeft);
}

void PrCurvePlot::clearCurves() {
  clearGraphs();
  title_->setText("");
  replot();
}

void PrCurvePlot::setCurves(const std::vector<std::vector<double>>& precision, const QStringList& names,
                            const QString& title) {
  clearGraphs();
  title_->setText(title);
  for (size_t m = 0; m < precision.size(); ++m) {
    if (precision[m].empty()) continue;
    QCPGraph* g = addGraph();
    g->setName(static_cast<int>(m) < names.size() ? names[static_cast<int>(m)] : QString("model %1").arg(m));
    g->setPen(QPen(modelColour(static_cast<int>(m)), m == 0 ? 2.5 : 1.8, m == 0 ? Qt::SolidLine : Qt::DashLine));
    g->setLineStyle(QCPGraph::lsStepLeft);
    g->setProperty("model", static_cast<int>(m));
    const std::array<double, kRecallPointCount>& recall = recallThresholds();
    for (size_t i = 0; i < precision[m].size() && i < recall.size(); ++i)
      if (precision[m][i] >= 0) g->addData(recall[i], precision[m][i]);
  }
  replot();
}

std::vector<std::pair<double, double>> PrCurvePlot::curve(int m) const {
  std::vector<std::pair<double, double>> out;
  for (int i = 0; i < graphCount(); ++i) {
    QCPGraph* g = graph(i);
    if (g->property("model").toInt() != m) continue;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) out.emplace_back(it->key, it->value);
  }
  return out;
}

}  // namespace ql::gui
