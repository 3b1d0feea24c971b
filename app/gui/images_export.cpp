#include "app/gui/images_export.h"

#include <QAction>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>

#include "analysis/image_run_json.h"
#include "app/gui/images_controller.h"
#include "app/gui/main_window.h"
#include "app/gui/screenshot.h"
#include "util/atomic_write.h"
#include "widgets/images/images_strip.h"
#include "widgets/images/images_view.h"
#include "widgets/images/result_panel.h"

namespace ql::gui {

namespace {

struct ModelRun {
  std::string role, path;
  const ImageRunResult* result = nullptr;  // null: this model has no result for the image
};

// The models of one image's results, the float (reference) one first.
// `selective`: the images dock runs a selective model (the quantized one with ops kept in float) too.
std::vector<ModelRun> modelRuns(const ModelPair& pair, bool selective, const ImagePairResult* r) {
  std::vector<ModelRun> runs;
  if (pair.float_model)
    runs.push_back({pair.float_is_twin ? "dequantized twin" : "float", pair.float_path,
                    r && r->has_float ? &r->float_result : nullptr});
  if (pair.quant_model)
    runs.push_back({"quantized", pair.quant_path, r && r->has_quant ? &r->quant_result : nullptr});
  if (selective && pair.quant_model)  // made in memory from the quantized file; not written anywhere yet
    runs.push_back({"selective", pair.quant_path, r && r->has_selective ? &r->selective_result : nullptr});
  return runs;
}

}  // namespace

nlohmann::json imagesResultsJson(MainWindow* window) {
  ImagesController* images = window->images();
  const ModelPair& pair = window->document().pair();
  const float threshold = images->view()->threshold();
  const bool selective = images->selectiveModel() != nullptr;
  nlohmann::json j{{"threshold", threshold}, {"models", nlohmann::json::array()}, {"images", nlohmann::json::array()}};
  for (const ModelRun& m : modelRuns(pair, selective, nullptr)) j["models"].push_back({{"role", m.role}, {"path", m.path}});
  const QStringList files = images->strip()->images();
  for (int i = 0; i < files.size(); ++i) {
    const auto it = images->results().find(i);
    const ImagePairResult* r = it == images->results().end() ? nullptr : &it->second;
    const std::string image = files[i].toStdString();
    nlohmann::json entry{
        {"image", image}, {"results", nlohmann::json::array()}, {"comparisons", nlohmann::json::array()}};
    if (!r) entry["error"] = "not run";
    else if (!r->error.isEmpty()) entry["error"] = r->error.toStdString();
    const std::vector<ModelRun> runs = modelRuns(pair, selective, r);
    for (const ModelRun& m : runs)
      if (m.result)
        entry["results"].push_back({{"role", m.role}, {"result", imageRunToJson(*m.result, image, m.path, threshold)}});
    for (size_t k = 1; k < runs.size(); ++k)
      if (runs[0].result && runs[k].result)
        entry["comparisons"].push_back(
            {{"first", runs[0].role},
             {"second", runs[k].role},
             {"comparison", imageComparisonToJson(*runs[0].result, *runs[k].result, image, threshold)}});
    j["images"].push_back(std::move(entry));
  }
  return j;
}

bool saveImagesResultsJson(MainWindow* window, const QString& path, QString* error) {
  try {
    writeFileAtomically(path.toStdString(),
                        imagesResultsJson(window).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    return true;
  } catch (const std::exception& e) {
    *error = QString::fromStdString(e.what());
    return false;
  }
}

bool saveImagesViewPng(MainWindow* window, const QString& path, QString* error) {
  // The panels with the change list beside them, at the size they are shown.
  return writeWidgetPng(window->images()->view()->firstPanel()->parentWidget(), path, error);
}

ImagesExport::ImagesExport(MainWindow* window) : QObject(window), window_(window) {
  auto* png = new QAction("Save view as PNG...", this);
  png->setToolTip("The side-by-side panels as they are shown");
  auto* json = new QAction("Save results as JSON...", this);
  json->setToolTip("Every image's results: per model the detect --json object, per image the comparison");
  connect(png, &QAction::triggered, this, [this] { save(false); });
  connect(json, &QAction::triggered, this, [this] { save(true); });
  ImagesView* view = window->images()->view();
  view->addBarAction(png);
  view->addBarAction(json);
  // The menus are built after the docks.
  QMetaObject::invokeMethod(
      this,
      [this, png, json] {
        if (!window_->fileMenu()) return;
        QAction* before = window_->fileMenu()->actions().value(window_->fileMenu()->actions().size() - 2);
        window_->fileMenu()->insertActions(before, {png, json});
      },
      Qt::QueuedConnection);
}

void ImagesExport::save(bool json) {
  const QString path = QFileDialog::getSaveFileName(window_, json ? "Save image results" : "Save the images view",
                                                    {}, json ? "JSON (*.json)" : "PNG image (*.png)");
  if (path.isEmpty()) return;
  QString error;
  if (!(json ? saveImagesResultsJson(window_, path, &error) : saveImagesViewPng(window_, path, &error)))
    QMessageBox::warning(window_, "quantlens", error);
}

}  // namespace ql::gui
