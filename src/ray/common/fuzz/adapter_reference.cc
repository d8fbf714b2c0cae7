// ray_equiv::Reference(): the C++ reference implementation, compiled with `ray` renamed to
// `ray_ref` (see BUILD.bazel) so that it links next to the Rust-backed `ray`.

#include "ray/common/id.h"
#include "ray/common/status.h"
#include "ray/common/status_or.h"

#define RAY_EQUIV_ENTRY Reference
#define RAY_EQUIV_NAME "reference"
#include "src/ray/common/fuzz/adapter_body.inc"
