// Comparison helpers shared by the differential fuzzers: every check runs one operation on
// ray_equiv::Reference() and ray_equiv::RustBacked() and stops the process, printing both
// results and the input, when they differ.

#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "src/ray/common/fuzz/adapter.h"

namespace ray_equiv {

// Installs the log capture on both sides (once) and records the input being run, for
// divergence reports. Construct one at the top of LLVMFuzzerTestOneInput.
class Case {
 public:
  Case(const uint8_t *data, size_t size);
  ~Case();
  Case(const Case &) = delete;
  Case &operator=(const Case &) = delete;
};

inline const Impl &Ref() { return Reference(); }
inline const Impl &Rust() { return RustBacked(); }

// Prints both results and the input, then traps (a crash for libFuzzer and for the replay).
[[noreturn]] void Diverge(const std::string &what,
                          const std::string &reference,
                          const std::string &rust);

std::string Hex(const std::string &bytes);

void Same(const std::string &what, const std::string &reference, const std::string &rust);
void Same(const std::string &what, uint64_t reference, uint64_t rust);
void Same(const std::string &what, const IdView &reference, const IdView &rust);

// Compares the log records both sides emitted since the last call (FromHex's errors).
void SameLogs(const std::string &what);

// Runs `call` on each side in a forked child and requires both to end in RAY_LOG(FATAL)
// with the same message. Forks are rationed (the first 64, then while forking stays under
// 5% of the run time), so fatal-heavy inputs keep the pace; returns whether it ran.
bool SameFatal(const std::string &what, const std::function<void(const Impl &)> &call);

// Which implementation a call runs on, for fatal comparisons of adapters other than Impl.
enum class Side { kReference, kRust };

// SameFatal for a call that picks its implementation by Side.
bool SameFatalBySide(const std::string &what, const std::function<void(Side)> &call);

// How many forked fatal comparisons ran so far (reported at exit).
uint64_t FatalChecks();

}  // namespace ray_equiv
