//! Where `RAY_<name>` values come from: the process environment, or any lookup a caller
//! supplies (tests, embedders), so reading never needs to mutate the real environment.

use std::collections::HashMap;

use crate::convert::EnvValue;
use crate::error::ConfigError;

/// A source of environment variables.
pub trait EnvSource {
    /// The variable's value, or None if it is unset.
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment. A value that is not UTF-8 is read with replacement
/// characters (Ray, in C++, sees the raw bytes).
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl EnvSource for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var_os(name).map(|value| value.to_string_lossy().into_owned())
    }
}

/// The `RAY_` variables of the process environment, read in one pass: a configuration
/// reads some two hundred names, nearly all unset, and looking each up in the process
/// environment (a C string of the name, the environment lock, a scan) was over a third
/// of `initialize`.
#[derive(Debug, Clone, Default)]
pub struct EnvSnapshot {
    ray: Vec<(String, String)>,
}

impl EnvSnapshot {
    /// The process environment's `RAY_` variables now. A name or value that is not UTF-8
    /// is read with replacement characters, as [`ProcessEnv`] reads it.
    pub fn of_process() -> Self {
        let ray = std::env::vars_os()
            .filter(|(name, _)| name.as_encoded_bytes().starts_with(b"RAY_"))
            .map(|(name, value)| {
                (
                    name.to_string_lossy().into_owned(),
                    value.to_string_lossy().into_owned(),
                )
            })
            .collect();
        EnvSnapshot { ray }
    }
}

impl EnvSource for EnvSnapshot {
    fn var(&self, name: &str) -> Option<String> {
        self.ray
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.clone())
    }
}

impl EnvSource for HashMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

impl<F: Fn(&str) -> Option<String>> EnvSource for F {
    fn var(&self, name: &str) -> Option<String> {
        self(name)
    }
}

/// Ray's `ReadEnv`: `variable` (`RAY_<name>`) converted to the entry's type, or `default`
/// when unset.
pub(crate) fn read_env<T: EnvValue>(
    env: &dyn EnvSource,
    variable: &'static str,
    type_name: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match env.var(variable) {
        None => Ok(default),
        Some(value) => T::from_env_text(&value).ok_or_else(|| ConfigError::UnparsableValue {
            variable: variable.to_string(),
            value,
            type_name,
        }),
    }
}
