// Widgets floating over a graph view's corners: the minimap (the whole graph, with the visible part framed; click
// or drag to move there) and the legend (op-kind tints, and what a red outline means). They are children of the
// view, not of its viewport, so that scrolling does not drag them along.
#pragma once

#include <QPixmap>
#include <QWidget>

#include <vector>

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
  // Wraps onto more rows when narrower than one row needs.
  void setAvailableWidth(int width);
  QSize sizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* e) override;

 private:
  // Lays the entries out in rows no wider than the available width; the size they take.
  QSize arrange(std::vector<QRect>* swatches, std::vector<QPoint>* texts) const;
  bool show_marked_ = false;
  int available_ = 10000;
};

}  // namespace ql::gui
