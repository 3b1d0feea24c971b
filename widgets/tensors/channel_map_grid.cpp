#include "widgets/tensors/channel_map_grid.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <QPainter>

namespace ql::gui {

namespace {

constexpr int kCell = 72;       // side of one plane
constexpr int kGap = 4;         // between the three planes of a channel
constexpr int kSpacing = 14;    // between channels
constexpr int kCaption = 16;    // the channel's caption above its planes
constexpr int kLegend = 34;     // the scales on top
constexpr int kTriplet = 3 * kCell + 2 * kGap;

QColor lerp(const QColor& a, const QColor& b, double t) {
  return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                          static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                          static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QImage planeImage(const std::vector<float>& plane, int w, int h, const std::function<QColor(float)>& colour) {
  QImage img(w, h, QImage::Format_RGB32);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      img.setPixelColor(x, y, colour(plane[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)]));
  return img;
}

void drawScale(QPainter& p, const QRect& r, const std::function<QColor(double)>& colour, const QString& lo,
               const QString& hi, const QString& title) {
  for (int x = 0; x < r.width(); ++x) {
    p.setPen(colour(static_cast<double>(x) / std::max(1, r.width() - 1)));
    p.drawLine(r.left() + x, r.top(), r.left() + x, r.bottom());
  }
  p.setPen(Qt::black);
  const QRect text(r.left(), r.bottom() + 1, r.width(), 14);
  p.drawText(text, Qt::AlignLeft | Qt::AlignTop, lo);
  p.drawText(text, Qt::AlignHCenter | Qt::AlignTop, title);
  p.drawText(text, Qt::AlignRight | Qt::AlignTop, hi);
}

}  // namespace

ChannelMapGrid::ChannelMapGrid(QWidget* parent) : QWidget(parent) {
  QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
  policy.setHeightForWidth(true);
  setSizePolicy(policy);
}

QColor ChannelMapGrid::valueColour(double t) {
  // A viridis-like ramp: dark blue, teal, green, yellow; ordered in lightness so low and high read apart in grey.
  static const QColor stops[] = {QColor(68, 1, 84), QColor(59, 82, 139), QColor(33, 145, 140), QColor(94, 201, 98),
                                 QColor(253, 231, 37)};
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * 4.0;
  const int i = std::min(3, static_cast<int>(t));
  return lerp(stops[i], stops[i + 1], t - i);
}

QColor ChannelMapGrid::errorColour(double e) {
  e = std::clamp(std::isfinite(e) ? e : 0.0, -1.0, 1.0);
  const QColor white(255, 255, 255);
  return e < 0 ? lerp(white, QColor(33, 102, 172), -e) : lerp(white, QColor(178, 24, 43), e);
}

void ChannelMapGrid::setMaps(std::vector<ChannelMap> maps, int total_channels) {
  maps_ = std::move(maps);
  total_channels_ = total_channels;
  updateGeometry();
  update();
}

int ChannelMapGrid::columns(int width) const { return std::max(1, (width + kSpacing) / (kTriplet + kSpacing)); }

int ChannelMapGrid::heightForWidth(int width) const {
  if (maps_.empty()) return kLegend;
  const int rows = (static_cast<int>(maps_.size()) + columns(width) - 1) / columns(width);
  return kLegend + 18 + rows * (kCaption + kCell + kSpacing);
}

QSize ChannelMapGrid::sizeHint() const { return {2 * kTriplet + kSpacing, heightForWidth(2 * kTriplet + kSpacing)}; }

void ChannelMapGrid::resizeEvent(QResizeEvent* e) {
  QWidget::resizeEvent(e);
  setMinimumHeight(heightForWidth(width()));
}

void ChannelMapGrid::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().base());
  if (maps_.empty()) return;
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  p.setFont(small);
  // The scales: each channel's values from its low to its high, its error from -max to +max.
  drawScale(p, QRect(0, 2, kTriplet - 20, 10), &ChannelMapGrid::valueColour, "low", "high", "float | quantized");
  drawScale(p, QRect(kTriplet + kSpacing, 2, kTriplet - 20, 10), [](double t) { return errorColour(2 * t - 1); },
            "-max", "+max", "error (q - f)");
  p.setPen(palette().text().color());
  p.drawText(QRect(0, kLegend - 4, width(), 16), Qt::AlignLeft,
             QString("%1 of %2 channels, worst rmse first; each: float | quantized | error")
                 .arg(maps_.size())
                 .arg(total_channels_));
  const int cols = columns(width());
  for (size_t i = 0; i < maps_.size(); ++i) {
    const ChannelMap& m = maps_[i];
    const int col = static_cast<int>(i) % cols, row = static_cast<int>(i) / cols;
    const int x = col * (kTriplet + kSpacing), y = kLegend + 18 + row * (kCaption + kCell + kSpacing);
    p.setPen(palette().text().color());
    p.drawText(QRect(x, y, kTriplet, kCaption), Qt::AlignLeft | Qt::AlignVCenter,
               QString("ch %1   rmse %2   [%3, %4]")
                   .arg(m.channel)
                   .arg(m.rmse, 0, 'g', 3)
                   .arg(static_cast<double>(m.value_lo), 0, 'g', 3)
                   .arg(static_cast<double>(m.value_hi), 0, 'g', 3));
    if (m.width <= 0 || m.height <= 0) continue;
    const double span = static_cast<double>(m.value_hi - m.value_lo);
    const auto value = [&](float v) {
      return valueColour(span > 0 ? (static_cast<double>(v - m.value_lo)) / span : 0.5);
    };
    const double emax = static_cast<double>(m.error_abs_max);
    const auto error = [&](float v) { return errorColour(emax > 0 ? static_cast<double>(v) / emax : 0.0); };
    const QImage planes[3] = {planeImage(m.float_plane, m.width, m.height, value),
                              planeImage(m.quant_plane, m.width, m.height, value),
                              planeImage(m.error_plane, m.width, m.height, error)};
    for (int k = 0; k < 3; ++k) {
      // Keep the plane's aspect ratio inside the square cell; pixels stay blocks (no smoothing).
      const QSize s = QSize(m.width, m.height).scaled(kCell, kCell, Qt::KeepAspectRatio);
      const QRect target(x + k * (kCell + kGap), y + kCaption, s.width(), s.height());
      p.drawImage(target, planes[k]);
      p.setPen(palette().mid().color());
      p.drawRect(target.adjusted(0, 0, -1, -1));
    }
  }
}

}  // namespace ql::gui
