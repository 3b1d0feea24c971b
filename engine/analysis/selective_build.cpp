#include "analysis/selective_build.h"

#include "util/atomic_write.h"
#include "util/error.h"

namespace ql {

std::vector<int> segmentOfOps(const SegmentReport& report, size_t op_count) {
  std::vector<int> of(op_count, -1);
  for (size_t s = 0; s < report.segments.size(); ++s)
    for (int op : report.segments[s].ops)
      if (op >= 0 && static_cast<size_t>(op) < op_count) of[static_cast<size_t>(op)] = static_cast<int>(s);
  return of;
}

SelectiveBuild buildSelective(const Model& quant, const Model* float_model, const OpMatching* matching,
                              const Selection& selection) {
  SelectiveBuild b;
  b.exported = exportSelective(quant, float_model, matching, selection);
  b.segments = acceleratorSegments(b.exported.model);
  const std::vector<int> of_new = segmentOfOps(b.segments, b.exported.model.subgraphs[0].ops.size());
  b.segment_of_quant_op.reserve(b.exported.op_of_original.size());
  for (int op : b.exported.op_of_original)
    b.segment_of_quant_op.push_back(op >= 0 && static_cast<size_t>(op) < of_new.size() ? of_new[static_cast<size_t>(op)]
                                                                                        : -1);
  return b;
}

void refuseInputAsOutput(const std::string& out, const std::vector<std::string>& inputs) {
  if (out.empty()) return;
  for (const std::string& in : inputs)
    if (!in.empty() && (out == in || sameFile(out, in))) badInput(out, "is an input model; choose another output path");
}

}  // namespace ql
