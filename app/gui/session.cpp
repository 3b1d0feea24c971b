#include "app/gui/session.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/debug_report.h"
#include "util/atomic_write.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace ql::gui {

namespace {

nlohmann::json modelJson(const std::optional<SessionModel>& m) {
  if (!m) return nullptr;
  return {{"path", m->path}, {"size", m->stamp.size}, {"mtime_ns", m->stamp.mtime_ns}};
}

std::optional<SessionModel> readModel(const nlohmann::json& j) {
  if (j.is_null()) return std::nullopt;
  return SessionModel{j.at("path").get<std::string>(),
                      {j.value("size", int64_t{-1}), j.value("mtime_ns", int64_t{-1})}};
}

nlohmann::json preprocessJson(const std::optional<PreprocessOptions>& p) {
  if (!p) return nullptr;
  return {{"mean", p->norm.mean},
          {"std", p->norm.std},
          {"resize", resizeModeName(p->resize)},
          {"pad", {p->pad[0], p->pad[1], p->pad[2]}}};
}

std::optional<PreprocessOptions> readPreprocess(const nlohmann::json& j, const std::string& source) {
  if (j.is_null()) return std::nullopt;
  PreprocessOptions p;
  p.norm.mean = j.at("mean").get<std::vector<float>>();
  p.norm.std = j.at("std").get<std::vector<float>>();
  const std::string resize = j.at("resize").get<std::string>();
  if (resize == resizeModeName(ResizeMode::Letterbox)) p.resize = ResizeMode::Letterbox;
  else if (resize == resizeModeName(ResizeMode::Stretch)) p.resize = ResizeMode::Stretch;
  else badInput(source, "unknown resize mode '" + resize + "' in the preprocessing");
  const auto pad = j.at("pad").get<std::vector<int>>();
  if (pad.size() != 3) badInput(source, "the letterbox pad needs three values (R, G, B)");
  for (size_t c = 0; c < 3; ++c) p.pad[c] = static_cast<uint8_t>(std::clamp(pad[c], 0, 255));
  return p;
}

nlohmann::json evaluationJson(const SessionEvaluation& e) {
  const EvaluationResult& r = e.result;
  nlohmann::json j{{"annotations", r.annotations}, {"missing", r.missing}, {"columns", e.columns},
                   {"image_paths", e.image_paths}, {"models", nlohmann::json::array()}};
  for (const ModelResult& m : r.models) {
    nlohmann::json jm{{"model", m.model},       {"task", modelTaskName(m.task)},
                      {"metrics", m.metrics},   {"per_class_metric", m.per_class_metric},
                      {"notes", m.notes},       {"per_class", nlohmann::json::array()},
                      {"images", nlohmann::json::array()}};
    for (const ClassResult& c : m.per_class)
      jm["per_class"].push_back(
          {{"class", c.cls}, {"label", c.label}, {"value", c.value}, {"count", c.count}, {"precision", c.precision}});
    for (const ImageResult& im : m.images)
      jm["images"].push_back({{"file", im.file},
                              {"width", im.width},
                              {"height", im.height},
                              {"score", im.score},
                              {"agreement", im.agreement}});
    j["models"].push_back(std::move(jm));
  }
  return j;
}

// A measure written as null (not a number) reads as -1, "none", as the engine says it.
double measure(const nlohmann::json& v) { return v.is_number() ? v.get<double>() : -1; }

ModelTask taskNamed(const std::string& name, const std::string& source) {
  for (ModelTask t : {ModelTask::Detection, ModelTask::Classification, ModelTask::Segmentation})
    if (name == modelTaskName(t)) return t;
  badInput(source, "unknown task '" + name + "' in the evaluation");
}

SessionEvaluation readEvaluation(const nlohmann::json& j, const std::string& source) {
  SessionEvaluation e;
  e.result.annotations = j.at("annotations").get<std::string>();
  e.result.missing = j.at("missing").get<std::vector<std::string>>();
  e.columns = j.at("columns").get<std::vector<std::string>>();
  e.image_paths = j.at("image_paths").get<std::vector<std::string>>();
  for (const nlohmann::json& jm : j.at("models")) {
    ModelResult m;
    m.model = jm.at("model").get<std::string>();
    m.task = taskNamed(jm.at("task").get<std::string>(), source);
    for (const nlohmann::json& metric : jm.at("metrics"))
      m.metrics.emplace_back(metric.at(0).get<std::string>(), measure(metric.at(1)));
    m.per_class_metric = jm.at("per_class_metric").get<std::string>();
    m.notes = jm.at("notes").get<std::vector<std::string>>();
    for (const nlohmann::json& c : jm.at("per_class"))
      m.per_class.push_back({c.at("class").get<int64_t>(), c.at("label").get<std::string>(),
                             measure(c.at("value")), c.at("count").get<size_t>(),
                             c.at("precision").get<std::vector<double>>()});
    for (const nlohmann::json& im : jm.at("images")) {
      ImageResult r;
      r.file = im.at("file").get<std::string>();
      r.width = im.at("width").get<int>();
      r.height = im.at("height").get<int>();
      r.score = measure(im.at("score"));
      r.agreement = measure(im.at("agreement"));
      m.images.push_back(std::move(r));
    }
    e.result.models.push_back(std::move(m));
  }
  if (e.columns.size() != e.result.models.size()) badInput(source, "the evaluation names a column per model");
  return e;
}

}  // namespace

