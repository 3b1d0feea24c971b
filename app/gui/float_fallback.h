// The ops of the quantized model the user marks to keep in float: one ql::Selection shared by the layer error
// plot, both graphs, the images dock's selective panel and the exporter. Every change is an undoable step on one
// QUndoStack (Edit > Undo); `changed` follows each, so the views redraw from the one set.
#pragma once

#include <set>

#include <QObject>
#include <QString>

#include "analysis/selection.h"

class QUndoStack;

namespace ql::gui {

class FloatFallback : public QObject {
  Q_OBJECT
 public:
  explicit FloatFallback(QObject* parent = nullptr);

  const std::set<int>& ops() const { return ops_; }
  Selection selection() const { return Selection{ops_}; }
  bool contains(int op) const { return ops_.count(op) != 0; }
  QUndoStack* undoStack() const { return undo_; }

  // Each replaces the set as one undoable step named `what` ("Keep ops above 0.70 in float"); nothing is pushed
  // when the set would not change.
  void set(const std::set<int>& ops, const QString& what);
  void add(const std::set<int>& ops, const QString& what);
  void remove(const std::set<int>& ops, const QString& what);
  void toggle(int op);
  void clear(const QString& what = "Clear float fallback");
  // New models: the set is emptied and the undo history dropped (its op indices meant another model).
  void reset();

 signals:
  void changed();

 private:
  friend class FallbackStep;
  void apply(const std::set<int>& ops);

  std::set<int> ops_;
  QUndoStack* undo_;
};

}  // namespace ql::gui
