#include "widgets/graph/graph_view.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QSaveFile>
#include <QScrollBar>
#include <QSvgGenerator>
#include <QWheelEvent>
#include <algorithm>
#include <unordered_set>

#include "widgets/graph/graph_layout.h"
#include "widgets/graph/graph_overlays.h"

namespace ql::gui {

namespace {
constexpr double kMinZoom = 0.02, kMaxZoom = 4.0;
}

GraphView::GraphView(QWidget* parent) : QGraphicsView(parent) {
  setScene(new QGraphicsScene(this));
  setBackgroundBrush(Qt::white);
  setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
  setDragMode(QGraphicsView::ScrollHandDrag);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
  setOptimizationFlags(QGraphicsView::DontSavePainterState | QGraphicsView::DontAdjustForAntialiasing);
  setFrameShape(QFrame::NoFrame);
  minimap_ = new GraphMinimap(this);
  minimap_->hide();
  legend_ = new GraphLegend(this);
  legend_->resize(legend_->sizeHint());
  legend_->hide();
  // The top inset's strip is the view's own background, not the scene's: white like the scene.
  QPalette p = palette();
  p.setColor(QPalette::Window, Qt::white);
  setPalette(p);
  setAutoFillBackground(true);
}

void GraphView::setTopInset(int pixels) {
  QMargins m = viewportMargins();
  if (pixels == m.top()) return;
  m.setTop(pixels);
  setViewportMargins(m);
}

GraphView::~GraphView() = default;

void GraphView::setModel(std::shared_ptr<const ql::Model> model, int max_open_units) {
  model_ = std::move(model);
  selected_op_ = -1;
  painted_ = false;
  graph_ = model_ ? buildGraphModel(*model_) : GraphModel{};
  collapsed_ = initialCollapse(graph_, max_open_units);
  size_t ops = model_ && !model_->subgraphs.empty() ? model_->subgraphs[0].ops.size() : 0;
  marked_.assign(ops, false);
  differences_.assign(ops, false);
  tints_.clear();
  relayout();
  legend_->setVisible(model_ != nullptr && tints_.empty());
  placeOverlays();  // the legend's strip, before the view is fitted to what is left
  // Open where a reader starts: fitted when that is legible, else at a readable zoom on the top of the graph.
  resetTransform();
  QRectF r = scene()->sceneRect();
  if (r.isEmpty()) return;
  double fit = std::min(viewport()->width() / r.width(), viewport()->height() / r.height());
  if (fit >= 0.6) {
    fitAll();
    if (zoom() > 1.0) zoomBy(1.0 / zoom());
  } else {
    // At 100%, horizontally on the first node (the graph's input), where a reader starts.
    double x = unit_items_.empty() ? r.center().x() : unit_items_.front()->x();
    centerOn(x, r.top() + viewport()->height() / 2.0);
  }
}

QString GraphView::unitTitle(int unit) const {
  const auto& u = visible_.units[static_cast<size_t>(unit)];
  if (u.scope >= 0) return QString::fromStdString(graph_.scopes[static_cast<size_t>(u.scope)].path);
  const auto& node = graph_.nodes[static_cast<size_t>(u.node)];
  return QString::fromStdString(node.kind == OpKind::Io ? node.name : node.type);
}

void GraphView::relayout() {
  scene()->clear();
  unit_items_.clear();
  edge_items_.clear();
  edge_units_.clear();
  visible_ = visibleGraph(graph_, collapsed_);
  const size_t n = visible_.units.size();
  struct Look {
    OpKind kind;
    QString title, fused, tip;
    QStringList lines;
  };
  std::vector<Look> looks(n);
  LayoutInput in;
  in.nodes.resize(n);
  for (size_t u = 0; u < n; ++u) {
    const auto& unit = visible_.units[u];
    Look& look = looks[u];
    look.title = unitTitle(static_cast<int>(u));
    if (unit.scope >= 0) {
      const auto& s = graph_.scopes[static_cast<size_t>(unit.scope)];
      look.kind = OpKind::Group;
      look.lines << QString("%1 ops, double-click to expand").arg(s.node_count);
      look.tip = QString::fromStdString(s.path);
    } else {
      const auto& node = graph_.nodes[static_cast<size_t>(unit.node)];
      look.kind = node.kind;
      look.fused = QString::fromStdString(node.fused);
      for (const auto& c : node.constants) look.lines << QString::fromStdString(c);
      look.tip = node.op >= 0 ? QString("%1  #%2\n%3").arg(QString::fromStdString(node.type)).arg(node.op)
                                    .arg(QString::fromStdString(node.name))
                              : QString("%1 %2").arg(QString::fromStdString(node.type),
                                                     QString::fromStdString(node.name));
    }
    QSizeF size = NodeItem::measure(look.title, look.fused, look.lines, style_);
    if (look.kind == OpKind::Io) size.setWidth(size.width() + 8);
    in.nodes[u] = {size.width(), size.height()};
  }
  for (const auto& e : visible_.edges) in.edges.push_back({e.from, e.to});
  LayoutResult layout = layoutLayered(in);

  unit_items_.resize(n, nullptr);
  for (size_t u = 0; u < n; ++u) {
    Look& look = looks[u];
    auto* item = new NodeItem(static_cast<int>(u), look.kind, look.title, look.fused, look.lines, style_);
    item->setPos(layout.centre[u].x, layout.centre[u].y);
    item->setToolTip(look.tip);
    scene()->addItem(item);
    unit_items_[u] = item;
  }
  // A tensor read by several ops is labelled once, on its first edge: its fan-out would repeat the same shape.
  std::unordered_set<int64_t> labelled;
  for (size_t e = 0; e < visible_.edges.size(); ++e) {
    if (layout.route[e].size() < 2) continue;
    std::vector<QPointF> route;
    for (const auto& p : layout.route[e]) route.emplace_back(p.x, p.y);
    const auto& edge = visible_.edges[e];
    bool first = labelled.insert(static_cast<int64_t>(edge.tensor) * static_cast<int64_t>(n + 1) + edge.from).second;
    auto* item = new EdgeItem(route, first ? QString::fromStdString(edge.label) : QString(), style_);
    scene()->addItem(item);
    edge_items_.push_back(item);
    edge_units_.emplace_back(visible_.edges[e].from, visible_.edges[e].to);
  }
  const double margin = 40;
  scene()->setSceneRect(QRectF(-margin, -margin, layout.width + 2 * margin, layout.height + 2 * margin));
  applyLooks();
  minimap_->invalidate();
  placeOverlays();
  emit layoutChanged();
}

void GraphView::applyLooks() {
  const int sel_node = selected_op_ >= 0 ? graph_.node_of_op[static_cast<size_t>(selected_op_)] : -1;
  const int sel_unit = sel_node >= 0 ? visible_.unit_of_node[static_cast<size_t>(sel_node)] : -1;
  std::vector<char> marked(unit_items_.size(), 0), differs(unit_items_.size(), 0);
  std::vector<QColor> tint(unit_items_.size());
  bool any_marked = false;
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    int op = graph_.nodes[i].op;
    if (op < 0) continue;
    size_t u = static_cast<size_t>(visible_.unit_of_node[i]);
    if (marked_[static_cast<size_t>(op)]) marked[u] = 1, any_marked = true;
    if (differences_[static_cast<size_t>(op)]) differs[u] = 1;
    if (static_cast<size_t>(op) < tints_.size() && visible_.units[u].scope < 0) tint[u] = tints_[static_cast<size_t>(op)];
  }
  for (size_t u = 0; u < unit_items_.size(); ++u) {
    NodeItem* item = unit_items_[u];
    item->setSelectedLook(static_cast<int>(u) == sel_unit);
    item->setMarked(marked[u]);
    item->setTint(tint[u]);
    item->setOpacity(!differences_only_ || differs[u] || static_cast<int>(u) == sel_unit ? 1.0 : 0.15);
  }
  for (size_t e = 0; e < edge_items_.size(); ++e) {
    auto [a, b] = edge_units_[e];
    bool on = !differences_only_ || differs[static_cast<size_t>(a)] || differs[static_cast<size_t>(b)];
    edge_items_[e]->setOpacity(on ? 1.0 : 0.12);
  }
  legend_->setShowMarked(any_marked);
}

