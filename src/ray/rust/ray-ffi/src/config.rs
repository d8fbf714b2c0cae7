//! The RayConfig bridge's functions, on top of `ray_config`.

use std::pin::Pin;

use cxx::CxxString;
use ray_config::{ConfigError, ConfigValue, EnvValue, RayConfig};

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

fn value(name: &str) -> ConfigValue {
    let config: Option<ConfigValue> = ray_config::instance().ok().and_then(|instance| {
        let config = instance.read().unwrap_or_else(|p| p.into_inner());
        RayConfig::get(&config, name)
    });
    match config {
        Some(value) => value,
        None => panic!("RayConfig has no entry named {name}, or it was never loaded"),
    }
}

fn mismatch(name: &str, wanted: &str, found: &ConfigValue) -> ! {
    panic!(
        "RayConfig entry {name} is {}, read as {wanted}",
        found.type_name()
    )
}

pub(crate) fn config_get_bool(name: &str) -> bool {
    guard("config_get_bool", || match value(name) {
        ConfigValue::Bool(v) => v,
        other => mismatch(name, "bool", &other),
    })
}

pub(crate) fn config_get_int(name: &str) -> i64 {
    guard("config_get_int", || match value(name) {
        ConfigValue::I32(v) => i64::from(v),
        ConfigValue::I64(v) => v,
        other => mismatch(name, "a signed integer", &other),
    })
}

pub(crate) fn config_get_uint(name: &str) -> u64 {
    guard("config_get_uint", || match value(name) {
        ConfigValue::U32(v) => u64::from(v),
        ConfigValue::U64(v) => v,
        ConfigValue::Usize(v) => v as u64,
        other => mismatch(name, "an unsigned integer", &other),
    })
}

pub(crate) fn config_get_float(name: &str) -> f64 {
    guard("config_get_float", || match value(name) {
        ConfigValue::F32(v) => f64::from(v),
        ConfigValue::F64(v) => v,
        other => mismatch(name, "a floating-point number", &other),
    })
}

pub(crate) fn config_get_string(name: &str, out: Pin<&mut CxxString>) {
    guard("config_get_string", || match value(name) {
        ConfigValue::String(v) => text(out, &v),
        other => mismatch(name, "a string", &other),
    })
}

pub(crate) fn config_get_strings(name: &str, out: &mut Vec<String>) {
    guard("config_get_strings", || match value(name) {
        ConfigValue::StringList(v) => *out = v,
        other => mismatch(name, "a string list", &other),
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
