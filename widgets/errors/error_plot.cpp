#include "widgets/errors/error_plot.h"

#include <cmath>

#include <QFileInfo>
#include <QSaveFile>
#include <QToolTip>
#include <cstdio>

#include "analysis/selection.h"
#include "widgets/errors/layer_metrics.h"

namespace ql::gui {

namespace {

const QColor kRmse(0x4a, 0x78, 0xb5);
const QColor kAbove(0xd0, 0x45, 0x3c);  // red: what is wrong
const QColor kRange(0x8a, 0x97, 0xa8);
const QColor kHatch(0x23, 0x27, 0x2b);
const QColor kSelected(0x1a, 0x73, 0xe8);  // the graphs' selection blue
const QColor kIdeal(0x6b, 0x71, 0x78);
const QColor kThreshold(0xc2, 0x5b, 0x12);
const QColor kAxis(0x9a, 0xa0, 0xa6);
const QColor kText(0x30, 0x34, 0x3a);
constexpr double kBarWidth = 0.8;

QCPBars* makeBars(QCPAxisRect* rect, const QColor& fill, const QPen& pen, const QString& name) {
  auto* bars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  bars->setWidth(kBarWidth);
  bars->setBrush(fill);
  bars->setPen(pen);
  bars->setName(name);
  return bars;
}

QCPBars* makeHatched(QCPAxisRect* rect) {
  QCPBars* bars = makeBars(rect, QColor(), QPen(kHatch, 1), "kept in float");
  bars->setBrush(QBrush(kHatch, Qt::BDiagPattern));
  return bars;
}

QCPItemStraightLine* horizontalLine(QCustomPlot* plot, QCPAxisRect* rect, const QPen& pen) {
  auto* line = new QCPItemStraightLine(plot);
  for (QCPItemPosition* p : {line->point1, line->point2}) {
    p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    p->setAxisRect(rect);
  }
  line->setClipAxisRect(rect);
  line->setPen(pen);
  line->setSelectable(false);
  return line;
}

void styleAxis(QCPAxis* axis, const QFont& font) {
  axis->setTickLabelFont(font);
  axis->setLabelFont(font);
  axis->setBasePen(QPen(kAxis));
  axis->setTickPen(QPen(kAxis));
  axis->setSubTickPen(QPen(kAxis));
  axis->setTickLabelColor(kText);
  axis->setLabelColor(kText);
  axis->grid()->setPen(QPen(QColor(0xe6, 0xe8, 0xeb), 0, Qt::SolidLine));
  axis->grid()->setZeroLinePen(Qt::NoPen);
}

void setBars(QCPBars* bars, const QVector<double>& keys, const QVector<double>& values) {
  bars->setData(keys, values, true);
}

}  // namespace

ErrorPlot::ErrorPlot(QWidget* parent) : QCustomPlot(parent) {
  setBackground(Qt::white);
  setMinimumHeight(220);
  setMouseTracking(true);
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.9);

