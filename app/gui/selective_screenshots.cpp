#include "app/gui/selective_screenshots.h"

#include <cstdio>

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include "app/gui/export_dialog.h"
#include "app/gui/float_fallback.h"
#include "app/gui/images_controller.h"
#include "app/gui/main_window.h"
#include "app/gui/screenshot.h"
#include "app/gui/selective_controller.h"
#include "widgets/graph/graph_view.h"
#include "widgets/images/images_strip.h"

namespace ql::gui {

namespace {

void settle() {
  for (int i = 0; i < 5; ++i) QApplication::processEvents();
}

bool ready(MainWindow* w) {
  SelectiveController* s = w->selective();
  if (s->busy() || (!s->build() && s->lastError().isEmpty())) return false;
  ImagesController* images = w->images();
  return images->strip()->images().isEmpty() || !images->selectiveWorker()->running();
}

bool writeAll(MainWindow* w, const QString& dir) {
  auto fail = [](const QString& m) {
    std::fprintf(stderr, "quantlens: %s\n", m.toLocal8Bit().constData());
    return false;
  };
  SelectiveController* s = w->selective();
  if (!s->build()) return fail("--keep-float: no selective model: " + s->lastError());
  QString error;
  // The graphs, on the first kept op: the band shows where the accelerator stops and the CPU takes over.
  w->selectOp(w->quantView(), *w->fallback()->ops().begin());
  settle();
  if (!writeWidgetPng(w, QDir(dir).filePath("fallback.png"), &error)) return fail(error);
  QTemporaryDir out;
  ExportDialog dialog(s, w);
  if (!dialog.exportTo(out.filePath("selective.tflite"))) return fail("export: " + dialog.error());
  dialog.show();
  settle();
  if (!writeWidgetPng(&dialog, QDir(dir).filePath("export.png"), &error)) return fail(error);
  dialog.hide();
  ImagesController* images = w->images();
  if (!images->strip()->images().isEmpty()) {
    QDockWidget* dock = images->dock();
    dock->show();
    dock->setFloating(true);
    dock->resize(1600, 700);
    images->strip()->setCurrent(0);
    settle();
    if (!writeWidgetPng(dock, QDir(dir).filePath("selective.png"), &error)) return fail(error);
  }
  std::printf("quantlens: wrote fallback.png, export.png%s to %s\n",
              images->strip()->images().isEmpty() ? "" : ", selective.png", dir.toLocal8Bit().constData());
  std::fflush(stdout);
  return true;
}

}  // namespace

void writeSelectiveScreenshots(MainWindow* window, const QString& dir, const std::function<void(bool)>& done) {
  if (window->fallback()->ops().empty()) {
    // Nothing kept: no --keep-float, or one that named no op (its error is the one line to print).
    const QString error = window->selective()->lastError();
    if (error.isEmpty()) return done(true);
    std::fprintf(stderr, "quantlens: %s\n", error.toLocal8Bit().constData());
    return done(false);
  }
  auto* poll = new QTimer(window);
  auto clock = std::make_shared<QElapsedTimer>();
  clock->start();
  QObject::connect(poll, &QTimer::timeout, window, [window, dir, done, poll, clock] {
    if (!ready(window)) {
      if (clock->elapsed() < 300000) return;
      poll->deleteLater();
      std::fprintf(stderr, "quantlens: the selective model did not finish in 5 minutes\n");
      return done(false);
    }
    poll->deleteLater();
    done(writeAll(window, dir));
  });
  poll->start(100);
}

}  // namespace ql::gui
