// The inspector dock's content and the model page: the numbers of one op, tensor or model, as the engine reads
// them from the file. The views only draw; every value shown comes from an engine function.
#pragma once

#include <memory>

#include <QString>
#include <QWidget>

#include "model/graph.h"

namespace ql::gui {

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

 signals:
  // The user clicked an input/output tensor on the op page.
  void tensorActivated(int tensor);
};

// The model page: description, metadata, signatures, quantization kind, op counts, ops quantlens cannot run.
class ModelPage : public QWidget {
  Q_OBJECT
 public:
  explicit ModelPage(QWidget* parent = nullptr);
  void showModels(const InspectedModel& first, const InspectedModel& second);  // second.model may be null
};

}  // namespace ql::gui
