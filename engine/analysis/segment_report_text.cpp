#include "analysis/segment_report_text.h"

namespace ql {

std::string opRangeText(const std::vector<int>& ops) {
  if (ops.empty()) return "-";
  std::string s;
  size_t i = 0;
  while (i < ops.size()) {
    size_t j = i;
    while (j + 1 < ops.size() && ops[j + 1] == ops[j] + 1) ++j;
    s += (s.empty() ? "" : ",") + std::to_string(ops[i]) + (j > i ? "-" + std::to_string(ops[j]) : "");
    i = j + 1;
  }
  return s;
}

std::vector<std::string> segmentReportLines(const Model& model, const SegmentReport& report) {
  std::vector<std::string> lines;
  lines.push_back("integer-only accelerator (Edge TPU-like, one partition): " + std::to_string(report.accelerator_ops) +
                  " ops on the accelerator, " + std::to_string(report.cpu_ops) + " on the CPU");
  for (const Segment& s : report.segments) {
    std::string line = "  ops " + opRangeText(s.ops) + "  " + segmentKindName(s.kind) + "  -> " + deviceName(s.runs_on);
    if (s.kind == SegmentKind::Float && !s.ops.empty())
      line += "  (first: op " + std::to_string(s.ops[0]) + " " +
              model.opName(model.subgraphs[0].ops[static_cast<size_t>(s.ops[0])]) + ")";
    lines.push_back(line);
  }
  return lines;
}

}  // namespace ql
