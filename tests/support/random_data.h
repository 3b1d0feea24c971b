// Random test data drawn from a seeded generator, and the raw bytes tests feed to the interpreter and the oracle.
#pragma once

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace ql::test {

// n integers uniform in [lo, hi], as T.
template <typename T>
std::vector<T> randomValues(std::mt19937& rng, size_t n, int lo, int hi) {
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(d(rng));
  return v;
}

inline std::vector<float> randomFloats(std::mt19937& rng, size_t n, float lo, float hi) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

template <typename T>
std::vector<uint8_t> bytesOf(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

}  // namespace ql::test
