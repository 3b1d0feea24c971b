// Each quantlens-cli command registers itself on the CLI11 app and runs when chosen. Commands print results on
// stdout; errors are ql::Error exceptions that main() turns into one stderr line and an exit status.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace ql::cli {

struct Command {
  CLI::App* sub;
  std::function<int()> run;  // called when `sub` was the subcommand given
};

Command addInspectCommand(CLI::App& app);
Command addRunCommand(CLI::App& app);
Command addDequantizeCommand(CLI::App& app);
Command addDebugCommand(CLI::App& app);
Command addExportCommand(CLI::App& app);
Command addDetectCommand(CLI::App& app);
Command addQuantizeCommand(CLI::App& app);
Command addEvaluateCommand(CLI::App& app);

}  // namespace ql::cli
