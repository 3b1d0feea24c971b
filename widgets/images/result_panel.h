// One model's result on one image, drawn over the image: detection boxes with label and score, a segmentation
// mask in colour with the pixels where the two models disagree marked, or a text block (top-5, output
// statistics). Draws the values it is given (the engine's); computes none. Zoom (wheel) and pan (drag) are
// reported so that the panels of the other models follow.
#pragma once

#include <cstdint>
#include <vector>

#include <QImage>
#include <QPointF>
#include <QStringList>
#include <QWidget>

#include "analysis/detections.h"
#include "vision/preprocess.h"

namespace ql::gui {

struct PanelContent {
  QString title;
  QImage image;                     // the original image
  std::vector<Detection> boxes;     // shown as they are (already filtered by score)
  std::vector<int32_t> mask;        // class per mask pixel (rows of mask_width), over the model input
  int mask_width = 0, mask_height = 0;
  std::vector<uint8_t> disagreeing; // per mask pixel, marked when 1
  LetterboxTransform transform;     // the model input's relation to the image (for the mask)
  QStringList lines;                // top-5, statistics, notes
  QString error;
};

class ResultPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ResultPanel(QWidget* parent = nullptr);

  void setContent(PanelContent content);
  const PanelContent& content() const { return content_; }
  int boxCount() const { return static_cast<int>(content_.boxes.size()); }
  void setHighlight(int box);  // an index of content().boxes, -1 for none
  int highlight() const { return highlight_; }

  // Zoom 1 fits the image; `centre` is the image point (normalized) in the middle of the panel.
  void setView(double zoom, QPointF centre);
  double zoom() const { return zoom_; }
  QPointF centre() const { return centre_; }

 signals:
  void viewChanged(double zoom, QPointF centre);

 protected:
  void paintEvent(QPaintEvent*) override;
  void wheelEvent(QWheelEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void mouseDoubleClickEvent(QMouseEvent* e) override;

 private:
  QRectF imageRect() const;  // where the image is drawn, in widget coordinates
  void rebuildMaskOverlay();

  PanelContent content_;
  QImage mask_overlay_;
  int highlight_ = -1;
  double zoom_ = 1;
  QPointF centre_{0.5, 0.5};
  QPoint last_drag_;
};

// The colour of class `cls` in boxes and masks (distinct hues, stable per class).
QColor classColour(int cls);

}  // namespace ql::gui
