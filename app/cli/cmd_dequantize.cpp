// quantlens-cli dequantize Q -o F.tflite: writes the dequantized twin of a quantized model as a float model.
#include <iostream>
#include <memory>

#include "analysis/dequantized_twin.h"
#include "command.h"
#include "model/reader.h"
#include "model/writer.h"
#include "util/atomic_write.h"
#include "util/error.h"

namespace ql::cli {

Command addDequantizeCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "dequantize", "Write the float twin of a quantized model: same graph, weights dequantized to float32");
  struct Args {
    std::string in, out;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("QUANT_MODEL", a->in, "the quantized .tflite")->required();
  cmd->add_option("-o,--output", a->out, "the float .tflite to write")->required();
  return {cmd, [a]() {
            if (a->in == a->out || sameFile(a->in, a->out))
              badInput(a->out, "is the input model; choose another output path");
            Model q = readModel(a->in);
            DequantizedTwin twin = makeDequantizedTwin(q);
            writeModel(twin.model, a->out);
            size_t dropped = 0;
            for (int o : twin.op_of_quant) dropped += o < 0;
            std::cout << "wrote " << a->out << ": " << twin.model.subgraphs[0].ops.size() << " float ops ("
                      << dropped << " QUANTIZE/DEQUANTIZE removed)\n";
            return 0;
          }};
}

}  // namespace ql::cli
