// quantlens-cli export --quant Q [--float F] (--keep-float OP,... | --keep-float-type TYPE,... |
//                      --from-csv CSV --threshold 0.7 | --first N) -o OUT.tflite [--report-json FILE]
// Writes the selective model (chosen layers in float) and says where an integer-only accelerator would run it.
#include <iostream>
#include <memory>

#include "analysis/accelerator_segments.h"
#include "analysis/op_matching.h"
#include "analysis/selective_export.h"
#include "analysis/selection.h"
#include "command.h"
#include "model/reader.h"
#include "model/writer.h"
#include "util/atomic_write.h"
#include "util/error.h"

namespace ql::cli {
namespace {

std::string opList(const std::vector<int>& ops) {
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

void printSegments(const Model& m, const SegmentReport& r) {
  std::cout << "integer-only accelerator (Edge TPU-like, one partition): " << r.accelerator_ops << " ops on the "
            << "accelerator, " << r.cpu_ops << " on the CPU\n";
  for (const Segment& s : r.segments) {
    std::cout << "  ops " << opList(s.ops) << "  " << segmentKindName(s.kind) << "  -> " << deviceName(s.runs_on);
    if (s.kind == SegmentKind::Float && !s.ops.empty())
      std::cout << "  (first: op " << s.ops[0] << " " << m.opName(m.subgraphs[0].ops[static_cast<size_t>(s.ops[0])])
                << ")";
    std::cout << "\n";
  }
}

}  // namespace

Command addExportCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Write a selective model: chosen ops in float32, the rest unchanged");
  struct Args {
    std::string quant, flt, csv, out, report;
    std::vector<std::string> keep, types;
    double threshold = 0.7;
    int first = -1;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--quant", a->quant, "the quantized .tflite (integer activations)")->required();
  cmd->add_option("--float", a->flt, "its float twin, for float weights; without it weights are dequantized");
  auto* keep = cmd->add_option("--keep-float", a->keep, "op indices or output tensor names to keep in float")
                   ->delimiter(',');
  auto* types = cmd->add_option("--keep-float-type", a->types, "op types to keep in float (e.g. CONV_2D,LOGISTIC)")
                    ->delimiter(',');
  auto* csv = cmd->add_option("--from-csv", a->csv, "a debug --csv file: keep ops whose rmse/scale is above --threshold");
  cmd->add_option("--threshold", a->threshold, "rmse/scale threshold for --from-csv")->capture_default_str();
  auto* first = cmd->add_option("--first", a->first, "keep the first N ops (execution order) in float");
  keep->excludes(types, csv, first);
  types->excludes(csv, first);
  csv->excludes(first);
  cmd->add_option("-o,--output", a->out, "the .tflite to write")->required();
  cmd->add_option("--report-json", a->report, "write the accelerator segment report as JSON");
  return {cmd, [a]() {
            for (const std::string* out : {&a->out, &a->report})
              if (!out->empty() && (*out == a->quant || sameFile(*out, a->quant) ||
                                    (!a->flt.empty() && (*out == a->flt || sameFile(*out, a->flt)))))
                badInput(*out, "is an input model; choose another output path");
            Model q = readModel(a->quant);
            Selection sel;
            if (!a->keep.empty()) sel = selectOps(q, a->keep);
            else if (!a->types.empty()) sel = selectOpTypes(q, a->types);
            else if (!a->csv.empty()) sel = selectFromDebugCsv(q, a->csv, a->threshold);
            else if (a->first >= 0) sel = selectFirst(q, a->first);
            else badInput("", "choose ops with --keep-float, --keep-float-type, --from-csv or --first");
            std::unique_ptr<Model> f;
            std::unique_ptr<OpMatching> matching;
            if (!a->flt.empty()) {
              f = std::make_unique<Model>(readModel(a->flt));
              matching = std::make_unique<OpMatching>(matchOps(*f, q));
              for (const AnalysisWarning& w : matching->warnings) std::cerr << "warning (" << w.kind << "): " << w.message << "\n";
            }
            SelectiveExport ex = exportSelective(q, f.get(), matching.get(), sel);
            writeModel(ex.model, a->out);
            std::cout << "wrote " << a->out << ": " << ex.float_ops.size() << " op(s) in float\n";
            for (const std::string& c : ex.changes) std::cout << "  " << c << "\n";
            SegmentReport seg = acceleratorSegments(ex.model);
            printSegments(ex.model, seg);
            if (!a->report.empty()) writeFileAtomically(a->report, seg.toJson().dump(1) + "\n");
            return 0;
          }};
}

}  // namespace ql::cli
