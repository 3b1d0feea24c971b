// The inspector dock's content and the model page: the numbers of one op, tensor or model, as the engine reads
// them from the file. The views only draw; every value shown comes from an engine function.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include <QString>
#include <QWidget>

#include "model/graph.h"

class QScrollArea;
class QTableWidget;
class QVBoxLayout;

namespace ql::gui {
namespace inspector {
class TensorCard;
}

// One model of the loaded pair as the inspector sees it.
struct InspectedModel {
  std::shared_ptr<const ql::Model> model;  // null when absent
  QString role;                            // "float", "quantized", "dequantized twin"
};

// The inspector dock's content: an op page (type, version, options by name, inputs/outputs with shape, dtype,
// scale, zero point, quantized axis, min/max; per-channel table; constant weights dequantized with a histogram,
// the twin's weights overlaid), a tensor page, and copy of a tensor's values as CSV.
class InspectorView : public QWidget {
  Q_OBJECT
 public:
  explicit InspectorView(QWidget* parent = nullptr);
  // Shows op `op` of `subject`; `twin_op` is the op of `twin.model` computing the same thing (-1 when none).
  void showOp(const InspectedModel& subject, int op, const InspectedModel& twin, int twin_op);
  // Shows tensor `tensor` of `subject`; `twin_tensor` its twin's tensor (-1 when none).
  void showTensor(const InspectedModel& subject, int tensor, const InspectedModel& twin, int twin_tensor);
  void clear();

  // Puts the real values of `tensor` of the model shown (a constant, or float16 weights behind a DEQUANTIZE) on
  // the clipboard as CSV; false when it has none.
  bool copyTensorCsv(int tensor);
  // Writes them to `path` (asks for one when empty); false when there is nothing to write or it failed.
  bool saveTensorCsv(int tensor, const QString& path = {});

  // State for tests and for the main window.
  int currentOp() const { return op_; }
  int currentTensor() const { return tensor_; }
  QString currentTitle() const { return title_; }
  // The scales in the per-channel table of `tensor` (of the first table on the page when -1); empty when none.
  std::vector<double> perChannelScalesShown(int tensor = -1) const;
  // How many values the histogram of `tensor` holds (its twin's overlay: `overlay`); -1 when it has none.
  int64_t histogramCountShown(int tensor, bool overlay = false) const;

 signals:
  // The user clicked an input/output tensor on the op page.
  void tensorActivated(int tensor);
  // The user clicked the op producing or reading a tensor on the tensor page.
  void opActivated(int op);

 private:
  void startPage();
  void addCard(const InspectedModel& subject, int tensor, const InspectedModel& twin, int twin_tensor,
               const QString& label);
  const inspector::TensorCard* cardOf(int tensor) const;

  InspectedModel subject_;
  int op_ = -1, tensor_ = -1;
  QString title_;
  QScrollArea* scroll_ = nullptr;
  QWidget* page_ = nullptr;
  QVBoxLayout* layout_ = nullptr;
  std::vector<inspector::TensorCard*> cards_;
};

// The model page: description, metadata, signatures, quantization kind, op counts, ops quantlens cannot run.
class ModelPage : public QWidget {
  Q_OBJECT
 public:
  explicit ModelPage(QWidget* parent = nullptr);
  void showModels(const InspectedModel& first, const InspectedModel& second);  // second.model may be null

  // Op counts by type as the table shows them, for model 0 (first) or 1 (second).
  std::map<QString, int> opCountsShown(int which) const;

 private:
  QScrollArea* scroll_ = nullptr;
  QTableWidget* counts_ = nullptr;
};

}  // namespace ql::gui
