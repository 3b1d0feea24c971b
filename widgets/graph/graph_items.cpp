#include "widgets/graph/graph_items.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace ql::gui {

QColor kindColour(OpKind k) {
  switch (k) {
    case OpKind::Conv: return QColor(0x3b, 0x5b, 0x85);
    case OpKind::Pooling: return QColor(0x3c, 0x6e, 0x58);
    case OpKind::Activation: return QColor(0x6a, 0x50, 0x7e);
    case OpKind::Elementwise: return QColor(0x5a, 0x66, 0x70);
    case OpKind::Layout: return QColor(0x76, 0x63, 0x4f);
    case OpKind::Quantize: return QColor(0x9a, 0x78, 0x34);
    case OpKind::Detection: return QColor(0x2e, 0x6e, 0x73);
    case OpKind::Custom: return QColor(0x45, 0x45, 0x45);
    case OpKind::Other: return QColor(0x6b, 0x72, 0x7a);
    case OpKind::Io: return QColor(0xee, 0xee, 0xee);
    case OpKind::Group: return QColor(0x8b, 0x96, 0xa5);
  }
  return Qt::gray;
}

namespace {
const QColor kSelected(0x1a, 0x73, 0xe8);
const QColor kMarked(0xc6, 0x3b, 0x3b);
const QColor kBorder(0x55, 0x5a, 0x60);
const QColor kEdge(0x6a, 0x6f, 0x75);
const QColor kText(0x22, 0x25, 0x29);
}  // namespace

NodeStyle::NodeStyle() {
  title.setPointSizeF(9);
  body.setPointSizeF(8);
  edge = body;
  edge.setPointSizeF(7.5);
  // Measured once: a 10,000-op graph measures every label, and building metrics per label costs more than that.
  title_metrics = QFontMetricsF(title);
  body_metrics = QFontMetricsF(body);
  edge_metrics = QFontMetricsF(edge);
  const QFontMetricsF& t = title_metrics;
  const QFontMetricsF& b = body_metrics;
  title_height = t.height() + 7;
  line_height = b.height() + 2;
  title_ascent = t.ascent();
  title_descent = t.descent();
  body_ascent = b.ascent();
  body_descent = b.descent();
}

double NodeStyle::advance(const QFontMetricsF& m, QHash<QString, double>& cache, const QString& s) {
  auto it = cache.constFind(s);
  if (it != cache.constEnd()) return *it;
  double w = m.horizontalAdvance(s);
  cache.insert(s, w);
  return w;
}

QSizeF NodeItem::measure(const QString& title, const QString& fused, const QStringList& lines,
                         const NodeStyle& style) {
  double w = style.titleWidth(title);
  double h = style.title_height;
  if (!fused.isEmpty()) {
    w = std::max(w, style.titleWidth(fused));
    h += style.title_height - 2;
  }
  for (const QString& line : lines) w = std::max(w, style.bodyWidth(line));
  if (!lines.isEmpty()) h += static_cast<double>(lines.size()) * style.line_height + 6;
  return {std::max(56.0, std::ceil(w + 2 * style.padding)), std::ceil(h)};
}

NodeItem::NodeItem(int unit, OpKind kind, QString title, QString fused, QStringList lines, const NodeStyle& style)
    : unit_(unit), kind_(kind), title_(std::move(title)), fused_(std::move(fused)), lines_(std::move(lines)),
      style_(style) {
  size_ = measure(title_, fused_, lines_, style_);
  setZValue(1);
}

void NodeItem::setSelectedLook(bool on) {
  if (selected_ == on) return;
  selected_ = on;
  setZValue(on ? 3 : 1);
  update();
}

void NodeItem::setMarked(bool on) {
  if (marked_ == on) return;
  marked_ = on;
  update();
}

void NodeItem::setTint(const QColor& tint) {
  if (tint_ == tint) return;
  tint_ = tint;
  update();
}

QRectF NodeItem::boundingRect() const {
  // Room for the thicker outline of a selected node.
  return QRectF(-size_.width() / 2 - 3, -size_.height() / 2 - 3, size_.width() + 6, size_.height() + 6);
}

void NodeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) {
  const QRectF r(-size_.width() / 2, -size_.height() / 2, size_.width(), size_.height());
  const bool tinted = tint_.isValid() && kind_ != OpKind::Io;
  const QColor head = tinted ? tint_ : kindColour(kind_);
  // Dark text on the light end of a metric's scale, white on the dark end and on the kind tints.
  const QColor title_text = tinted && tint_.lightnessF() > 0.6 ? kText : QColor(Qt::white);
  const double lod = option->levelOfDetailFromTransform(p->worldTransform());
  QPen outline(selected_ ? kSelected : marked_ ? kMarked : kBorder, selected_ ? 2.6 : marked_ ? 1.8 : 0.8);
  if (lod < 0.3) {
    // Zoomed far out: a filled block is all the eye can read, and it is cheap (no antialiasing either).
    p->setRenderHint(QPainter::Antialiasing, false);
    p->fillRect(r, kind_ == OpKind::Io ? QColor(0xbb, 0xbb, 0xbb) : head);
    if (selected_ || marked_) {
      outline.setWidthF(outline.widthF() / std::max(lod, 0.05));
      p->setPen(outline);
      p->setBrush(Qt::NoBrush);
      p->drawRect(r);
    }
    return;
  }
  const double radius = 4;
  if (kind_ == OpKind::Io) {
    p->setPen(outline);
    p->setBrush(head);
    p->drawRoundedRect(r, radius + 4, radius + 4);
    p->setFont(style_.title);
    p->setPen(kText);
    p->drawText(r, Qt::AlignCenter, title_);
    return;
  }
  p->setPen(Qt::NoPen);
  p->setBrush(Qt::white);
  p->drawRoundedRect(r, radius, radius);
  // Header band(s): the op type, then the fused activation in the activation tint as Netron does.
  QPainterPath clip;
  clip.addRoundedRect(r, radius, radius);
  p->save();
  p->setClipPath(clip);
  QRectF band(r.left(), r.top(), r.width(), style_.title_height);
  p->fillRect(band, head);
  QRectF fused_band;
  if (!fused_.isEmpty()) {
    fused_band = QRectF(r.left(), band.bottom(), r.width(), style_.title_height - 2);
    p->fillRect(fused_band, tinted ? head.darker(110) : kindColour(OpKind::Activation).darker(115));
  }
  p->restore();
  if (lod >= 0.45) {
    // Text at a baseline (no layout per call): the most frequent drawing of a frame.
    p->setFont(style_.title);
    p->setPen(title_text);
    const double tx = r.left() + style_.padding;
    auto centred = [&](const QRectF& row, double ascent, double descent) {
      return row.top() + (row.height() + ascent - descent) / 2;
    };
    p->drawText(QPointF(tx, centred(band, style_.title_ascent, style_.title_descent)), title_);
    if (!fused_.isEmpty())
      p->drawText(QPointF(tx, centred(fused_band, style_.title_ascent, style_.title_descent)), fused_);
    if (!lines_.isEmpty()) {
      p->setFont(style_.body);
      p->setPen(kText);
      double y = (fused_.isEmpty() ? band.bottom() : fused_band.bottom()) + 3;
      for (const QString& line : lines_) {
        p->drawText(QPointF(tx, centred(QRectF(0, y, 1, style_.line_height), style_.body_ascent, style_.body_descent)),
                    line);
        y += style_.line_height;
      }
    }
  }
  if (kind_ == OpKind::Group) outline.setStyle(selected_ || marked_ ? Qt::SolidLine : Qt::DashLine);
  p->setPen(outline);
  p->setBrush(Qt::NoBrush);
  p->drawRoundedRect(r, radius, radius);
}

EdgeItem::EdgeItem(const std::vector<QPointF>& route, QString label, const NodeStyle& style)
    : label_(std::move(label)), style_(style) {
  if (route.size() < 2) return;
  // Vertical tangents at every point: the edge leaves a node downwards and enters the next one from above.
  path_.moveTo(route.front());
  for (size_t i = 1; i < route.size(); ++i) {
    QPointF a = route[i - 1], b = route[i];
    double dy = (b.y() - a.y()) / 2;
    if (std::abs(a.x() - b.x()) < 0.5) {
      path_.lineTo(b);
    } else {
      path_.cubicTo(QPointF(a.x(), a.y() + dy), QPointF(b.x(), b.y() - dy), b);
    }
  }
  QPointF tip = route.back();
  double dir = route.back().y() >= route[route.size() - 2].y() ? 1 : -1;
  arrow_ << tip << QPointF(tip.x() - 3.5, tip.y() - 7 * dir) << QPointF(tip.x() + 3.5, tip.y() - 7 * dir);
  // The shape goes beside the edge halfway down its first segment, next to the op that wrote it: edges meeting
  // at a reader (a CONCATENATION) would pile their labels up at the other end.
  QPointF a = route[0], b = route[1];
  label_at_ = QPointF((a.x() + b.x()) / 2 + 5, (a.y() + b.y()) / 2);
  const QFontMetricsF& fm = style_.edge_metrics;
  label_ascent_ = fm.ascent();
  QRectF text(label_at_.x(), label_at_.y() - fm.height() / 2, label_.isEmpty() ? 0 : style_.edgeWidth(label_),
              fm.height());
  bounds_ = path_.boundingRect().united(arrow_.boundingRect()).united(text).adjusted(-2, -2, 2, 2);
}

QRectF EdgeItem::boundingRect() const { return bounds_; }

void EdgeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) {
  const double lod = option->levelOfDetailFromTransform(p->worldTransform());
  if (lod < 0.3) p->setRenderHint(QPainter::Antialiasing, false);
  p->setPen(QPen(kEdge, lod < 0.3 ? 0 : 1.0));
  p->setBrush(Qt::NoBrush);
  p->drawPath(path_);
  if (lod < 0.3) return;
  p->setPen(Qt::NoPen);
  p->setBrush(kEdge);
  p->drawPolygon(arrow_);
  if (lod >= 0.6 && !label_.isEmpty()) {
    p->setFont(style_.edge);
    p->setPen(kText);
    p->drawText(QPointF(label_at_.x(), label_at_.y() + label_ascent_ / 2 - 1), label_);
  }
}

}  // namespace ql::gui
