// The two kinds of item a graph scene holds: a node (an op with its folded constants, a graph input/output, or a
// collapsed name scope) and an edge (a tensor, labelled with its shape). Both draw less when zoomed out (level of
// detail, as in Qt's "40000 chips" example), so that a fitted 10,000-op graph pans as smoothly as a small one.
#pragma once

#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QHash>
#include <QGraphicsItem>
#include <QPainterPath>
#include <QString>
#include <QStringList>

#include "widgets/graph/graph_model.h"

namespace ql::gui {

// Header tint of an op family: quiet mid tones that carry white text; red is left for what is wrong.
QColor kindColour(OpKind k);

// Fonts and metrics shared by every node, so sizes are measured once per view.
struct NodeStyle {
  QFont title, body, edge;
  QFontMetricsF title_metrics{QFont()}, body_metrics{QFont()}, edge_metrics{QFont()};
  double title_height = 20, line_height = 15, padding = 8;
  double title_ascent = 0, title_descent = 0, body_ascent = 0, body_descent = 0;
  NodeStyle();
  // Text widths, remembered: a large graph repeats the same types, shapes and weight lines thousands of times,
  // and shaping text is the costliest part of building its items.
  double titleWidth(const QString& s) const { return advance(title_metrics, title_widths_, s); }
  double bodyWidth(const QString& s) const { return advance(body_metrics, body_widths_, s); }
  double edgeWidth(const QString& s) const { return advance(edge_metrics, edge_widths_, s); }

 private:
  static double advance(const QFontMetricsF& m, QHash<QString, double>& cache, const QString& s);
  mutable QHash<QString, double> title_widths_, body_widths_, edge_widths_;
};

class NodeItem : public QGraphicsItem {
 public:
  // `unit` is the index of the unit this item draws in the view's VisibleGraph.
  NodeItem(int unit, OpKind kind, QString title, QString fused, QStringList lines, const NodeStyle& style);
  static QSizeF measure(const QString& title, const QString& fused, const QStringList& lines,
                        const NodeStyle& style);

  int unit() const { return unit_; }
  void setSelectedLook(bool on);
  void setMarked(bool on);
  // A header colour in place of the kind's (a metric's colour); invalid: the kind's.
  void setTint(const QColor& tint);
  bool selectedLook() const { return selected_; }
  bool marked() const { return marked_; }

  QRectF boundingRect() const override;
  void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 private:
  int unit_;
  OpKind kind_;
  QString title_, fused_;
  QStringList lines_;
  const NodeStyle& style_;
  QSizeF size_;
  bool selected_ = false, marked_ = false;
  QColor tint_;
};

class EdgeItem : public QGraphicsItem {
 public:
  EdgeItem(const std::vector<QPointF>& route, QString label, const NodeStyle& style);
  QRectF boundingRect() const override;
  void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 private:
  QPainterPath path_;
  QPolygonF arrow_;
  QString label_;
  QPointF label_at_;
  double label_ascent_ = 0;
  const NodeStyle& style_;
  QRectF bounds_;
};

}  // namespace ql::gui
