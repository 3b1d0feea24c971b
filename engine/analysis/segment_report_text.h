// The accelerator segment report as people read it, shared by `quantlens-cli export` and the app's export
// dialog: op runs written as ranges ("0-11,14"), one line per segment with what it computes in and where it runs.
#pragma once

#include <string>
#include <vector>

#include "analysis/accelerator_segments.h"

namespace ql {

// "0-11,14,20-22"; "-" when empty.
std::string opRangeText(const std::vector<int>& ops);

// The summary line, then one indented line per segment (float segments name their first op).
std::vector<std::string> segmentReportLines(const Model& model, const SegmentReport& report);

}  // namespace ql
