#include "app/gui/main_window.h"

namespace ql::gui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("quantlens");
  resize(1400, 900);
}

}  // namespace ql::gui
