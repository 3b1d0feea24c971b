#include "app/gui/export_dialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSettings>
#include <QVBoxLayout>

#include "analysis/segment_report_text.h"
#include "app/gui/selective_controller.h"
#include "model/writer.h"

namespace ql::gui {

ExportDialog::ExportDialog(SelectiveController* controller, QWidget* parent)
    : QDialog(parent), controller_(controller) {
  setWindowTitle("Selective model exported");
  resize(760, 520);
  auto* layout = new QVBoxLayout(this);
  summary_ = new QLabel;
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(summary_);
  report_ = new QPlainTextEdit;
  report_->setReadOnly(true);
  report_->setLineWrapMode(QPlainTextEdit::NoWrap);
  report_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  layout->addWidget(report_, 1);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
}

bool ExportDialog::askAndExport() {
  QSettings settings;
  const QString dir = settings.value("lastExportDir", settings.value("lastDir").toString()).toString();
  const QString path = QFileDialog::getSaveFileName(parentWidget(), "Export selective model",
                                                    QDir(dir).filePath("selective.tflite"),
                                                    "TensorFlow Lite models (*.tflite)");
  if (path.isEmpty()) return false;
  settings.setValue("lastExportDir", QFileInfo(path).absolutePath());
  if (!exportTo(path)) {
    QMessageBox::warning(parentWidget(), "quantlens", "Could not export the selective model.\n\n" + error_);
    return false;
  }
  show();
  return true;
}

bool ExportDialog::exportTo(const QString& path) {
  error_.clear();
  std::shared_ptr<const SelectiveBuild> build = controller_->buildNow(&error_);
  if (!build) return false;
  const std::string out = path.toStdString();
  try {
    refuseInputAsOutput(out, controller_->inputPaths());
    writeModel(build->exported.model, out);
  } catch (const std::exception& e) {
    error_ = QString::fromStdString(e.what());
    return false;
  }
  // The CLI's stdout, line for line.
  QStringList lines;
  lines << QString("wrote %1: %2 op(s) in float").arg(path).arg(build->exported.float_ops.size());
  for (const std::string& c : build->exported.changes) lines << "  " + QString::fromStdString(c);
  for (const std::string& l : segmentReportLines(build->exported.model, build->segments))
    lines << QString::fromStdString(l);
  report_->setPlainText(lines.join('\n'));
  const SegmentReport& s = build->segments;
  summary_->setText(QString("<b>Wrote %1</b> (%2 ops compute in float).<br>On an integer-only accelerator (Edge "
                            "TPU-like, one partition): <b>%3 ops on the accelerator, %4 on the CPU</b>, in %5 "
                            "segments.")
                        .arg(QFileInfo(path).fileName().toHtmlEscaped())
                        .arg(build->exported.float_ops.size())
                        .arg(s.accelerator_ops)
                        .arg(s.cpu_ops)
                        .arg(s.segments.size()));
  return true;
}

QString ExportDialog::reportText() const { return report_->toPlainText(); }

}  // namespace ql::gui
