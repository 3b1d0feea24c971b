// What quantlens-cli says when its arguments are wrong: the command, the word and what was expected, exit 2.
#include <string>

#include "support/test_support.h"

namespace ql::test {
namespace {

// Runs the CLI; expects exit 2 and one stderr line holding every one of `wanted`.
void expectArgumentError(const std::vector<std::string>& args, const std::vector<std::string>& wanted) {
  std::vector<std::string> argv{cliPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  const ProcResult r = runProcess(argv, 30);
  std::string joined;
  for (const auto& a : args) joined += " " + a;
  EXPECT_EQ(r.exit_code, 2) << joined << ": " << r.err;
  for (const std::string& w : wanted) EXPECT_NE(r.err.find(w), std::string::npos) << joined << ": " << r.err;
  EXPECT_EQ(r.err.find("A subcommand is required"), std::string::npos) << joined << ": " << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
}

TEST(ArgumentErrors, AnUnknownCommandIsNamedAndTheCommandsListed) {
  expectArgumentError({"foo"}, {"unknown command 'foo'", "inspect", "run", "debug", "export", "detect",
                                "dequantize"});
  expectArgumentError({"runn", "model.tflite"}, {"'runn'"});
  expectArgumentError({}, {"a command is required", "inspect"});
  expectArgumentError({"--bogus"}, {"unknown option --bogus", "inspect"});
}

TEST(ArgumentErrors, EachNamesTheCommandAndWhatWasWrong) {
  expectArgumentError({"run", "m.tflite", "--out", "x", "--bogus"}, {"run: unknown option --bogus", "run --help"});
  expectArgumentError({"inspect", "a.tflite", "b.tflite"}, {"inspect: unexpected argument b.tflite"});
  expectArgumentError({"run"}, {"run: the argument MODEL is required"});
  expectArgumentError({"run", "m.tflite"}, {"run: the option --out is required"});
  expectArgumentError({"run", "m.tflite", "--out"}, {"run: --out needs a value"});
  expectArgumentError({"run", "m.tflite", "--out", "x", "--arithmetic", "fast"},
                      {"run: --arithmetic must be one of", "deployed", "reference", "'fast'"});
  expectArgumentError({"export", "--quant", "q.tflite", "-o", "o.tflite", "--threshold", "abc"},
                      {"export: --threshold expects a number, not 'abc'"});
  expectArgumentError({"debug"}, {"debug: the option --quant is required"});
}

}  // namespace
}  // namespace ql::test
