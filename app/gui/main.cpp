// quantlens: the desktop app. Thin entry point: everything it shows lives in app/gui and widgets/.
#include <QApplication>

#include "app/gui/main_window.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("quantlens");
  QApplication::setOrganizationName("quantlens");
  QApplication::setApplicationVersion(QUANTLENS_VERSION);
  ql::gui::MainWindow window;
  window.show();
  return QApplication::exec();
}
