#include "analysis/debug_report.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "util/error.h"

namespace ql {

namespace {

constexpr const char* kTwinWarning = "dequantized_twin";  // the warning debugReportJson adds for a twin

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
    j["warnings"].push_back({{"kind", kTwinWarning},
                             {"message", "no float model given: the reference is the quantized model's dequantized "
                                         "twin, so the errors are activation quantization only"}});
  return j;
}

namespace {

double readNumber(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::numeric_limits<double>::quiet_NaN();
  return it->get<double>();
}

WeightChannelErrors readPerChannel(const nlohmann::json& j) {
  WeightChannelErrors w;
  w.axis = j.at("axis").get<int>();
  w.per_channel_quantization = j.at("per_channel_quantization").get<bool>();
  for (const nlohmann::json& c : j.at("channels"))
    w.channels.push_back({c.at("channel").get<int>(), readNumber(c, "scale"), c.at("zero_point").get<int64_t>(),
                          readNumber(c, "max_abs_error"), readNumber(c, "mean_squared_error"),
                          readNumber(c, "rmse/scale")});
  return w;
}

}  // namespace

DebugReport debugReportFromJson(const nlohmann::json& j, const std::string& source) {
  DebugReport r;
  try {
    const std::string mode = j.at("mode").get<std::string>();
    if (mode != debugModeName(DebugMode::PerLayer) && mode != debugModeName(DebugMode::WholeModel))
      badInput(source, "unknown debug report mode '" + mode + "'");
    r.mode = mode == debugModeName(DebugMode::PerLayer) ? DebugMode::PerLayer : DebugMode::WholeModel;
    r.dequantized_twin = j.at("float_reference").get<std::string>() == "dequantized twin";
    r.inputs = j.at("inputs").get<std::vector<std::string>>();
    for (const nlohmann::json& row : j.at("layers")) {
      LayerRow l;
      l.op_index = row.at("op_index").get<int>();
      l.op_name = row.at("op_name").get<std::string>();
      l.tensor_idx = row.at("tensor_idx").get<int>();
      l.stats.num_elements = row.at("num_elements").get<int64_t>();
      l.stats.stddev = readNumber(row, "stddev");
      l.stats.mean_error = readNumber(row, "mean_error");
      l.stats.max_abs_error = readNumber(row, "max_abs_error");
      l.stats.mean_squared_error = readNumber(row, "mean_squared_error");
      l.scale = readNumber(row, "scale");
      l.zero_point = row.at("zero_point").get<int64_t>();
      l.tensor_name = row.at("tensor_name").get<std::string>();
      l.range = readNumber(row, "range");
      l.rmse_over_scale = readNumber(row, "rmse/scale");
      if (row.contains("per_channel")) l.per_channel = readPerChannel(row.at("per_channel"));
      r.layers.push_back(std::move(l));
    }
    for (const nlohmann::json& o : j.at("outputs")) {
      OutputComparison c;
      c.tensor_idx = o.at("tensor_idx").get<int>();
      c.name = o.at("name").get<std::string>();
      c.mean_squared_error = readNumber(o, "mean_squared_error");
      c.max_abs_error = readNumber(o, "max_abs_error");
      c.top1_agreement = o.contains("top1_agreement") ? o.at("top1_agreement").get<double>() : -1;
      r.outputs.push_back(std::move(c));
    }
    for (const nlohmann::json& u : j.at("unmatched")) {
      r.unmatched.push_back(u.at("op_index").get<int>());
      r.unmatched_names.push_back(u.at("op").get<std::string>());
    }
    for (const nlohmann::json& w : j.at("warnings")) {
      AnalysisWarning a{w.at("kind").get<std::string>(), w.at("message").get<std::string>()};
      if (r.dequantized_twin && a.kind == kTwinWarning) continue;  // debugReportJson adds it again
      r.warnings.push_back(std::move(a));
    }
  } catch (const nlohmann::json::exception& e) {
    badInput(source, std::string("not a debug report as quantlens writes it: ") + e.what());
  }
  return r;
}

}  // namespace ql
