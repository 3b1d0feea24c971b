// Wires the images dock to the window's document and to a RunWorker: when models are shown or images added, or
// the preprocessing or NMS IoU changes, both models are run on every image off the UI thread; results are kept
// per image and the current one is shown side by side as it arrives.
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

 signals:
  // A run ended (finished or cancelled) and its results are shown.
  void runFinished(bool cancelled);

 private:
  void modelsShown();
  void showCurrent();
  void imageDone(const ImagePairResult& r);
  void applyPreprocessing();

  MainWindow* window_;
  QDockWidget* dock_ = nullptr;
  ImagesStrip* strip_ = nullptr;
  ImagesView* view_ = nullptr;
  RunWorker* worker_ = nullptr;
  ImageRunSetup float_setup_, quant_setup_;
  std::shared_ptr<const Model> float_model_, quant_model_;
  std::map<int, ImagePairResult> results_;
  QString labels_file_;
};

}  // namespace ql::gui
