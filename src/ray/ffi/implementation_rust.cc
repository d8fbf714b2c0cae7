#include <string>

#include "ray/common/implementation.h"
#include "ray/ffi/bridge.rs.h"

namespace ray {

const char *RayCommonImplementation() {
  // rust::Str is not NUL-terminated; keep one terminated copy for the process.
  static const std::string *const name = [] {
    const ::rust::Str text = rust::implementation_name();
    return new std::string(text.data(), text.size());
  }();
  return name->c_str();
}

}  // namespace ray
