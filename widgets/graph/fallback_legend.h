// The key to the float-fallback drawing in a graph view's top-left corner: how many ops are kept in float (the
// blue hatch), and when the segment band shows, what its colours mean with the op counts per device.
#pragma once

#include <QLabel>

#include "analysis/accelerator_segments.h"

namespace ql::gui {

class GraphView;

class FallbackLegend : public QLabel {
  Q_OBJECT
 public:
  explicit FallbackLegend(GraphView* view);
  // `kept`: ops kept in float (on a float graph `twins`: float twins of such ops); `segments` null when the band
  // is not shown. Hidden when there is nothing to say.
  void describe(int kept, const SegmentReport* segments, int picked = 0, bool twins = false);
  // Why there is no selective model (an op that cannot compute in float...), shown in red under the rest; empty
  // clears it.
  void setProblem(const QString& problem);

 private:
  QString problem_;
};

}  // namespace ql::gui
