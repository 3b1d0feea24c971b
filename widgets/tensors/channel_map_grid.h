// The channel maps of a 4-D activation as a grid: per channel the float plane, the quantized plane (one colour
// scale for both, the channel's own range) and their error (a diverging scale, symmetric around zero), with a
// legend of both scales on top. Draws the engine's ChannelMap planes; computes nothing but colours.
#pragma once

#include <vector>

#include <QWidget>

#include "analysis/tensor_on_image.h"

namespace ql::gui {

class ChannelMapGrid : public QWidget {
  Q_OBJECT
 public:
  explicit ChannelMapGrid(QWidget* parent = nullptr);

  void setMaps(std::vector<ChannelMap> maps, int total_channels);
  const std::vector<ChannelMap>& maps() const { return maps_; }

  // The colours of both scales, for the legend and the planes: t in [0, 1] low to high; e in [-1, 1].
  static QColor valueColour(double t);
  static QColor errorColour(double e);

  QSize sizeHint() const override;
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;

 protected:
  void paintEvent(QPaintEvent* e) override;
  void resizeEvent(QResizeEvent* e) override;

 private:
  int columns(int width) const;  // channels per row

  std::vector<ChannelMap> maps_;
  int total_channels_ = 0;
};

}  // namespace ql::gui
