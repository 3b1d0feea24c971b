#include "widgets/inspector/tensor_card.h"

#include <cstdlib>

#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>

#include "model/graph_index.h"
#include "model/tensor_values.h"
#include "widgets/inspector/channel_table.h"
#include "widgets/inspector/histogram_plot.h"
#include "widgets/inspector/inspector_style.h"

namespace ql::gui::inspector {
namespace {

QString link(const QString& href, const QString& text) {
  return QString("<a href=\"%1\" style=\"text-decoration:none\">%2</a>").arg(href, text.toHtmlEscaped());
}

QString zeroPointTerm(int64_t zp) {
  if (zp == 0) return "q";
  return QString("(q %1 %2)").arg(zp > 0 ? "-" : "+").arg(std::llabs(zp));
}

QString sizeText(size_t bytes) {
  if (bytes < 10 * 1024) return QString("%1 B").arg(bytes);
  if (bytes < 10 * 1024 * 1024) return QString("%1 KB").arg(bytes / 1024);
  return QString("%1 MB").arg(bytes / (1024 * 1024));
}

}  // namespace

TensorCard::TensorCard(const CardSubject& s, const QString& label, QWidget* parent) : QWidget(parent), subject_(s) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 2, 0, 6);
  layout->setSpacing(2);
  auto* grid = new FieldGrid;
  layout->addWidget(grid);
  const Subgraph& sg = s.model->subgraphs[0];
  const Tensor& t = sg.tensors[static_cast<size_t>(s.tensor)];
  inspection_ = inspectTensor(*s.model, s.tensor, s.twin, s.twin_tensor);

  QString name = t.name.empty() ? QString("(unnamed)") : QString::fromStdString(t.name);
  QLabel* name_label = grid->addText(label, "<b>" + link(QString("tensor:%1").arg(s.tensor), name) + "</b>", false);
  name_label->setTextFormat(Qt::RichText);
  connect(name_label, &QLabel::linkActivated, this, [this](const QString&) { emit tensorActivated(subject_.tensor); });

  QString type = QString(dtypeName(t.type)).toLower() + " " + (t.shape_present ? shapeText(t.shape) : "[?]");
  if (!t.shape_signature.empty() && t.shape_signature != t.shape) type += "  signature " + shapeText(t.shape_signature);
  grid->addText("tensor", type);

  // Where the tensor comes from: a constant of N bytes, a DEQUANTIZE of one, the graph's input, or an op.
  GraphIndex index = buildGraphIndex(sg);
  const int producer = index.producer[static_cast<size_t>(s.tensor)];
  QString origin = QString("#%1").arg(s.tensor);
  const Bytes& bytes = s.model->dataOf(t);
  if (!bytes.empty()) origin += "  constant, " + sizeText(bytes.size);
  else if (index.is_graph_input[static_cast<size_t>(s.tensor)]) origin += "  model input";
  else if (t.is_variable) origin += "  variable";
  if (producer >= 0)
    origin += "  from " + link(QString("op:%1").arg(producer),
                               QString("op %1 %2").arg(producer).arg(QString::fromStdString(
                                   s.model->opName(sg.ops[static_cast<size_t>(producer)]))));
  if (index.is_graph_output[static_cast<size_t>(s.tensor)]) origin += "  model output";
  QLabel* origin_label = grid->addText("identifier", origin);
  origin_label->setTextFormat(Qt::RichText);
  connect(origin_label, &QLabel::linkActivated, this,
          [this](const QString& href) { emit opActivated(href.mid(3).toInt()); });

  if (t.quant.present()) grid->addText("quantization", quantizationText(t));
  addValues(grid, t);
}

