// Widgets floating over a graph view's corners: the minimap (the whole graph, with the visible part framed; click
// or drag to move there) and the legend (op-kind tints, and what a red outline means). They are children of the
// view, not of its viewport, so that scrolling does not drag them along.
#pragma once

#include <QPixmap>
#include <QWidget>

namespace ql::gui {

class GraphView;

class GraphMinimap : public QWidget {
  Q_OBJECT
 public:
  explicit GraphMinimap(GraphView* view);
  // The scene changed: render the thumbnail again on the next paint.
  void invalidate();

 protected:
  void paintEvent(QPaintEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;

 private:
  QRectF thumbRect() const;
  void moveViewTo(const QPoint& pos);
  GraphView* view_;
  QPixmap thumb_;
  bool dirty_ = true;
};

class GraphLegend : public QWidget {
  Q_OBJECT
 public:
  explicit GraphLegend(QWidget* parent);
  void setShowMarked(bool on);
  QSize sizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* e) override;

 private:
  bool show_marked_ = false;
};

}  // namespace ql::gui
