#include "analysis/debug_report.h"

#include <cmath>
#include <cstdio>

namespace ql {

namespace {

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Full precision, and "nan"/"inf" spelled the way pandas reads them.
std::string number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

nlohmann::json jsonNumber(double v) {
  if (std::isnan(v) || std::isinf(v)) return nullptr;
  return v;
}

}  // namespace

const std::vector<std::string>& debugReportCsvColumns() {
  static const std::vector<std::string> columns = {
      "op_name", "tensor_idx", "num_elements", "stddev", "mean_error", "max_abs_error", "mean_squared_error",
      "scale", "zero_point", "tensor_name", "range", "rmse/scale"};
  return columns;
}

std::vector<std::string> debugReportCsvFields(const LayerRow& r) {
  return {r.op_name,
          std::to_string(r.tensor_idx),
          std::to_string(r.stats.num_elements),
          number(r.stats.stddev),
          number(r.stats.mean_error),
          number(r.stats.max_abs_error),
          number(r.stats.mean_squared_error),
          number(r.scale),
          std::to_string(r.zero_point),
          r.tensor_name,
          number(r.range),
          number(r.rmse_over_scale)};
}

std::string debugReportCsv(const DebugReport& report) {
  std::string out;
  auto line = [&out](const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csvField(fields[i]);
    out += "\n";
  };
  line(debugReportCsvColumns());
  for (const LayerRow& r : report.layers) line(debugReportCsvFields(r));
  return out;
}

namespace {
nlohmann::json perChannelJson(const WeightChannelErrors& w) {
  nlohmann::json out = {{"axis", w.axis}, {"per_channel_quantization", w.per_channel_quantization},
                        {"channels", nlohmann::json::array()}};
  for (const ChannelError& c : w.channels)
    out["channels"].push_back({{"channel", c.channel},
                               {"scale", c.scale},
                               {"zero_point", c.zero_point},
                               {"max_abs_error", c.max_abs_error},
                               {"mean_squared_error", c.mean_squared_error},
                               {"rmse/scale", c.rmse_over_scale}});
  return out;
}
}  // namespace

nlohmann::json debugReportJson(const DebugReport& report) {
  nlohmann::json j;
  j["mode"] = debugModeName(report.mode);
  j["float_reference"] = report.dequantized_twin ? "dequantized twin" : "model";
  j["inputs"] = report.inputs;
  j["layers"] = nlohmann::json::array();
  for (const LayerRow& r : report.layers) {
    nlohmann::json row = {{"op_index", r.op_index},
                          {"op_name", r.op_name},
                          {"tensor_idx", r.tensor_idx},
                          {"num_elements", r.stats.num_elements},
                          {"stddev", jsonNumber(r.stats.stddev)},
                          {"mean_error", jsonNumber(r.stats.mean_error)},
                          {"max_abs_error", jsonNumber(r.stats.max_abs_error)},
                          {"mean_squared_error", jsonNumber(r.stats.mean_squared_error)},
                          {"scale", r.scale},
                          {"zero_point", r.zero_point},
                          {"tensor_name", r.tensor_name},
                          {"range", r.range},
                          {"rmse/scale", jsonNumber(r.rmse_over_scale)}};
    if (r.per_channel.present()) row["per_channel"] = perChannelJson(r.per_channel);
    j["layers"].push_back(std::move(row));
  }
  j["outputs"] = nlohmann::json::array();
  for (const OutputComparison& o : report.outputs) {
    nlohmann::json oj = {{"tensor_idx", o.tensor_idx},
                         {"name", o.name},
                         {"mean_squared_error", jsonNumber(o.mean_squared_error)},
                         {"max_abs_error", jsonNumber(o.max_abs_error)}};
    if (o.top1_agreement >= 0) oj["top1_agreement"] = o.top1_agreement;
    j["outputs"].push_back(std::move(oj));
  }
  j["unmatched"] = nlohmann::json::array();
  for (size_t i = 0; i < report.unmatched.size(); ++i)
    j["unmatched"].push_back({{"op_index", report.unmatched[i]}, {"op", report.unmatched_names[i]}});
  j["warnings"] = nlohmann::json::array();
  for (const AnalysisWarning& w : report.warnings) j["warnings"].push_back({{"kind", w.kind}, {"message", w.message}});
  if (report.dequantized_twin)
    j["warnings"].push_back({{"kind", "dequantized_twin"},
                             {"message", "no float model given: the reference is the quantized model's dequantized "
                                         "twin, so the errors are activation quantization only"}});
  return j;
}

}  // namespace ql
