// Small conversions shared by the scheduling drop-in's sources.

#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "ray/common/scheduling/fixed_point.h"
#include "ray/util/logging.h"
#include "rust/cxx.h"

namespace ray {
namespace scheduling_bridge {

inline ::rust::Slice<const uint8_t> Bytes(const std::string &text) {
  return {reinterpret_cast<const uint8_t *>(text.data()), text.size()};
}

static_assert(sizeof(FixedPoint) == sizeof(int64_t) && alignof(FixedPoint) == alignof(int64_t),
              "a FixedPoint is one int64_t on both sides of the bridge");
static_assert(std::is_standard_layout<FixedPoint>::value, "FixedPoint layout");

/// The raw values of `values`, in place.
inline ::rust::Slice<const int64_t> Raw(const std::vector<FixedPoint> &values) {
  if (values.empty()) {
    return {};
  }
  return {reinterpret_cast<const int64_t *>(values.data()), values.size()};
}

/// `raw` as FixedPoints, written over `out`.
template <typename Ints>
void AssignFixedPoints(const Ints &raw, std::vector<FixedPoint> *out) {
  out->resize(raw.size());
  if (!raw.empty()) {
    std::memcpy(static_cast<void *>(out->data()), raw.data(), raw.size() * sizeof(int64_t));
  }
}

/// A FixedPoint from its raw value.
inline FixedPoint FromRaw(int64_t raw) {
  FixedPoint value;
  std::memcpy(static_cast<void *>(&value), &raw, sizeof raw);
  return value;
}

inline int64_t ToRaw(FixedPoint value) {
  int64_t raw;
  std::memcpy(&raw, static_cast<const void *>(&value), sizeof raw);
  return raw;
}

/// Acts on a failure code of the bridge: -2 is the std::out_of_range that Ray's
/// std::stoi throws, anything else a failed check whose text Rust composed.
[[noreturn]] inline void Fail(int code, const std::string &text) {
  if (code == -2) {
    throw std::out_of_range("stoi");
  }
  RAY_LOG(FATAL) << text;
  std::abort();  // not reached: FATAL aborts
}

/// Logs a failed check whose text Rust composed.
[[noreturn]] inline void FailCheck(const std::string &text) {
  RAY_LOG(FATAL) << text;
  std::abort();  // not reached: FATAL aborts
}

}  // namespace scheduling_bridge
}  // namespace ray
