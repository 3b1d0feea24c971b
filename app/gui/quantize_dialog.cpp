#include "app/gui/quantize_dialog.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>

#include "analysis/detection/detector_run.h"
#include "analysis/quantize/calibration_files.h"
#include "analysis/quantize/quantize_model.h"
#include "model/reader.h"
#include "model/writer.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace ql::gui {

namespace {

// The calibration files of a folder: its images, else its raw .bin inputs (models whose input is no image).
std::vector<std::string> calibrationFiles(const std::string& dir) {
  if (!fs::is_directory(dir)) badInput(dir, "is not a folder");
  std::vector<std::string> images, raw;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string p = e.path().string();
    if (isImageFile(p)) images.push_back(p);
    else if (e.path().extension() == ".bin") raw.push_back(p);
  }
  std::vector<std::string>& files = images.empty() ? raw : images;
  if (files.empty()) badInput(dir, "holds no image (.jpg .png .bmp) and no raw .bin input to calibrate on");
  std::sort(files.begin(), files.end());
  return files;
}

// Progress from the worker, shown on the UI thread; cancel asked from the UI thread.
class DialogProgress : public Progress {
 public:
  DialogProgress(QPointer<QProgressBar> bar, std::shared_ptr<std::atomic<bool>> cancel)
      : bar_(std::move(bar)), cancel_(std::move(cancel)) {}
  void report(size_t done, size_t total, const std::string& what) override {
    QPointer<QProgressBar> bar = bar_;
    QMetaObject::invokeMethod(
        bar.data(),
        [bar, done, total, what] {
          if (!bar) return;
          bar->setRange(0, static_cast<int>(total));
          bar->setValue(static_cast<int>(done));
          bar->setFormat(QString::fromStdString(fs::path(what).filename().string()) + "  %v/%m");
        },
        Qt::QueuedConnection);
  }
  bool cancelRequested() const override { return *cancel_; }

 private:
  QPointer<QProgressBar> bar_;
  std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace

QuantizeDialog::QuantizeDialog(const QString& float_path, QWidget* parent)
    : QDialog(parent), float_path_(float_path), cancel_(std::make_shared<std::atomic<bool>>(false)) {
  setWindowTitle("Quantize " + QFileInfo(float_path).fileName());
  auto* form = new QFormLayout;
  calibration_ = new QLineEdit(this);
  calibration_->setPlaceholderText("a folder of calibration images (or raw .bin inputs)");
  auto* browse = new QPushButton("Browse...", this);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString d = QFileDialog::getExistingDirectory(this, "Calibration images", calibration_->text());
    if (!d.isEmpty()) calibration_->setText(d);
  });
  auto* row = new QHBoxLayout;
  row->addWidget(calibration_);
  row->addWidget(browse);
  form->addRow("Calibration", row);
  estimator_ = new QComboBox(this);
  estimator_->addItems({"minmax", "percentile", "mse"});
  estimator_->setToolTip("min/max over the set; the 99.99th percentile; the range of least quantization error");
  form->addRow("Ranges", estimator_);
  per_tensor_ = new QCheckBox("one weight scale per tensor (default: per output channel)", this);
  form->addRow("Weights", per_tensor_);
  io_ = new QComboBox(this);
  io_->addItems({"float", "int8", "uint8"});
  form->addRow("Inputs and outputs", io_);
  output_ = new QLineEdit(this);
  const QFileInfo f(float_path);
  output_->setText(f.dir().filePath(f.completeBaseName() + "_int8.tflite"));
  form->addRow("Write to", output_);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1);
  progress_->setValue(0);
  message_ = new QLabel(this);
  message_->setWordWrap(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  start_ = buttons->addButton("Quantize", QDialogButtonBox::AcceptRole);
  connect(start_, &QPushButton::clicked, this, &QuantizeDialog::start);
  connect(buttons, &QDialogButtonBox::rejected, this, &QuantizeDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(progress_);
  layout->addWidget(message_);
  layout->addWidget(buttons);
}

QuantizeDialog::~QuantizeDialog() {
  if (worker_) {
    *cancel_ = true;
    worker_->wait();
  }
}

QString QuantizeDialog::message() const { return message_->text(); }

void QuantizeDialog::start() {
  if (worker_) return;
  const std::string in = float_path_.toStdString(), out = output_->text().toStdString(),
                    dir = calibration_->text().toStdString();
  QuantizeOptions opt;
  opt.estimator = rangeEstimatorFromName(estimator_->currentText().toStdString());
  opt.per_tensor = per_tensor_->isChecked();
  opt.io = ioTypeFromName(io_->currentText().toStdString());
  *cancel_ = false;
  start_->setEnabled(false);
  message_->setText("Calibrating ...");
  QPointer<QuantizeDialog> self(this);
  QPointer<QProgressBar> bar(progress_);
  auto cancel = cancel_;
  worker_ = QThread::create([self, bar, cancel, in, out, dir, opt] {
    QString error;
    bool cancelled = false;
    try {
      if (out.empty() || fs::absolute(out) == fs::absolute(in)) badInput(out, "choose an output other than the model");
      const Model f = readModel(in);
      checkQuantizable(f, opt);
      // The model's own preprocessing where the detector module knows its head; else [-1, 1] stretched, as `run`.
      const std::optional<DetectorProfile> profile = recognizedDetectorProfile(f);
      const CalibrationSet set =
          calibrationSetFromFiles(f, calibrationFiles(dir), profile ? profile->preprocess : PreprocessOptions{});
      DialogProgress progress(bar, cancel);
      writeModel(quantizeModel(f, set, opt, progress).model, out);
    } catch (const Cancelled&) {
      cancelled = true;
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(
        self.data(), [self, error, cancelled] { if (self) self->finish(error, cancelled); }, Qt::QueuedConnection);
  });
  connect(worker_, &QThread::finished, worker_, &QObject::deleteLater);
  worker_->start();
}

QStringList QuantizeDialog::calibrationImages() const {
  QStringList images;
  try {
    for (const std::string& f : calibrationFiles(calibration_->text().toStdString()))
      if (isImageFile(f)) images << QString::fromStdString(f);
  } catch (const Error&) {
  }
  return images;
}

void QuantizeDialog::finish(const QString& error, bool cancelled) {
  if (worker_) worker_->wait();
  worker_ = nullptr;
  start_->setEnabled(true);
  if (cancelled) {
    message_->setText("Cancelled: nothing was written.");
    return;
  }
  if (!error.isEmpty()) {
    message_->setText(error);
    return;
  }
  message_->setText("Wrote " + output_->text());
  emit quantized(float_path_, output_->text());
  accept();
}

void QuantizeDialog::reject() {
  if (worker_) {
    *cancel_ = true;
    message_->setText("Cancelling ...");
    return;
  }
  QDialog::reject();
}

}  // namespace ql::gui
