// ray_equiv::RustBacked(): the drop-in headers of //src/ray/ffi, whose behaviour is in Rust.

#include "ray/common/id.h"
#include "ray/common/status.h"
#include "ray/common/status_or.h"

#define RAY_EQUIV_ENTRY RustBacked
#define RAY_EQUIV_NAME "rust"
#include "src/ray/common/fuzz/adapter_body.inc"
