#include "widgets/images/images_strip.h"

#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QVBoxLayout>

namespace ql::gui {

namespace {

QString joined(const std::vector<float>& v) {
  QStringList parts;
  for (float f : v) parts << QString::number(static_cast<double>(f));
  return parts.join(",");
}

bool parseValues(const QString& text, std::vector<float>* out) {
  out->clear();
  for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
    bool ok = false;
    const float v = part.trimmed().toFloat(&ok);
    if (!ok) return false;
    out->push_back(v);
  }
  return out->size() == 1 || out->size() == 3;
}

}  // namespace

ImagesStrip::ImagesStrip(QWidget* parent) : QWidget(parent) {
  setAcceptDrops(true);
  strip_ = new QListWidget;
  strip_->setViewMode(QListView::IconMode);
  strip_->setFlow(QListView::TopToBottom);
  strip_->setWrapping(false);
  strip_->setIconSize(QSize(96, 72));
  strip_->setMovement(QListView::Static);
  strip_->setToolTip("Images to run on: add files or a folder, or drop them here");
  auto* add_files = new QPushButton("Add images…");
  auto* add_folder = new QPushButton("Add folder…");
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(add_files);
  buttons->addWidget(add_folder);

  resize_ = new QComboBox;
  resize_->addItem("stretch");
  resize_->addItem("letterbox");
  mean_ = new QLineEdit;
  std_ = new QLineEdit;
  mean_->setToolTip("Subtracted from each pixel (0-255): one value or R,G,B");
  std_->setToolTip("The difference is divided by this: one value or R,G,B");
  auto* form = new QFormLayout;
  form->addRow("Resize", resize_);
  form->addRow("Mean", mean_);
  form->addRow("Std", std_);
  note_ = new QLabel;
  note_->setWordWrap(true);
  seen_ = new QLabel;
  seen_->setToolTip("What the model saw: the image resized (and padded) to its input");
  seen_->setMinimumHeight(80);
  seen_->setAlignment(Qt::AlignCenter);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(buttons);
  layout->addWidget(strip_, 1);
  layout->addLayout(form);
  layout->addWidget(note_);
  layout->addWidget(new QLabel("Model input:"));
  layout->addWidget(seen_);

  connect(add_files, &QPushButton::clicked, this, [this] {
    const QStringList files =
        QFileDialog::getOpenFileNames(this, "Add images", {}, "Images (*.jpg *.jpeg *.png *.bmp)");
    if (addImages(files) > 0) emit imagesAdded();
  });
  connect(add_folder, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, "Add a folder of images");
    if (!dir.isEmpty() && addFolder(dir) > 0) emit imagesAdded();
  });
  connect(strip_, &QListWidget::currentRowChanged, this, &ImagesStrip::currentChanged);
  const auto edited = [this] {
    PreprocessOptions o;
    QString error;
    note_->setText(preprocessing(&o, &error) ? QString() : error);
    if (error.isEmpty()) emit preprocessingChanged();
  };
  connect(resize_, &QComboBox::currentIndexChanged, this, edited);
  connect(mean_, &QLineEdit::editingFinished, this, edited);
  connect(std_, &QLineEdit::editingFinished, this, edited);
}

int ImagesStrip::addImages(const QStringList& files) {
  int added = 0;
  for (const QString& f : files) {
    const QString path = QFileInfo(f).absoluteFilePath();
    if (images_.contains(path) || !isImageFile(path.toStdString()) || !QFileInfo(path).isFile()) continue;
    QImageReader reader(path);
    const QSize size = reader.size();
    if (size.isValid()) reader.setScaledSize(size.scaled(QSize(96, 72), Qt::KeepAspectRatio));
    auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(reader.read())), QFileInfo(path).fileName(), strip_);
    item->setToolTip(path);
    images_ << path;
    ++added;
  }
  if (added && strip_->currentRow() < 0) strip_->setCurrentRow(0);
  return added;
}

int ImagesStrip::addFolder(const QString& dir) {
  QStringList files;
  for (const QString& f : QDir(dir).entryList(QDir::Files, QDir::Name)) files << QDir(dir).filePath(f);
  return addImages(files);
}

void ImagesStrip::clearImages() {
  images_.clear();
  strip_->clear();
}

int ImagesStrip::current() const { return strip_->currentRow(); }

void ImagesStrip::setCurrent(int index) { strip_->setCurrentRow(index); }

void ImagesStrip::setPreprocessing(const PreprocessOptions& o) {
  const QSignalBlocker b1(resize_), b2(mean_), b3(std_);
  resize_->setCurrentIndex(o.resize == ResizeMode::Letterbox ? 1 : 0);
  mean_->setText(joined(o.norm.mean));
  std_->setText(joined(o.norm.std));
  note_->clear();
}

bool ImagesStrip::preprocessing(PreprocessOptions* out, QString* error) const {
  if (!parseValues(mean_->text(), &out->norm.mean)) {
    *error = "Mean: one number or three (R,G,B), comma-separated";
    return false;
  }
  if (!parseValues(std_->text(), &out->norm.std)) {
    *error = "Std: one number or three (R,G,B), comma-separated";
    return false;
  }
  for (float s : out->norm.std)
    if (s == 0) {
      *error = "Std: must not be 0";
      return false;
    }
  out->resize = resize_->currentIndex() == 1 ? ResizeMode::Letterbox : ResizeMode::Stretch;
  return true;
}

void ImagesStrip::setSeen(const QImage& seen) {
  seen_->setPixmap(seen.isNull() ? QPixmap()
                                 : QPixmap::fromImage(seen.scaled(160, 160, Qt::KeepAspectRatio,
                                                                  Qt::SmoothTransformation)));
}

void ImagesStrip::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void ImagesStrip::dropEvent(QDropEvent* e) {
  int added = 0;
  for (const QUrl& url : e->mimeData()->urls()) {
    const QString path = url.toLocalFile();
    added += QFileInfo(path).isDir() ? addFolder(path) : addImages({path});
  }
  if (added > 0) emit imagesAdded();
}

}  // namespace ql::gui
