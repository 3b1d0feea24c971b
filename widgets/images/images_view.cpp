#include "widgets/images/images_view.h"

#include <algorithm>
#include <cmath>

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QVBoxLayout>

#include "widgets/images/result_panel.h"

namespace ql::gui {

namespace {

QString shapeText(const std::vector<int32_t>& shape) {
  QStringList dims;
  for (int32_t d : shape) dims << QString::number(d);
  return "[" + dims.join(",") + "]";
}

QString number(double v, int digits = 3) { return QString::number(v, 'f', digits); }

// One line on the selective panel: how it compares with the float model (the engine's comparison), so that users
// see whether the boxes (or the top-1) came back.
QString thirdAgainstFirst(const ImageRunResult& first, const ImageRunResult& third, float threshold) {
  const ImageComparison c = compareImageRuns(first, third, threshold);
  if (first.task == ImageTask::Detection)
    return QString("vs float: %1 matched, %2 missed, %3 extra, %4 class changed")
        .arg(c.detections.matched.size())
        .arg(c.detections.missed.size())
        .arg(c.detections.extra.size())
        .arg(c.detections.class_changed.size());
  if (c.first_top1 >= 0) return QString("float top-1: rank %1 here").arg(c.first_top1_rank_in_second + 1);
  if (!c.class_iou.empty()) return QString("vs float: %1 pixels disagree").arg(c.mask_disagreements);
  return {};
}

}  // namespace

ImagesView::ImagesView(QWidget* parent) : QWidget(parent) {
  auto* bar = new QHBoxLayout;
  auto* threshold_title = new QLabel("Score threshold");
  bar->addWidget(threshold_title);
  threshold_ = new QSlider(Qt::Horizontal);
  threshold_->setRange(static_cast<int>(kImageRunScoreFloor * 100), 99);
  threshold_->setValue(25);
  threshold_->setMaximumWidth(220);
  threshold_->setToolTip("Boxes scoring below this are hidden and left out of the comparison");
  bar->addWidget(threshold_);
  threshold_label_ = new QLabel("0.25");
  threshold_label_->setMinimumWidth(36);
  bar->addWidget(threshold_label_);
  bar->addSpacing(12);
  auto* nms_title = new QLabel("NMS IoU");
  bar->addWidget(nms_title);
  nms_ = new QDoubleSpinBox;
  nms_->setRange(0.05, 1.0);
  nms_->setSingleStep(0.05);
  nms_->setDecimals(2);
  nms_->setValue(0.7);
  nms_->setToolTip("A box is suppressed when its IoU with a better kept box is above this (re-runs the images)");
  bar->addWidget(nms_);
  detection_controls_ = {threshold_title, threshold_, threshold_label_, nms_title, nms_};
  bar->addSpacing(12);
  summary_ = new QLabel;
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  bar->addWidget(summary_, 1);
  progress_ = new QProgressBar;
  progress_->setMaximumWidth(160);
  progress_->setVisible(false);
  bar->addWidget(progress_);
  cancel_ = new QPushButton("Cancel");
  cancel_->setVisible(false);
  bar->addWidget(cancel_);

  first_panel_ = new ResultPanel;
  second_panel_ = new ResultPanel;
  third_panel_ = new ResultPanel;
  third_panel_->hide();
  changes_ = new QListWidget;
  changes_->setMinimumWidth(340);
  changes_->setToolTip("What changed from the first model to the second; select an entry to see its boxes");
  auto* split = split_ = new QSplitter(Qt::Horizontal);
  split->addWidget(first_panel_);
  split->addWidget(second_panel_);
  split->addWidget(third_panel_);
  split->addWidget(changes_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 3);
  split->setStretchFactor(2, 3);
  split->setStretchFactor(3, 1);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(bar);
  layout->addWidget(split, 1);

  connect(threshold_, &QSlider::valueChanged, this, [this](int v) {
    threshold_label_->setText(number(v / 100.0, 2));
    refresh();
  });
  connect(nms_, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
          [this](double v) { emit nmsIouChanged(static_cast<float>(v)); });
  connect(first_panel_, &ResultPanel::viewChanged, second_panel_, &ResultPanel::setView);
  connect(second_panel_, &ResultPanel::viewChanged, first_panel_, &ResultPanel::setView);
  // The third panel follows the others' zoom and pan, and leads them too.
  connect(second_panel_, &ResultPanel::viewChanged, third_panel_, &ResultPanel::setView);
  connect(third_panel_, &ResultPanel::viewChanged, first_panel_, &ResultPanel::setView);
  connect(third_panel_, &ResultPanel::viewChanged, second_panel_, &ResultPanel::setView);
  connect(changes_, &QListWidget::currentRowChanged, this, &ImagesView::selectChange);
  connect(cancel_, &QPushButton::clicked, this, &ImagesView::cancelRequested);
}

void ImagesView::setTitles(const QString& first, const QString& second) {
  first_title_ = first;
  second_title_ = second;
  refresh();
}

void ImagesView::setLabels(std::vector<std::string> first, std::vector<std::string> second) {
  first_labels_ = std::move(first);
  second_labels_ = std::move(second);
}

void ImagesView::showResults(const QImage& image, const std::optional<ImageRunResult>& first,
                             const std::optional<ImageRunResult>& second, const QString& error,
                             const std::optional<ImageRunResult>& third) {
  image_ = image;
  first_ = first;
  second_ = second;
  third_ = third;
  error_ = error;
  refresh();
}

void ImagesView::setThirdTitle(const QString& title, const QString& pending) {
  third_title_ = title;
  third_pending_ = pending;
  if (third_panel_->isHidden() == title.isEmpty()) {
    refresh();
    return;
  }
  third_panel_->setVisible(!title.isEmpty());
  // The panels share the room equally, the change list keeping its width (a panel shown later starts squeezed).
  QList<int> sizes = split_->sizes();
  if (sizes.size() == 4) {
    const int panels = title.isEmpty() ? 2 : 3;
    const int list = changes_->isVisible() ? std::min(sizes[3], 360) : 0;
    const int total = sizes[0] + sizes[1] + sizes[2] + sizes[3] - list;
    split_->setSizes({total / panels, total / panels, panels == 3 ? total / 3 : 0, list});
  }
  refresh();
}

void ImagesView::clear() { showResults(QImage(), std::nullopt, std::nullopt); }

float ImagesView::threshold() const { return static_cast<float>(threshold_->value()) / 100.f; }

void ImagesView::setThreshold(float t) { threshold_->setValue(static_cast<int>(std::lround(t * 100))); }

float ImagesView::nmsIou() const { return static_cast<float>(nms_->value()); }

void ImagesView::setNmsIou(float iou) {
  const QSignalBlocker block(nms_);
  nms_->setValue(static_cast<double>(iou));
}

void ImagesView::setNmsApplies(bool applies) {
  nms_->setEnabled(applies);
  nms_->setToolTip(applies ? "A box is suppressed when its IoU with a better kept box is above this (re-runs the "
                             "images)"
                           : "This model's own NMS ran inside it (TFLite_Detection_PostProcess or an end-to-end head)");
}

void ImagesView::setRunProgress(int done, int total) {
  const bool busy = total > 0 && done < total;
  progress_->setVisible(busy);
  cancel_->setVisible(busy);
  progress_->setRange(0, std::max(total, 1));
  progress_->setValue(done);
  progress_->setFormat(QString("image %1 of %2").arg(std::min(done + 1, total)).arg(total));
}

QString ImagesView::labelOf(int cls, const std::vector<std::string>& labels) const {
  if (cls >= 0 && static_cast<size_t>(cls) < labels.size() && !labels[static_cast<size_t>(cls)].empty())
    return QString::fromStdString(labels[static_cast<size_t>(cls)]);
  return QString("class %1").arg(cls);
}

void ImagesView::selectChange(int row) {
  const ChangeEntry e = row >= 0 && static_cast<size_t>(row) < entries_.size() ? entries_[static_cast<size_t>(row)]
                                                                               : ChangeEntry{ChangeEntry::Matched};
  first_panel_->setHighlight(row >= 0 ? e.first : -1);
  second_panel_->setHighlight(row >= 0 ? e.second : -1);
  if (changes_->currentRow() != row) {
    const QSignalBlocker block(changes_);
    changes_->setCurrentRow(row);
  }
}

void ImagesView::refresh() {
  const float t = threshold();
  PanelContent a, b;
  a.title = first_title_;
  b.title = second_title_;
  a.image = b.image = image_;
  a.error = b.error = error_;
  comparison_ = first_ && second_ ? compareImageRuns(*first_, *second_, t) : ImageComparison{};
  entries_.clear();
  const auto fill = [&](PanelContent& c, const std::optional<ImageRunResult>& r,
                        const std::vector<std::string>& labels) {
    if (!r) return;
    c.transform = r->transform;
    switch (r->task) {
      case ImageTask::Detection: c.boxes = detectionsAtOrAbove(r->detections, t); break;
      case ImageTask::Classification:
        for (size_t i = 0; i < r->top5.size(); ++i)
          c.lines << QString("%1. %2  %3").arg(i + 1).arg(labelOf(r->top5[i].first, labels)).arg(
                         number(static_cast<double>(r->top5[i].second)));
        break;
      case ImageTask::Segmentation:
        c.mask = r->mask;
        c.mask_width = r->mask_width;
        c.mask_height = r->mask_height;
        break;
      case ImageTask::Statistics:
        for (const OutputStatistics& s : r->outputs)
          c.lines << QString("%1 %2  min %3 max %4 mean %5 std %6")
                         .arg(QString::fromStdString(s.name), shapeText(s.shape), number(s.min), number(s.max),
                              number(s.mean), number(s.stddev));
        break;
    }
  };
  fill(a, first_, first_labels_);
  fill(b, second_, second_labels_);
  PanelContent third;
  if (!third_title_.isEmpty()) {
    third.title = third_title_;
    third.image = image_;
    third.error = error_;
    fill(third, third_, second_labels_);
    if (third_ && first_) third.lines << thirdAgainstFirst(*first_, *third_, t);
    if (!third_ && !third_pending_.isEmpty()) third.lines << third_pending_;
  }
  QString summary;
  const DetectionComparison& d = comparison_.detections;
  if (first_ && second_ && first_->task == ImageTask::Detection) {
    for (int i : d.missed) entries_.push_back({ChangeEntry::Missed, i, -1});
    for (int i : d.extra) entries_.push_back({ChangeEntry::Extra, -1, i});
    for (const ClassChange& c : d.class_changed) entries_.push_back({ChangeEntry::ClassChanged, c.first, c.second});
    for (const MatchedDetection& m : d.moved) entries_.push_back({ChangeEntry::Moved, m.first, m.second});
    for (const MatchedDetection& m : d.matched)
      if (!(m.iou < ComparisonOptions{}.moved_below)) entries_.push_back({ChangeEntry::Matched, m.first, m.second});
    summary = QString("%1 matched (%2 moved), %3 missed, %4 extra, %5 class changed")
                  .arg(d.matched.size())
                  .arg(d.moved.size())
                  .arg(d.missed.size())
                  .arg(d.extra.size())
                  .arg(d.class_changed.size());
  }
  if (comparison_.first_top1 >= 0) {
    const int rank = comparison_.first_top1_rank_in_second + 1;
    b.lines << QString("float top-1 %1: rank %2 here%3")
                   .arg(labelOf(comparison_.first_top1, first_labels_))
                   .arg(rank)
                   .arg(rank == 1 ? QString(" (unchanged)") : QString(" (was 1)"));
    summary = QString("float top-1 is rank %1 in the quantized model").arg(rank);
  }
  if (!comparison_.class_iou.empty()) {
    b.disagreeing = comparison_.disagreeing;
    const double share = 100.0 * static_cast<double>(comparison_.mask_disagreements) /
                         static_cast<double>(std::max<size_t>(1, comparison_.disagreeing.size()));
    b.lines << QString("%1 pixels disagree (%2%), marked red")
                   .arg(comparison_.mask_disagreements)
                   .arg(number(share, 1));
    for (const ClassIou& c : comparison_.class_iou)
      b.lines << QString("%1  IoU %2").arg(labelOf(c.cls, first_labels_), number(static_cast<double>(c.iou)));
    summary = QString("%1 pixels disagree").arg(comparison_.mask_disagreements);
  }
  if (!comparison_.outputs.empty() && first_ && first_->task == ImageTask::Statistics)
    for (const OutputDifference& o : comparison_.outputs)
      b.lines << QString("%1: max |diff| %2, rmse %3")
                     .arg(QString::fromStdString(o.name), number(static_cast<double>(o.max_abs)),
                          number(static_cast<double>(o.rmse)));
  summary_->setText(summary);
  // The score, NMS and change-list controls are for detectors only.
  const bool detector = (first_ && first_->task == ImageTask::Detection) ||
                        (second_ && second_->task == ImageTask::Detection) || (!first_ && !second_);
  for (QWidget* wd : detection_controls_) wd->setVisible(detector);
  changes_->setVisible(detector);

  const QSignalBlocker block(changes_);
  changes_->clear();
  const auto& fb = a.boxes;
  const auto& sb = b.boxes;
  const auto name = [&](const std::vector<Detection>& v, int i) {
    const Detection& det = v[static_cast<size_t>(i)];
    return (det.label.empty() ? QString("class %1").arg(det.cls) : QString::fromStdString(det.label)) + " " +
           number(static_cast<double>(det.score), 2);
  };
  for (const ChangeEntry& e : entries_) {
    QString text;
    switch (e.kind) {
      case ChangeEntry::Missed: text = "missed: " + name(fb, e.first); break;
      case ChangeEntry::Extra: text = "extra: " + name(sb, e.second); break;
      case ChangeEntry::ClassChanged: text = "class changed: " + name(fb, e.first) + " -> " + name(sb, e.second); break;
      case ChangeEntry::Moved:
      case ChangeEntry::Matched: {
        const auto it = std::find_if(d.matched.begin(), d.matched.end(),
                                     [&](const MatchedDetection& m) { return m.first == e.first; });
        text = QString("%1: %2 -> %3, IoU %4, score %5%6")
                   .arg(e.kind == ChangeEntry::Moved ? "moved" : "matched", name(fb, e.first), name(sb, e.second),
                        number(static_cast<double>(it->iou), 2), it->score_shift >= 0 ? "+" : "",
                        number(static_cast<double>(it->score_shift), 3));
        break;
      }
    }
    auto* item = new QListWidgetItem(text, changes_);
    if (e.kind == ChangeEntry::Missed || e.kind == ChangeEntry::ClassChanged) item->setForeground(QColor(200, 30, 30));
  }
  first_panel_->setContent(std::move(a));
  second_panel_->setContent(std::move(b));
  third_panel_->setContent(std::move(third));
}

}  // namespace ql::gui
