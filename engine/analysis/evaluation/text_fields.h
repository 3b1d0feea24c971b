// The few string chores every annotation reader shares: trimming fields, lower case, a file's extension.
#pragma once

#include <string>

namespace ql {

// `s` without the characters of `strip` at either end.
std::string trimmed(const std::string& s, const char* strip = " \t\r\n");
std::string lowerCase(std::string s);
// ".jpg" for "a/B.JPG"; "" when there is none.
std::string lowerExtension(const std::string& path);

}  // namespace ql
