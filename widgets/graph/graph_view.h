// One model's graph: layered top-down, zoom with the wheel, pan by dragging, fit, a minimap for large graphs,
// name scopes that collapse and expand, find, selection by op index, marks for ops without a twin, and export
// of the whole graph as PNG or SVG. It draws a GraphModel and a layout; it knows nothing of the other view or of
// the op matching (the main window links two views through `opSelected` / `selectOp`).
#pragma once

#include <memory>
#include <vector>

#include <QGraphicsView>

class QMenu;

#include "widgets/graph/graph_items.h"
#include "widgets/graph/graph_model.h"

namespace ql::gui {

class GraphMinimap;
class GraphLegend;

class GraphView : public QGraphicsView {
  Q_OBJECT
 public:
  explicit GraphView(QWidget* parent = nullptr);
  ~GraphView() override;

  // Shows subgraph 0 of `model` (null clears). Graphs of more than `max_open_units` nodes open with their name
  // scopes collapsed.
  void setModel(std::shared_ptr<const ql::Model> model, int max_open_units = 1500);
  const std::shared_ptr<const ql::Model>& model() const { return model_; }
  const GraphModel& graph() const { return graph_; }
  int unitCount() const { return static_cast<int>(visible_.units.size()); }

  // Selects op `op` (expanding the scopes that hide it) and optionally centres it; false when the op is not shown.
  // Does not emit opSelected: that signal is for what the user did. An op not shown clears the selection.
  bool selectOp(int op, bool centre = true);
  int selectedOp() const { return selected_op_; }
  // The scene rectangle of the node showing `op` (a collapsed scope's box when it is hidden inside one).
  QRectF opSceneRect(int op) const;

  // Quiet red outline on these ops (one flag per op): ops without a twin.
  void setMarkedOps(const std::vector<bool>& marked);
  bool opMarked(int op) const { return op >= 0 && static_cast<size_t>(op) < marked_.size() && marked_[static_cast<size_t>(op)]; }
  // Ops that differ from the other model; with differences-only on, everything else fades out (the layout stays
  // put, so the two views still line up).
  void setDifferenceOps(const std::vector<bool>& differences);
  void setDifferencesOnly(bool on);
  bool differencesOnly() const { return differences_only_; }
  // Header colour per op in place of the op-kind tint (op_colouring.h colours ops by a metric); empty: the kind
  // tints again. The op-kind legend hides while they are shown.
  void setOpTints(std::vector<QColor> tints);
  QColor opTint(int op) const;  // invalid when the op has none

  // Ops whose name (output tensor), any input/output tensor name, type contains `text` (case-insensitive), or
  // whose index is `text` ("#12" or "12"); in execution order.
  std::vector<int> findOps(const QString& text) const;

  // Name scopes (GraphModel::scopes); collapsing or expanding lays the graph out again.
  bool scopeCollapsed(int scope) const;
  void setScopeCollapsed(int scope, bool collapsed);
  void expandAll();
  void collapseTopLevel();
  int scopeByPath(const QString& path) const;

  // A strip of `pixels` above the graph that it never scrolls under: the float-fallback legend sits there instead of
  // covering the graph's first ops. 0 removes it.
  void setTopInset(int pixels);
  int topInset() const { return viewportMargins().top(); }
  // A legend shown in the strip under the graph in place of the op-kind one while it is visible (the metric
  // colouring's); call placeOverlays() after showing or hiding it.
  void setMetricLegend(QWidget* legend) { metric_legend_ = legend; }
  // Puts the minimap and the legends where they belong and sizes the legend strip under the graph.
  void placeOverlays();

  void fitAll();
  void zoomBy(double factor);
  double zoom() const;
  // The whole graph (not only what is on screen) as .png or .svg, chosen by the file's suffix.
  bool exportTo(const QString& path, QString* error = nullptr);

  bool painted() const { return painted_; }

 signals:
  void opSelected(int op);      // the user clicked an op (or a scope: its first op)
  void firstPainted();          // the first frame with a graph in it is on screen
  void layoutChanged();
  // The context menu is about to open on `op` (-1: not on an op); listeners add their actions to `menu`.
  void opContextMenu(int op, QMenu* menu);

 protected:
  void wheelEvent(QWheelEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseDoubleClickEvent(QMouseEvent* e) override;
  void contextMenuEvent(QContextMenuEvent* e) override;
  void resizeEvent(QResizeEvent* e) override;
  void paintEvent(QPaintEvent* e) override;
  void scrollContentsBy(int dx, int dy) override;

 private:
  void relayout();
  void applyLooks();
  NodeItem* itemOfOp(int op) const;
  NodeItem* nodeAt(const QPoint& viewport_pos) const;
  int firstOpOfUnit(int unit) const;
  QString unitTitle(int unit) const;

  std::shared_ptr<const ql::Model> model_;
  GraphModel graph_;
  std::vector<bool> collapsed_;
  VisibleGraph visible_;
  NodeStyle style_;
  std::vector<NodeItem*> unit_items_;
  std::vector<QGraphicsItem*> edge_items_;
  std::vector<std::pair<int, int>> edge_units_;  // per edge item: the units it joins
  std::vector<bool> marked_, differences_;
  std::vector<QColor> tints_;
  bool differences_only_ = false;
  int selected_op_ = -1;
  bool painted_ = false;
  GraphMinimap* minimap_ = nullptr;
  GraphLegend* legend_ = nullptr;
  QWidget* metric_legend_ = nullptr;
};

}  // namespace ql::gui
