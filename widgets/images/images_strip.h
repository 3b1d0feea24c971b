// The images to run on, as a strip of thumbnails (add files, a folder, or drop them), and the preprocessing the
// models get (resize mode, mean and std), editable, with the pixels the model saw for the current image.
#pragma once

#include <QStringList>
#include <QWidget>

#include "vision/preprocess.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace ql::gui {

class ImagesStrip : public QWidget {
  Q_OBJECT
 public:
  explicit ImagesStrip(QWidget* parent = nullptr);

  // Adds image files (others are ignored); duplicates are not added twice. The number added.
  int addImages(const QStringList& files);
  int addFolder(const QString& dir);
  void clearImages();
  QStringList images() const { return images_; }
  int current() const;
  void setCurrent(int index);

  // Shows `options` in the editors without emitting preprocessingChanged.
  void setPreprocessing(const PreprocessOptions& options);
  // The editors' options (the mean/std fields parsed: one value or three, comma-separated); false with
  // `error` set when a field does not parse.
  bool preprocessing(PreprocessOptions* out, QString* error) const;
  // Shows what the model saw for the current image (the resized, padded pixels).
  void setSeen(const QImage& seen);
  QLineEdit* meanEdit() const { return mean_; }
  QLineEdit* stdEdit() const { return std_; }
  QComboBox* resizeBox() const { return resize_; }

 signals:
  void imagesAdded();
  void currentChanged(int index);
  void preprocessingChanged();

 protected:
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;

 private:
  QStringList images_;
  QListWidget* strip_ = nullptr;
  QComboBox* resize_ = nullptr;
  QLineEdit* mean_ = nullptr;
  QLineEdit* std_ = nullptr;
  QLabel* seen_ = nullptr;
  QLabel* note_ = nullptr;
};

}  // namespace ql::gui
