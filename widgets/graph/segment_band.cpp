#include "widgets/graph/segment_band.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <QBrush>
#include <QGraphicsRectItem>
#include <QPen>

#include "analysis/segment_report_text.h"
#include "widgets/graph/fallback_marks.h"
#include "widgets/graph/graph_view.h"

namespace ql::gui {

QColor segmentColour(const Segment& s) {
  if (s.kind == SegmentKind::Float) return keptInFloatColour();
  return s.runs_on == Device::Accelerator ? QColor(0x2e, 0x9d, 0x5b) : QColor(0xe3, 0x8b, 0x1c);
}

QString segmentLabel(const Segment& s) {
  if (s.runs_on == Device::Accelerator) return "accelerator";
  return s.kind == SegmentKind::Float ? "CPU (float)" : "CPU (int8)";
}

SegmentBand::SegmentBand(GraphView* view) : OpOverlay(view, 3) {}

void SegmentBand::setSegments(SegmentReport report, std::vector<int> segment_of_op) {
  report_ = std::move(report);
  segment_of_op_ = std::move(segment_of_op);
  redraw();
}

int SegmentBand::segmentOf(int op) const {
  return op >= 0 && static_cast<size_t>(op) < segment_of_op_.size() ? segment_of_op_[static_cast<size_t>(op)] : -1;
}

void SegmentBand::build() {
  if (report_.segments.empty()) return;
  // Ops sharing a box (a collapsed scope) split its bar into one slice per segment, in execution order.
  std::vector<std::pair<QRectF, std::vector<int>>> boxes;
  std::map<std::tuple<double, double, double, double>, size_t> box_of_rect;
  for (size_t op = 0; op < segment_of_op_.size(); ++op) {
    const int s = segment_of_op_[op];
    const QRectF r = view()->opSceneRect(static_cast<int>(op));
    if (s < 0 || r.isEmpty()) continue;
    auto [it, fresh] = box_of_rect.emplace(std::make_tuple(r.x(), r.y(), r.width(), r.height()), boxes.size());
    if (fresh) {
      boxes.push_back({r, {s}});
      continue;
    }
    std::vector<int>& in_box = boxes[it->second].second;
    if (std::find(in_box.begin(), in_box.end(), s) == in_box.end()) in_box.push_back(s);
  }
  constexpr double kWidth = 7, kGap = 4;
  for (const auto& [r, segments] : boxes) {
    const double slice = (r.height() - 6) / static_cast<double>(segments.size());
    for (size_t i = 0; i < segments.size(); ++i) {
      const Segment& seg = report_.segments[static_cast<size_t>(segments[i])];
      auto* bar = new QGraphicsRectItem(QRectF(r.left() - kGap - kWidth, r.top() + 3 + slice * static_cast<double>(i),
                                               kWidth, slice));
      bar->setBrush(segmentColour(seg));
      bar->setPen(Qt::NoPen);
      bar->setZValue(0.5);
      bar->setToolTip(QString("segment %1: ops %2 of the selective model, %3 -> %4")
                          .arg(segments[i] + 1)
                          .arg(QString::fromStdString(opRangeText(seg.ops)), segmentKindName(seg.kind),
                               deviceName(seg.runs_on)));
      addItem(bar);
    }
  }
}

}  // namespace ql::gui
