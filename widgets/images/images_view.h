// The side-by-side results of one image: a panel per model (float | quantized, and "selective": the quantized model
// with the ops kept in float, when there is one) with synchronized zoom and pan, a
// score-threshold slider and an NMS IoU setting, and the "what changed" list of the engine's comparison (matched
// with IoU and score shift, missed, extra, class changed); selecting an entry highlights its boxes in every
// panel. Classifiers show their top-5 and the rank of the float top-1; segmenters their masks, disagreeing pixels
// marked, and per-class IoU. Filtering and comparing are the engine's (detectionsAtOrAbove, compareImageRuns).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <QWidget>

#include "analysis/image_run.h"

class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSlider;
class QSplitter;

namespace ql::gui {

class ResultPanel;

// One entry of the change list: its kind and the boxes it names in each panel (-1: none).
struct ChangeEntry {
  enum Kind { Matched, Moved, Missed, Extra, ClassChanged } kind = Matched;
  int first = -1, second = -1;
};

class ImagesView : public QWidget {
  Q_OBJECT
 public:
  explicit ImagesView(QWidget* parent = nullptr);

  void setTitles(const QString& first, const QString& second);
  void setLabels(std::vector<std::string> first, std::vector<std::string> second);
  // The results of one image for both models (either may be absent); `image` the original. `third` is the
  // selective model's (chosen ops in float), shown in a third panel when setThirdTitle gave it a title.
  void showResults(const QImage& image, const std::optional<ImageRunResult>& first,
                   const std::optional<ImageRunResult>& second, const QString& error = {},
                   const std::optional<ImageRunResult>& third = std::nullopt);
  // The third panel's title; empty hides the panel. `pending` says the third model is still being made or run.
  void setThirdTitle(const QString& title, const QString& pending = {});
  void clear();

  float threshold() const;
  void setThreshold(float t);
  float nmsIou() const;
  void setNmsIou(float iou);  // shows the profile's value without asking for a re-run
  void setNmsApplies(bool applies);  // off for heads whose NMS ran inside the model

  ResultPanel* firstPanel() const { return first_panel_; }
  ResultPanel* secondPanel() const { return second_panel_; }
  ResultPanel* thirdPanel() const { return third_panel_; }
  QListWidget* changeList() const { return changes_; }
  const std::vector<ChangeEntry>& changeEntries() const { return entries_; }
  const ImageComparison& comparison() const { return comparison_; }
  void selectChange(int row);

  // The run controls, driven by whoever runs the models.
  void setRunProgress(int done, int total);  // total 0: idle
  QPushButton* cancelButton() const { return cancel_; }

 signals:
  void nmsIouChanged(float iou);
  void cancelRequested();

 private:
  void refresh();
  QString labelOf(int cls, const std::vector<std::string>& labels) const;

  ResultPanel* first_panel_ = nullptr;
  ResultPanel* second_panel_ = nullptr;
  ResultPanel* third_panel_ = nullptr;
  QSplitter* split_ = nullptr;
  QSlider* threshold_ = nullptr;
  QLabel* threshold_label_ = nullptr;
  QDoubleSpinBox* nms_ = nullptr;
  std::vector<QWidget*> detection_controls_;
  QListWidget* changes_ = nullptr;
  QLabel* summary_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QImage image_;
  std::optional<ImageRunResult> first_, second_, third_;
  QString third_title_, third_pending_;
  QString error_;
  std::vector<std::string> first_labels_, second_labels_;
  QString first_title_ = "float", second_title_ = "quantized";
  ImageComparison comparison_;
  std::vector<ChangeEntry> entries_;
};

}  // namespace ql::gui
