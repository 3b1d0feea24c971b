// A saved session (`.qlsession`, JSON): the models by path with each file's size and modification time, the
// images, each model's preprocessing, the ops kept in float, the annotations of the evaluation, the computed layer
// error report, and how the window looked (geometry, docks, current image, selected op). No Qt: the app's session
// controller captures and restores it; tests read and write it directly.
//
// {"quantlens_session": 1, "models": {"float": {"path", "size", "mtime_ns"} | null, "quantized": {...} | null,
//  "float_is_twin": bool}, "images": [...], "labels": "...", "preprocessing": {"float": P, "quantized": P},
//  "float_fallback": [op, ...], "annotations": "...", "reports": {"layer_error": debugReportJson | absent,
//  "evaluation": {"annotations", "missing", "columns", "image_paths", "models": [{"model", "task", "metrics":
//  [[name, value], ...], "per_class_metric", "per_class": [{"class", "label", "value", "count", "precision"}],
//  "images": [{"file", "width", "height", "score", "agreement"}], "notes"}]} | absent},
//  "layer_error_threshold": t, "view": {"geometry": base64, "state": base64, "current_image": i, "selected_op": i,
//  "selected_quant_side": b, "colour_by": "rmse/scale" | ""}}
// with P = {"mean": [...], "std": [...], "resize": "stretch" | "letterbox", "pad": [r, g, b]}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/evaluation/evaluation.h"
#include "analysis/quant_debugger.h"
#include "vision/preprocess.h"

namespace ql::gui {

constexpr int kSessionVersion = 1;

// A file as it was when the session was saved: when its size or time differ, what was computed from it is stale.
struct FileStamp {
  int64_t size = -1;
  int64_t mtime_ns = -1;
  bool operator==(const FileStamp& o) const { return size == o.size && mtime_ns == o.mtime_ns; }
  bool operator!=(const FileStamp& o) const { return !(*this == o); }
};
FileStamp stampOf(const std::string& path);  // -1s when the file is not there

struct SessionModel {
  std::string path;  // absolute
  FileStamp stamp;
};

struct SessionView {
  std::string geometry, state;  // Qt's saveGeometry / saveState, base64
  int current_image = -1;
  int selected_op = -1;
  bool selected_quant_side = true;
  std::string colour_by;  // the layer error column the graphs are coloured by ("": none)
};

// The evaluation dock's last result, without the per-image predictions (the dock shows metrics, curves and
// per-image scores only).
struct SessionEvaluation {
  EvaluationResult result;
  std::vector<std::string> columns;      // per model: "float", "quantized", "selective"
  std::vector<std::string> image_paths;  // per evaluated image
};

struct Session {
  std::optional<SessionModel> float_model;  // absent when the float side is the quantized model's twin
  std::optional<SessionModel> quant_model;
  bool float_is_twin = false;
  std::vector<std::string> images;
  std::string labels;  // the class names file given for the image results ("": the models' own)
  std::optional<PreprocessOptions> float_preprocess, quant_preprocess;
  std::vector<int> float_fallback;  // ops of the quantized model kept in float
  std::string annotations;
  std::optional<DebugReport> layer_error_report;
  double layer_error_threshold = -1;  // the Layer error dock's rmse/scale threshold (-1: its default)
  std::optional<SessionEvaluation> evaluation;
  SessionView view;
};

// Everything but the view (what "unsaved changes" compares), or with it.
nlohmann::json sessionJson(const Session& s, bool with_view = true);
// Throws BadInput naming `source` when `j` is not a session this version reads.
Session sessionFromJson(const nlohmann::json& j, const std::string& source);

// Written through a temporary file and a rename; throws ql::Error naming the file.
void writeSession(const std::string& path, const Session& s);
// Throws BadInput naming the file when it is missing, not JSON or not a session.
Session readSession(const std::string& path);

// The model files a session names that are not there, as "role: path" lines; empty when all are.
std::vector<std::string> missingSessionModels(const Session& s);
// True when every model file the session names has the size and time it had when saved.
bool sessionModelsUnchanged(const Session& s);

}  // namespace ql::gui
