// The quantlens main window: one document (the loaded float/quantized pair) shown by the views of widgets/.
#pragma once

#include <QMainWindow>

namespace ql::gui {

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
};

}  // namespace ql::gui
