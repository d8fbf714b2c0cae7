//! The RayConfig bridge's functions, on top of `ray_config`.

use std::pin::Pin;

use cxx::CxxString;
use ray_config::{ConfigError, ConfigValueRef, EnvValue, RayConfig, ENTRIES};

use crate::guard::guard;

fn text(out: Pin<&mut CxxString>, s: &str) {
    let mut out = out;
    out.as_mut().clear();
    out.push_str(s);
}

fn fail(failure: Pin<&mut CxxString>, e: &ConfigError) -> bool {
    text(failure, &e.fatal_message());
    false
}

/// Environment and JSON text as Rust reads it: C++ strings need not be UTF-8,
/// and Rust's side sees invalid bytes as U+FFFD (listed among the differences).
fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

pub(crate) fn config_load(failure: Pin<&mut CxxString>) -> bool {
    guard("config_load", || match ray_config::instance() {
        Ok(_) => config_initialize(b"", failure),
        Err(e) => fail(failure, &e),
    })
}

pub(crate) fn config_initialize(config_list: &[u8], failure: Pin<&mut CxxString>) -> bool {
    guard("config_initialize", || {
        let instance = match ray_config::instance() {
            Ok(instance) => instance,
            Err(e) => return fail(failure, &e),
        };
        // A poisoned lock only means another caller panicked (and aborted) mid-write.
        let mut config = instance.write().unwrap_or_else(|p| p.into_inner());
        match config.initialize(&lossy(config_list)) {
            Ok(()) => true,
            Err(e) => fail(failure, &e),
        }
    })
}

/// Runs `f` on the process-wide configuration, under its read lock.
fn with_config<R>(f: impl FnOnce(&RayConfig) -> R) -> R {
    match ray_config::instance() {
        Ok(instance) => f(&instance.read().unwrap_or_else(|p| p.into_inner())),
        Err(e) => panic!("RayConfig was read before it loaded: {e}"),
    }
}

fn entry_name(index: usize) -> &'static str {
    ENTRIES.get(index).map_or("<none>", |entry| entry.name)
}

pub(crate) fn config_export_numbers(out: &mut [u64]) {
    guard("config_export_numbers", || {
        assert_eq!(
            out.len(),
            ENTRIES.len(),
            "C++ and Rust list different numbers of RayConfig entries"
        );
        with_config(|config| {
            for (index, slot) in out.iter_mut().enumerate() {
                *slot = match config.value_at(index) {
                    Some(ConfigValueRef::Bool(v)) => u64::from(v),
                    Some(ConfigValueRef::I32(v)) => i64::from(v) as u64,
                    Some(ConfigValueRef::I64(v)) => v as u64,
                    Some(ConfigValueRef::U32(v)) => u64::from(v),
                    Some(ConfigValueRef::U64(v)) => v,
                    Some(ConfigValueRef::Usize(v)) => v as u64,
                    Some(ConfigValueRef::F32(v)) => f64::from(v).to_bits(),
                    Some(ConfigValueRef::F64(v)) => v.to_bits(),
                    _ => continue,
                };
            }
        })
    })
}

pub(crate) fn config_string_at(index: usize, out: Pin<&mut CxxString>) {
    guard("config_string_at", || {
        with_config(|config| match config.value_at(index) {
            Some(ConfigValueRef::String(v)) => text(out, v),
            _ => panic!("RayConfig entry {} is not a string", entry_name(index)),
        })
    })
}

pub(crate) fn config_strings_at(index: usize, out: &mut Vec<String>) {
    guard("config_strings_at", || {
        with_config(|config| match config.value_at(index) {
            Some(ConfigValueRef::StringList(v)) => *out = v.to_vec(),
            _ => panic!("RayConfig entry {} is not a string list", entry_name(index)),
        })
    })
}

fn convert<T: EnvValue>(text: &[u8]) -> Option<T> {
    T::from_env_text(&lossy(text))
}

pub(crate) fn convert_int(text: &[u8], bits: u32, out: &mut i64) -> bool {
    guard("convert_int", || {
        let parsed = match bits {
            32 => convert::<i32>(text).map(i64::from),
            _ => convert::<i64>(text),
        };
        parsed.map(|v| *out = v).is_some()
    })
}

pub(crate) fn convert_uint(text: &[u8], bits: u32, out: &mut u64) -> bool {
    guard("convert_uint", || {
        let parsed = match bits {
            32 => convert::<u32>(text).map(u64::from),
            _ => convert::<u64>(text),
        };
        parsed.map(|v| *out = v).is_some()
    })
}

pub(crate) fn convert_float(text: &[u8], bits: u32, out: &mut f64) -> bool {
    guard("convert_float", || {
        let parsed = match bits {
            32 => convert::<f32>(text).map(f64::from),
            _ => convert::<f64>(text),
        };
        parsed.map(|v| *out = v).is_some()
    })
}

pub(crate) fn convert_bool(text: &[u8]) -> bool {
    guard("convert_bool", || convert::<bool>(text).unwrap_or(false))
}

pub(crate) fn convert_strings(text: &[u8], out: &mut Vec<String>) {
    guard("convert_strings", || {
        *out = convert::<Vec<String>>(text).unwrap_or_default();
    })
}
