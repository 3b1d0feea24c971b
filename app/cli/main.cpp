// quantlens-cli: the headless front end. Exit status: 0 success, 2 bad input or arguments, 3 valid but
// unsupported, 4 internal error.
#include <iostream>
#include <vector>

#include "command.h"
#include "parse_errors.h"
#include "util/error.h"

int main(int argc, char** argv) {
  CLI::App app{"quantlens-cli: inspect, run and debug quantized TensorFlow Lite models"};
  app.set_version_flag("--version", std::string("quantlens ") + QUANTLENS_VERSION);
  app.require_subcommand(1);

  std::vector<ql::cli::Command> commands{
      ql::cli::addInspectCommand(app),
      ql::cli::addRunCommand(app),
      ql::cli::addDequantizeCommand(app),
      ql::cli::addDebugCommand(app),
      ql::cli::addExportCommand(app),
      ql::cli::addDetectCommand(app),
      ql::cli::addQuantizeCommand(app),
      ql::cli::addEvaluateCommand(app),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << ql::cli::explainParseError(app, e, argc, argv) << "\n";
    return 2;
  }

  try {
    for (auto& c : commands)
      if (c.sub->parsed()) return c.run();
  } catch (const ql::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return static_cast<int>(e.kind());
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory\n";
    return 4;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 4;
  }
  return 4;
}