NodeItem* GraphView::itemOfOp(int op) const {
  if (op < 0 || static_cast<size_t>(op) >= graph_.node_of_op.size()) return nullptr;
  int node = graph_.node_of_op[static_cast<size_t>(op)];
  if (node < 0) return nullptr;
  return unit_items_[static_cast<size_t>(visible_.unit_of_node[static_cast<size_t>(node)])];
}

QRectF GraphView::opSceneRect(int op) const {
  NodeItem* item = itemOfOp(op);
  return item ? item->sceneBoundingRect() : QRectF();
}

bool GraphView::selectOp(int op, bool centre) {
  NodeItem* item = itemOfOp(op);
  if (!item) {
    selected_op_ = -1;
    applyLooks();
    return false;
  }
  int node = graph_.node_of_op[static_cast<size_t>(op)];
  // Reveal an op hidden inside collapsed scopes.
  bool hidden = false;
  for (int s = graph_.nodes[static_cast<size_t>(node)].scope; s >= 0; s = graph_.scopes[static_cast<size_t>(s)].parent)
    if (collapsed_[static_cast<size_t>(s)]) collapsed_[static_cast<size_t>(s)] = false, hidden = true;
  selected_op_ = op;
  if (hidden) relayout();
  else applyLooks();
  if (centre) centerOn(itemOfOp(op));
  return true;
}

