// ray_equiv::SchedulingReference(): the C++ reference of ray/common/scheduling, compiled
// with `ray` renamed to `ray_ref` (see BUILD.bazel) so that it links next to the
// Rust-backed `ray`.

#include "ray/common/scheduling/placement_group_util.h"
#include "ray/common/scheduling/resource_instance_set.h"
#include "ray/common/scheduling/resource_set.h"
#include "ray/common/scheduling/scheduling_ids.h"

#define RAY_EQUIV_SCHED_ENTRY SchedulingReference
#define RAY_EQUIV_SCHED_NAME "reference"
#include "src/ray/common/fuzz/scheduling_adapter_body.inc"
