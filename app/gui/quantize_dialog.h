// File > Quantize...: the int8 twin of the float model that is open alone, made by the engine's quantizer
// (`quantlens-cli quantize`) on calibration files the user picks, with its estimator, per-tensor weights and I/O
// type. Calibration runs on a worker thread with progress and cancel; when the file is written, `quantized`
// asks the window to open the pair side by side.
#pragma once

#include <atomic>
#include <memory>

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QThread;

namespace ql::gui {

class QuantizeDialog : public QDialog {
  Q_OBJECT
 public:
  QuantizeDialog(const QString& float_path, QWidget* parent = nullptr);
  ~QuantizeDialog() override;

  QLineEdit* calibrationEdit() const { return calibration_; }  // a folder of images (or raw .bin inputs)
  QComboBox* estimatorBox() const { return estimator_; }       // minmax, percentile, mse
  QCheckBox* perTensorBox() const { return per_tensor_; }
  QComboBox* ioBox() const { return io_; }  // float, int8, uint8
  QLineEdit* outputEdit() const { return output_; }
  QProgressBar* progressBar() const { return progress_; }
  bool running() const { return worker_ != nullptr; }
  QString message() const;  // the last error or state line shown
  // The calibration folder's images (empty when it holds raw .bin inputs or none): the pair's layer error is
  // computed on them once it opens.
  QStringList calibrationImages() const;

  // The Quantize button: checks the fields, then quantizes on a worker thread.
  void start();
  // The Cancel button while running: calibration stops at the next file; otherwise closes the dialog.
  void reject() override;

 signals:
  void quantized(const QString& float_path, const QString& quant_path);

 private:
  void finish(const QString& error, bool cancelled);

  QString float_path_;
  QLineEdit* calibration_ = nullptr;
  QComboBox* estimator_ = nullptr;
  QCheckBox* per_tensor_ = nullptr;
  QComboBox* io_ = nullptr;
  QLineEdit* output_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* message_ = nullptr;
  QPushButton* start_ = nullptr;
  QThread* worker_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace ql::gui
