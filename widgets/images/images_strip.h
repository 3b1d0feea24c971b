// The images to run on, as a strip of thumbnails (add files, a folder, or drop them), and the preprocessing the
// models get (resize mode, mean and std), editable for both at once or per model (where the models differ), with
// the pixels each model saw for the current image (click to see them at full size).
#pragma once

#include <QStringList>
#include <QWidget>

#include "vision/preprocess.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace ql::gui {

class PreprocessEditor;

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
  // Per model: the second model's own options in an editor of their own (the first editor then edits the first
  // model's). `per_model` says whether the models start apart (their preprocessing differs); the user may
  // toggle it. Shown without emitting preprocessingChanged.
  void setSecondPreprocessing(const PreprocessOptions& options, bool per_model, const QString& first_title,
                              const QString& second_title);
  bool perModel() const;
  // The second model's options when per model; false with `error` set when a field does not parse. Not per
  // model: the first editor's options.
  bool secondPreprocessing(PreprocessOptions* out, QString* error) const;
  // Shows what the model saw for the current image (the resized, padded pixels); `second` the second model's
  // when it saw other pixels (null image: the same).
  void setSeen(const QImage& seen, const QImage& second = {});
  QImage seen() const { return seen_image_; }
  QImage secondSeen() const { return second_seen_image_; }
  // A window with the pixels the model saw, scaled up without smoothing (what clicking the picture opens).
  void showSeenFullSize(bool second);
  QLineEdit* meanEdit() const;
  QLineEdit* stdEdit() const;
  QComboBox* resizeBox() const;
  PreprocessEditor* firstEditor() const { return first_; }
  PreprocessEditor* secondEditor() const { return second_; }
  QCheckBox* perModelBox() const { return per_model_; }

 signals:
  void imagesAdded();
  void currentChanged(int index);
  void preprocessingChanged();

 protected:
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;
  bool eventFilter(QObject* watched, QEvent* e) override;

 private:
  QStringList images_;
  QListWidget* strip_ = nullptr;
  PreprocessEditor* first_ = nullptr;
  PreprocessEditor* second_ = nullptr;
  QCheckBox* per_model_ = nullptr;
  QString first_title_, second_title_;
  QLabel* seen_ = nullptr;
  QLabel* second_seen_ = nullptr;
  QImage seen_image_, second_seen_image_;
  QLabel* note_ = nullptr;
};

}  // namespace ql::gui
