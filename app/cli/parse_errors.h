// CLI11's parse errors reworded to say what was wrong and for which command ("run: unknown option --bogus"),
// with the list of commands when the command itself is unknown or missing.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace ql::cli {

// The one stderr line (without "error: ") for a failed app.parse(argc, argv).
std::string explainParseError(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv);

}  // namespace ql::cli
