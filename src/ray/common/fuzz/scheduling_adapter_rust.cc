// ray_equiv::SchedulingRustBacked(): the drop-in scheduling headers of //src/ray/ffi,
// whose behaviour is in the ray-scheduling crate.

#include "ray/common/scheduling/placement_group_util.h"
#include "ray/common/scheduling/resource_instance_set.h"
#include "ray/common/scheduling/resource_set.h"
#include "ray/common/scheduling/scheduling_ids.h"

#define RAY_EQUIV_SCHED_ENTRY SchedulingRustBacked
#define RAY_EQUIV_SCHED_NAME "rust"
#include "src/ray/common/fuzz/scheduling_adapter_body.inc"
