// SHA-256 as specified in FIPS 180-4.

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ray {

constexpr size_t kSha256DigestSize = 32;

// Incremental hasher: Update() any number of times, then Final() once.
class Sha256Context {
 public:
  Sha256Context();
  void Update(const void *data, size_t len);
  void Final(uint8_t out[kSha256DigestSize]);

 private:
  void Compress(const uint8_t block[64]);

  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

void Sha256(const uint8_t *data, size_t len, uint8_t out[kSha256DigestSize]);

// Raw 32-byte digest of `data`.
std::string Sha256(const std::string &data);

}  // namespace ray
