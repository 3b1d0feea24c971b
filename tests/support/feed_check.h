// Runs a model fed with a tensor dump (the golden format): every op reads the dump's tensors where it has them,
// and each tensor the model computes is compared with the dump's (the bars, tensor_compare.h).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/graph.h"
#include "runtime/kernel.h"

namespace ql::test {

struct FeedCheck {
  int compared = 0;
  std::vector<std::string> failures;  // "op 12 (CONV_2D) tensor 40 'name': what differed"
};

// 1e-4 for models with float16 weights or hybrid ops, 1e-5 otherwise.
double floatTolerance(const Model& m);

// `omitted`: tensors the dump left out (too large, constant-derived): not compared, and ops reading them are
// held to looser bars (see the .cpp).
FeedCheck checkAgainstDump(const Model& model, const std::string& dump_dir, const std::vector<std::string>& inputs,
                           Arithmetic arithmetic, const std::set<int>& omitted);

}  // namespace ql::test
