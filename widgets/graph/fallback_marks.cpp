#include "widgets/graph/fallback_marks.h"

#include <QBrush>
#include <QGraphicsRectItem>
#include <QPen>

namespace ql::gui {

QColor keptInFloatColour() { return QColor(0x1f, 0x6f, 0xd1); }

FallbackMarks::FallbackMarks(GraphView* view, Look look)
    : OpOverlay(view, look == Look::KeptInFloat ? 1 : 2), look_(look) {}

void FallbackMarks::setOps(const std::set<int>& ops) {
  if (ops == ops_) return;
  ops_ = ops;
  redraw();
}

void FallbackMarks::build() {
  const QColor blue = keptInFloatColour();
  for (const QRectF& r : rectsOf(std::vector<int>(ops_.begin(), ops_.end()))) {
    auto* item = new QGraphicsRectItem(r.adjusted(-2, -2, 2, 2));
    if (look_ == Look::KeptInFloat) {
      // A light hatch over the node keeps its text readable; the outline carries the mark when zoomed out.
      QColor hatch = blue;
      hatch.setAlpha(110);
      item->setBrush(QBrush(hatch, Qt::BDiagPattern));
      QPen pen(blue, 2.4);
      pen.setCosmetic(false);
      item->setPen(pen);
      item->setZValue(2);
    } else {
      QPen pen(QColor(0xe0, 0x8a, 0x00), 2.0, Qt::DashLine);
      item->setPen(pen);
      item->setBrush(QColor(0xff, 0xb3, 0x00, 40));
      item->setZValue(2.5);
    }
    addItem(item);
  }
}

}  // namespace ql::gui
