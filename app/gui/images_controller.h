// Wires the images dock to the window's document and to a RunWorker: when models are shown or images added, or
// the preprocessing or NMS IoU changes, both models are run on every image off the UI thread; results are kept
// per image and the current one is shown side by side as it arrives. The selective model (float fallback) runs on
// a second worker, so that a new selection never restarts the float and quantized runs.
#pragma once

#include <map>
#include <optional>

#include <QObject>
#include <QStringList>

#include "analysis/image_run.h"
#include "app/gui/run_worker.h"

class QDockWidget;

namespace ql::gui {

class ImagesStrip;
class ImagesView;
class MainWindow;

class ImagesController : public QObject {
  Q_OBJECT
 public:
  // Adds the "Images" dock (strip + side-by-side results) to `window`.
  explicit ImagesController(MainWindow* window);

  ImagesStrip* strip() const { return strip_; }
  ImagesView* view() const { return view_; }
  QDockWidget* dock() const { return dock_; }
  RunWorker* worker() const { return worker_; }
  const ImageRunSetup& floatSetup() const { return float_setup_; }
  const ImageRunSetup& quantSetup() const { return quant_setup_; }
  // Results so far, by image index.
  const std::map<int, ImagePairResult>& results() const { return results_; }

  void addImages(const QStringList& files);
  // Class names for both models' results from this file (text or .pbtxt); empty: the models' packed labels.
  void setLabelsFile(const QString& path) { labels_file_ = path; }
  const QString& labelsFile() const { return labels_file_; }
  // Replaces each model's preprocessing (a restored session) and runs again.
  void setPreprocessing(const PreprocessOptions& float_pre, const PreprocessOptions& quant_pre);
  // Runs both models on every image (a run in progress is replaced).
  void runAll();
  void cancel();

  // The selective model (the quantized model with the chosen ops in float), run on the images by a second worker
  // and shown in a third panel titled `title`; null with a title shows the panel with `note` (still building, or
  // why there is none); null without a title hides it. A new model replaces the run of the previous one.
  void setSelectiveModel(std::shared_ptr<const Model> model, const QString& title, const QString& note = {});
  const std::shared_ptr<const Model>& selectiveModel() const { return selective_model_; }
  RunWorker* selectiveWorker() const { return selective_worker_; }

 signals:
  // A run ended (finished or cancelled) and its results are shown.
  void runFinished(bool cancelled);
  // The selective model's run over the images ended.
  void selectiveRunFinished(bool cancelled);

 private:
  void modelsShown();
  void showCurrent();
  void imageDone(const ImagePairResult& r);
  void applyPreprocessing();
  void runSelective();
  void selectiveImageDone(const ImagePairResult& r);

  MainWindow* window_;
  QDockWidget* dock_ = nullptr;
  ImagesStrip* strip_ = nullptr;
  ImagesView* view_ = nullptr;
  RunWorker* worker_ = nullptr;
  ImageRunSetup float_setup_, quant_setup_;
  std::shared_ptr<const Model> float_model_, quant_model_;
  std::map<int, ImagePairResult> results_;
  RunWorker* selective_worker_ = nullptr;
  std::shared_ptr<const Model> selective_model_;
  QString selective_title_, selective_note_;
  QString labels_file_;
};

}  // namespace ql::gui
