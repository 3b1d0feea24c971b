#include "widgets/graph/op_rubber_band.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QRubberBand>

#include "widgets/graph/fallback_marks.h"
#include "widgets/graph/graph_view.h"

namespace ql::gui {

OpRubberBand::OpRubberBand(GraphView* view)
    : QObject(view), view_(view), marks_(new FallbackMarks(view, FallbackMarks::Look::Picked)) {
  view->viewport()->installEventFilter(this);
  view->installEventFilter(this);
  // A new model: op indices of the old pick would name other ops.
  connect(view, &GraphView::layoutChanged, this, [this] {
    if (!view_->model() && !marks_->ops().empty()) clear();
  });
}

const std::set<int>& OpRubberBand::picked() const { return marks_->ops(); }

void OpRubberBand::pickIn(const QRectF& scene_rect, bool add) {
  std::set<int> ops = add ? marks_->ops() : std::set<int>{};
  const size_t count = view_->graph().node_of_op.size();
  for (size_t op = 0; op < count; ++op) {
    const QRectF r = view_->opSceneRect(static_cast<int>(op));
    if (!r.isEmpty() && r.intersects(scene_rect)) ops.insert(static_cast<int>(op));
  }
  marks_->setOps(ops);
  emit pickedChanged();
}

void OpRubberBand::clear() {
  if (marks_->ops().empty()) return;
  marks_->setOps({});
  emit pickedChanged();
}

bool OpRubberBand::eventFilter(QObject* watched, QEvent* e) {
  if (watched == view_) {
    if (e->type() == QEvent::KeyPress && static_cast<QKeyEvent*>(e)->key() == Qt::Key_Escape) clear();
    return false;
  }
  switch (e->type()) {
    case QEvent::MouseButtonPress: {
      auto* m = static_cast<QMouseEvent*>(e);
      if (m->button() != Qt::LeftButton) return false;
      if (!(m->modifiers() & Qt::ShiftModifier)) {
        clear();  // a plain click drops the pick (and selects or pans as usual)
        return false;
      }
      if (!band_) band_ = new QRubberBand(QRubberBand::Rectangle, view_->viewport());
      origin_ = m->position().toPoint();
      band_->setGeometry(QRect(origin_, QSize()));
      band_->show();
      dragging_ = true;
      return true;
    }
    case QEvent::MouseMove:
      if (!dragging_) return false;
      band_->setGeometry(QRect(origin_, static_cast<QMouseEvent*>(e)->position().toPoint()).normalized());
      return true;
    case QEvent::MouseButtonRelease: {
      if (!dragging_) return false;
      dragging_ = false;
      band_->hide();
      const QRect r = QRect(origin_, static_cast<QMouseEvent*>(e)->position().toPoint()).normalized();
      // A click without a drag still touches the op under the cursor.
      pickIn(view_->mapToScene(r.adjusted(-1, -1, 1, 1)).boundingRect(), true);
      return true;
    }
    default: return false;
  }
}

}  // namespace ql::gui
