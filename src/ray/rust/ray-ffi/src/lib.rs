//! The cxx bridge between Ray's C++ API (`ray::Status`, the ID family) and
//! `ray-common`.
//!
//! [`bridge`] declares the interface; [`ids`] and [`status`] implement it on
//! top of `ray_common`, at the byte level where C++ strings are involved;
//! [`guard`] keeps panics from crossing into C++.

mod bridge;
mod guard;
mod ids;
mod status;
