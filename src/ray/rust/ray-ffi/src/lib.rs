//! The cxx bridges between Ray's C++ API and the Rust crates behind it, one
//! per migrated component:
//!
//! * [`bridge`]: `ray::Status` and the ID family, implemented by [`ids`] and
//!   [`status`] on top of `ray_common`;
//! * [`config_bridge`]: `RayConfig` (`ray_config.h`), implemented by
//!   [`config`] on top of `ray_config`;
//! * [`scheduling_bridge`]: the scheduling resource model (`scheduling_ids.h`,
//!   `resource_set.h`, `resource_instance_set.h`, `placement_group_util.h`),
//!   implemented by [`scheduling`] on top of `ray_scheduling`.
//!
//! [`guard`] keeps panics from crossing into C++.

mod bridge;
mod config;
mod config_bridge;
mod guard;
mod ids;
mod scheduling;
mod scheduling_bridge;
mod status;
