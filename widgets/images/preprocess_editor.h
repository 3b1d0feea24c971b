// The preprocessing one model gets, editable: resize mode, mean and std (one value or R,G,B). The Images dock
// shows one for both models, or one per model where they differ.
#pragma once

#include <QWidget>

#include "vision/preprocess.h"

class QComboBox;
class QLabel;
class QLineEdit;

namespace ql::gui {

class PreprocessEditor : public QWidget {
  Q_OBJECT
 public:
  explicit PreprocessEditor(QWidget* parent = nullptr);

  void setTitle(const QString& title);  // empty: no title row
  // Shows `options` without emitting edited().
  void set(const PreprocessOptions& options);
  // The edited options (resize, mean, std; the rest of `out` left as it is); false with `error` set when a field
  // does not parse.
  bool get(PreprocessOptions* out, QString* error) const;

  QComboBox* resizeBox() const { return resize_; }
  QLineEdit* meanEdit() const { return mean_; }
  QLineEdit* stdEdit() const { return std_; }

 signals:
  // A field was changed by the user (it may not parse: get() says).
  void edited();

 private:
  QLabel* title_ = nullptr;
  QComboBox* resize_ = nullptr;
  QLineEdit* mean_ = nullptr;
  QLineEdit* std_ = nullptr;
};

}  // namespace ql::gui
