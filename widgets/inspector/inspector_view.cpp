#include "widgets/inspector/inspector_view.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QScrollArea>
#include <QVBoxLayout>

#include "analysis/op_matching.h"
#include "analysis/tensor_inspection.h"
#include "analysis/values_csv.h"
#include "util/atomic_write.h"
#include "util/error.h"
#include "widgets/inspector/channel_table.h"
#include "widgets/inspector/histogram_plot.h"
#include "widgets/inspector/inspector_style.h"
#include "widgets/inspector/op_labels.h"
#include "widgets/inspector/tensor_card.h"

namespace ql::gui {

using inspector::FieldGrid;
using inspector::TensorCard;

namespace {

bool hasOp(const InspectedModel& m, int op) {
  return m.model && !m.model->subgraphs.empty() && op >= 0 &&
         static_cast<size_t>(op) < m.model->subgraphs[0].ops.size();
}

bool hasTensor(const InspectedModel& m, int tensor) {
  return m.model && !m.model->subgraphs.empty() && tensor >= 0 &&
         static_cast<size_t>(tensor) < m.model->subgraphs[0].tensors.size();
}

QString modelName(const InspectedModel& m) {
  QString file = QFileInfo(QString::fromStdString(m.model->path)).completeBaseName();
  return file.isEmpty() ? m.role : m.role + " " + file;
}

// The page title: the op type large, the version and where it is small and grey.
QLabel* titleLabel(const QString& big, const QString& small) {
  auto* label = new QLabel(QString("<span style=\"font-size:large; font-weight:600\">%1</span>"
                                   "&nbsp;&nbsp;<span style=\"color:gray\">%2</span>")
                               .arg(big.toHtmlEscaped(), small.toHtmlEscaped()));
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label->setWordWrap(true);
  return label;
}

}  // namespace

InspectorView::InspectorView(QWidget* parent) : QWidget(parent) {
  scroll_ = inspector::pageScrollArea(this);
  setStyleSheet("QLabel#fieldName { color: palette(dark); }"
                "QLabel#sectionTitle { color: palette(text); }");
  clear();
}

void InspectorView::startPage() {
  cards_.clear();
  page_ = new QWidget;
  layout_ = new QVBoxLayout(page_);
  layout_->setContentsMargins(12, 10, 12, 10);
  layout_->setSpacing(4);
  scroll_->setWidget(page_);  // deletes the previous page and its cards
}

void InspectorView::clear() {
  subject_ = {};
  op_ = tensor_ = -1;
  title_.clear();
  startPage();
  auto* hint = new QLabel("Select an op or a tensor in a graph to see its parameters here.");
  hint->setWordWrap(true);
  hint->setObjectName("fieldName");
  layout_->addWidget(hint);
  layout_->addStretch(1);
}

void InspectorView::addCard(const InspectedModel& subject, int tensor, const InspectedModel& twin, int twin_tensor,
                            const QString& label) {
  inspector::CardSubject s;
  s.model = subject.model.get();
  s.tensor = tensor;
  s.role = subject.role;
  if (twin.model && twin_tensor >= 0) {
    s.twin = twin.model.get();
    s.twin_tensor = twin_tensor;
    s.twin_role = twin.role;
  }
  auto* card = new TensorCard(s, label);
  connect(card, &TensorCard::tensorActivated, this, &InspectorView::tensorActivated);
  connect(card, &TensorCard::opActivated, this, &InspectorView::opActivated);
  connect(card, &TensorCard::copyCsvRequested, this, [this](int t) { copyTensorCsv(t); });
  connect(card, &TensorCard::saveCsvRequested, this, [this](int t) { saveTensorCsv(t); });
  layout_->addWidget(card);
  cards_.push_back(card);
}

void InspectorView::showOp(const InspectedModel& subject, int op, const InspectedModel& twin, int twin_op) {
  if (!hasOp(subject, op)) {
    clear();
    return;
  }
  startPage();
  subject_ = subject;
  op_ = op;
  tensor_ = -1;
  const Model& m = *subject.model;
  const Op& o = m.subgraphs[0].ops[static_cast<size_t>(op)];
  const std::string type = m.opName(o);
  title_ = QString::fromStdString(type);
  layout_->addWidget(titleLabel(title_, QString("v%1   op %2 of %3")
                                            .arg(m.opcodeOf(o).version)
                                            .arg(op)
                                            .arg(modelName(subject))));

  auto* props = new FieldGrid;
  if (!o.outputs.empty() && o.outputs[0] >= 0)
    props->addText("name", QString::fromStdString(m.subgraphs[0].tensors[static_cast<size_t>(o.outputs[0])].name));
  bool twin_ok = hasOp(twin, twin_op);
  if (twin_ok) {
    const Op& t = twin.model->subgraphs[0].ops[static_cast<size_t>(twin_op)];
    props->addText(twin.role, QString("op %1 %2").arg(twin_op).arg(QString::fromStdString(twin.model->opName(t))));
  } else if (twin.model) {
    QLabel* none = props->addText(twin.role, "no matching op (added by the converter, or fused)", false);
    none->setStyleSheet("color: rgb(200, 30, 30)");
  }
  layout_->addWidget(props);

  layout_->addWidget(inspector::sectionTitle("Attributes"));
  auto* attrs = new FieldGrid;
  if (o.options.is_object() && !o.options.empty()) {
    for (auto it = o.options.begin(); it != o.options.end(); ++it) {
      std::string v = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
      attrs->addText(QString::fromStdString(it.key()), QString::fromStdString(v));
    }
  } else {
    attrs->addText("", "none", false);
  }
  layout_->addWidget(attrs);

  for (bool input : {true, false}) {
    const auto& list = input ? o.inputs : o.outputs;
    layout_->addWidget(inspector::sectionTitle(input ? "Inputs" : "Outputs"));
    for (size_t i = 0; i < list.size(); ++i) {
      QString label = inspector::tensorRoleLabel(type, input, i, list.size());
      if (list[i] < 0) {
        auto* omitted = new FieldGrid;
        omitted->addText(label, "(omitted)", false);
        layout_->addWidget(omitted);
        continue;
      }
      int twin_tensor = twin_ok ? twinTensorAt(m, op, *twin.model, twin_op, input, i) : -1;
      addCard(subject, list[i], twin, twin_tensor, label);
    }
  }
  layout_->addStretch(1);
}

void InspectorView::showTensor(const InspectedModel& subject, int tensor, const InspectedModel& twin,
                               int twin_tensor) {
  if (!hasTensor(subject, tensor)) {
    clear();
    return;
  }
  startPage();
  subject_ = subject;
  op_ = -1;
  tensor_ = tensor;
  title_ = QString::fromStdString(subject.model->subgraphs[0].tensors[static_cast<size_t>(tensor)].name);
  layout_->addWidget(titleLabel("Tensor", QString("#%1 of %2").arg(tensor).arg(modelName(subject))));
  addCard(subject, tensor, twin, hasTensor(twin, twin_tensor) ? twin_tensor : -1, "name");
  layout_->addStretch(1);
}

bool InspectorView::copyTensorCsv(int tensor) {
  if (!hasTensor(subject_, tensor)) return false;
  std::vector<float> values = effectiveConstantValues(*subject_.model, tensor);
  if (values.empty()) return false;
  const Tensor& t = subject_.model->subgraphs[0].tensors[static_cast<size_t>(tensor)];
  QApplication::clipboard()->setText(QString::fromStdString(valuesCsv(t.shape, values)));
  return true;
}

bool InspectorView::saveTensorCsv(int tensor, const QString& path) {
  if (!hasTensor(subject_, tensor)) return false;
  std::vector<float> values = effectiveConstantValues(*subject_.model, tensor);
  if (values.empty()) return false;
  const Tensor& t = subject_.model->subgraphs[0].tensors[static_cast<size_t>(tensor)];
  QString file = path;
  if (file.isEmpty()) {
    QString suggested = QString::fromStdString(t.name).replace('/', '_').replace(':', '_') + ".csv";
    file = QFileDialog::getSaveFileName(this, "Save tensor values as CSV", suggested, "CSV (*.csv)");
    if (file.isEmpty()) return false;
  }
  try {
    writeFileAtomically(file.toStdString(), valuesCsv(t.shape, values));
  } catch (const Error& e) {
    if (path.isEmpty()) QMessageBox::warning(this, "quantlens", e.what());
    return false;
  }
  return true;
}

const TensorCard* InspectorView::cardOf(int tensor) const {
  for (const TensorCard* card : cards_)
    if (tensor < 0 ? card->channelTable() != nullptr : card->tensor() == tensor) return card;
  return nullptr;
}

std::vector<double> InspectorView::perChannelScalesShown(int tensor) const {
  const TensorCard* card = cardOf(tensor);
  return card && card->channelTable() ? card->channelTable()->scales() : std::vector<double>{};
}

int64_t InspectorView::histogramCountShown(int tensor, bool overlay) const {
  const TensorCard* card = cardOf(tensor);
  if (!card || !card->histogram()) return -1;
  return overlay ? card->histogram()->overlayTotal() : card->histogram()->barsTotal();
}

}  // namespace ql::gui
