#include "widgets/tensors/tensor_view.h"

#include <cmath>

#include <QFileInfo>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include "widgets/inspector/histogram_plot.h"
#include "widgets/inspector/inspector_style.h"
#include "widgets/tensors/channel_map_grid.h"

namespace ql::gui {

using inspector::number;
using inspector::sectionTitle;
using inspector::shapeText;

TensorView::TensorView(QWidget* parent) : QWidget(parent) {
  title_ = new QLabel;
  title_->setWordWrap(true);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  facts_ = new QLabel;
  facts_->setWordWrap(true);
  facts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  facts_->setFont(inspector::monoFont());
  clipped_ = new QLabel;
  clipped_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont big = clipped_->font();
  big.setPointSizeF(big.pointSizeF() * 1.4);
  clipped_->setFont(big);
  clipped_->setToolTip("Share of the float values outside the quantized range [scale x (qmin - zp), scale x (qmax - "
                       "zp)]: what this tensor's quantization clips on this image");
  values_ = new inspector::HistogramPlot;
  for (QCPItemStraightLine** line : {&range_lo_, &range_hi_}) {
    *line = new QCPItemStraightLine(values_);
    (*line)->setPen(QPen(QColor(200, 30, 30), 1, Qt::DashLine));
    (*line)->setVisible(false);
  }
  values_->setToolTip("Dequantized values (bars) and the float values of the float op on the same inputs (line), "
                      "on common bins; dashed red: the quantized range");
  error_ = new inspector::HistogramPlot;
  error_->setToolTip("Error: dequantized minus float");
  maps_ = new ChannelMapGrid;
  error_title_ = sectionTitle("Error (quantized - float)");
  maps_title_ = sectionTitle("Channel maps");

  body_ = new QWidget;
  auto* body = new QVBoxLayout(body_);
  body->setContentsMargins(6, 6, 6, 6);
  body->addWidget(title_);
  body->addWidget(facts_);
  body->addWidget(clipped_);
  body->addWidget(sectionTitle("Values: float vs dequantized"));
  body->addWidget(values_);
  body->addWidget(error_title_);
  body->addWidget(error_);
  body->addWidget(maps_title_);
  body->addWidget(maps_);
  body->addStretch(1);
  auto* scroll = scroll_ = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(body_);

  message_ = new QLabel("Run the models on an image (Images dock), then select an op to see its output tensor on "
                        "that image.");
  message_->setWordWrap(true);
  message_->setAlignment(Qt::AlignCenter);
  message_->setMargin(12);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(message_);
  layout->addWidget(scroll, 1);
  scroll->setVisible(false);
}

void TensorView::showMessage(const QString& text) {
  has_tensor_ = false;
  tensor_ = {};
  message_->setText(text);
  message_->setVisible(true);
  scroll_->setVisible(false);
}

void TensorView::showTensor(TensorOnImage t, const QString& image) {
  tensor_ = std::move(t);
  has_tensor_ = true;
  const TensorOnImage& v = tensor_;
  message_->setVisible(false);
  scroll_->setVisible(true);
  title_->setText(QString("%1 #%2 → %3 on %4")
                      .arg(QString::fromStdString(v.op_name))
                      .arg(v.op)
                      .arg(QString::fromStdString(v.tensor_name), QFileInfo(image).fileName()));
  QStringList facts;
  facts << QString("shape %1, %2 values, %3").arg(shapeText(v.shape)).arg(v.elements).arg(dtypeName(v.type));
  if (v.quantized)
    facts << QString("scale %1, zero point %2, range [%3, %4]")
                 .arg(number(v.scale))
                 .arg(v.zero_point)
                 .arg(number(v.range_lo), number(v.range_hi));
  if (v.has_float)
    facts << QString("error: max |e| %1, mean %2, rmse %3%4")
                 .arg(number(v.error.max_abs_error), number(v.error.mean_error),
                      number(std::sqrt(v.error.mean_squared_error)),
                      v.quantized ? QString(", rmse/scale %1").arg(number(v.rmse_over_scale)) : QString());
  if (!v.note.empty()) facts << QString::fromStdString(v.note);
  facts_->setText(facts.join("\n"));
  if (v.clipped_share >= 0)
    clipped_->setText(QString("Clipped: %1% (%2 of %3 float values outside the range)")
                          .arg(100.0 * v.clipped_share, 0, 'f', 2)
                          .arg(v.clipped)
                          .arg(v.elements));
  else
    clipped_->setText(v.quantized ? "Clipped: no float values to compare" : "Clipped: not a quantized tensor");
  values_->setHistograms(v.quant_histogram, "dequantized", v.has_float ? &v.float_histogram : nullptr, "float");
  for (auto [line, x] : {std::pair{range_lo_, v.range_lo}, std::pair{range_hi_, v.range_hi}}) {
    line->point1->setCoords(x, 0);
    line->point2->setCoords(x, 1);
    line->setVisible(v.quantized);
  }
  error_title_->setVisible(v.has_float);
  error_->setVisible(v.has_float);
  if (v.has_float) error_->setHistograms(v.error_histogram, "quantized - float", nullptr, {});
  const bool maps = !v.channel_maps.empty();
  maps_title_->setVisible(maps);
  maps_->setVisible(maps);
  maps_->setMaps(v.channel_maps, static_cast<int>(v.channel_rmse.size()));
}

}  // namespace ql::gui
