#include "util/atomic_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace ql {

void writeFileAtomically(const std::string& path, const std::vector<const void*>& parts,
                         const std::vector<size_t>& sizes) {
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) badInput(path, std::string("cannot write: ") + std::strerror(errno));
  for (size_t i = 0; i < parts.size(); ++i) {
    const char* p = static_cast<const char*>(parts[i]);
    size_t left = sizes[i];
    while (left > 0) {
      ssize_t n = ::write(fd, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        int e = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        badInput(path, std::string("cannot write: ") + std::strerror(e));
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    badInput(path, std::string("cannot write: ") + std::strerror(e));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    badInput(path, std::string("cannot rename temporary file into place: ") + std::strerror(e));
  }
}

void writeFileAtomically(const std::string& path, const std::string& text) {
  writeFileAtomically(path, {text.data()}, {text.size()});
}

bool sameFile(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace ql
