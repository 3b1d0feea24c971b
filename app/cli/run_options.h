// What every command that runs a model shares: --max-memory MB (the interpreter's memory limit) and printing
// the warnings loading and preparing found.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace ql::cli {

// Adds --max-memory MB to `cmd`; `mb` stays 0 (the engine's default, half of physical memory) unless given.
void addMaxMemoryOption(CLI::App& cmd, size_t& mb);
// The limit in bytes for InterpreterOptions::max_memory (0 = the default).
inline size_t maxMemoryBytes(size_t mb) { return mb * 1024 * 1024; }

// "warning: ..." on stderr, one line each (stdout stays the command's result).
void printWarnings(const std::vector<std::string>& warnings);

}  // namespace ql::cli
