#include "widgets/inspector/inspector_view.h"

namespace ql::gui {

InspectorView::InspectorView(QWidget* parent) : QWidget(parent) {}

void InspectorView::showOp(const InspectedModel&, int, const InspectedModel&, int) {}

void InspectorView::showTensor(const InspectedModel&, int, const InspectedModel&, int) {}

void InspectorView::clear() {}

ModelPage::ModelPage(QWidget* parent) : QWidget(parent) {}

void ModelPage::showModels(const InspectedModel&, const InspectedModel&) {}

}  // namespace ql::gui
