#include "widgets/graph/op_overlay.h"

#include <set>
#include <tuple>

#include <QGraphicsItem>
#include <QGraphicsScene>

#include "widgets/graph/graph_view.h"

namespace ql::gui {

namespace {
constexpr int kTagKey = 0x51;  // QGraphicsItem::data key holding a layer's tag
}

OpOverlay::OpOverlay(GraphView* view, int tag) : QObject(view), view_(view), tag_(tag) {
  connect(view, &GraphView::layoutChanged, this, &OpOverlay::redraw);
}

int OpOverlay::itemCount() const {
  int n = 0;
  for (QGraphicsItem* item : view_->scene()->items())
    if (item->data(kTagKey).toInt() == tag_) ++n;
  return n;
}

void OpOverlay::redraw() {
  for (QGraphicsItem* item : view_->scene()->items())
    if (item->data(kTagKey).toInt() == tag_) {
      view_->scene()->removeItem(item);
      delete item;
    }
  if (view_->model()) build();
}

void OpOverlay::addItem(QGraphicsItem* item) {
  item->setData(kTagKey, tag_);
  item->setAcceptedMouseButtons(Qt::NoButton);  // clicks go to the op underneath
  view_->scene()->addItem(item);
}

std::vector<QRectF> OpOverlay::rectsOf(const std::vector<int>& ops) const {
  std::vector<QRectF> rects;
  std::set<std::tuple<double, double, double, double>> seen;
  for (int op : ops) {
    QRectF r = view_->opSceneRect(op);
    if (!r.isEmpty() && seen.emplace(r.x(), r.y(), r.width(), r.height()).second) rects.push_back(r);
  }
  return rects;
}

}  // namespace ql::gui
