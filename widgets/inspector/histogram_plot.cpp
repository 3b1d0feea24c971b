#include "widgets/inspector/histogram_plot.h"

#include "widgets/inspector/inspector_style.h"

namespace ql::gui::inspector {
namespace {

const QColor kBars(70, 110, 160);
const QColor kOverlay(215, 120, 40);

// QCustomPlot's containers iterate through constBegin/constEnd only when const.
template <typename Data>
int64_t sumOfValues(const QCPDataContainer<Data>& data) {
  double n = 0;
  for (auto it = data.constBegin(); it != data.constEnd(); ++it) n += it->value;
  return static_cast<int64_t>(n);
}

}  // namespace

HistogramPlot::HistogramPlot(QWidget* parent) : QCustomPlot(parent) {
  setMinimumHeight(150);
  setMaximumHeight(190);
  setBackground(palette().base());
  QFont tick = monoFont();
  tick.setPointSizeF(tick.pointSizeF() * 0.85);
  for (QCPAxis* axis : {xAxis, yAxis}) {
    axis->setTickLabelFont(tick);
    axis->setBasePen(QPen(palette().mid().color()));
    axis->setTickPen(QPen(palette().mid().color()));
    axis->setSubTickPen(Qt::NoPen);
    axis->setTickLabelColor(palette().text().color());
    axis->grid()->setPen(QPen(palette().midlight().color(), 0, Qt::DotLine));
  }
  axisRect()->setAutoMargins(QCP::msLeft | QCP::msBottom);
  axisRect()->setMargins(QMargins(0, 6, 6, 0));
  bars_ = new QCPBars(xAxis, yAxis);
  bars_->setPen(Qt::NoPen);
  bars_->setBrush(kBars);
  overlay_ = addGraph();
  overlay_->setLineStyle(QCPGraph::lsStepCenter);
  overlay_->setPen(QPen(kOverlay, 1.5));
  // The legend on a row of its own above the plot, so it never hides the bars.
  legend->setVisible(true);
  legend->setFont(tick);
  legend->setBrush(Qt::NoBrush);
  legend->setBorderPen(Qt::NoPen);
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  legend->setIconSize(14, 8);
  plotLayout()->insertRow(0);
  plotLayout()->addElement(0, 0, legend);
  plotLayout()->setRowStretchFactor(0, 0.001);
  legend->setMargins(QMargins(0, 0, 0, 0));
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  axisRect()->setRangeZoom(Qt::Horizontal);
  axisRect()->setRangeDrag(Qt::Horizontal);
}

void HistogramPlot::setHistograms(const Histogram& main, const QString& main_label, const Histogram* overlay,
                                  const QString& overlay_label) {
  QVector<double> x, y;
  double top = 0;
  for (size_t i = 0; i < main.counts.size(); ++i) {
    x << main.binCenter(i);
    y << static_cast<double>(main.counts[i]);
    top = std::max(top, y.back());
  }
  bars_->setData(x, y, true);
  bars_->setWidth(main.binWidth());
  bars_->setName(main_label);
  QVector<double> ox, oy;
  if (overlay && overlay->total() > 0) {
    for (size_t i = 0; i < overlay->counts.size(); ++i) {
      ox << overlay->binCenter(i);
      oy << static_cast<double>(overlay->counts[i]);
      top = std::max(top, oy.back());
    }
  }
  overlay_->setData(ox, oy, true);
  overlay_->setName(overlay_label);
  overlay_->setVisible(!ox.isEmpty());
  if (ox.isEmpty()) overlay_->removeFromLegend();
  else overlay_->addToLegend();
  xAxis->setRange(main.lo, main.hi);
  yAxis->setRange(0, top * 1.08 + 1);
  replot(QCustomPlot::rpQueuedReplot);
}

int64_t HistogramPlot::barsTotal() const { return sumOfValues(*bars_->data()); }

int64_t HistogramPlot::overlayTotal() const { return sumOfValues(*overlay_->data()); }

}  // namespace ql::gui::inspector
