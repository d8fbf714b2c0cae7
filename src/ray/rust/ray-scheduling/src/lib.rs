//! Ray's scheduling resource model in Rust: fixed-point resource quantities,
//! interned resource and node IDs, resource sets for demands and for nodes,
//! per-instance allocation (placement-group bundles included), and the
//! request/node data the scheduler works with.
//!
//! The behaviour follows Ray's C++ `src/ray/common/scheduling/` exactly,
//! including the observable integer IDs (libstdc++'s string hash), with these
//! documented differences:
//!
//! * **Order.** Ray iterates hash maps in an unspecified, per-process order;
//!   every collection here iterates in ascending resource ID. Debug strings of
//!   sets with several entries may therefore list them in another order.
//! * **Aborts.** Where Ray's `RAY_CHECK` aborts, the fallible `try_*` call
//!   (or [`NodeResourceInstanceSet::allocate`]) returns an error and the
//!   method with Ray's name panics with the same text. Nothing else panics.
//! * **Undefined behaviour in C++** (float-to-int conversion out of range,
//!   signed overflow) is defined here: conversions saturate and arithmetic
//!   wraps; see [`FixedPoint`].
//! * **Names** are UTF-8 strings.
//!
//! Process-wide state is what Ray has: the two name maps (resources, nodes)
//! and the set of unit-instance resources ([`unit_instance`]).

mod cluster_resource_data;
pub mod constants;
mod error;
mod fixed_point;
mod id_map;
mod placement_group_util;
mod resource_instance_set;
mod resource_set;
mod scheduling_ids;
pub mod std_hash;
mod stream_format;
mod string_id_map;
pub mod unit_instance;

pub use cluster_resource_data::{
    resource_id_map_to_resource_request, resource_map_to_node_resources,
    resource_map_to_resource_request, LabelConstraint, LabelSelector, LabelSelectorOperator, Node,
    NodeResourceInstances, NodeResources, ResourceRequest, TaskResourceInstances,
};
pub use constants::{IMPLICIT_RESOURCE_PREFIX, RESOURCE_UNIT_SCALING};
pub use error::{ResourceError, StringIdMapError, Taken, UnitInstanceConfigError};
pub use fixed_point::{
    fixed_point_vector_from_double, fixed_point_vector_to_double, fixed_point_vector_to_string,
    FixedPoint,
};
pub use id_map::IdMap;
pub use placement_group_util::{
    is_cpu_or_placement_group_cpu_resource, parse_pg_formatted_resource,
    try_parse_pg_formatted_resource, PgFormattedResourceData,
};
pub use resource_instance_set::{NodeResourceInstanceSet, ResourceAllocation};
pub use resource_set::{NodeResourceSet, ResourceEntry, ResourceSet};
pub use scheduling_ids::{NodeId, PredefinedResource, ResourceId, PREDEFINED_RESOURCES_ENUM_MAX};
pub use stream_format::format_double;
pub use string_id_map::{StringIdMap, UNKNOWN_ID_NAME};