void GraphView::setMarkedOps(const std::vector<bool>& marked) {
  marked_ = marked;
  marked_.resize(graph_.node_of_op.size(), false);
  applyLooks();
}

void GraphView::setDifferenceOps(const std::vector<bool>& differences) {
  differences_ = differences;
  differences_.resize(graph_.node_of_op.size(), false);
  applyLooks();
}

void GraphView::setOpTints(std::vector<QColor> tints) {
  tints_ = std::move(tints);
  legend_->setVisible(model_ != nullptr && tints_.empty());
  placeOverlays();
  applyLooks();
}

QColor GraphView::opTint(int op) const {
  return op >= 0 && static_cast<size_t>(op) < tints_.size() ? tints_[static_cast<size_t>(op)] : QColor();
}

void GraphView::setDifferencesOnly(bool on) {
  differences_only_ = on;
  applyLooks();
}

std::vector<int> GraphView::findOps(const QString& text) const {
  std::vector<int> found;
  if (!model_ || model_->subgraphs.empty() || text.trimmed().isEmpty()) return found;
  const Subgraph& sg = model_->subgraphs[0];
  QString t = text.trimmed();
  bool is_index = false;
  int index = (t.startsWith('#') ? t.mid(1) : t).toInt(&is_index);
  const std::string needle = t.toLower().toStdString();
  auto has = [&](const std::string& s) {
    std::string low = s;
    std::transform(low.begin(), low.end(), low.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
    return low.find(needle) != std::string::npos;
  };
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    if (graph_.node_of_op[i] < 0) continue;
    bool hit = is_index ? static_cast<int>(i) == index : has(model_->opName(sg.ops[i]));
    for (const auto* list : {&sg.ops[i].outputs, &sg.ops[i].inputs})
      for (int32_t tensor : *list)
        if (!hit && !is_index && tensor >= 0) hit = has(sg.tensors[static_cast<size_t>(tensor)].name);
    if (hit) found.push_back(static_cast<int>(i));
  }
  return found;
}

bool GraphView::scopeCollapsed(int scope) const {
  return scope >= 0 && static_cast<size_t>(scope) < collapsed_.size() && collapsed_[static_cast<size_t>(scope)];
}

