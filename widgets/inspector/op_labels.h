// What an op's inputs and outputs are called on the op page ("filter", "bias"), as Netron names them for the
// ops whose inputs have fixed meanings; "input 2" for the rest.
#pragma once

#include <cstddef>
#include <string>

#include <QString>

namespace ql::gui::inspector {

QString tensorRoleLabel(const std::string& op_type, bool input, size_t position, size_t count);

}  // namespace ql::gui::inspector
