// Differential fuzzer: MurmurHash64A on arbitrary bytes, lengths, seeds and alignments.
//
// Input: seed (4 bytes), an alignment byte, a length byte, then the data.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "src/ray/common/fuzz/harness.h"
#include "src/ray/common/fuzz/input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace ray_equiv;
  Case c(data, size);
  Input in(data, size);
  const uint32_t seed = in.U32();
  const uint8_t align = in.U8();
  const uint8_t cut = in.U8();
  const std::string bytes = in.Rest();
  // Blocks are read with unaligned loads: hash the bytes at every offset modulo 8.
  std::vector<uint8_t> buffer(bytes.size() + 8);
  uint8_t *at = buffer.data() + (align % 8);
  if (!bytes.empty()) {
    std::memcpy(at, bytes.data(), bytes.size());
  }
  const int len = static_cast<int>(bytes.size());
  Same("MurmurHash64A", Ref().MurmurHash64A(at, len, seed), Rust().MurmurHash64A(at, len, seed));
  // A shorter prefix, ending anywhere within the last two blocks.
  const int prefix = len - static_cast<int>(cut % 17 > len ? len : cut % 17);
  Same("MurmurHash64A prefix", Ref().MurmurHash64A(at, prefix, seed),
       Rust().MurmurHash64A(at, prefix, seed));
  Same("MurmurHash64A seed 0", Ref().MurmurHash64A(at, len, 0), Rust().MurmurHash64A(at, len, 0));
  // Negative lengths are outside the contract (upstream Ray reads out of bounds), and the
  // two implementations differ there: the reference mixes the negative length into the
  // initial state, the Rust-backed one hashes as if the length were 0. Opt in to compare.
  static const bool negative_lengths = std::getenv("RAY_EQUIV_MURMUR_NEGATIVE_LEN") != nullptr;
  if (negative_lengths && (cut & 0x80)) {
    const int negative = -1 - (cut & 0x7f);
    Same("MurmurHash64A negative length", Ref().MurmurHash64A(at, negative, seed),
         Rust().MurmurHash64A(at, negative, seed));
  }
  return 0;
}
