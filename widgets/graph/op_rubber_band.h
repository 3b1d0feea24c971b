// Picking many ops of a graph view at once: Shift+drag draws a rubber band, and the ops whose boxes it touches
// join the pick (Shift+click adds one op; drawn with a dashed outline until they are kept in float, or Esc / a
// plain click drops them). Plain drags still pan the view. The pick is only a set of op indices: what to do with it is the app's.
#pragma once

#include <set>

#include <QObject>
#include <QPoint>
#include <QRectF>

class QRubberBand;

namespace ql::gui {

class FallbackMarks;
class GraphView;

class OpRubberBand : public QObject {
  Q_OBJECT
 public:
  explicit OpRubberBand(GraphView* view);

  const std::set<int>& picked() const;
  // Picks the ops whose boxes intersect `scene_rect` (what a drag over it does), added to the pick when `add`.
  void pickIn(const QRectF& scene_rect, bool add = false);
  void clear();

 signals:
  void pickedChanged();

 protected:
  bool eventFilter(QObject* watched, QEvent* e) override;

 private:
  GraphView* view_;
  QRubberBand* band_ = nullptr;
  FallbackMarks* marks_;
  QPoint origin_;
  bool dragging_ = false;
};

}  // namespace ql::gui
