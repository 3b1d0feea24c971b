// quantlens-cli export --quant Q [--float F] (--keep-float OP,... | --keep-float-type TYPE,... |
//                      --from-csv CSV --threshold 0.7 | --first N) -o OUT.tflite [--report-json FILE]
// Writes the selective model (chosen layers in float) and says where an integer-only accelerator would run it.
#include <iostream>
#include <memory>

#include "analysis/op_matching.h"
#include "analysis/segment_report_text.h"
#include "analysis/selective_build.h"
#include "analysis/selection.h"
#include "command.h"
#include "model/reader.h"
#include "model/writer.h"
#include "util/atomic_write.h"
#include "util/error.h"

namespace ql::cli {

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
            for (const std::string* out : {&a->out, &a->report}) refuseInputAsOutput(*out, {a->quant, a->flt});
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
            SelectiveBuild b = buildSelective(q, f.get(), matching.get(), sel);
            writeModel(b.exported.model, a->out);
            std::cout << "wrote " << a->out << ": " << b.exported.float_ops.size() << " op(s) in float\n";
            for (const std::string& c : b.exported.changes) std::cout << "  " << c << "\n";
            for (const std::string& line : segmentReportLines(b.exported.model, b.segments)) std::cout << line << "\n";
            if (!a->report.empty()) writeFileAtomically(a->report, b.segments.toJson().dump(1) + "\n");
            return 0;
          }};
}

}  // namespace ql::cli
