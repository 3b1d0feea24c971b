#include "app/gui/float_fallback.h"

#include <QUndoCommand>
#include <QUndoStack>

namespace ql::gui {

// One change of the set, remembered as the sets before and after (small: op indices of one model).
class FallbackStep : public QUndoCommand {
 public:
  FallbackStep(FloatFallback* owner, std::set<int> before, std::set<int> after, const QString& what)
      : QUndoCommand(what), owner_(owner), before_(std::move(before)), after_(std::move(after)) {}
  void redo() override { owner_->apply(after_); }
  void undo() override { owner_->apply(before_); }

 private:
  FloatFallback* owner_;
  std::set<int> before_, after_;
};

FloatFallback::FloatFallback(QObject* parent) : QObject(parent), undo_(new QUndoStack(this)) {}

void FloatFallback::apply(const std::set<int>& ops) {
  ops_ = ops;
  emit changed();
}

void FloatFallback::set(const std::set<int>& ops, const QString& what) {
  if (ops == ops_) return;
  undo_->push(new FallbackStep(this, ops_, ops, what));  // push() runs redo(), which applies
}

void FloatFallback::add(const std::set<int>& ops, const QString& what) {
  std::set<int> next = ops_;
  next.insert(ops.begin(), ops.end());
  set(next, what);
}

void FloatFallback::remove(const std::set<int>& ops, const QString& what) {
  std::set<int> next = ops_;
  for (int op : ops) next.erase(op);
  set(next, what);
}

void FloatFallback::toggle(int op) {
  if (contains(op)) remove({op}, QString("Quantize op %1 again").arg(op));
  else add({op}, QString("Keep op %1 in float").arg(op));
}

void FloatFallback::clear(const QString& what) { set({}, what); }

void FloatFallback::reset() {
  undo_->clear();
  if (ops_.empty()) return;
  apply({});
}

}  // namespace ql::gui
