#include "ray/common/ray_config.h"

#include <string>
#include <type_traits>
#include <vector>

namespace ray {
namespace config_bridge {
namespace {

namespace bridge = ::ray::rust::config;

template <typename T>
void Read(const char *name, T *field) {
  const ::rust::Str key(name);
  if constexpr (std::is_same_v<T, bool>) {
    *field = bridge::config_get_bool(key);
  } else if constexpr (std::is_floating_point_v<T>) {
    *field = static_cast<T>(bridge::config_get_float(key));
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    *field = static_cast<T>(bridge::config_get_int(key));
  } else if constexpr (std::is_integral_v<T>) {
    *field = static_cast<T>(bridge::config_get_uint(key));
  } else if constexpr (std::is_same_v<T, std::string>) {
    bridge::config_get_string(key, *field);
  } else {
    static_assert(std::is_same_v<T, std::vector<std::string>>, "an entry type of the list");
    ::rust::Vec<::rust::String> parts;
    bridge::config_get_strings(key, parts);
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
#define RAY_CONFIG(type, name, default_value) \
  ::ray::config_bridge::Read<type>(#name, &name##_);
#include "ray/common/ray_config_def.h"
#undef RAY_CONFIG
  if (internal_flags) {
#define RAY_INTERNAL_FLAG(type, name, default_value) \
  ::ray::config_bridge::Read<type>(#name, &name##_);
#include "ray/common/ray_internal_flag_def.h"
#undef RAY_INTERNAL_FLAG
  }
}
