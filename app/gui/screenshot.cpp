#include "app/gui/screenshot.h"

#include <cstdio>
#include <functional>
#include <memory>

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QSaveFile>
#include <QTimer>

#include "app/gui/errors_controller.h"
#include "app/gui/evaluation_controller.h"
#include "app/gui/images_controller.h"
#include "app/gui/main_window.h"
#include "app/gui/selective_screenshots.h"
#include "app/gui/tensor_controller.h"
#include "widgets/evaluation/evaluation_view.h"
#include "widgets/images/images_strip.h"
#include "widgets/graph/graph_view.h"

namespace ql::gui {

bool writeWidgetPng(QWidget* widget, const QString& path, QString* error) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || !widget->grab().save(&file, "PNG") || !file.commit()) {
    *error = path + ": " + (file.errorString().isEmpty() ? QString("could not write") : file.errorString());
    return false;
  }
  return true;
}

namespace {

void settle() {
  // Let layouts, dock resizes and first paints happen before grabbing.
  for (int i = 0; i < 5; ++i) QApplication::processEvents();
}

void fail(const QString& message) {
  std::fprintf(stderr, "quantlens: %s\n", message.toLocal8Bit().constData());
  QApplication::exit(2);
}

// tensor.png: the Tensor dock on the selected op and the first image, once its worker delivered; then quit.
void writeTensor(MainWindow* w, const QString& dir, std::function<void()> then) {
  TensorController* tensors = w->tensors();
  if (tensors->busy()) {
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = QObject::connect(tensors, &TensorController::tensorShown, w, [w, dir, once, then] {
      QObject::disconnect(*once);
      writeTensor(w, dir, then);
    });
    return;
  }
  QDockWidget* dock = tensors->dock();
  dock->show();
  dock->setFloating(true);
  dock->resize(1000, 1000);
  settle();
  QString error;
  if (!writeWidgetPng(dock, QDir(dir).filePath("tensor.png"), &error)) return fail(error);
  std::printf("quantlens: wrote tensor.png to %s\n", dir.toLocal8Bit().constData());
  dock->setFloating(false);
  then();
}

// evaluation.png (with --annotations): the Evaluation dock after its evaluation, floated to a fixed size.
void writeEvaluation(MainWindow* w, const QString& dir) {
  EvaluationController* evaluation = w->evaluation();
  if (evaluation->annotations().isEmpty()) return QApplication::exit(0);
  auto once = std::make_shared<QMetaObject::Connection>();
  *once = QObject::connect(evaluation, &EvaluationController::finished, w, [evaluation, dir, once](bool ok) {
    QObject::disconnect(*once);
    if (!ok) return fail(evaluation->view()->message());
    QDockWidget* dock = evaluation->dock();
    dock->show();
    dock->setFloating(true);
    dock->resize(1600, 900);
    settle();
    QString error;
    if (!writeWidgetPng(dock, QDir(dir).filePath("evaluation.png"), &error)) return fail(error);
    std::printf("quantlens: wrote evaluation.png to %s\n", dir.toLocal8Bit().constData());
    QApplication::exit(0);
  });
  evaluation->evaluate();
}

void writeAll(MainWindow* w, const QString& dir, const QString& select) {
  ImagesController* images = w->images();
  if (images->worker()->running()) {
    // Every picture shows the results: wait for the run on the images to end first.
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = QObject::connect(images, &ImagesController::runFinished, w, [w, dir, select, once] {
      QObject::disconnect(*once);
      writeAll(w, dir, select);
    });
    return;
  }
  ErrorsController* errors = w->errors();
  const bool have_images = !images->strip()->images().isEmpty();
  if (have_images && !errors->report() && errors->lastError().isEmpty()) {
    // errors.png: the per-layer error on the images, computed before any picture so that graphs.png shows the
    // selected op's bar too.
    errors->computeThen([w, dir, select] { writeAll(w, dir, select); });
    return;
  }
  if (!QDir().mkpath(dir)) return fail(dir + ": cannot create the directory");
  GraphView* view = w->quantView()->model() ? w->quantView() : w->floatView();
  int op = w->resolveOp(view, select);
  if (!select.isEmpty() && op < 0) return fail("--select " + select + ": no such op");
  if (op >= 0) w->selectOp(view, op);
  // Docks a user closed in an earlier session (restored window state) are shown again for the pictures.
  w->inspectorDock()->show();
  w->modelDock()->show();
  w->inspectorDock()->raise();
  if (have_images) {
    errors->dock()->show();
    errors->dock()->raise();
  }
  settle();
  QString error;
  if (!writeWidgetPng(w, QDir(dir).filePath("graphs.png"), &error)) return fail(error);
  if (!writeWidgetPng(w->inspectorDock(), QDir(dir).filePath("inspector.png"), &error)) return fail(error);
  w->modelDock()->raise();
  settle();
  if (!writeWidgetPng(w->modelDock(), QDir(dir).filePath("model.png"), &error)) return fail(error);
  w->inspectorDock()->raise();
  std::printf("quantlens: wrote graphs.png, inspector.png, model.png to %s\n", dir.toLocal8Bit().constData());
  std::fflush(stdout);
  // With --keep-float: fallback.png, export.png, selective.png once the selective model ran; then quit.
  const auto finish = [](bool ok) { QApplication::exit(ok ? 0 : 2); };
  if (!have_images) return writeSelectiveScreenshots(w, dir, finish);
  // errors.png: the layer error dock on its own at a fixed size, then back in its place.
  errors->dock()->setFloating(true);
  errors->dock()->resize(1600, 640);
  settle();
  if (!writeWidgetPng(errors->dock(), QDir(dir).filePath("errors.png"), &error)) return fail(error);
  errors->dock()->setFloating(false);
  std::printf("quantlens: wrote errors.png to %s\n", dir.toLocal8Bit().constData());
  // images.png: the side-by-side panels after the run, the first image shown, the dock floated to a fixed size.
  QDockWidget* dock = images->dock();
  dock->show();
  dock->setFloating(true);
  dock->resize(1600, 900);
  images->strip()->setCurrent(0);
  settle();
  if (!writeWidgetPng(dock, QDir(dir).filePath("images.png"), &error)) return fail(error);
  std::printf("quantlens: wrote images.png to %s\n", dir.toLocal8Bit().constData());
  std::fflush(stdout);
  dock->setFloating(false);
  // tensor.png (the op of --select on the first image), then the selective pictures of --keep-float, then
  // evaluation.png (with --annotations) so that it has the selective column.
  writeTensor(w, dir, [w, dir] {
    writeSelectiveScreenshots(w, dir, [w, dir](bool ok) {
      if (!ok) return QApplication::exit(2);
      writeEvaluation(w, dir);
    });
  });
}

}  // namespace

void scheduleScreenshots(MainWindow* window, const QString& dir, const QString& select) {
  window->setQuiet(true);
  QObject::connect(window, &MainWindow::modelsShown, window, [window, dir, select] {
    QTimer::singleShot(0, window, [window, dir, select] {
      settle();
      writeAll(window, dir, select);
    });
  });
  QObject::connect(window, &MainWindow::openFailed, window, [](const QString& m) { fail(m); });
}

}  // namespace ql::gui
