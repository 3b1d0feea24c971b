// Writes a file through a temporary name in the same directory and renames it, so a reader never sees half a
// file and a failed export leaves the old file in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ql {

// Throws ql::Error naming `path` when it cannot be written.
void writeFileAtomically(const std::string& path, const std::vector<const void*>& parts,
                         const std::vector<size_t>& sizes);
void writeFileAtomically(const std::string& path, const std::string& text);

// True when both names refer to the same existing file (so an output would overwrite an input).
bool sameFile(const std::string& a, const std::string& b);

}  // namespace ql
