//! RayConfig's interface to C++ (`ray/ffi/config_bridge.rs.h`, namespace
//! `ray::rust::config`).
//!
//! C++ keeps each entry in a field, as Ray's callers assign through the
//! accessors' references; Rust computes the values (defaults, `RAY_<name>`
//! overrides, `initialize(json)`) and C++ copies them in by name after
//! construction and after each `initialize`. `ConvertValue<T>` parses in Rust.
//! Failures that Ray aborts on return `false` with Ray's FATAL text.

use crate::config::*;

#[cxx::bridge(namespace = "ray::rust::config")]
pub(crate) mod ffi {
    extern "Rust" {
        /// Builds the process-wide configuration from the environment (once)
        /// and runs `initialize("")` on it, as Ray's constructor does.
        fn config_load(failure: Pin<&mut CxxString>) -> bool;
        /// Ray's `initialize(config_list)` on the process-wide configuration.
        fn config_initialize(config_list: &[u8], failure: Pin<&mut CxxString>) -> bool;

        // The current value of an entry, by its name in ray_config_def.h. A
        // name or type that does not match the list is a programming error
        // (the C++ fields and the Rust table come from the same list).
        fn config_get_bool(name: &str) -> bool;
        /// `int`, `int32_t` and `int64_t` entries.
        fn config_get_int(name: &str) -> i64;
        /// `uint32_t`, `uint64_t` and `size_t` entries.
        fn config_get_uint(name: &str) -> u64;
        /// `float` (exactly widened) and `double` entries.
        fn config_get_float(name: &str) -> f64;
        fn config_get_string(name: &str, out: Pin<&mut CxxString>);
        fn config_get_strings(name: &str, out: &mut Vec<String>);

        // `ConvertValue<T>`: `false` where Ray's RAY_CHECK fails.
        fn convert_int(text: &[u8], bits: u32, out: &mut i64) -> bool;
        fn convert_uint(text: &[u8], bits: u32, out: &mut u64) -> bool;
        fn convert_float(text: &[u8], bits: u32, out: &mut f64) -> bool;
        fn convert_bool(text: &[u8]) -> bool;
        fn convert_strings(text: &[u8], out: &mut Vec<String>);
    }
}
