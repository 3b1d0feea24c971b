// The rule for every command that writes a directory of results (`run --out DIR`): it never clobbers what it did
// not write. DIR may be new, empty, or hold a previous quantlens run (a manifest.json whose "runtime" starts with
// "quantlens"), whose files are removed first so that none of them is left stale; anything else is refused
// unless forced.
#pragma once

#include <string>

namespace ql {

// Makes `dir` ready to receive a new run (created when missing). Throws BadInput naming `dir` and what is in it
// when it holds anything but a previous quantlens run and `force` is false. With `force`, foreign files stay and
// same-named ones are overwritten.
void prepareOutputDirectory(const std::string& dir, bool force);

// The same verdict without touching anything: commands check before a long computation and prepare just before
// writing (the previous run may be their input: `run --feed DIR --out DIR`).
void checkOutputDirectory(const std::string& dir, bool force);

}  // namespace ql