QString TensorCard::quantizationText(const Tensor& t) const {
  const QuantParams& q = t.quant;
  QStringList lines;
  if (q.perChannel()) {
    ValueStats scales = valueStats(q.scale);
    lines << QString("per-channel x%1 on axis %2").arg(q.scale.size()).arg(q.quantized_dimension);
    lines << QString("scale %1 .. %2").arg(number(scales.min), number(scales.max));
    bool zero_zp = true;
    for (int64_t zp : q.zero_point) zero_zp = zero_zp && zp == 0;
    lines << (zero_zp ? QString("zero point 0 (symmetric)") : QString("zero points vary by channel"));
  } else if (q.hasScale()) {
    int64_t zp = q.zero_point.empty() ? 0 : q.zero_point[0];
    double lo = 0, hi = 0;
    QString formula = number(q.scale[0]) + " * " + zeroPointTerm(zp);
    if (representableRange(t, 0, &lo, &hi))
      lines << number(lo) + " <= " + formula + " <= " + number(hi);
    else
      lines << formula;
    lines << QString("scale %1  zero point %2").arg(number(q.scale[0])).arg(zp);
  }
  if (!q.min.empty() && !q.max.empty()) {
    if (q.min.size() == 1)
      lines << QString("file min %1  max %2").arg(number(q.min[0]), number(q.max[0]));
    else
      lines << QString("file min/max for %1 channels").arg(q.min.size());
  }
  if (q.details_type != 0) lines << QString("custom quantization details (type %1)").arg(q.details_type);
  return lines.join("\n");
}

void TensorCard::addValues(FieldGrid* grid, const Tensor& t) {
  const TensorInspection& in = inspection_;
  if (in.values.empty()) {
    if (!in.values_note.empty()) grid->addText("values", QString::fromStdString(in.values_note), false);
    return;
  }
  const ValueStats& st = in.stats;
  bool dequantized = t.quant.hasScale();
  QString stats = QString("%1 values%2\nmin %3  max %4\nmean %5  std %6")
                      .arg(st.count)
                      .arg(st.zeros ? QString(", %1 zeros").arg(st.zeros) : QString())
                      .arg(number(st.min), number(st.max), number(st.mean), number(st.stddev));
  if (st.non_finite) stats += QString("\n%1 not finite").arg(st.non_finite);
  if (!in.twin_values.empty()) {
    const ValueStats& ts = in.twin_stats;
    stats += QString("\n%1: min %2  max %3").arg(subject_.twin_role, number(ts.min), number(ts.max));
  }
  grid->addText(dequantized ? "real values" : "values", stats);

  auto* box = new QWidget;
  auto* v = new QVBoxLayout(box);
  v->setContentsMargins(0, 0, 0, 0);
  v->setSpacing(3);
  if (in.values.size() > 1) {
    plot_ = new HistogramPlot;
    QString main = subject_.role.isEmpty() ? QString("values") : subject_.role;
    const Histogram* overlay = in.twin_values.empty() ? nullptr : &in.twin_histogram;
    plot_->setHistograms(in.histogram, main, overlay, subject_.twin_role);
    v->addWidget(plot_);
  }
  auto* buttons = new QHBoxLayout;
  auto* copy = new QPushButton("Copy CSV");
  auto* save = new QPushButton("Save as CSV...");
  for (QPushButton* b : {copy, save}) {
    b->setFlat(true);
    b->setCursor(Qt::PointingHandCursor);
    buttons->addWidget(b);
  }
  buttons->addStretch(1);
  connect(copy, &QPushButton::clicked, this, [this] { emit copyCsvRequested(subject_.tensor); });
  connect(save, &QPushButton::clicked, this, [this] { emit saveCsvRequested(subject_.tensor); });
  v->addLayout(buttons);
  grid->addWidget("", box);

  // Per channel for per-channel scales, and per output channel under one scale too: there the table shows which
  // channels use only a few of the levels the shared scale gives them. Not for a bias (one value per channel).
  const size_t channels = in.channels.channels.size();
  if (in.channels.per_channel || (channels > 1 && in.values.size() > channels)) {
    channels_ = new ChannelTable(in.channels);
    auto* table_box = new QWidget;
    auto* tv = new QVBoxLayout(table_box);
    tv->setContentsMargins(0, 0, 0, 0);
    tv->setSpacing(2);
    QStringList note;
    if (in.channels_of_twin) note << "of the " + subject_.twin_role + " twin's weights";
    if (!in.channels.per_channel)
      note << QString("one scale for the whole tensor; rows are output channels (axis %1)").arg(in.channels.axis);
    if (!note.isEmpty()) {
      auto* label = new QLabel(note.join("; "));
      label->setObjectName("fieldName");
      label->setWordWrap(true);
      tv->addWidget(label);
    }
    tv->addWidget(channels_);
    grid->addWidget(in.channels.per_channel ? "per channel" : "per output ch.", table_box);
  }
}

}  // namespace ql::gui::inspector
