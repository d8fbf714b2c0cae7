// Differential fuzzer: parsing, printing and hashing of every ID type.
//
// Input: kind byte, mode byte, then the mode's data. Modes: an exact-size binary; a binary
// of any length (wrong sizes are fatal); any string as hex; a hex-shaped string; nil and
// random IDs.

#include <cstddef>
#include <cstdint>
#include <string>

#include "src/ray/common/fuzz/harness.h"
#include "src/ray/common/fuzz/input.h"

namespace ray_equiv {
namespace {

constexpr char kHexAlphabet[] = "0123456789abcdefABCDEF";

bool IsFamily(IdKind kind) { return kind <= IdKind::kCluster; }

std::string KindName(IdKind kind) { return "kind " + std::to_string(static_cast<int>(kind)); }

void CheckBinary(IdKind kind, const std::string &binary) {
  const std::string k = KindName(kind);
  const IdView ref = Ref().IdFromBinary(kind, binary);
  Same(k + " FromBinary", ref, Rust().IdFromBinary(kind, binary));
  Same(k + " construct", Ref().IdConstruct(kind, binary), Rust().IdConstruct(kind, binary));
  if (IsFamily(kind)) {
    Same(k + " from UniqueID", Ref().IdFromUnique(kind, binary), Rust().IdFromUnique(kind, binary));
  }
  if (binary.empty()) {
    return;
  }
  // Hex() parses back, in either case.
  std::string hex = Hex(binary);
  Same(k + " FromHex(Hex)", Ref().IdFromHex(kind, hex), Rust().IdFromHex(kind, hex));
  for (size_t i = 0; i < hex.size(); i += 3) {
    if (hex[i] >= 'a') {
      hex[i] = static_cast<char>(hex[i] - 'a' + 'A');
    }
  }
  Same(k + " FromHex(mixed case)", Ref().IdFromHex(kind, hex), Rust().IdFromHex(kind, hex));
  SameLogs(k + " FromHex(Hex)");
  // Equality and hashing against a neighbour.
  std::string other = binary;
  other[other.size() / 2] = static_cast<char>(other[other.size() / 2] ^ 1);
  Same(k + " compare equal", Ref().IdCompare(kind, binary, binary),
       Rust().IdCompare(kind, binary, binary));
  Same(k + " compare neighbour", Ref().IdCompare(kind, binary, other),
       Rust().IdCompare(kind, binary, other));
}

void CheckAnyLength(IdKind kind, const std::string &binary) {
  const size_t size = Ref().IdSize(kind);
  if (binary.empty() || binary.size() == size) {
    CheckBinary(kind, binary);
    return;
  }
  SameFatal(KindName(kind) + " FromBinary of " + std::to_string(binary.size()) + " bytes",
            [&](const Impl &impl) { impl.IdFromBinary(kind, binary); });
  SameFatal(KindName(kind) + " constructor of " + std::to_string(binary.size()) + " bytes",
            [&](const Impl &impl) { impl.IdConstruct(kind, binary); });
}

void CheckHex(IdKind kind, const std::string &hex) {
  const std::string k = KindName(kind);
  Same(k + " FromHex", Ref().IdFromHex(kind, hex), Rust().IdFromHex(kind, hex));
  SameLogs(k + " FromHex");
}

// Random IDs cannot be compared by value: check the shape on each side, and that the
// reference computes the same observations from the Rust-made bytes.
void CheckRandomShape(const Impl &impl, IdKind kind, const std::string &job) {
  const IdView view = impl.IdFromRandom(kind, job);
  const std::string &b = view.binary;
  const size_t size = Ref().IdSize(kind);
  auto fail = [&](const std::string &why) {
    Diverge(KindName(kind) + " random ID from " + impl.Name() + ": " + why,
            "expected by the reference's contract", Hex(b));
  };
  if (b.size() != size) {
    fail("wrong size");
  }
  size_t random_len = size;
  switch (kind) {
  case IdKind::kJob:
    return;
  case IdKind::kTask:
  case IdKind::kPlacementGroup:
  case IdKind::kActor:
    random_len = size - 4;
    if (b.compare(random_len, 4, job) != 0) {
      fail("does not end with the job");
    }
    break;
  case IdKind::kObject:
    random_len = 24;
    if (b.compare(24, 4, std::string(4, '\0')) != 0) {
      fail("index is not 0");
    }
    break;
  default:
    break;
  }
  // ActorID::Of hashes (any byte possible); the others draw bytes in [0, 254].
  if (kind != IdKind::kActor) {
    for (size_t i = 0; i < random_len; ++i) {
      if (static_cast<uint8_t>(b[i]) == 0xff) {
        fail("random byte 0xff at " + std::to_string(i));
      }
    }
  }
  Same(KindName(kind) + " observations of a random ID from " + impl.Name(),
       Ref().IdFromBinary(kind, b), Rust().IdFromBinary(kind, b));
}

}  // namespace
}  // namespace ray_equiv

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace ray_equiv;
  Case c(data, size);
  Input in(data, size);
  const auto kind = static_cast<IdKind>(in.U8() % kIdKindCount);
  const size_t id_size = Ref().IdSize(kind);
  Same(KindName(kind) + " Size", id_size, Rust().IdSize(kind));
  const uint8_t mode = in.U8();
  switch (mode % 5) {
  case 0: {
    std::string binary = in.Exact(id_size);
    // High bits of the mode paint a prefix 0xFF, towards nil and nil-like IDs.
    const size_t painted = (mode >> 3) % (id_size + 1);
    for (size_t i = 0; i < painted; ++i) {
      binary[(mode & 4) ? id_size - 1 - i : i] = '\xff';
    }
    CheckBinary(kind, binary);
    break;
  }
  case 1:
    CheckAnyLength(kind, in.Rest());
    break;
  case 2:
    CheckHex(kind, in.Rest());
    break;
  case 3: {
    // Mostly hex digits, near the right length, with the odd stray byte.
    const int length_delta = static_cast<int>(mode >> 5) - 2;
    const size_t length = static_cast<size_t>(static_cast<int>(2 * id_size) + length_delta);
    std::string hex;
    for (size_t i = 0; i < length; ++i) {
      const uint8_t b = in.U8();
      hex.push_back(b < 0xf8 ? kHexAlphabet[b % 22] : static_cast<char>(in.U8()));
    }
    CheckHex(kind, hex);
    break;
  }
  default: {
    Same(KindName(kind) + " Nil", Ref().IdNil(kind), Rust().IdNil(kind));
    const std::string job = in.Exact(4);
    CheckRandomShape(Ref(), kind, job);
    CheckRandomShape(Rust(), kind, job);
    break;
  }
  }
  return 0;
}
