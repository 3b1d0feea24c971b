// Errors the engine raises for things a user did, as opposed to bugs. The CLI maps `kind` to its exit status.
#pragma once

#include <stdexcept>
#include <string>

namespace ql {

enum class ErrorKind {
  BadInput = 2,     // unreadable, invalid or corrupt input, wrong argument
  Unsupported = 3,  // valid, but quantlens cannot do it (an op, a type)
  Internal = 4,
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// "FILE: what is wrong" — the one-line form every message takes.
[[noreturn]] inline void badInput(const std::string& file, const std::string& what) {
  throw Error(ErrorKind::BadInput, file.empty() ? what : file + ": " + what);
}
[[noreturn]] inline void unsupported(const std::string& file, const std::string& what) {
  throw Error(ErrorKind::Unsupported, file.empty() ? what : file + ": " + what);
}

}  // namespace ql
