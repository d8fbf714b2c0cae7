// RayConfig: Ray's process-wide settings, one typed field per entry of
// ray/common/ray_config_def.h and ray/common/ray_internal_flag_def.h.
//
// An entry takes, by increasing precedence, its default value, the environment variable
// RAY_<name> (read at construction and again by every initialize() call), and the JSON
// object given to initialize(). A value that cannot be parsed is fatal, with Ray's
// messages.

#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "ray/util/logging.h"

/// Parses the text of an environment variable as a `T`, the way `operator>>` reads it,
/// and requires the whole text to be consumed. `type_string` names the type in the
/// fatal message.
template <typename T>
T ConvertValue(const std::string &type_string, const std::string &value) {
  std::istringstream stream(value);
  // Value-initialized: a text of only whitespace extracts nothing yet reaches the end.
  T parsed_value{};
  stream >> parsed_value;
  RAY_CHECK(!value.empty() && stream.eof())
      << "Cannot parse \"" << value << "\" to " << type_string;
  return parsed_value;
}

/// Strings are taken verbatim.
template <>
inline std::string ConvertValue<std::string>(const std::string & /*type_string*/,
                                             const std::string &value) {
  return value;
}

/// "true" and "1", in any letter case, are true; every other text is false.
template <>
inline bool ConvertValue<bool>(const std::string & /*type_string*/,
                               const std::string &value) {
  const std::string lowered = absl::AsciiStrToLower(value);
  return lowered == "true" || lowered == "1";
}

/// A comma-separated list; each element loses its surrounding whitespace.
template <>
inline std::vector<std::string> ConvertValue<std::vector<std::string>>(
    const std::string & /*type_string*/, const std::string &value) {
  std::vector<std::string> parts = absl::StrSplit(value, ',');
  for (auto &part : parts) {
    part = std::string(absl::StripAsciiWhitespace(part));
  }
  return parts;
}

class RayConfig {
// Each entry becomes a private field initialized from the environment (or its default)
// and a public accessor returning a mutable reference, as Ray's callers and tests
// assign through it.
#define RAY_CONFIG(type, name, default_value)                       \
 private:                                                           \
  type name##_ = ReadEnv<type>("RAY_" #name, #type, default_value); \
                                                                    \
 public:                                                            \
  inline type &name() { return name##_; }

#include "ray/common/ray_config_def.h"

// Internal flags are fields of the same shape; only initialize() treats them apart.
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

  /// The value of the environment variable `name` converted to `T`, or `default_value`
  /// when it is unset.
  template <typename T>
  T ReadEnv(const std::string &name,
            const std::string &type_string,
            const T &default_value) {
    const char *value = std::getenv(name.c_str());
    if (value == nullptr) {
      return default_value;
    }
    return ConvertValue<T>(type_string, value);
  }
};
