#include "widgets/images/images_strip.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
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
#include <QScrollArea>
#include <QVBoxLayout>

#include "widgets/images/preprocess_editor.h"

namespace ql::gui {

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

  first_ = new PreprocessEditor;
  second_ = new PreprocessEditor;
  second_->setVisible(false);
  per_model_ = new QCheckBox("Per model");
  per_model_->setToolTip("Edit each model's preprocessing on its own (checked from the start where they differ)");
  per_model_->setVisible(false);
  note_ = new QLabel;
  note_->setWordWrap(true);
  seen_ = new QLabel;
  seen_->setToolTip("What the model saw: the image resized (and padded) to its input");
  seen_->setMinimumHeight(80);
  seen_->setAlignment(Qt::AlignCenter);
  seen_->setCursor(Qt::PointingHandCursor);
  seen_->installEventFilter(this);
  second_seen_ = new QLabel;
  second_seen_->setToolTip("What the second model saw (its preprocessing or input size differs)");
  second_seen_->setAlignment(Qt::AlignCenter);
  second_seen_->setCursor(Qt::PointingHandCursor);
  second_seen_->setVisible(false);
  second_seen_->installEventFilter(this);
  auto* seen_row = new QHBoxLayout;
  seen_row->addWidget(seen_);
  seen_row->addWidget(second_seen_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(buttons);
  layout->addWidget(strip_, 1);
  layout->addWidget(per_model_);
  layout->addWidget(first_);
  layout->addWidget(second_);
  layout->addWidget(note_);
  layout->addWidget(new QLabel("Model input (click to enlarge):"));
  layout->addLayout(seen_row);

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
    const bool ok = preprocessing(&o, &error) && secondPreprocessing(&o, &error);
    note_->setText(ok ? QString() : error);
    if (ok) emit preprocessingChanged();
  };
  connect(first_, &PreprocessEditor::edited, this, edited);
  connect(second_, &PreprocessEditor::edited, this, edited);
  connect(per_model_, &QCheckBox::toggled, this, [this, edited](bool on) {
    second_->setVisible(on);
    first_->setTitle(on ? first_title_ : QString());
    // Turned off, both models take the first editor's options; turned on, the second starts from them.
    if (on) {
      PreprocessOptions o;
      QString error;
      if (preprocessing(&o, &error)) second_->set(o);
    }
    edited();
  });
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
  first_->set(o);
  note_->clear();
}

bool ImagesStrip::preprocessing(PreprocessOptions* out, QString* error) const { return first_->get(out, error); }

void ImagesStrip::setSecondPreprocessing(const PreprocessOptions& o, bool per_model, const QString& first_title,
                                         const QString& second_title) {
  first_title_ = first_title;
  second_title_ = second_title;
  second_->set(o);
  second_->setTitle(second_title);
  per_model_->setVisible(true);
  const QSignalBlocker block(per_model_);
  per_model_->setChecked(per_model);
  second_->setVisible(per_model);
  first_->setTitle(per_model ? first_title : QString());
}

bool ImagesStrip::perModel() const { return per_model_->isChecked(); }

bool ImagesStrip::secondPreprocessing(PreprocessOptions* out, QString* error) const {
  return perModel() ? second_->get(out, error) : first_->get(out, error);
}

QLineEdit* ImagesStrip::meanEdit() const { return first_->meanEdit(); }
QLineEdit* ImagesStrip::stdEdit() const { return first_->stdEdit(); }
QComboBox* ImagesStrip::resizeBox() const { return first_->resizeBox(); }

void ImagesStrip::setSeen(const QImage& seen, const QImage& second) {
  seen_image_ = seen;
  second_seen_image_ = second;
  const auto thumb = [](const QImage& img, int side) {
    return img.isNull() ? QPixmap()
                        : QPixmap::fromImage(img.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation));
  };
  const int side = second.isNull() ? 160 : 110;
  seen_->setPixmap(thumb(seen, side));
  second_seen_->setPixmap(thumb(second, side));
  second_seen_->setVisible(!second.isNull());
}

void ImagesStrip::showSeenFullSize(bool second) {
  const QImage img = second ? second_seen_image_ : seen_image_;
  if (img.isNull()) return;
  auto* dialog = new QDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(QString("What the %1 model saw: %2 x %3 pixels")
                             .arg(second ? second_title_ : (first_title_.isEmpty() ? "" : first_title_))
                             .arg(img.width())
                             .arg(img.height()));
  // Whole-number scaling without smoothing, so each input pixel stays a visible block.
  const int factor = std::max(1, 640 / std::max(img.width(), img.height()));
  auto* label = new QLabel;
  label->setPixmap(QPixmap::fromImage(img.scaled(img.size() * factor, Qt::KeepAspectRatio, Qt::FastTransformation)));
  auto* scroll = new QScrollArea;
  scroll->setWidget(label);
  auto* layout = new QVBoxLayout(dialog);
  layout->addWidget(scroll);
  dialog->resize(std::min(900, img.width() * factor + 40), std::min(900, img.height() * factor + 40));
  dialog->show();
}

bool ImagesStrip::eventFilter(QObject* watched, QEvent* e) {
  if (e->type() == QEvent::MouseButtonRelease && (watched == seen_ || watched == second_seen_)) {
    showSeenFullSize(watched == second_seen_);
    return true;
  }
  return QWidget::eventFilter(watched, e);
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
