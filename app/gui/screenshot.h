// `quantlens --screenshot DIR`: once the models are laid out, select an op (--select, default the first CONV_2D)
// and write each main view as the PNG named for it, then quit: graphs.png (the window: both graphs, linked, the
// inspector beside them), inspector.png and model.png (the docks), and with --image images.png (the side-by-side
// results on the first image, after the run) and tensor.png (the selected op's tensor on that image). It is how
// docs/screenshots/ is made, and what quantlens does where
// there is no display.
#pragma once

#include <QString>

class QWidget;

namespace ql::gui {

class MainWindow;

// Arranges for `window` to write the screenshots into `dir` after its next successful load and then quit the
// application with 0; a failed load quits with 2 after printing the error.
void scheduleScreenshots(MainWindow* window, const QString& dir, const QString& select);

// Writes `widget`'s current look to `path` (through a temporary file); false with `error` set on failure.
bool writeWidgetPng(QWidget* widget, const QString& path, QString* error);

}  // namespace ql::gui