FileStamp stampOf(const std::string& path) {
  std::error_code ec;
  FileStamp s;
  const auto size = fs::file_size(path, ec);
  if (ec) return s;
  const auto time = fs::last_write_time(path, ec);
  if (ec) return s;
  s.size = static_cast<int64_t>(size);
  s.mtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
  return s;
}

nlohmann::json sessionJson(const Session& s, bool with_view) {
  nlohmann::json j;
  j["quantlens_session"] = kSessionVersion;
  j["models"] = {{"float", modelJson(s.float_model)},
                 {"quantized", modelJson(s.quant_model)},
                 {"float_is_twin", s.float_is_twin}};
  j["images"] = s.images;
  j["labels"] = s.labels;
  j["preprocessing"] = {{"float", preprocessJson(s.float_preprocess)},
                        {"quantized", preprocessJson(s.quant_preprocess)}};
  j["float_fallback"] = s.float_fallback;
  j["annotations"] = s.annotations;
  j["reports"] = nlohmann::json::object();
  if (s.layer_error_report) j["reports"]["layer_error"] = debugReportJson(*s.layer_error_report);
  if (s.evaluation) j["reports"]["evaluation"] = evaluationJson(*s.evaluation);
  j["layer_error_threshold"] = s.layer_error_threshold;
  if (with_view)
    j["view"] = {{"geometry", s.view.geometry},
                 {"state", s.view.state},
                 {"current_image", s.view.current_image},
                 {"selected_op", s.view.selected_op},
                 {"selected_quant_side", s.view.selected_quant_side},
                 {"colour_by", s.view.colour_by}};
  return j;
}

Session sessionFromJson(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object() || !j.contains("quantlens_session")) badInput(source, "is not a quantlens session");
  Session s;
  try {
    const int version = j.at("quantlens_session").get<int>();
    if (version > kSessionVersion)
      badInput(source, "was saved by a newer quantlens (session version " + std::to_string(version) + ")");
    const nlohmann::json& models = j.at("models");
    s.float_model = readModel(models.at("float"));
    s.quant_model = readModel(models.at("quantized"));
    s.float_is_twin = models.value("float_is_twin", false);
    if (!s.float_model && !s.quant_model) badInput(source, "names no model");
    s.images = j.value("images", std::vector<std::string>{});
    s.labels = j.value("labels", std::string());
    if (j.contains("preprocessing")) {
      s.float_preprocess = readPreprocess(j["preprocessing"].value("float", nlohmann::json()), source);
      s.quant_preprocess = readPreprocess(j["preprocessing"].value("quantized", nlohmann::json()), source);
    }
    s.float_fallback = j.value("float_fallback", std::vector<int>{});
    s.annotations = j.value("annotations", std::string());
    if (j.contains("reports") && j["reports"].contains("layer_error"))
      s.layer_error_report = debugReportFromJson(j["reports"]["layer_error"], source);
    if (j.contains("reports") && j["reports"].contains("evaluation"))
      s.evaluation = readEvaluation(j["reports"]["evaluation"], source);
    s.layer_error_threshold = j.value("layer_error_threshold", -1.0);
    if (j.contains("view")) {
      const nlohmann::json& v = j["view"];
      s.view.geometry = v.value("geometry", std::string());
      s.view.state = v.value("state", std::string());
      s.view.current_image = v.value("current_image", -1);
      s.view.selected_op = v.value("selected_op", -1);
      s.view.selected_quant_side = v.value("selected_quant_side", true);
      s.view.colour_by = v.value("colour_by", std::string());
    }
  } catch (const nlohmann::json::exception& e) {
    badInput(source, std::string("is not a quantlens session as this version writes it: ") + e.what());
  }
  return s;
}

void writeSession(const std::string& path, const Session& s) {
  writeFileAtomically(path, sessionJson(s).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

Session readSession(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) badInput(path, "cannot open the session file");
  std::stringstream text;
  text << f.rdbuf();
  const nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) badInput(path, "is not a quantlens session: not JSON");
  return sessionFromJson(j, path);
}

std::vector<std::string> missingSessionModels(const Session& s) {
  std::vector<std::string> out;
  std::error_code ec;
  if (s.float_model && !fs::is_regular_file(s.float_model->path, ec)) out.push_back("float: " + s.float_model->path);
  if (s.quant_model && !fs::is_regular_file(s.quant_model->path, ec))
    out.push_back("quantized: " + s.quant_model->path);
  return out;
}

bool sessionModelsUnchanged(const Session& s) {
  for (const auto* m : {&s.float_model, &s.quant_model})
    if (*m && stampOf((*m)->path) != (*m)->stamp) return false;
  return true;
}

}  // namespace ql::gui
