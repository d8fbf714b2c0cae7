//! Construction, `initialize` and the process-wide instance, following Ray's
//! `ray_config.cc`.

use std::sync::{OnceLock, RwLock};

use crate::entries::{RayConfig, ENTRIES};
use crate::env::{EnvSnapshot, EnvSource};
use crate::error::ConfigError;
use crate::json;
use crate::value::{ConfigValue, ConfigValueRef};

impl RayConfig {
    /// The configuration Ray's constructor builds: every entry from `RAY_<name>` or its
    /// default, in declaration order (the entries of `ray_config_def.h`, then the
    /// internal flags).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_env_source(&EnvSnapshot::of_process())
    }

    /// As [`RayConfig::from_env`], with variables from `env`.
    pub fn from_env_source(env: &dyn EnvSource) -> Result<Self, ConfigError> {
        let mut config = Self::default();
        config.read_config_entries(env)?;
        config.read_internal_flags(env)?;
        Ok(config)
    }

    /// Ray's `RayConfig::initialize(config_list)`: resets every entry of
    /// `ray_config_def.h` to `RAY_<name>` or its default (so an earlier initialize is
    /// undone), then, unless `config_list` is empty, applies it as JSON. The internal
    /// flags keep their values. The JSON is a map of entry names to values; members are
    /// applied in nlohmann's iteration order and the first problem is the error: an
    /// unknown name (also any internal flag), a value of the wrong JSON type, or malformed
    /// JSON. On error, `self` is left unchanged (Ray aborts instead).
    pub fn initialize(&mut self, config_list: &str) -> Result<(), ConfigError> {
        self.initialize_with_env(config_list, &EnvSnapshot::of_process())
    }

    /// As [`RayConfig::initialize`], with variables from `env`.
    pub fn initialize_with_env(
        &mut self,
        config_list: &str,
        env: &dyn EnvSource,
    ) -> Result<(), ConfigError> {
        let mut next = self.clone();
        next.read_config_entries(env)?;
        if !config_list.is_empty() {
            next.apply_json(config_list)?;
        }
        *self = next;
        Ok(())
    }

    /// The current value of the entry Ray calls `name`, or None if there is none.
    pub fn get(&self, name: &str) -> Option<ConfigValue> {
        let index = ENTRIES.iter().position(|entry| entry.name == name)?;
        self.value_at(index).map(ConfigValueRef::into_owned)
    }

    fn apply_json(&mut self, config_list: &str) -> Result<(), ConfigError> {
        let invalid = |detail: String| ConfigError::InvalidJson {
            detail,
            config_list: config_list.to_string(),
        };
        let config_map = json::parse(config_list).map_err(invalid)?;
        for (key, value) in json::items(&config_map) {
            match self.set_from_json(&key, value) {
                Some(Ok(())) => {}
                Some(Err(type_error)) => return Err(invalid(type_error.to_string())),
                None => return Err(ConfigError::UnexpectedParameter(key)),
            }
        }
        Ok(())
    }
}

static INSTANCE: OnceLock<Result<RwLock<RayConfig>, ConfigError>> = OnceLock::new();

/// Ray's `RayConfig::instance()`: the process-wide configuration, built from the
/// process environment on first use. If that fails (where Ray aborts), every call
/// returns the same error.
pub fn instance() -> Result<&'static RwLock<RayConfig>, ConfigError> {
    INSTANCE
        .get_or_init(|| RayConfig::from_env().map(RwLock::new))
        .as_ref()
        .map_err(Clone::clone)
}