  rmse_rect_ = axisRect();
  range_rect_ = new QCPAxisRect(this);
  plotLayout()->addElement(1, 0, range_rect_);
  plotLayout()->setRowStretchFactor(0, 3);
  plotLayout()->setRowStretchFactor(1, 2);
  plotLayout()->setRowSpacing(4);
  auto* margins = new QCPMarginGroup(this);
  for (QCPAxisRect* r : {rmse_rect_, range_rect_}) {
    r->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    r->setRangeDrag(Qt::Horizontal);
    r->setRangeZoom(Qt::Horizontal);
    for (QCPAxis* a : {r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft)}) styleAxis(a, small);
    r->axis(QCPAxis::atLeft)->ticker()->setTickCount(4);
  }
  rmse_rect_->axis(QCPAxis::atBottom)->setTickLabels(false);
  rmse_rect_->axis(QCPAxis::atLeft)->setLabel("rmse / scale");
  range_rect_->axis(QCPAxis::atLeft)->setLabel("range");
  range_rect_->axis(QCPAxis::atBottom)->setLabel("op (graph order)");
  // Both charts show the same ops: panning or zooming one moves the other.
  QCPAxis* top_x = rmse_rect_->axis(QCPAxis::atBottom);
  QCPAxis* bottom_x = range_rect_->axis(QCPAxis::atBottom);
  connect(top_x, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), bottom_x,
          qOverload<const QCPRange&>(&QCPAxis::setRange));
  connect(bottom_x, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), top_x,
          qOverload<const QCPRange&>(&QCPAxis::setRange));

  rmse_bars_ = makeBars(rmse_rect_, kRmse, Qt::NoPen, "rmse/scale");
  rmse_above_ = makeBars(rmse_rect_, kAbove, Qt::NoPen, "above threshold");
  rmse_hatched_ = makeHatched(rmse_rect_);
  rmse_selected_ = makeBars(rmse_rect_, kSelected, QPen(kSelected, 1), "selected op");
  range_bars_ = makeBars(range_rect_, kRange, Qt::NoPen, "range");
  range_hatched_ = makeHatched(range_rect_);
  range_selected_ = makeBars(range_rect_, kSelected, QPen(kSelected, 1), "selected op");
  for (QCPBars* b : {range_bars_, range_hatched_, range_selected_}) b->removeFromLegend();

  ideal_line_ = horizontalLine(this, rmse_rect_, QPen(kIdeal, 1.2, Qt::DashLine));
  threshold_line_ = horizontalLine(this, rmse_rect_, QPen(kThreshold, 2));
  // The lines are named on the right axis, outside the bars.
  QCPAxis* left = rmse_rect_->axis(QCPAxis::atLeft);
  QCPAxis* right = rmse_rect_->axis(QCPAxis::atRight);
  right->setVisible(true);
  styleAxis(right, small);
  right->setBasePen(Qt::NoPen);
  right->setSubTicks(false);
  right->grid()->setVisible(false);
  line_labels_.reset(new QCPAxisTickerText);
  right->setTicker(line_labels_);
  connect(left, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), right,
          qOverload<const QCPRange&>(&QCPAxis::setRange));
  for (int i = 0; i < 2; ++i) {
    QCPAxisRect* r = i == 0 ? rmse_rect_ : range_rect_;
    auto* mark = new QCPItemStraightLine(this);
    for (QCPItemPosition* p : {mark->point1, mark->point2}) {
      p->setAxes(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft));
      p->setAxisRect(r);
    }
    mark->setClipAxisRect(r);
    mark->setPen(QPen(QColor(kSelected.red(), kSelected.green(), kSelected.blue(), 110), 1));
    mark->setVisible(false);
    selected_marks_[i] = mark;
  }

  // The legend on a row of its own above the charts, so that it never hides a bar.
  legend->setVisible(true);
  legend->setFont(small);
  legend->setTextColor(kText);
  legend->setBrush(Qt::NoBrush);
  legend->setBorderPen(Qt::NoPen);
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  legend->setIconSize(14, 9);
  legend->setColumnSpacing(14);
  plotLayout()->insertRow(0);
  plotLayout()->addElement(0, 0, legend);
  plotLayout()->setRowStretchFactor(0, 0.001);
  legend->setMargins(QMargins(0, 2, 0, 0));
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  clear();
}

void ErrorPlot::clear() {
  report_ = DebugReport{};
  row_of_op_.clear();
  for (QCPBars* b : {rmse_bars_, rmse_above_, rmse_hatched_, rmse_selected_, range_bars_, range_hatched_,
                     range_selected_})
    b->data()->clear();
  rmse_rect_->axis(QCPAxis::atBottom)->setRange(0, 10);
  fitValueAxes();
  replot(rpQueuedReplot);
}

