// The tensor view (the Tensor dock): one tensor of the quantized model on the current image, against the float
// values it stands for per layer. The float and dequantized values as overlaid histograms on common bins, the
// error histogram, the clipped share (float values outside the quantized range) as a number, and for 4-D
// activations a grid of channel maps float | quantized | error. Draws the engine's TensorOnImage as it is.
#pragma once

#include <QWidget>

#include "analysis/tensor_on_image.h"

class QCPItemStraightLine;
class QLabel;
class QScrollArea;

namespace ql::gui {

namespace inspector {
class HistogramPlot;
}
class ChannelMapGrid;

class TensorView : public QWidget {
  Q_OBJECT
 public:
  explicit TensorView(QWidget* parent = nullptr);

  void showTensor(TensorOnImage t, const QString& image);
  // A message instead of a tensor ("select an op", "running...", an error).
  void showMessage(const QString& text);

  const TensorOnImage& tensor() const { return tensor_; }
  bool hasTensor() const { return has_tensor_; }
  inspector::HistogramPlot* valuesPlot() const { return values_; }
  inspector::HistogramPlot* errorPlot() const { return error_; }
  QLabel* clippedLabel() const { return clipped_; }
  ChannelMapGrid* channelMaps() const { return maps_; }

 private:
  QLabel* title_ = nullptr;
  QLabel* facts_ = nullptr;
  QLabel* clipped_ = nullptr;
  QLabel* message_ = nullptr;
  QWidget* body_ = nullptr;
  QScrollArea* scroll_ = nullptr;
  inspector::HistogramPlot* values_ = nullptr;
  inspector::HistogramPlot* error_ = nullptr;
  QLabel* error_title_ = nullptr;
  QLabel* maps_title_ = nullptr;
  ChannelMapGrid* maps_ = nullptr;
  QCPItemStraightLine* range_lo_ = nullptr;  // the quantized range's ends on the values plot
  QCPItemStraightLine* range_hi_ = nullptr;
  TensorOnImage tensor_;
  bool has_tensor_ = false;
};

}  // namespace ql::gui
