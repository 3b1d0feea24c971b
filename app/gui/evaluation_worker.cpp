#include "app/gui/evaluation_worker.h"

#include <atomic>

#include <QDir>
#include <QFileInfo>
#include <QPointer>

#include "analysis/evaluation/annotations.h"
#include "analysis/evaluation/interpreter_predictor.h"
#include "util/error.h"

namespace ql::gui {


QString defaultImageFolder(const QString& annotations) {
  const QFileInfo info(annotations);
  return info.isDir() ? info.absoluteFilePath() : info.absolutePath();
}

EvaluationOutcome evaluateRequest(const EvaluationRequest& request, Progress& progress) {
  EvaluationOutcome out;
  try {
    std::vector<EvaluatedModel> models;
    for (const EvaluationModelInput& m : request.models) {
      const PreprocessOptions pre = m.preprocess;
      models.push_back(interpreterModel(m.model, [pre](const PreprocessOptions&) { return pre; }, m.labels));
      out.columns << m.column;
    }
    if (models.empty()) badInput("", "no model to evaluate");
    EvaluationInputs inputs;
    std::unique_ptr<Dataset> dataset;
    if (!request.annotations.isEmpty()) {
      std::vector<std::string> files;
      for (const QString& f : request.images) files.push_back(f.toStdString());
      const ImageLocator images = files.empty()
                                      ? ImageLocator::folder(defaultImageFolder(request.annotations).toStdString())
                                      : ImageLocator::files(files);
      dataset = std::make_unique<Dataset>(
          readAnnotations(AnnotationFormat::Auto, request.annotations.toStdString(), images, ""));
      numberUnnamedLabelMapClasses(*dataset, models[0]);
      inputs.dataset = dataset.get();
      for (const EvaluatedModel& m : models) inputs.mappings.push_back(classMappingFor(m, *dataset, ""));
      for (const AnnotatedImage& a : dataset->images) out.image_paths.push_back(a.path);
    } else {
      if (models.size() < 2) badInput("", "without annotations, the agreement needs two models");
      for (const QString& f : request.images) inputs.images.push_back(f.toStdString());
      out.image_paths = inputs.images;
    }
    out.result = evaluateModels(models, inputs, progress);
  } catch (const Cancelled&) {
    out.cancelled = true;
  } catch (const std::exception& e) {
    out.error = QString::fromStdString(e.what());
  }
  return out;
}

EvaluationWorker::EvaluationWorker(QObject* parent) : QObject(parent) {
  qRegisterMetaType<ql::gui::EvaluationOutcome>();
}

EvaluationWorker::~EvaluationWorker() { thread_.stop(); }

void EvaluationWorker::cancel() { thread_.cancel(); }

void EvaluationWorker::start(EvaluationRequest request) {
  thread_.start(this, [request = std::move(request)](auto post, const std::atomic<bool>& cancelled) {
    struct Reporter : Progress {
      Reporter(const std::atomic<bool>& c, decltype(post) p) : cancelled_(c), post_(std::move(p)) {}
      void report(size_t done, size_t total, const std::string& what) override {
        const QString w = QString::fromStdString(what);
        const int d = static_cast<int>(done), t = static_cast<int>(total);
        post_([d, t, w](EvaluationWorker* worker) { emit worker->progress(d, t, w); });
      }
      bool cancelRequested() const override { return cancelled_.load(); }
      const std::atomic<bool>& cancelled_;
      decltype(post) post_;
    } progress(cancelled, post);
    EvaluationOutcome outcome = evaluateRequest(request, progress);
    post([outcome = std::move(outcome)](EvaluationWorker* worker) {
      worker->thread_.finished();
      emit worker->finished(outcome);
    });
  });
}

}  // namespace ql::gui
