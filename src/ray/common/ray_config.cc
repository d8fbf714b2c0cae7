#include "ray/common/ray_config.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <type_traits>

#include "nlohmann/json.hpp"

namespace {

using json = nlohmann::json;

/// A JSON value as the entry type `T`, with nlohmann's conversion rules: numbers of any
/// kind convert to any arithmetic type, while bool, string and list entries need that
/// exact JSON type (a type_error otherwise). The one defined addition: a floating-point
/// number converts to an integer entry saturating at the type's bounds, where a plain
/// cast of an out-of-range value would be undefined.
template <typename T>
T JsonValueAs(const json &value) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (value.is_number_float()) {
      const double number = value.get<double>();
      if (std::isnan(number)) {
        return 0;
      }
      if (number <= static_cast<double>(std::numeric_limits<T>::min())) {
        return std::numeric_limits<T>::min();
      }
      if (number >= static_cast<double>(std::numeric_limits<T>::max())) {
        return std::numeric_limits<T>::max();
      }
      return static_cast<T>(number);
    }
  }
  return value.get<T>();
}

}  // namespace

RayConfig &RayConfig::instance() {
  static RayConfig config;
  return config;
}

// The field initializers have read every entry once; initialize("") reads the entries
// of ray_config_def.h again, as Ray's constructor does.
RayConfig::RayConfig() { initialize(""); }

void RayConfig::initialize(const std::string &config_list) {
#define RAY_CONFIG(type, name, default_value) \
  name##_ = ReadEnv<type>("RAY_" #name, #type, default_value);
#include "ray/common/ray_config_def.h"
#undef RAY_CONFIG

  if (config_list.empty()) {
    return;
  }

  try {
    const json config_map = json::parse(config_list);
    for (const auto &pair : config_map.items()) {
      // One test per entry of ray_config_def.h; a match continues with the next key.
      // Internal flags are not settable here, so their names are unexpected.
#define RAY_CONFIG(type, name, default_value)      \
  if (pair.key() == #name) {                       \
    name##_ = JsonValueAs<type>(pair.value());     \
    continue;                                      \
  }
#include "ray/common/ray_config_def.h"
#undef RAY_CONFIG
      RAY_LOG(FATAL) << "Received unexpected config parameter " << pair.key();
    }

    if (::ray::RayLog::IsLevelEnabled(::ray::RayLogLevel::DEBUG)) {
      std::ostringstream summary;
      summary << "RayConfig is initialized with: ";
      for (const auto &pair : config_map.items()) {
        summary << pair.key() << "=" << pair.value() << ",";
      }
      RAY_LOG(DEBUG) << summary.str();
    }
  } catch (json::exception &ex) {
    RAY_LOG(FATAL) << "Failed to initialize RayConfig: " << ex.what()
                   << " The config string is: " << config_list;
  }
}
