#include "ray/common/implementation.h"

namespace ray {

const char *RayCommonImplementation() { return "cc"; }

}  // namespace ray
