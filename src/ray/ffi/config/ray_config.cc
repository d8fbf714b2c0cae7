#include "ray/common/ray_config.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace ray {
namespace config_bridge {
namespace {

namespace bridge = ::ray::rust::config;

// The number of entries in both lists, as Rust's table counts them.
constexpr size_t kEntryCount = 0
#define RAY_CONFIG(type, name, default_value) +1
#include "ray/common/ray_config_def.h"
#undef RAY_CONFIG
#define RAY_INTERNAL_FLAG(type, name, default_value) +1
#include "ray/common/ray_internal_flag_def.h"
#undef RAY_INTERNAL_FLAG
    ;

// Stores the entry at `index` in `field`: numbers from `numbers` (encoded as
// config_export_numbers documents), strings asked from Rust by position.
template <typename T>
void Store(const std::array<uint64_t, kEntryCount> &numbers, size_t index, T *field) {
  const uint64_t bits = numbers[index];
  if constexpr (std::is_same_v<T, bool>) {
    *field = bits != 0;
  } else if constexpr (std::is_floating_point_v<T>) {
    double value;
    static_assert(sizeof(value) == sizeof(bits));
    std::memcpy(&value, &bits, sizeof(value));
    *field = static_cast<T>(value);
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    *field = static_cast<T>(static_cast<int64_t>(bits));
  } else if constexpr (std::is_integral_v<T>) {
    *field = static_cast<T>(bits);
  } else if constexpr (std::is_same_v<T, std::string>) {
    bridge::config_string_at(index, *field);
  } else {
    static_assert(std::is_same_v<T, std::vector<std::string>>, "an entry type of the list");
    ::rust::Vec<::rust::String> parts;
    bridge::config_strings_at(index, parts);
    *field = Strings(parts);
  }
}

}  // namespace

void FailConvert(const std::string &type_string, const std::string &value) {
  RAY_LOG(FATAL) << "Check failed: !value.empty() && stream.eof() Cannot parse \"" << value
                 << "\" to " << type_string;
  std::abort();  // not reached: FATAL aborts
}

}  // namespace config_bridge
}  // namespace ray

RayConfig &RayConfig::instance() {
  static RayConfig config;
  return config;
}

RayConfig::RayConfig() {
  std::string failure;
  if (!::ray::rust::config::config_load(failure)) {
    RAY_LOG(FATAL) << failure;
  }
  CopyFromRust(/*internal_flags=*/true);
}

void RayConfig::initialize(const std::string &config_list) {
  std::string failure;
  if (!::ray::rust::config::config_initialize(::ray::config_bridge::Bytes(config_list),
                                              failure)) {
    RAY_LOG(FATAL) << failure;
  }
  CopyFromRust(/*internal_flags=*/false);
}

void RayConfig::CopyFromRust(bool internal_flags) {
  using ::ray::config_bridge::kEntryCount;
  using ::ray::config_bridge::Store;
  std::array<uint64_t, kEntryCount> numbers{};
  ::ray::rust::config::config_export_numbers(
      ::rust::Slice<uint64_t>(numbers.data(), numbers.size()));
  size_t index = 0;
#define RAY_CONFIG(type, name, default_value) Store<type>(numbers, index++, &name##_);
#include "ray/common/ray_config_def.h"
#undef RAY_CONFIG
  if (internal_flags) {
#define RAY_INTERNAL_FLAG(type, name, default_value) Store<type>(numbers, index++, &name##_);
#include "ray/common/ray_internal_flag_def.h"
#undef RAY_INTERNAL_FLAG
  }
}
