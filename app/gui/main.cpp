// quantlens: the desktop app. Thin entry point: everything it shows lives in app/gui and widgets/.
#include <cstdio>

#include <QApplication>
#include <QDir>

#include "app/gui/errors_controller.h"
#include "app/gui/evaluation_controller.h"
#include "app/gui/images_controller.h"
#include "app/gui/launch_options.h"
#include "app/gui/main_window.h"
#include "app/gui/screenshot.h"
#include "app/gui/selective_controller.h"
#include "app/gui/session_controller.h"

int main(int argc, char** argv) {
  QStringList args;
  for (int i = 1; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
  ql::gui::LaunchOptions opts;
  QString error;
  if (!ql::gui::parseLaunchOptions(args, &opts, &error)) {
    std::fprintf(stderr, "quantlens: %s\n%s", error.toLocal8Bit().constData(),
                 ql::gui::launchUsage().toLocal8Bit().constData());
    return 2;
  }
  if (opts.help) {
    std::printf("%s", ql::gui::launchUsage().toLocal8Bit().constData());
    return 0;
  }
  if (opts.version) {
    std::printf("quantlens %s\n", QUANTLENS_VERSION);
    return 0;
  }
  const bool screenshot = !opts.screenshot_dir.isEmpty();
  if (!ql::gui::haveDisplay()) {
    if (!screenshot) {
      std::fprintf(stderr,
                   "quantlens: no display (DISPLAY/WAYLAND_DISPLAY unset); use --screenshot DIR to write the views "
                   "as PNG files, or quantlens-cli\n");
      return 2;
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");  // screenshots need no screen
  }
  const bool models_given = !opts.files.isEmpty() || !opts.float_path.isEmpty() || !opts.quant_path.isEmpty();
  if (screenshot && !models_given && opts.session.isEmpty()) {
    std::fprintf(stderr, "quantlens: --screenshot needs a model to show\n");
    return 2;
  }
  QGuiApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
  QApplication app(argc, argv);
  QApplication::setApplicationName("quantlens");
  QApplication::setOrganizationName("quantlens");
  QApplication::setApplicationVersion(QUANTLENS_VERSION);

  ql::gui::MainWindow window;
  QStringList images = opts.images;
  if (!opts.images_dir.isEmpty()) {
    QDir dir(opts.images_dir);
    for (const QString& f : dir.entryList({"*.jpg", "*.jpeg", "*.png", "*.bmp", "*.ppm"}, QDir::Files, QDir::Name))
      images << dir.filePath(f);
  }
  window.document().setImages(images);
  window.images()->setLabelsFile(opts.labels);
  window.errors()->setColourMetric(opts.colour_by);
  if (opts.threshold >= 0) window.errors()->setThreshold(opts.threshold);
  window.evaluation()->setAnnotations(opts.annotations);
  if (!opts.annotations.isEmpty() && !screenshot) window.evaluation()->evaluateWhenReady();
  window.selective()->keepOnOpen(opts.keep_float);
  if (screenshot) {
    // A fixed size so screenshots look the same on every machine (the Xvfb screen of the docs is 1600x1000).
    window.resize(1600, 1000);
    ql::gui::scheduleScreenshots(&window, opts.screenshot_dir, opts.select);
  }
  window.show();
  if (!opts.session.isEmpty()) {
    if (!window.session()->open(opts.session) && screenshot) {
      std::fprintf(stderr, "quantlens: %s\n", window.session()->lastError().toLocal8Bit().constData());
      return 2;
    }
  } else if (models_given) {
    window.openFiles(opts.files, opts.float_path, opts.quant_path);
  } else if (!screenshot) {
    window.session()->restoreLastOnStartIfChosen();
  }
  return QApplication::exec();
}
