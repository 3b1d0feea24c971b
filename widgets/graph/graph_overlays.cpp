#include "widgets/graph/graph_overlays.h"

#include <QFontMetrics>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>

#include "widgets/graph/graph_items.h"
#include "widgets/graph/graph_view.h"

namespace ql::gui {

GraphMinimap::GraphMinimap(GraphView* view) : QWidget(view), view_(view) {
  setCursor(Qt::PointingHandCursor);
  setToolTip("Overview: click or drag to move the view");
}

void GraphMinimap::invalidate() {
  dirty_ = true;
  update();
}

QRectF GraphMinimap::thumbRect() const {
  QRectF scene = view_->scene()->sceneRect();
  if (scene.isEmpty()) return {};
  QRectF box = QRectF(rect()).adjusted(4, 4, -4, -4);
  double s = std::min(box.width() / scene.width(), box.height() / scene.height());
  QSizeF size(scene.width() * s, scene.height() * s);
  return QRectF(box.center() - QPointF(size.width() / 2, size.height() / 2), size);
}

void GraphMinimap::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), QColor(255, 255, 255, 235));
  p.setPen(QColor(0xc8, 0xcc, 0xd0));
  p.drawRect(rect().adjusted(0, 0, -1, -1));
  QRectF target = thumbRect();
  if (target.isEmpty()) return;
  if (dirty_ || thumb_.size() != target.size().toSize()) {
    // Rendered once per layout: at this scale every node draws as a filled block, so it is quick even for 10k ops.
    thumb_ = QPixmap(target.size().toSize().expandedTo(QSize(1, 1)));
    thumb_.fill(Qt::transparent);
    QPainter tp(&thumb_);
    view_->scene()->render(&tp, QRectF(QPointF(0, 0), target.size()), view_->scene()->sceneRect());
    dirty_ = false;
  }
  p.drawPixmap(target.topLeft(), thumb_);
  QRectF scene = view_->scene()->sceneRect();
  QRectF visible = view_->mapToScene(view_->viewport()->rect()).boundingRect().intersected(scene);
  double s = target.width() / scene.width();
  QRectF frame(target.left() + (visible.left() - scene.left()) * s, target.top() + (visible.top() - scene.top()) * s,
               visible.width() * s, visible.height() * s);
  p.setPen(QPen(QColor(0x1a, 0x73, 0xe8), 1.5));
  p.setBrush(QColor(0x1a, 0x73, 0xe8, 30));
  p.drawRect(frame);
}

void GraphMinimap::moveViewTo(const QPoint& pos) {
  QRectF target = thumbRect();
  if (target.isEmpty()) return;
  QRectF scene = view_->scene()->sceneRect();
  double s = target.width() / scene.width();
  view_->centerOn(QPointF(scene.left() + (pos.x() - target.left()) / s, scene.top() + (pos.y() - target.top()) / s));
}

void GraphMinimap::mousePressEvent(QMouseEvent* e) { moveViewTo(e->pos()); }
void GraphMinimap::mouseMoveEvent(QMouseEvent* e) {
  if (e->buttons() & Qt::LeftButton) moveViewTo(e->pos());
}

namespace {
struct LegendEntry {
  OpKind kind;
  const char* text;
};
const LegendEntry kLegend[] = {{OpKind::Conv, "conv / fc"},     {OpKind::Pooling, "pool / resize"},
                               {OpKind::Activation, "activation"}, {OpKind::Elementwise, "elementwise"},
                               {OpKind::Layout, "layout"},       {OpKind::Quantize, "(de)quantize"},
                               {OpKind::Detection, "detection"}};
}  // namespace

GraphLegend::GraphLegend(QWidget* parent) : QWidget(parent) {
  setAttribute(Qt::WA_TransparentForMouseEvents);
  QFont f = font();
  f.setPointSizeF(7.5);
  setFont(f);
}

void GraphLegend::setShowMarked(bool on) {
  show_marked_ = on;
  resize(sizeHint());
  update();
}

void GraphLegend::setAvailableWidth(int width) {
  available_ = std::max(120, width);
  resize(sizeHint());
  update();
}

namespace {
std::vector<std::pair<QColor, const char*>> entries(bool marked) {
  std::vector<std::pair<QColor, const char*>> out;
  for (const auto& e : kLegend) out.emplace_back(kindColour(e.kind), e.text);
  if (marked) out.emplace_back(QColor(), "no twin");  // drawn as a red outline
  return out;
}
}  // namespace

QSize GraphLegend::arrange(std::vector<QRect>* swatches, std::vector<QPoint>* texts) const {
  QFontMetrics fm(font());
  const int row_h = fm.height() + 6, pad = 6;
  int x = pad, y = 3, widest = 0;
  for (const auto& [colour, text] : entries(show_marked_)) {
    int w = 14 + fm.horizontalAdvance(text) + 10;
    if (x + w > available_ && x > pad) {
      x = pad;
      y += row_h;
    }
    int cy = y + row_h / 2;
    swatches->push_back(QRect(x, cy - 5, 10, 10));
    texts->push_back(QPoint(x + 14, cy + fm.ascent() / 2 - 1));
    x += w;
    widest = std::max(widest, x);
  }
  return {widest, y + row_h + 3};
}

QSize GraphLegend::sizeHint() const {
  std::vector<QRect> s;
  std::vector<QPoint> t;
  return arrange(&s, &t);
}

void GraphLegend::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), QColor(255, 255, 255, 225));
  std::vector<QRect> swatches;
  std::vector<QPoint> texts;
  arrange(&swatches, &texts);
  auto list = entries(show_marked_);
  for (size_t i = 0; i < list.size(); ++i) {
    const auto& [colour, text] = list[i];
    if (colour.isValid()) {
      p.setPen(Qt::NoPen);
      p.setBrush(colour);
    } else {
      p.setPen(QPen(QColor(0xc6, 0x3b, 0x3b), 1.8));
      p.setBrush(Qt::white);
    }
    p.drawRoundedRect(QRectF(swatches[i]), 2, 2);
    p.setPen(QColor(0x44, 0x48, 0x4c));
    p.drawText(texts[i], text);
  }
}

}  // namespace ql::gui
