#include "widgets/images/result_panel.h"

#include <algorithm>
#include <cmath>

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

namespace ql::gui {

QColor classColour(int cls) {
  // Golden-angle hues: neighbouring classes get far-apart colours; pure red (hues within 30 of 0) is left to
  // what is wrong, the pixels where the models disagree.
  const int hue = 30 + static_cast<int>(std::fmod(std::abs(cls) * 137.508, 300.0));
  return QColor::fromHsv(hue, 200, 235);
}

ResultPanel::ResultPanel(QWidget* parent) : QWidget(parent) {
  setMinimumSize(200, 150);
  setAutoFillBackground(false);
}

void ResultPanel::setContent(PanelContent content) {
  content_ = std::move(content);
  if (highlight_ >= boxCount()) highlight_ = -1;
  rebuildMaskOverlay();
  update();
}

void ResultPanel::setHighlight(int box) {
  highlight_ = box >= 0 && box < boxCount() ? box : -1;
  update();
}

void ResultPanel::setView(double zoom, QPointF centre) {
  zoom = std::clamp(zoom, 1.0, 32.0);
  if (zoom == zoom_ && centre == centre_) return;
  zoom_ = zoom;
  centre_ = centre;
  update();
}

void ResultPanel::rebuildMaskOverlay() {
  mask_overlay_ = QImage();
  const PanelContent& c = content_;
  if (c.mask.empty() || c.mask_width <= 0 || c.mask_height <= 0) return;
  mask_overlay_ = QImage(c.mask_width, c.mask_height, QImage::Format_ARGB32);
  const bool marks = c.disagreeing.size() == c.mask.size();
  for (int y = 0; y < c.mask_height; ++y) {
    auto* row = reinterpret_cast<QRgb*>(mask_overlay_.scanLine(y));
    for (int x = 0; x < c.mask_width; ++x) {
      const size_t i = static_cast<size_t>(y) * static_cast<size_t>(c.mask_width) + static_cast<size_t>(x);
      if (marks && c.disagreeing[i]) {
        row[x] = qRgba(255, 0, 40, 230);  // red: the two models disagree here
      } else if (c.mask[i] == 0) {
        row[x] = qRgba(0, 0, 0, 0);  // class 0 is background in the segmenters quantlens knows
      } else {
        const QColor col = classColour(c.mask[i]);
        row[x] = qRgba(col.red(), col.green(), col.blue(), 120);
      }
    }
  }
}

QRectF ResultPanel::imageRect() const {
  const QRectF area = rect().adjusted(4, 24, -4, -4);
  if (content_.image.isNull() || area.width() <= 0 || area.height() <= 0) return {};
  const double fit = std::min(area.width() / content_.image.width(), area.height() / content_.image.height());
  const double s = fit * zoom_;
  const double w = content_.image.width() * s, h = content_.image.height() * s;
  const QPointF mid = area.center();
  return QRectF(mid.x() - centre_.x() * w, mid.y() - centre_.y() * h, w, h);
}

void ResultPanel::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), QColor(40, 42, 46));
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(Qt::white);
  QFont title_font = font();
  title_font.setBold(true);
  p.setFont(title_font);
  p.drawText(QRect(6, 2, width() - 12, 20), Qt::AlignLeft | Qt::AlignVCenter,
             QFontMetrics(title_font).elidedText(content_.title, Qt::ElideMiddle, width() - 12));
  p.setFont(font());
  const QRectF ir = imageRect();
  if (ir.isEmpty()) {
    p.drawText(rect(), Qt::AlignCenter, content_.error.isEmpty() ? QString("no result") : content_.error);
    return;
  }
  p.save();
  p.setClipRect(rect().adjusted(0, 22, 0, 0));
  p.setRenderHint(QPainter::SmoothPixmapTransform);
  p.drawImage(ir, content_.image);
  if (!mask_overlay_.isNull()) {
    // The mask covers the model input; its image part is the letterbox content (the whole input when stretched).
    const LetterboxTransform& t = content_.transform;
    const double sx = ir.width() / std::max(1, t.content_width), sy = ir.height() / std::max(1, t.content_height);
    const QRectF input_rect(ir.left() - t.offset_x * sx, ir.top() - t.offset_y * sy, t.input_width * sx,
                            t.input_height * sy);
    p.save();
    p.setClipRect(ir, Qt::IntersectClip);
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    p.drawImage(input_rect, mask_overlay_);
    p.restore();
  }
  const QFontMetrics fm(font());
  for (int i = 0; i < boxCount(); ++i) {
    const Detection& d = content_.boxes[static_cast<size_t>(i)];
    const QRectF r(ir.left() + d.xmin * ir.width(), ir.top() + d.ymin * ir.height(), (d.xmax - d.xmin) * ir.width(),
                   (d.ymax - d.ymin) * ir.height());
    const bool lit = i == highlight_;
    const QColor col = lit ? QColor(255, 230, 0) : classColour(d.cls);
    p.setPen(QPen(col, lit ? 4 : 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(r);
    const QString text = QString("%1 %2")
                             .arg(d.label.empty() ? QString("class %1").arg(d.cls) : QString::fromStdString(d.label))
                             .arg(static_cast<double>(d.score), 0, 'f', 2);
    // The tag stays on the visible part of the image: a box at its right edge gets its tag moved left.
    const QRectF visible = ir.intersected(QRectF(rect()).adjusted(0, 22, 0, 0));
    const double tag_w = fm.horizontalAdvance(text) + 8;
    const double tag_x = std::max(visible.left(), std::min(r.left(), visible.right() - tag_w));
    const QRectF tag(tag_x, std::max(visible.top(), r.top() - fm.height() - 2), tag_w, fm.height() + 2);
    p.fillRect(tag, col);
    p.setPen(Qt::black);
    p.drawText(tag, Qt::AlignCenter, text);
  }
  p.restore();
  if (!content_.lines.isEmpty() || !content_.error.isEmpty()) {
    QStringList lines = content_.lines;
    if (!content_.error.isEmpty()) lines.prepend(content_.error);
    const int room = std::max(40, width() - 32);
    int w = 0;
    for (QString& l : lines) {
      l = fm.elidedText(l, Qt::ElideRight, room);
      w = std::max(w, fm.horizontalAdvance(l));
    }
    const QRect box(8, 28, w + 16, fm.height() * static_cast<int>(lines.size()) + 10);
    p.fillRect(box, QColor(0, 0, 0, 170));
    p.setPen(Qt::white);
    for (int i = 0; i < lines.size(); ++i)
      p.drawText(box.left() + 8, box.top() + 5 + fm.ascent() + i * fm.height(), lines[i]);
  }
}

void ResultPanel::wheelEvent(QWheelEvent* e) {
  const double factor = std::pow(1.0015, e->angleDelta().y());
  setView(zoom_ * factor, centre_);
  emit viewChanged(zoom_, centre_);
}

void ResultPanel::mousePressEvent(QMouseEvent* e) { last_drag_ = e->position().toPoint(); }

void ResultPanel::mouseMoveEvent(QMouseEvent* e) {
  const QRectF ir = imageRect();
  if (!(e->buttons() & Qt::LeftButton) || ir.isEmpty()) return;
  const QPoint d = e->position().toPoint() - last_drag_;
  last_drag_ = e->position().toPoint();
  setView(zoom_, QPointF(std::clamp(centre_.x() - d.x() / ir.width(), 0.0, 1.0),
                         std::clamp(centre_.y() - d.y() / ir.height(), 0.0, 1.0)));
  emit viewChanged(zoom_, centre_);
}

void ResultPanel::mouseDoubleClickEvent(QMouseEvent*) {
  setView(1, QPointF(0.5, 0.5));
  emit viewChanged(zoom_, centre_);
}

}  // namespace ql::gui
