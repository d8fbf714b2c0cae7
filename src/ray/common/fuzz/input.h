// Splits a fuzzer input into typed values. Reads past the end yield zeros, so every input,
// however short, is a valid program. (A local reader rather than libFuzzer's
// FuzzedDataProvider, because the corpus replay is also built by gcc, without clang's headers.)

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ray_equiv {

class Input {
 public:
  Input(const uint8_t *data, size_t size) : data_(data), size_(size) {}

  size_t Remaining() const { return size_ - pos_; }

  uint8_t U8() { return pos_ < size_ ? data_[pos_++] : 0; }
  bool Bool() { return U8() & 1; }
  // Little-endian, so seed files can spell values plainly.
  uint16_t U16() { return static_cast<uint16_t>(Uint(2)); }
  uint32_t U32() { return static_cast<uint32_t>(Uint(4)); }
  uint64_t U64() { return Uint(8); }

  // Exactly n bytes; zeros past the end.
  std::string Exact(size_t n) {
    std::string out(n, '\0');
    for (size_t i = 0; i < n; ++i) {
      out[i] = static_cast<char>(U8());
    }
    return out;
  }
  // A length byte (modulo max + 1), then up to that many bytes.
  std::string Sized(size_t max) {
    const size_t want = U8() % (max + 1);
    const size_t n = want < Remaining() ? want : Remaining();
    std::string out(reinterpret_cast<const char *>(data_ + pos_), n);
    pos_ += n;
    return out;
  }
  std::string Rest() {
    std::string out(reinterpret_cast<const char *>(data_ + pos_), Remaining());
    pos_ = size_;
    return out;
  }

 private:
  uint64_t Uint(int bytes) {
    uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) {
      value |= static_cast<uint64_t>(U8()) << (8 * i);
    }
    return value;
  }

  const uint8_t *data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace ray_equiv