void GraphView::setScopeCollapsed(int scope, bool collapsed) {
  if (scope < 0 || static_cast<size_t>(scope) >= collapsed_.size() ||
      collapsed_[static_cast<size_t>(scope)] == collapsed)
    return;
  collapsed_[static_cast<size_t>(scope)] = collapsed;
  // Expanding a scope shows its children collapsed when it holds many, so one double-click never floods the view.
  if (!collapsed && graph_.scopes[static_cast<size_t>(scope)].node_count > 400)
    for (size_t s = 0; s < graph_.scopes.size(); ++s)
      if (graph_.scopes[s].parent == scope) collapsed_[s] = true;
  relayout();
}

void GraphView::expandAll() {
  std::fill(collapsed_.begin(), collapsed_.end(), false);
  relayout();
}

void GraphView::collapseTopLevel() {
  for (size_t s = 0; s < collapsed_.size(); ++s) collapsed_[s] = graph_.scopes[s].depth == 0;
  relayout();
}

int GraphView::scopeByPath(const QString& path) const {
  std::string p = path.toStdString();
  for (size_t s = 0; s < graph_.scopes.size(); ++s)
    if (graph_.scopes[s].path == p) return static_cast<int>(s);
  return -1;
}

void GraphView::fitAll() {
  if (scene()->sceneRect().isEmpty()) return;
  fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
  minimap_->update();
}

double GraphView::zoom() const { return transform().m11(); }

void GraphView::zoomBy(double factor) {
  double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
  scale(target / zoom(), target / zoom());
  minimap_->update();
}

bool GraphView::exportTo(const QString& path, QString* error) {
  QRectF src = scene()->sceneRect();
  auto fail = [&](const QString& why) {
    if (error) *error = path + ": " + why;
    return false;
  };
  if (src.isEmpty()) return fail("nothing to export (no graph is loaded)");
  QSaveFile file(path);  // written to a temporary file and renamed: a failed export leaves no half file
  if (!file.open(QIODevice::WriteOnly)) return fail(file.errorString());
  if (path.endsWith(".svg", Qt::CaseInsensitive)) {
    QSvgGenerator svg;
    svg.setOutputDevice(&file);
    svg.setSize(src.size().toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), src.size()));
    svg.setTitle(model_ ? QString::fromStdString(model_->path) : QString());
    QPainter p(&svg);
    scene()->render(&p, QRectF(QPointF(0, 0), src.size()), src);
  } else {
    // Twice the scene's size when that fits, for crisp text; capped so a 10,000-op graph stays a loadable image.
    double s = std::min(2.0, 16000.0 / std::max(src.width(), src.height()));
    QImage image((src.size() * s).toSize().expandedTo(QSize(1, 1)), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    scene()->render(&p, QRectF(QPointF(0, 0), QSizeF(image.size())), src);
    p.end();
    if (!image.save(&file, "PNG")) return fail("could not encode PNG");
  }
  if (!file.commit()) return fail(file.errorString());
  return true;
}

NodeItem* GraphView::nodeAt(const QPoint& pos) const {
  for (QGraphicsItem* item : items(pos))
    if (auto* node = dynamic_cast<NodeItem*>(item)) return node;
  return nullptr;
}

int GraphView::firstOpOfUnit(int unit) const {
  for (size_t i = 0; i < graph_.nodes.size(); ++i)
    if (visible_.unit_of_node[i] == unit && graph_.nodes[i].op >= 0) return graph_.nodes[i].op;
  return -1;
}

void GraphView::wheelEvent(QWheelEvent* e) {
  double steps = e->angleDelta().y() / 120.0;
  zoomBy(std::pow(1.2, steps));
  e->accept();
}

void GraphView::mousePressEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton) {
    if (NodeItem* node = nodeAt(e->pos())) {
      int op = firstOpOfUnit(node->unit());
      if (op >= 0) {
        selected_op_ = op;
        applyLooks();
        emit opSelected(op);
      }
    }
  }
  QGraphicsView::mousePressEvent(e);
}

void GraphView::mouseDoubleClickEvent(QMouseEvent* e) {
  NodeItem* node = nodeAt(e->pos());
  if (node && visible_.units[static_cast<size_t>(node->unit())].scope >= 0) {
    int scope = visible_.units[static_cast<size_t>(node->unit())].scope;
    int op = firstOpOfUnit(node->unit());
    setScopeCollapsed(scope, false);
    if (NodeItem* item = itemOfOp(op)) centerOn(item);
    return;
  }
  QGraphicsView::mouseDoubleClickEvent(e);
}

