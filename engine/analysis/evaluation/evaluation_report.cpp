#include "analysis/evaluation/evaluation_report.h"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include "model/options_codec.h"

namespace fs = std::filesystem;

namespace ql {

namespace {

nlohmann::json valueOrNull(double v) { return v < 0 ? nlohmann::json(nullptr) : nlohmann::json(v); }

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string labelOf(const std::vector<std::string>& labels, int cls) {
  return cls >= 0 && static_cast<size_t>(cls) < labels.size() ? labels[static_cast<size_t>(cls)] : "";
}

}  // namespace

nlohmann::json evaluationJson(const EvaluationResult& r, const std::vector<EvaluatedModel>& models) {
  nlohmann::json j;
  j["annotations"] = r.annotations.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.annotations);
  j["missing_images"] = r.missing;
  if (r.models.size() > 1) {
    j["agreement_reference"] = r.models[0].model;
    j["agreement_score_threshold"] = kAgreementScore;
  }
  j["models"] = nlohmann::json::array();
  for (size_t mi = 0; mi < r.models.size(); ++mi) {
    const ModelResult& m = r.models[mi];
    const std::vector<std::string> no_labels;
    const std::vector<std::string>& labels = mi < models.size() ? models[mi].labels : no_labels;
    nlohmann::json jm{{"model", m.model}, {"task", modelTaskName(m.task)}, {"metrics", nlohmann::json::object()}};
    for (const auto& [name, value] : m.metrics) jm["metrics"][name] = valueOrNull(value);
    jm["per_class"] = nlohmann::json::array();
    for (const ClassResult& c : m.per_class) {
      nlohmann::json jc{
          {"class", c.cls}, {"label", c.label}, {m.per_class_metric, valueOrNull(c.value)}, {"count", c.count}};
      if (!c.precision.empty()) jc["precision"] = c.precision;
      jm["per_class"].push_back(std::move(jc));
    }
    jm["images"] = nlohmann::json::array();
    for (const ImageResult& im : m.images) {
      nlohmann::json ji{{"image", im.file}, {"width", im.width}, {"height", im.height}};
      const Prediction& p = im.prediction;
      switch (m.task) {
        case ModelTask::Detection:
          ji["detections"] = nlohmann::json::array();
          for (const Detection& d : p.detections) ji["detections"].push_back(detectionToJson(d));
          if (!r.annotations.empty()) ji["ap"] = valueOrNull(im.score);
          break;
        case ModelTask::Classification:
          ji["top5"] = nlohmann::json::array();
          for (const auto& [cls, score] : p.top5)
            ji["top5"].push_back({{"class", cls}, {"label", labelOf(labels, cls)}, {"score", floatToJson(score)}});
          if (!r.annotations.empty()) ji["correct"] = im.score > 0;
          break;
        case ModelTask::Segmentation:
          // Against the label map; without annotations, against the first model's mask.
          ji["mask_iou"] = valueOrNull(r.annotations.empty() ? im.agreement : im.score);
          break;
      }
      if (mi > 0) ji["agreement"] = valueOrNull(im.agreement);
      jm["images"].push_back(std::move(ji));
    }
    jm["notes"] = m.notes;
    j["models"].push_back(std::move(jm));
  }
  return j;
}

std::string evaluationCsv(const EvaluationResult& r) {
  std::ostringstream out;
  out << "model,metric,value\n" << std::setprecision(9);
  for (const ModelResult& m : r.models)
    for (const auto& [name, value] : m.metrics) {
      out << csvField(m.model) << "," << name << ",";
      if (value >= 0) out << value;
      out << "\n";
    }
  return out.str();
}

std::string evaluationTable(const EvaluationResult& r) {
  std::vector<std::string> rows;
  for (const ModelResult& m : r.models)
    for (const auto& metric : m.metrics)
      if (std::find(rows.begin(), rows.end(), metric.first) == rows.end()) rows.push_back(metric.first);
  std::vector<std::string> heads;
  size_t width = 10;
  for (const ModelResult& m : r.models) {
    heads.push_back(fs::path(m.model).filename().string());
    width = std::max(width, heads.back().size() + 2);
  }
  std::ostringstream out;
  out << std::left << std::setw(12) << "metric";
  for (const std::string& h : heads) out << std::setw(static_cast<int>(width)) << h;
  out << "\n";
  for (const std::string& row : rows) {
    out << std::setw(12) << row;
    for (const ModelResult& m : r.models) {
      auto it = std::find_if(m.metrics.begin(), m.metrics.end(), [&](auto& p) { return p.first == row; });
      std::ostringstream cell;
      if (it == m.metrics.end() || it->second < 0)
        cell << "-";
      else
        cell << std::fixed << std::setprecision(4) << it->second;
      out << std::setw(static_cast<int>(width)) << cell.str();
    }
    out << "\n";
  }
  // Where quantization hurts most: the images each later model agrees least on with the first.
  for (size_t mi = 1; mi < r.models.size(); ++mi) {
    std::vector<const ImageResult*> worst;
    for (const ImageResult& im : r.models[mi].images)
      if (im.agreement >= 0) worst.push_back(&im);
    if (worst.empty()) continue;
    std::stable_sort(worst.begin(), worst.end(), [](auto* a, auto* b) { return a->agreement < b->agreement; });
    out << "\nleast agreement of " << heads[mi] << " with " << heads[0] << ":\n";
    for (size_t k = 0; k < std::min<size_t>(5, worst.size()); ++k)
      out << "  " << std::fixed << std::setprecision(4) << worst[k]->agreement << "  " << worst[k]->file << "\n";
  }
  return out.str();
}

}  // namespace ql
