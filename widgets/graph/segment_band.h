// The accelerator segments of the current selection beside the ops of the quantized graph: a coloured bar at the
// left of each op saying where an integer-only (Edge TPU-like) compiler would run it: green on the accelerator,
// orange for integer ops left to the CPU after the first float op, blue for ops computing in float. The segments
// are the engine's (acceleratorSegments of the selective model, mapped back to the quantized model's ops).
#pragma once

#include <vector>

#include <QColor>
#include <QString>

#include "analysis/accelerator_segments.h"
#include "widgets/graph/op_overlay.h"

namespace ql::gui {

class SegmentBand : public OpOverlay {
  Q_OBJECT
 public:
  explicit SegmentBand(GraphView* view);

  // `segment_of_op`: per op of the view's model, an index of report.segments (-1: none). An empty report hides
  // the band.
  void setSegments(SegmentReport report, std::vector<int> segment_of_op);
  const SegmentReport& report() const { return report_; }
  // The segment drawn beside `op`, -1 for none.
  int segmentOf(int op) const;

 protected:
  void build() override;

 private:
  SegmentReport report_;
  std::vector<int> segment_of_op_;
};

// Colour and name of a segment as the band and its legend show it.
QColor segmentColour(const Segment& s);
QString segmentLabel(const Segment& s);  // "accelerator", "CPU (int8)", "CPU (float)"

}  // namespace ql::gui