void ErrorPlot::setReport(const DebugReport& report) {
  const bool same_ops = report.layers.size() == report_.layers.size();
  report_.mode = report.mode;
  report_.layers = report.layers;
  row_of_op_.clear();
  QVector<double> keys, rmse, range;
  int lo = 0, hi = 0;
  for (size_t i = 0; i < report_.layers.size(); ++i) {
    const LayerRow& r = report_.layers[i];
    row_of_op_[r.op_index] = i;
    lo = i == 0 ? r.op_index : std::min(lo, r.op_index);
    hi = i == 0 ? r.op_index : std::max(hi, r.op_index);
    keys << r.op_index;
    rmse << r.rmse_over_scale;
    range << r.range;
  }
  setBars(rmse_bars_, keys, rmse);
  setBars(range_bars_, keys, range);
  // A partial report of the same run keeps the user's zoom; a new one shows every op.
  if (!same_ops || report_.layers.empty()) rmse_rect_->axis(QCPAxis::atBottom)->setRange(lo - 1, hi + 1);
  fillOverlays();
  fitValueAxes();
  replot(rpQueuedReplot);
}

void ErrorPlot::setThreshold(double threshold) {
  if (!(threshold >= 0)) return;
  threshold_ = threshold;
  fillOverlays();
  fitValueAxes();
  replot(rpQueuedReplot);
}

void ErrorPlot::setLogScale(bool on) {
  log_ = on;
  rmse_rect_->axis(QCPAxis::atRight)->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  for (QCPAxisRect* r : {rmse_rect_, range_rect_}) {
    QCPAxis* y = r->axis(QCPAxis::atLeft);
    y->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    QSharedPointer<QCPAxisTicker> ticker(on ? new QCPAxisTickerLog : new QCPAxisTicker);
    ticker->setTickCount(4);
    y->setTicker(ticker);
  }
  fitValueAxes();
  replot(rpQueuedReplot);
}

void ErrorPlot::setFallbackOps(const std::set<int>& ops) {
  fallback_ = ops;
  fillOverlays();
  replot(rpQueuedReplot);
}

void ErrorPlot::setSelectedOp(int op) {
  selected_op_ = op;
  fillOverlays();
  // Zoomed in on other ops: bring the selected one into view, keeping the zoom.
  QCPAxis* x = rmse_rect_->axis(QCPAxis::atBottom);
  if (row_of_op_.count(op) && !x->range().contains(op)) x->setRange(op, x->range().size(), Qt::AlignCenter);
  replot(rpQueuedReplot);
}

void ErrorPlot::fillOverlays() {
  QVector<double> above_k, above_v, hatch_k, hatch_v, hatch_range, sel_k, sel_v, sel_range;
  const Selection above = selectAboveThreshold(report_, threshold_);
  for (const LayerRow& r : report_.layers) {
    if (above.ops.count(r.op_index)) above_k << r.op_index, above_v << r.rmse_over_scale;
    if (fallback_.count(r.op_index)) hatch_k << r.op_index, hatch_v << r.rmse_over_scale, hatch_range << r.range;
    if (r.op_index == selected_op_) sel_k << r.op_index, sel_v << r.rmse_over_scale, sel_range << r.range;
  }
  setBars(rmse_above_, above_k, above_v);
  setBars(rmse_hatched_, hatch_k, hatch_v);
  setBars(range_hatched_, hatch_k, hatch_range);
  setBars(rmse_selected_, sel_k, sel_v);
  setBars(range_selected_, sel_k, sel_range);
  for (QCPItemStraightLine* mark : selected_marks_) {
    mark->setVisible(!sel_k.isEmpty());
    mark->point1->setCoords(selected_op_, 0);
    mark->point2->setCoords(selected_op_, 1);
  }
  threshold_line_->point1->setCoords(0, threshold_);
  threshold_line_->point2->setCoords(1, threshold_);
  ideal_line_->point1->setCoords(0, kIdealRmseOverScale);
  ideal_line_->point2->setCoords(1, kIdealRmseOverScale);
  line_labels_->clear();
  line_labels_->addTick(kIdealRmseOverScale, "0.289 ideal");
  line_labels_->addTick(threshold_, QString("%1 threshold").arg(threshold_, 0, 'f', 3));
}

