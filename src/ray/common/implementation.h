#pragma once

namespace ray {

// Which implementation of ray/common is linked: "cc" (the C++ one) or "rust"
// (the Rust one behind the C++ headers).
const char *RayCommonImplementation();

}  // namespace ray
