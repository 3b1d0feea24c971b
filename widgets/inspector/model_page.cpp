// The model page: what each open model holds, and its op counts side by side with the other model's.
#include <map>

#include <QFileInfo>
#include <QHeaderView>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

#include "analysis/model_summary.h"
#include "model/quantization_kind.h"
#include "widgets/inspector/inspector_style.h"
#include "widgets/inspector/inspector_view.h"

namespace ql::gui {

using inspector::FieldGrid;
using inspector::number;
using inspector::shapeText;

namespace {

QString tensorList(const Model& m, const std::vector<int32_t>& tensors) {
  QStringList lines;
  const Subgraph& sg = m.subgraphs[0];
  for (int32_t i : tensors) {
    if (i < 0 || static_cast<size_t>(i) >= sg.tensors.size()) continue;
    const Tensor& t = sg.tensors[static_cast<size_t>(i)];
    QString line = QString("%1  %2%3").arg(QString::fromStdString(t.name), QString(dtypeName(t.type)).toLower(),
                                           shapeText(t.shape));
    if (t.quant.hasScale() && !t.quant.perChannel())
      line += QString("  s=%1 zp=%2")
                  .arg(number(t.quant.scale[0]))
                  .arg(t.quant.zero_point.empty() ? 0 : t.quant.zero_point[0]);
    lines << line;
  }
  return lines.join("\n");
}

// The part of the page about one model.
QWidget* modelSection(const InspectedModel& im) {
  const Model& m = *im.model;
  auto* box = new QWidget;
  auto* v = new QVBoxLayout(box);
  v->setContentsMargins(0, 0, 0, 0);
  v->setSpacing(2);
  v->addWidget(inspector::sectionTitle(im.role + " model"));
  auto* grid = new FieldGrid;
  grid->addText("file", QFileInfo(QString::fromStdString(m.path)).fileName(), false);
  grid->addText("quantization", quantizationKindName(quantizationKind(m)), false);
  if (!m.description.empty()) grid->addText("description", QString::fromStdString(m.description), false);
  grid->addText("format", QString("schema version %1").arg(m.version), false);
  if (!m.subgraphs.empty()) {
    const Subgraph& sg = m.subgraphs[0];
    grid->addText("graph", QString("%1 ops, %2 tensors%3")
                               .arg(sg.ops.size())
                               .arg(sg.tensors.size())
                               .arg(m.subgraphs.size() > 1 ? QString(", %1 subgraphs").arg(m.subgraphs.size())
                                                           : QString()));
    grid->addText("inputs", tensorList(m, sg.inputs));
    grid->addText("outputs", tensorList(m, sg.outputs));
  }
  for (const Signature& sig : m.signatures) {
    QStringList ins, outs;
    for (const TensorMap& t : sig.inputs) ins << QString::fromStdString(t.name);
    for (const TensorMap& t : sig.outputs) outs << QString::fromStdString(t.name);
    grid->addText("signature", QString("%1(%2) -> %3").arg(QString::fromStdString(sig.key), ins.join(", "),
                                                            outs.join(", ")));
  }
  QStringList metadata;
  for (const MetadataEntry& e : m.metadata)
    metadata << QString("%1  %2 B").arg(QString::fromStdString(e.name))
                    .arg(e.buffer < m.buffers.size() ? m.buffers[e.buffer].size : 0);
  if (m.trailing.size) metadata << QString("(data after the flatbuffer)  %1 B").arg(m.trailing.size);
  if (!metadata.isEmpty()) grid->addText("metadata", metadata.join("\n"));
  std::vector<OpTypeCount> missing = unsupportedOpTypes(m);
  if (missing.empty()) {
    grid->addText("interpreter", "runs every op", false);
  } else {
    QStringList lines;
    for (const OpTypeCount& c : missing)
      lines << QString("%1 x%2 (first: op %3)").arg(QString::fromStdString(c.type)).arg(c.count).arg(c.first_op);
    QLabel* label = grid->addText("cannot run", lines.join("\n"));
    label->setStyleSheet("color: rgb(200, 30, 30)");
  }
  v->addWidget(grid);
  return box;
}

// A count cell that sorts by number, empty where the model has no op of that type.
QTableWidgetItem* countItem(int n) {
  auto* item = new QTableWidgetItem;
  if (n > 0) item->setData(Qt::DisplayRole, n);
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

}  // namespace

ModelPage::ModelPage(QWidget* parent) : QWidget(parent) {
  scroll_ = inspector::pageScrollArea(this);
  setStyleSheet("QLabel#fieldName { color: palette(dark); }");
}

void ModelPage::showModels(const InspectedModel& first, const InspectedModel& second) {
  auto* page = new QWidget;
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(12, 10, 12, 10);
  layout->setSpacing(4);
  counts_ = nullptr;
  std::vector<const InspectedModel*> models;
  for (const InspectedModel* m : {&first, &second})
    if (m->model && !m->model->subgraphs.empty()) models.push_back(m);
  for (const InspectedModel* m : models) layout->addWidget(modelSection(*m));

  if (!models.empty()) {
    layout->addWidget(inspector::sectionTitle("Op counts"));
    std::map<std::string, std::vector<int>> rows;  // type -> count per model
    for (size_t i = 0; i < models.size(); ++i)
      for (const OpTypeCount& c : opTypeCounts(*models[i]->model)) {
        auto& row = rows[c.type];
        row.resize(models.size(), 0);
        row[i] = c.count;
      }
    counts_ = new QTableWidget(static_cast<int>(rows.size()), static_cast<int>(models.size()) + 1);
    QStringList headers = {"op"};
    for (const InspectedModel* m : models) headers << m->role;
    counts_->setHorizontalHeaderLabels(headers);
    counts_->verticalHeader()->setVisible(false);
    counts_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    counts_->setShowGrid(false);
    counts_->setAlternatingRowColors(true);
    counts_->setFont(inspector::monoFont());
    counts_->verticalHeader()->setDefaultSectionSize(QFontMetrics(inspector::monoFont()).height() + 4);
    int r = 0;
    for (auto& [type, counts] : rows) {
      counts_->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(type)));
      for (size_t i = 0; i < counts.size(); ++i) counts_->setItem(r, static_cast<int>(i) + 1, countItem(counts[i]));
      ++r;
    }
    counts_->resizeColumnsToContents();
    counts_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    counts_->setSortingEnabled(true);
    counts_->sortByColumn(0, Qt::AscendingOrder);
    counts_->setFixedHeight(counts_->horizontalHeader()->sizeHint().height() +
                            (r + 1) * counts_->verticalHeader()->defaultSectionSize());
    layout->addWidget(counts_);
  }
  layout->addStretch(1);
  scroll_->setWidget(page);
}

std::map<QString, int> ModelPage::opCountsShown(int which) const {
  std::map<QString, int> out;
  if (!counts_ || which < 0 || which + 1 >= counts_->columnCount()) return out;
  for (int r = 0; r < counts_->rowCount(); ++r) {
    QTableWidgetItem* n = counts_->item(r, which + 1);
    if (n && n->data(Qt::DisplayRole).toInt() > 0) out[counts_->item(r, 0)->text()] = n->data(Qt::DisplayRole).toInt();
  }
  return out;
}

}  // namespace ql::gui
