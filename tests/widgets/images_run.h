// What the GUI tests on real models share: skipping (or failing under QUANTLENS_REQUIRE_SHARED=1) when a file of
// ../shared is absent, and opening models with images in a main window until the run over them ended.
#pragma once

#include <QFileInfo>
#include <QSignalSpy>
#include <QStringList>

#include "app/gui/images_controller.h"
#include "app/gui/main_window.h"
#include "missing_shared.h"

#define REQUIRE_FILE(path)                                                                              \
  do {                                                                                                  \
    if (ql::test::sharedDir().empty() || !QFileInfo::exists(path))                                      \
      QL_QT_SKIP_FOR_MISSING("../shared is absent (set QUANTLENS_SHARED): skipping, needs " + (path));  \
  } while (0)

namespace ql::test {

// Opens `models` with `images` in `w` and waits for the run over them to end; false on a timeout.
inline bool openAndRun(gui::MainWindow& w, const QStringList& models, const QStringList& images) {
  w.setQuiet(true);
  w.resize(1400, 900);
  w.show();
  w.document().setImages(images);
  QSignalSpy done(w.images(), &gui::ImagesController::runFinished);
  w.openFiles(models);
  return done.wait(300000);
}

}  // namespace ql::test
