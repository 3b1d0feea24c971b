// `quantlens --screenshot DIR --keep-float SPEC`: once the selective model of the marked ops is built and run on
// the images, writes fallback.png (the window: marked ops hatched on both graphs, the quantized graph's segment
// band centred on the first marked op), export.png (File > Export's report, the model written to a temporary
// directory) and with --image selective.png (the images dock: float | quantized | selective).
#pragma once

#include <functional>

#include <QString>

namespace ql::gui {

class MainWindow;

// Calls `done(true)` after writing (at once when nothing is kept in float), `done(false)` after printing an error.
void writeSelectiveScreenshots(MainWindow* window, const QString& dir, const std::function<void(bool)>& done);

}  // namespace ql::gui
