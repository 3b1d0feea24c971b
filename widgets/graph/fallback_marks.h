// Ops drawn as marked over a graph view: the ops kept in float (a blue hatch and outline, on the quantized ops and
// on their float twins alike) or the ops a rubber band picked (a dashed outline, until they are marked or the
// pick is dropped). It draws the set it is given; the set itself is the app's FloatFallback.
#pragma once

#include <set>

#include "widgets/graph/op_overlay.h"

namespace ql::gui {

class FallbackMarks : public OpOverlay {
  Q_OBJECT
 public:
  enum class Look { KeptInFloat, Picked };
  FallbackMarks(GraphView* view, Look look);

  void setOps(const std::set<int>& ops);
  const std::set<int>& ops() const { return ops_; }
  Look look() const { return look_; }

 protected:
  void build() override;

 private:
  Look look_;
  std::set<int> ops_;
};

// The blue of ops kept in float, for legends.
QColor keptInFloatColour();

}  // namespace ql::gui
