//! Constants of Ray's resource model (`ray/common/constants.h` and
//! `scheduling_ids.h`).

/// Scale of [`FixedPoint`](crate::FixedPoint): one unit is 10000 raw steps.
pub const RESOURCE_UNIT_SCALING: i64 = 10000;

/// Prefix of implicit resources, which every node has with a default of 1.
/// The autoscaler depends on this exact text.
pub const IMPLICIT_RESOURCE_PREFIX: &str = "node:__internal_implicit_resource_";

/// Name of the predefined CPU resource.
pub const CPU_RESOURCE_LABEL: &str = "CPU";
/// Name of the predefined GPU resource.
pub const GPU_RESOURCE_LABEL: &str = "GPU";
/// Name of the predefined object store memory resource.
pub const OBJECT_STORE_MEMORY_RESOURCE_LABEL: &str = "object_store_memory";
/// Name of the predefined memory resource.
pub const MEMORY_RESOURCE_LABEL: &str = "memory";
/// Name of the bundle resource of placement groups.
pub const BUNDLE_RESOURCE_LABEL: &str = "bundle";
