#include "app/gui/images_controller.h"

#include <QDockWidget>
#include <QFileInfo>
#include <QSplitter>

#include "analysis/labels.h"
#include "app/gui/main_window.h"
#include "widgets/images/images_strip.h"
#include "widgets/images/images_view.h"

namespace ql::gui {

namespace {

QImage toQImage(const Image& img) {
  if (img.pixels.empty()) return {};
  const QImage::Format f = img.channels == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888;
  return QImage(img.pixels.data(), img.width, img.height, img.width * img.channels, f).copy();
}

// The NMS IoU applies to heads quantlens runs NMS for.
bool ownsNms(const ImageRunSetup& s) {
  return s.detector && s.detector->kind != HeadKind::DetectionPostProcess && s.detector->kind != HeadKind::YoloEnd2End;
}

}  // namespace

ImagesController::ImagesController(MainWindow* window) : QObject(window), window_(window) {
  strip_ = new ImagesStrip;
  view_ = new ImagesView;
  worker_ = new RunWorker(this);
  selective_worker_ = new RunWorker(this);  // its own worker: a new selection never cancels the float/quant run
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(strip_);
  split->addWidget(view_);
  split->setStretchFactor(1, 1);
  dock_ = new QDockWidget("Images", window);
  dock_->setObjectName("images_dock");
  dock_->setWidget(split);
  window->addDockWidget(Qt::BottomDockWidgetArea, dock_);
  window->resizeDocks({dock_}, {380}, Qt::Vertical);
  // Hidden until there are images (View > Images shows it): the graphs keep the window's height otherwise.
  dock_->hide();

  connect(window, &MainWindow::modelsShown, this, &ImagesController::modelsShown);
  connect(strip_, &ImagesStrip::imagesAdded, this, &ImagesController::runAll);
  connect(strip_, &ImagesStrip::currentChanged, this, &ImagesController::showCurrent);
  connect(strip_, &ImagesStrip::preprocessingChanged, this, [this] {
    applyPreprocessing();
    runAll();
  });
  connect(view_, &ImagesView::nmsIouChanged, this, [this](float iou) {
    for (ImageRunSetup* s : {&float_setup_, &quant_setup_})
      if (s->detector) s->detector->iou = iou;
    runAll();
  });
  connect(view_, &ImagesView::cancelRequested, this, &ImagesController::cancel);
  connect(worker_, &RunWorker::progress, view_, [this](int done, int total) { view_->setRunProgress(done, total); });
  connect(worker_, &RunWorker::imageDone, this, &ImagesController::imageDone);
  connect(worker_, &RunWorker::finished, this, [this](bool cancelled) {
    view_->setRunProgress(0, 0);
    emit runFinished(cancelled);
  });
  connect(selective_worker_, &RunWorker::imageDone, this, &ImagesController::selectiveImageDone);
  connect(selective_worker_, &RunWorker::finished, this, &ImagesController::selectiveRunFinished);
}

void ImagesController::modelsShown() {
  const ModelPair& pair = window_->document().pair();
  float_model_ = pair.float_model;
  quant_model_ = pair.quant_model;
  selective_worker_->cancel();
  selective_model_.reset();  // it was made from the previous quantized model
  selective_title_.clear();
  view_->setThirdTitle({});
  try {
    float_setup_ = float_model_ ? imageRunSetupFor(*float_model_) : ImageRunSetup{};
    quant_setup_ = quant_model_ ? imageRunSetupFor(*quant_model_) : ImageRunSetup{};
    if (!labels_file_.isEmpty())
      for (ImageRunSetup* s : {&float_setup_, &quant_setup_})
        s->labels = alignLabelsToClasses(loadLabels(labels_file_.toStdString()),
                                         s->detector && float_model_ ? profileClassCount(*s->detector, *float_model_)
                                                                     : -1);
  } catch (const std::exception& e) {
    view_->showResults({}, std::nullopt, std::nullopt, QString::fromStdString(e.what()));
    return;
  }
  // A dequantized twin carries no label file: it names the quantized model's classes.
  if (float_setup_.labels.empty()) float_setup_.labels = quant_setup_.labels;
  if (quant_setup_.labels.empty()) quant_setup_.labels = float_setup_.labels;
  const ImageRunSetup& lead = float_model_ ? float_setup_ : quant_setup_;
  strip_->setPreprocessing(lead.preprocess);
  // Both models: the quantized one's options in an editor of its own, apart from the start where they differ.
  if (float_model_ && quant_model_)
    strip_->setSecondPreprocessing(quant_setup_.preprocess,
                                   !samePreprocessing(float_setup_.preprocess, quant_setup_.preprocess),
                                   pair.float_is_twin ? "dequantized twin" : "float", "quantized");
  view_->setTitles(float_model_ ? QString(pair.float_is_twin ? "dequantized twin: " : "float: ") +
                                      QFileInfo(QString::fromStdString(pair.float_path)).fileName()
                                : QString(),
                   quant_model_ ? "quantized: " + QFileInfo(QString::fromStdString(pair.quant_path)).fileName()
                                : QString());
  view_->setLabels(float_setup_.labels, quant_setup_.labels);
  if (lead.detector) {
    view_->setThreshold(lead.detector->score_threshold);
    view_->setNmsIou(lead.detector->iou);
  }
  view_->setNmsApplies(ownsNms(lead));
  addImages(window_->document().images());
  if (!strip_->images().isEmpty() && !dock_->isVisible()) {
    dock_->show();
    window_->resizeDocks({dock_}, {window_->height() * 2 / 5}, Qt::Vertical);
  }
  runAll();
}

void ImagesController::addImages(const QStringList& files) { strip_->addImages(files); }

void ImagesController::applyPreprocessing() {
  PreprocessOptions edited, second;
  QString error;
  if (!strip_->preprocessing(&edited, &error) || !strip_->secondPreprocessing(&second, &error)) return;
  // The first editor edits the first model shown; the second (same as the first unless per model) the quantized.
  for (ImageRunSetup* s : {&float_setup_, &quant_setup_}) {
    const PreprocessOptions& o = s == &quant_setup_ && float_model_ ? second : edited;
    s->preprocess.norm = o.norm;
    s->preprocess.resize = o.resize;
  }
}

void ImagesController::setPreprocessing(const PreprocessOptions& float_pre, const PreprocessOptions& quant_pre) {
  float_setup_.preprocess = float_pre;
  quant_setup_.preprocess = quant_pre;
  strip_->setPreprocessing(float_model_ ? float_pre : quant_pre);
  runAll();
}

void ImagesController::runAll() {
  results_.clear();
  view_->clear();
  if ((!float_model_ && !quant_model_) || strip_->images().isEmpty()) return;
  ImageRunRequest request;
  request.float_model = float_model_;
  request.quant_model = quant_model_;
  request.float_setup = float_setup_;
  request.quant_setup = quant_setup_;
  request.images = strip_->images();
  view_->setRunProgress(0, static_cast<int>(request.images.size()));
  worker_->start(std::move(request));
  runSelective();
}

void ImagesController::setSelectiveModel(std::shared_ptr<const Model> model, const QString& title,
                                         const QString& note) {
  const bool same = model == selective_model_;
  selective_model_ = std::move(model);
  selective_title_ = title;
  selective_note_ = note;
  view_->setThirdTitle(title, note);
  if (!same) runSelective();
  else showCurrent();
}

void ImagesController::runSelective() {
  selective_worker_->cancel();
  for (auto& [index, r] : results_) {
    r.has_selective = false;
    r.selective_result = {};
    r.selective_error.clear();
  }
  showCurrent();
  if (!selective_model_ || !quant_model_ || strip_->images().isEmpty()) return;
  ImageRunRequest request;
  request.selective_model = selective_model_;
  // The selective model keeps the quantized model's inputs and outputs: it runs and reads as that one does.
  request.selective_setup = quant_setup_;
  request.images = strip_->images();
  selective_worker_->start(std::move(request));
}

void ImagesController::selectiveImageDone(const ImagePairResult& r) {
  ImagePairResult& kept = results_[r.index];
  kept.index = r.index;
  kept.image = r.image;
  kept.has_selective = r.has_selective;
  kept.selective_result = r.selective_result;
  kept.selective_seen = r.selective_seen;
  if (!r.error.isEmpty() && !r.has_selective) kept.selective_error = r.error;
  if (r.index == std::max(0, strip_->current())) showCurrent();
}

void ImagesController::cancel() { worker_->cancel(); }

void ImagesController::imageDone(const ImagePairResult& r) {
  ImagePairResult& kept = results_[r.index];
  ImagePairResult merged = r;  // the selective worker's part of this image may have arrived first
  merged.has_selective = kept.has_selective;
  merged.selective_result = std::move(kept.selective_result);
  merged.selective_seen = std::move(kept.selective_seen);
  merged.selective_error = std::move(kept.selective_error);
  kept = std::move(merged);
  if (r.index == std::max(0, strip_->current())) showCurrent();
}

void ImagesController::showCurrent() {
  const int i = std::max(0, strip_->current());
  const auto it = results_.find(i);
  if (it == results_.end()) {
    view_->clear();
    return;
  }
  const ImagePairResult& r = it->second;
  std::optional<ImageRunResult> f, q, s;
  if (r.has_float) f = r.float_result;
  if (r.has_quant) q = r.quant_result;
  if (r.has_selective) s = r.selective_result;
  if (!selective_title_.isEmpty())
    view_->setThirdTitle(selective_title_, !r.selective_error.isEmpty() ? "could not run: " + r.selective_error
                                           : selective_model_ ? QString("running...") : selective_note_);
  view_->showResults(QImage(r.image), f, q, r.error, s);
  const QImage first = toQImage(r.has_float ? r.float_seen : r.quant_seen);
  const QImage second = r.has_float && r.has_quant ? toQImage(r.quant_seen) : QImage();
  strip_->setSeen(first, second == first ? QImage() : second);  // the quantized model's only when it differs
}

}  // namespace ql::gui