void ErrorPlot::fitValueAxes() {
  auto fit = [this](QCPAxis* y, double (*of)(const LayerRow&), std::initializer_list<double> lines,
                    std::initializer_list<QCPBars*> bars) {
    double top = 0, low = std::numeric_limits<double>::infinity();
    for (const LayerRow& r : report_.layers) {
      const double v = of(r);
      if (!std::isfinite(v)) continue;
      top = std::max(top, v);
      if (v > 0) low = std::min(low, v);
    }
    for (double l : lines) top = std::max(top, l), low = std::min(low, l);
    if (top <= 0) top = 1;
    if (log_) {
      // Four decades under the largest value at most: an op that adds no error (a copy) would otherwise stretch
      // the axis until every other bar looks alike; smaller values rest on the floor.
      low = std::isfinite(low) ? std::max(low, top * 1e-4) : top / 100;
      y->setRange(low / 1.6, top * 1.6);
    } else {
      y->setRange(0, top * 1.12);
    }
    // Bars start at the axis' bottom on a log axis: a base far below it makes rectangles too large to fill.
    for (QCPBars* b : bars) b->setBaseValue(log_ ? y->range().lower : 0);
  };
  fit(rmse_rect_->axis(QCPAxis::atLeft), [](const LayerRow& r) { return r.rmse_over_scale; },
      {kIdealRmseOverScale, threshold_}, {rmse_bars_, rmse_above_, rmse_hatched_, rmse_selected_});
  fit(range_rect_->axis(QCPAxis::atLeft), [](const LayerRow& r) { return r.range; }, {},
      {range_bars_, range_hatched_, range_selected_});
}

bool ErrorPlot::exportTo(const QString& path, QString* error) {
  auto fail = [&](const QString& why) {
    if (error) *error = path + ": " + why;
    return false;
  };
  const QString suffix = QFileInfo(path).suffix().toLower();
  const int w = std::max(width(), 900), h = std::max(height(), 420);
  if (suffix == "pdf") {
    // QCustomPlot writes the PDF itself, to a file name: a temporary one beside the target, then renamed.
    const QString part = path + ".part";
    if (!savePdf(part, w, h)) {
      QFile::remove(part);
      return fail("could not write the PDF");
    }
    if (std::rename(QFile::encodeName(part).constData(), QFile::encodeName(path).constData()) != 0) {
      QFile::remove(part);
      return fail("could not rename the PDF into place");
    }
    return true;
  }
  if (suffix != "png") return fail("the plot exports as .png or .pdf");
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) return fail(file.errorString());
  if (!toPixmap(w, h, 2.0).save(&file, "PNG")) return fail("could not encode PNG");
  if (!file.commit()) return fail(file.errorString());
  return true;
}

bool ErrorPlot::plottedValues(int op, double* range, double* rmse_over_scale) const {
  auto value = [op](const QCPBars* bars, double* out) {
    auto it = bars->data()->findBegin(op, false);
    if (it == bars->data()->constEnd() || it->key != op) return false;
    *out = it->value;
    return true;
  };
  return value(range_bars_, range) && value(rmse_bars_, rmse_over_scale);
}

namespace {
std::set<int> keysOf(const QCPBars* bars) {
  std::set<int> keys;
  for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
    keys.insert(static_cast<int>(it->key));
  return keys;
}
}  // namespace

std::set<int> ErrorPlot::opsDrawnAboveThreshold() const { return keysOf(rmse_above_); }

std::set<int> ErrorPlot::opsDrawnHatched() const { return keysOf(rmse_hatched_); }

