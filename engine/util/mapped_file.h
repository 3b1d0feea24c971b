// A read-only memory map of a whole file, so large models are not copied into memory to be read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace ql {

class MappedFile {
 public:
  // Throws ql::Error (BadInput) naming the file when it is missing, a directory, empty or unreadable.
  static std::shared_ptr<const MappedFile> open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  MappedFile() = default;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace ql
