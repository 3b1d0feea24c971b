// A layer of scene items drawn over or beside the ops of a graph view (fallback marks, the accelerator segment
// band, the rubber-band pick). The view rebuilds its scene when scopes collapse or expand, which deletes every
// item; a layer tags its items and draws them again after each relayout, so it needs nothing from the view but
// its `layoutChanged` signal and op rectangles.
#pragma once

#include <vector>

#include <QObject>
#include <QRectF>

class QGraphicsItem;

namespace ql::gui {

class GraphView;

class OpOverlay : public QObject {
  Q_OBJECT
 public:
  // `tag` tells this layer's items from the view's and from other layers'.
  OpOverlay(GraphView* view, int tag);
  GraphView* view() const { return view_; }
  int itemCount() const;
  // Removes this layer's items and makes them again from the current state.
  void redraw();

 protected:
  // Adds this layer's items for the current layout (through addItem).
  virtual void build() = 0;
  void addItem(QGraphicsItem* item);
  // The rectangles showing `ops` (a collapsed scope's box once, however many of `ops` it hides), execution order.
  std::vector<QRectF> rectsOf(const std::vector<int>& ops) const;

 private:
  GraphView* view_;
  int tag_;
};

}  // namespace ql::gui