QPoint ErrorPlot::barPosition(int op) const {
  const QCPAxis* x = rmse_rect_->axis(QCPAxis::atBottom);
  const QCPAxis* y = rmse_rect_->axis(QCPAxis::atLeft);
  auto it = row_of_op_.find(op);
  double v = it == row_of_op_.end() ? 0 : report_.layers[it->second].rmse_over_scale;
  double py = std::isfinite(v) && v > 0 ? y->coordToPixel(log_ ? std::sqrt(v * y->range().lower) : v / 2)
                                        : rmse_rect_->center().y();
  return QPoint(static_cast<int>(std::lround(x->coordToPixel(op))), static_cast<int>(std::lround(py)));
}

QPoint ErrorPlot::thresholdLinePosition() const {
  const QCPAxis* y = rmse_rect_->axis(QCPAxis::atLeft);
  return QPoint(rmse_rect_->center().x(), static_cast<int>(std::lround(y->coordToPixel(threshold_))));
}

const LayerRow* ErrorPlot::rowAt(const QPoint& pos) const {
  for (const QCPAxisRect* r : {rmse_rect_, range_rect_}) {
    if (!r->rect().contains(pos)) continue;
    const double key = r->axis(QCPAxis::atBottom)->pixelToCoord(pos.x());
    auto it = row_of_op_.find(static_cast<int>(std::lround(key)));
    if (it != row_of_op_.end() && std::abs(key - it->first) <= 0.5) return &report_.layers[it->second];
  }
  return nullptr;
}

bool ErrorPlot::nearThresholdLine(const QPoint& pos) const {
  return rmse_rect_->rect().contains(pos) && std::abs(pos.y() - thresholdLinePosition().y()) <= 5;
}

void ErrorPlot::mousePressEvent(QMouseEvent* e) {
  pressed_ = e->button() == Qt::LeftButton;
  press_pos_ = e->pos();
  if (pressed_ && nearThresholdLine(e->pos())) {
    dragging_ = true;  // the line, not the charts, moves
    e->accept();
    return;
  }
  QCustomPlot::mousePressEvent(e);
}

void ErrorPlot::mouseMoveEvent(QMouseEvent* e) {
  if (dragging_) {
    const QCPAxis* y = rmse_rect_->axis(QCPAxis::atLeft);
    const double lowest = log_ ? y->range().lower : 0;
    threshold_ = std::clamp(y->pixelToCoord(e->pos().y()), lowest, y->range().upper);
    fillOverlays();
    replot(rpQueuedReplot);
    emit thresholdDragged(threshold_);
    return;
  }
  if (!(e->buttons() & Qt::LeftButton)) {
    setCursor(nearThresholdLine(e->pos()) ? Qt::SizeVerCursor : Qt::ArrowCursor);
    if (const LayerRow* row = rowAt(e->pos()))
      QToolTip::showText(e->globalPosition().toPoint(),
                         layerRowTooltip(*row) + (fallback_.count(row->op_index) ? "<br><i>kept in float</i>" : ""),
                         this);
    else QToolTip::hideText();
  }
  QCustomPlot::mouseMoveEvent(e);
}

void ErrorPlot::mouseReleaseEvent(QMouseEvent* e) {
  const bool was_dragging = dragging_;
  dragging_ = false;
  if (was_dragging) {
    fitValueAxes();
    replot(rpQueuedReplot);
    e->accept();
    return;
  }
  const bool click = pressed_ && e->button() == Qt::LeftButton && (e->pos() - press_pos_).manhattanLength() < 5;
  pressed_ = false;
  QCustomPlot::mouseReleaseEvent(e);
  if (click)
    if (const LayerRow* row = rowAt(e->pos())) emit opClicked(row->op_index);
}

void ErrorPlot::leaveEvent(QEvent* e) {
  QToolTip::hideText();
  QCustomPlot::leaveEvent(e);
}

}  // namespace ql::gui