void GraphView::contextMenuEvent(QContextMenuEvent* e) {
  QMenu menu(this);
  NodeItem* under = nodeAt(e->pos());
  emit opContextMenu(under ? firstOpOfUnit(under->unit()) : -1, &menu);
  if (!menu.isEmpty()) menu.addSeparator();
  if (NodeItem* node = under) {
    const auto& unit = visible_.units[static_cast<size_t>(node->unit())];
    if (unit.scope >= 0) {
      int s = unit.scope;
      menu.addAction(QString("Expand %1").arg(QString::fromStdString(graph_.scopes[static_cast<size_t>(s)].path)),
                     this, [this, s] { setScopeCollapsed(s, false); });
    }
    int s = unit.scope >= 0 ? graph_.scopes[static_cast<size_t>(unit.scope)].parent
                            : graph_.nodes[static_cast<size_t>(unit.node)].scope;
    for (; s >= 0; s = graph_.scopes[static_cast<size_t>(s)].parent) {
      if (graph_.scopes[static_cast<size_t>(s)].node_count < 2) continue;
      menu.addAction(QString("Collapse %1").arg(QString::fromStdString(graph_.scopes[static_cast<size_t>(s)].path)),
                     this, [this, s] { setScopeCollapsed(s, true); });
    }
    menu.addSeparator();
  }
  menu.addAction("Fit to window", this, &GraphView::fitAll);
  menu.addAction("Expand all scopes", this, &GraphView::expandAll);
  menu.addAction("Collapse top-level scopes", this, &GraphView::collapseTopLevel);
  menu.exec(e->globalPos());
}

void GraphView::resizeEvent(QResizeEvent* e) {
  if (e) QGraphicsView::resizeEvent(e);
  placeOverlays();
}

void GraphView::placeOverlays() {
  const int m = 10;
  const int bar = horizontalScrollBar()->isVisible() ? horizontalScrollBar()->height() : 0;
  QRectF r = scene()->sceneRect();
  if (!r.isEmpty()) {
    // Shaped like the graph (a tall graph gets a tall strip), so it hides as little of the view as it can.
    double s = std::min(170.0 / r.width(), 240.0 / r.height());
    minimap_->resize(std::max(48, static_cast<int>(r.width() * s) + 8), std::max(48, static_cast<int>(r.height() * s) + 8));
  }
  minimap_->move(width() - minimap_->width() - m - (verticalScrollBar()->isVisible() ? verticalScrollBar()->width() : 0),
                 height() - minimap_->height() - m - bar);
  // The overview only earns its space when the graph does not fit at a readable zoom.
  minimap_->setVisible(!r.isEmpty() && (r.width() > 2 * viewport()->width() || r.height() > 2 * viewport()->height()));
  legend_->setAvailableWidth(width() - minimap_->width() - 4 * m);
  // One legend at a time has a strip of its own under the graph, so that it never hides the ops the view ends on.
  QWidget* shown = metric_legend_ && !metric_legend_->isHidden() ? metric_legend_ : legend_->isHidden() ? nullptr : legend_;
  for (QWidget* l : {static_cast<QWidget*>(legend_), metric_legend_})
    if (l) l->move(m, height() - l->height() - m / 2 - bar);
  QMargins margins = viewportMargins();
  const int bottom = shown ? shown->height() + m : 0;
  if (margins.bottom() != bottom) {
    margins.setBottom(bottom);
    setViewportMargins(margins);
  }
  minimap_->raise();
  if (shown) shown->raise();
}

void GraphView::paintEvent(QPaintEvent* e) {
  QGraphicsView::paintEvent(e);
  if (!painted_ && !unit_items_.empty()) {
    painted_ = true;
    emit firstPainted();
  }
}

void GraphView::scrollContentsBy(int dx, int dy) {
  QGraphicsView::scrollContentsBy(dx, dy);
  minimap_->update();
}

}  // namespace ql::gui
