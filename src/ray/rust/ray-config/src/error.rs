//! What can go wrong: each variant is a case where Ray's C++ aborts the process. The
//! Display text is the message Ray logs; [`ConfigError::fatal_message`] adds what Ray's
//! `RAY_CHECK` prefixes, so a caller can abort with Ray's exact line.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConfigError {
    /// `RAY_<name>` holds text that does not parse as the entry's type (Ray: a failed
    /// `RAY_CHECK` in `ConvertValue`).
    #[error("Cannot parse \"{value}\" to {type_name}")]
    UnparsableValue {
        /// The environment variable, e.g. `RAY_object_timeout_milliseconds`.
        variable: String,
        value: String,
        /// The entry's C++ type as Ray spells it, e.g. `int64_t`.
        type_name: &'static str,
    },
    /// The JSON of `initialize` names no entry of `ray_config_def.h` (Ray: `RAY_LOG(FATAL)`).
    #[error("Received unexpected config parameter {0}")]
    UnexpectedParameter(String),
    /// The JSON of `initialize` is malformed or holds a value of the wrong JSON type
    /// (Ray: nlohmann's exception, logged at FATAL). `detail` is nlohmann's `what()`.
    #[error("Failed to initialize RayConfig: {detail} The config string is: {config_list}")]
    InvalidJson { detail: String, config_list: String },
    /// A name-based access named no entry (no counterpart in Ray, whose accessors are
    /// methods).
    #[error("RayConfig has no entry named {0}")]
    UnknownEntry(String),
    /// A name-based assignment with a value of another type than the entry's.
    #[error("RayConfig entry {name} is {expected}, not {found}")]
    WrongValueType {
        name: String,
        expected: &'static str,
        found: &'static str,
    },
}

impl ConfigError {
    /// The full message Ray logs at FATAL before aborting for this error.
    pub fn fatal_message(&self) -> String {
        match self {
            Self::UnparsableValue { .. } => {
                format!("Check failed: !value.empty() && stream.eof() {self}")
            }
            _ => self.to_string(),
        }
    }
}
