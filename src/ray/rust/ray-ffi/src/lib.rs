//! The cxx bridge between Ray's C++ API and `ray-common`.

mod bridge;
