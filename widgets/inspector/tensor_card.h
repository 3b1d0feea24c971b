// One tensor on the inspector's pages: name (a link that selects it), type and shape, where it comes from, its
// quantization as the file stores it, and for constants their real values: statistics, a histogram with the
// twin's values overlaid, the per-channel table, and CSV copy/save.
#pragma once

#include <cstdint>
#include <vector>

#include <QString>
#include <QWidget>

#include "analysis/tensor_inspection.h"
#include "model/graph.h"

namespace ql::gui::inspector {

class ChannelTable;
class FieldGrid;
class HistogramPlot;

struct CardSubject {
  const Model* model = nullptr;
  int tensor = -1;
  QString role;  // "quantized", "float", ...
  const Model* twin = nullptr;
  int twin_tensor = -1;
  QString twin_role;
};

class TensorCard : public QWidget {
  Q_OBJECT
 public:
  // `label` names the tensor's place ("filter", "input 2", "name"). Values, plots and tables appear for tensors
  // that have constant values; an activation shows its type and quantization only.
  TensorCard(const CardSubject& subject, const QString& label, QWidget* parent = nullptr);

  int tensor() const { return subject_.tensor; }
  const ChannelTable* channelTable() const { return channels_; }
  const HistogramPlot* histogram() const { return plot_; }
  const TensorInspection& inspection() const { return inspection_; }

 signals:
  void tensorActivated(int tensor);
  void opActivated(int op);
  void copyCsvRequested(int tensor);
  void saveCsvRequested(int tensor);

 private:
  QString quantizationText(const Tensor& t) const;
  void addValues(FieldGrid* grid, const Tensor& t);

  CardSubject subject_;
  TensorInspection inspection_;
  ChannelTable* channels_ = nullptr;
  HistogramPlot* plot_ = nullptr;
};

}  // namespace ql::gui::inspector
