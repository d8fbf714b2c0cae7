// Drop-in for Ray's ray_config.h whose values are computed in Rust (ray_config, through
// //src/ray/rust/ray-ffi:config_bridge): defaults, RAY_<name> overrides, initialize(json)
// and ConvertValue's parsing.
//
// Each entry is still a C++ field behind an accessor returning a mutable reference, as in
// Ray, since callers and tests assign through it. The fields are filled from Rust after
// construction and after each initialize(); the entries come from the same list
// (ray/common/ray_config_def.h) as the Rust table.

#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "ray/ffi/config_bridge.rs.h"
#include "ray/util/logging.h"

namespace ray {
namespace config_bridge {

inline ::rust::Slice<const uint8_t> Bytes(const std::string &text) {
  return {reinterpret_cast<const uint8_t *>(text.data()), text.size()};
}

inline std::vector<std::string> Strings(const ::rust::Vec<::rust::String> &parts) {
  std::vector<std::string> out;
  out.reserve(parts.size());
  for (const auto &part : parts) {
    out.emplace_back(std::string(part));
  }
  return out;
}

[[noreturn]] void FailConvert(const std::string &type_string, const std::string &value);

}  // namespace config_bridge
}  // namespace ray

template <typename T>
T ConvertValue(const std::string &type_string, const std::string &value) {
  namespace bridge = ::ray::rust::config;
  using ::ray::config_bridge::Bytes;
  static_assert(std::is_arithmetic_v<T>, "RayConfig entries are numbers, bools or strings");
  bool parsed;
  T result;
  if constexpr (std::is_floating_point_v<T>) {
    double out = 0;
    parsed = bridge::convert_float(Bytes(value), sizeof(T) * 8, out);
    result = static_cast<T>(out);
  } else if constexpr (std::is_signed_v<T>) {
    int64_t out = 0;
    parsed = bridge::convert_int(Bytes(value), sizeof(T) * 8, out);
    result = static_cast<T>(out);
  } else {
    uint64_t out = 0;
    parsed = bridge::convert_uint(Bytes(value), sizeof(T) * 8, out);
    result = static_cast<T>(out);
  }
  if (!parsed) {
    ::ray::config_bridge::FailConvert(type_string, value);
  }
  return result;
}

template <>
inline std::string ConvertValue<std::string>(const std::string & /*type_string*/,
                                             const std::string &value) {
  return value;
}

template <>
inline bool ConvertValue<bool>(const std::string & /*type_string*/,
                               const std::string &value) {
  return ::ray::rust::config::convert_bool(::ray::config_bridge::Bytes(value));
}

template <>
inline std::vector<std::string> ConvertValue<std::vector<std::string>>(
    const std::string & /*type_string*/, const std::string &value) {
  ::rust::Vec<::rust::String> parts;
  ::ray::rust::config::convert_strings(::ray::config_bridge::Bytes(value), parts);
  return ::ray::config_bridge::Strings(parts);
}

class RayConfig {
// Each entry is a private field and a public accessor returning a mutable reference. The
// default value is Rust's to compute; here it is not evaluated.
#define RAY_CONFIG(type, name, default_value) \
 private:                                     \
  type name##_{};                             \
                                              \
 public:                                      \
  inline type &name() { return name##_; }

#include "ray/common/ray_config_def.h"

#define RAY_INTERNAL_FLAG RAY_CONFIG

#include "ray/common/ray_internal_flag_def.h"

#undef RAY_INTERNAL_FLAG
#undef RAY_CONFIG

 public:
  /// The process-wide configuration, constructed on first use.
  static RayConfig &instance();

  /// Re-reads every entry of ray_config_def.h from the environment (or its default),
  /// then applies `config_list`, a JSON object of entry names to values, unless it is
  /// empty. An unknown name, a value of the wrong JSON type or malformed JSON is fatal.
  void initialize(const std::string &config_list);

 private:
  RayConfig();

  /// Copies the values of ray_config_def.h's entries (and, with `internal_flags`, of
  /// ray_internal_flag_def.h's, which initialize() leaves alone) from Rust.
  void CopyFromRust(bool internal_flags);
};
