#include "widgets/graph/op_colouring.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QLinearGradient>
#include <QPainter>

#include "widgets/graph/graph_view.h"

namespace ql::gui {

namespace {

// Pale yellow to dark red through orange (ColorBrewer's YlOrRd ramp): light for small errors, so that the eye
// goes to the dark ones.
const QColor kRamp[] = {QColor(0xff, 0xf5, 0xc4), QColor(0xfe, 0xd9, 0x76), QColor(0xfe, 0xb2, 0x4c),
                        QColor(0xfd, 0x8d, 0x3c), QColor(0xf0, 0x59, 0x2b), QColor(0xd4, 0x29, 0x1f),
                        QColor(0xa5, 0x0f, 0x26), QColor(0x70, 0x05, 0x22)};
constexpr int kRampSize = static_cast<int>(sizeof(kRamp) / sizeof(kRamp[0]));

QString tickText(double v) { return QString::number(v, 'g', 3); }

}  // namespace

QColor sequentialColour(double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * (kRampSize - 1);
  const int i = std::min(static_cast<int>(t), kRampSize - 2);
  const double f = t - i;
  const QColor& a = kRamp[i];
  const QColor& b = kRamp[i + 1];
  auto mix = [f](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * f)); };
  return QColor(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()));
}

QColor noValueColour() { return QColor(0xd9, 0xdc, 0xe0); }

ColourScale ColourScale::fitting(const std::vector<double>& values, bool log_allowed) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, low_positive = lo;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    if (v > 0) low_positive = std::min(low_positive, v);
  }
  ColourScale s;
  if (!std::isfinite(lo)) return s;
  if (log_allowed && std::isfinite(low_positive) && hi / low_positive > 100) {
    s.log = true;
    s.lo = low_positive;
    s.hi = hi;
    return s;
  }
  s.lo = lo;
  s.hi = hi > lo ? hi : lo + 1;
  return s;
}

double ColourScale::position(double v) const {
  if (log) {
    if (!(v > 0)) return 0;
    return std::clamp((std::log(v) - std::log(lo)) / (std::log(hi) - std::log(lo) + 1e-300), 0.0, 1.0);
  }
  return std::clamp((v - lo) / (hi - lo), 0.0, 1.0);
}

QColor ColourScale::colourOf(double v) const { return std::isnan(v) ? noValueColour() : sequentialColour(position(v)); }

void showOpColouring(GraphView* view, const std::vector<double>& values, const QString& metric,
                     const ColourScale& scale) {
  std::vector<QColor> tints(values.size());
  for (size_t i = 0; i < values.size(); ++i) tints[i] = scale.colourOf(values[i]);
  view->setOpTints(std::move(tints));
  auto* legend = view->findChild<OpColourLegend*>();
  if (!legend) legend = new OpColourLegend(view);
  legend->setScale(metric, scale);
  legend->show();
  view->placeOverlays();
}

void clearOpColouring(GraphView* view) {
  view->setOpTints({});
  if (auto* legend = view->findChild<OpColourLegend*>()) legend->hide();
  view->placeOverlays();
}

OpColourLegend::OpColourLegend(GraphView* view) : QWidget(view) {
  setAttribute(Qt::WA_TransparentForMouseEvents);
  QFont f = font();
  f.setPointSizeF(8);
  setFont(f);
  hide();
  view->setMetricLegend(this);
}

void OpColourLegend::setScale(const QString& metric, const ColourScale& scale) {
  metric_ = metric;
  scale_ = scale;
  resize(sizeHint());
  update();
}

QSize OpColourLegend::sizeHint() const { return QSize(300, fontMetrics().height() * 2 + 22); }

void OpColourLegend::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(QColor(0xdc, 0xdf, 0xe3));
  p.setBrush(QColor(255, 255, 255, 235));
  p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
  const QFontMetrics fm = fontMetrics();
  const int pad = 8;
  p.setPen(QColor(0x30, 0x34, 0x3a));
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  const QString title = metric_ + (scale_.log ? "  (log scale)" : "");
  p.drawText(QPoint(pad, pad + fm.ascent()), title);
  p.setFont(font());
  // The ramp, then the no-value swatch at its right.
  const int ramp_top = pad + fm.height() + 3;
  const int swatch_w = 60;
  const QRect ramp(pad, ramp_top, width() - 2 * pad - swatch_w - 10, 8);
  QLinearGradient g(ramp.topLeft(), ramp.topRight());
  for (int i = 0; i <= 16; ++i) g.setColorAt(i / 16.0, sequentialColour(i / 16.0));
  p.setPen(Qt::NoPen);
  p.setBrush(g);
  p.drawRect(ramp);
  p.setBrush(noValueColour());
  const QRect none(ramp.right() + 10, ramp.top(), 10, 8);
  p.drawRect(none);
  p.setPen(QColor(0x55, 0x5b, 0x62));
  const int text_y = ramp.bottom() + 3 + fm.ascent();
  p.drawText(QPoint(none.right() + 4, ramp.top() + fm.ascent() - 2), "none");
  const double mid = scale_.log ? std::sqrt(scale_.lo * scale_.hi) : (scale_.lo + scale_.hi) / 2;
  p.drawText(QPoint(ramp.left(), text_y), tickText(scale_.lo));
  const QString m = tickText(mid);
  p.drawText(QPoint(ramp.center().x() - fm.horizontalAdvance(m) / 2, text_y), m);
  const QString h = tickText(scale_.hi);
  p.drawText(QPoint(ramp.right() - fm.horizontalAdvance(h), text_y), h);
}

}  // namespace ql::gui
