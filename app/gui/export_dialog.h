// File > Export selective model...: asks where, writes the quantized model with the ops kept in float exactly as
// `quantlens-cli export` does (the same engine build, writeModel through a temporary file and a rename; an input
// model is never overwritten), then shows what it wrote: the accelerator segment report as the CLI prints it
// (ops on the accelerator, ops on the CPU, each segment) and the exporter's list of changes.
#pragma once

#include <QDialog>
#include <QString>

class QLabel;
class QPlainTextEdit;

namespace ql::gui {

class SelectiveController;

class ExportDialog : public QDialog {
  Q_OBJECT
 public:
  ExportDialog(SelectiveController* controller, QWidget* parent = nullptr);

  // Asks for the file, exports and shows the report; false when the user cancelled or the export failed (the
  // error is shown in a message box).
  bool askAndExport();
  // Writes the selective model of the current selection to `path` and fills the report; false with error() set.
  bool exportTo(const QString& path);
  QString error() const { return error_; }
  // The report as shown: the CLI's lines (wrote..., changes, segments).
  QString reportText() const;

 private:
  SelectiveController* controller_;
  QLabel* summary_ = nullptr;
  QPlainTextEdit* report_ = nullptr;
  QString error_;
};

}  // namespace ql::gui
