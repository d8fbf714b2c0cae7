//! RayConfig's interface to C++ (`ray/ffi/config_bridge.rs.h`, namespace
//! `ray::rust::config`).
//!
//! C++ keeps each entry in a field, as Ray's callers assign through the
//! accessors' references; Rust computes the values (defaults, `RAY_<name>`
//! overrides, `initialize(json)`) and C++ copies them in after construction
//! and after each `initialize`: every number in one crossing, by the entry's
//! position in the shared list, then each string entry by position.
//! `ConvertValue<T>` parses in Rust.
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

        // Values by position in the list (ray_config_def.h, then
        // ray_internal_flag_def.h). A position, length or type that does not
        // match is a programming error (C++ and Rust are built from one list).

        /// Every numeric entry's value at its position in `out` (whose length
        /// is the number of entries): bools as 0/1, signed integers
        /// sign-extended, unsigned ones zero-extended, floating-point ones as
        /// the bits of the (exactly widened) `double`. String positions are
        /// left alone.
        fn config_export_numbers(out: &mut [u64]);
        /// The `std::string` entry at `index`.
        fn config_string_at(index: usize, out: Pin<&mut CxxString>);
        /// The `std::vector<std::string>` entry at `index`.
        fn config_strings_at(index: usize, out: &mut Vec<String>);

        // `ConvertValue<T>`: `false` where Ray's RAY_CHECK fails.
        fn convert_int(text: &[u8], bits: u32, out: &mut i64) -> bool;
        fn convert_uint(text: &[u8], bits: u32, out: &mut u64) -> bool;
        fn convert_float(text: &[u8], bits: u32, out: &mut f64) -> bool;
        fn convert_bool(text: &[u8]) -> bool;
        fn convert_strings(text: &[u8], out: &mut Vec<String>);
    }
}
