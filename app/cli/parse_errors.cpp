#include "parse_errors.h"

#include <regex>
#include <vector>

namespace ql::cli {
namespace {

std::string commandList(const CLI::App& app) {
  std::string list;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    list += (list.empty() ? "" : ", ") + sub->get_name();
  return list;
}

// The option or positional `name` ("--threshold", "MODEL") of `cmd`, or null.
const CLI::Option* findOption(const CLI::App* cmd, const std::string& name) {
  if (!cmd) return nullptr;
  for (const CLI::Option* o : cmd->get_options())
    if (o->check_name(name) || o->get_name() == name) return o;
  return nullptr;
}

// "integer", "number", "text" for CLI11's type names.
std::string valueKind(const CLI::Option* o) {
  const std::string type = o ? o->get_type_name() : "";
  if (type.find("INT") != std::string::npos) return "an integer";
  if (type.find("FLOAT") != std::string::npos) return "a number";
  return "a value of type " + (type.empty() ? std::string("TEXT") : type);
}

std::string afterColon(const std::string& s) {
  const size_t p = s.find(": ");
  return p == std::string::npos ? s : s.substr(p + 2);
}

}  // namespace

std::string explainParseError(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  const std::string what = e.what();
  // The command being parsed: CLI11 lists the subcommands it reached even when parsing then failed.
  const std::vector<CLI::App*> reached = app.get_subcommands();
  const CLI::App* cmd = reached.empty() ? nullptr : reached.back();
  const std::string help = " (see quantlens-cli" + (cmd ? " " + cmd->get_name() : std::string()) + " --help)";

  if (!cmd) {
    // No known command: the first word that is not an option is an unknown one.
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (!arg.empty() && arg[0] != '-')
        return "unknown command '" + arg + "'; the commands are " + commandList(app) + help;
    }
    if (dynamic_cast<const CLI::RequiredError*>(&e))
      return (argc > 1 ? "unknown option " + std::string(argv[1]) + "; " : std::string()) +
             "a command is required: one of " + commandList(app) + help;
  }
  const std::string prefix = cmd ? cmd->get_name() + ": " : "";

  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    std::string unknown_options, extra_args;
    const std::string rest = afterColon(what);
    static const std::regex word(R"(\S+)");
    for (std::sregex_iterator it(rest.begin(), rest.end(), word), end; it != end; ++it) {
      const std::string a = it->str();
      std::string& list = a[0] == '-' ? unknown_options : extra_args;
      list += (list.empty() ? "" : ", ") + a;
    }
    std::string out;
    if (!unknown_options.empty()) out = "unknown option " + unknown_options;
    if (!extra_args.empty()) out += (out.empty() ? "" : "; ") + std::string("unexpected argument ") + extra_args;
    return prefix + out + help;
  }
  std::smatch m;
  if (std::regex_match(what, m, std::regex(R"(Could not convert: (\S+) = (.*))")))
    return prefix + m[1].str() + " expects " + valueKind(findOption(cmd, m[1].str())) + ", not '" + m[2].str() +
           "'" + help;
  if (std::regex_match(what, m, std::regex(R"((\S+): \d+ required (\S+) missing)")))
    return prefix + m[1].str() + " needs a value" + help;
  if (std::regex_match(what, m, std::regex(R"((\S+) is required)"))) {
    const std::string name = m[1].str();
    return prefix + (name[0] == '-' ? "the option " + name : "the argument " + name) + " is required" + help;
  }
  if (std::regex_match(what, m, std::regex(R"((\S+): (\S+) not in \{(.*)\})")))
    return prefix + m[1].str() + " must be one of " + m[3].str() + ", not '" + m[2].str() + "'" + help;
  return prefix + what + help;
}

}  // namespace ql::cli
