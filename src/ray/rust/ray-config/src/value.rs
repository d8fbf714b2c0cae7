//! Entries addressed by name, for callers that cannot use the typed fields (the C++
//! bridge): a value as a tagged enum, and each entry's description.

use crate::error::ConfigError;

/// The value of one entry; the variant follows the entry's C++ type (`int` and
/// `int32_t` are `I32`, `size_t` is `Usize`, `std::vector<std::string>` is `StringList`).
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigValue {
    Bool(bool),
    I32(i32),
    U32(u32),
    I64(i64),
    U64(u64),
    Usize(usize),
    F32(f32),
    F64(f64),
    String(String),
    StringList(Vec<String>),
}

impl ConfigValue {
    /// The Rust type the variant holds, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Bool(_) => "bool",
            Self::I32(_) => "i32",
            Self::U32(_) => "u32",
            Self::I64(_) => "i64",
            Self::U64(_) => "u64",
            Self::Usize(_) => "usize",
            Self::F32(_) => "f32",
            Self::F64(_) => "f64",
            Self::String(_) => "String",
            Self::StringList(_) => "Vec<String>",
        }
    }
}

/// The value of one entry, borrowed: what [`crate::RayConfig::value_at`] hands out,
/// so that copying every entry out (the C++ bridge does after each `initialize`) clones
/// nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ConfigValueRef<'a> {
    Bool(bool),
    I32(i32),
    U32(u32),
    I64(i64),
    U64(u64),
    Usize(usize),
    F32(f32),
    F64(f64),
    String(&'a str),
    StringList(&'a [String]),
}

impl ConfigValueRef<'_> {
    /// The value, owned.
    pub fn into_owned(self) -> ConfigValue {
        match self {
            Self::Bool(v) => ConfigValue::Bool(v),
            Self::I32(v) => ConfigValue::I32(v),
            Self::U32(v) => ConfigValue::U32(v),
            Self::I64(v) => ConfigValue::I64(v),
            Self::U64(v) => ConfigValue::U64(v),
            Self::Usize(v) => ConfigValue::Usize(v),
            Self::F32(v) => ConfigValue::F32(v),
            Self::F64(v) => ConfigValue::F64(v),
            Self::String(v) => ConfigValue::String(v.to_string()),
            Self::StringList(v) => ConfigValue::StringList(v.to_vec()),
        }
    }
}

macro_rules! variant_conversions {
    ($($variant:ident => $ty:ty),* $(,)?) => {$(
        impl From<$ty> for ConfigValue {
            fn from(value: $ty) -> Self {
                Self::$variant(value)
            }
        }

        impl TryFrom<ConfigValue> for $ty {
            /// The value back, when it holds another type.
            type Error = ConfigValue;

            fn try_from(value: ConfigValue) -> Result<Self, ConfigValue> {
                match value {
                    ConfigValue::$variant(inner) => Ok(inner),
                    other => Err(other),
                }
            }
        }
    )*};
}

variant_conversions! {
    Bool => bool,
    I32 => i32,
    U32 => u32,
    I64 => i64,
    U64 => u64,
    Usize => usize,
    F32 => f32,
    F64 => f64,
    String => String,
    StringList => Vec<String>,
}

/// Stores `value` in `slot` if it has the slot's type.
pub(crate) fn assign<T: TryFrom<ConfigValue, Error = ConfigValue>>(
    slot: &mut T,
    name: &str,
    cpp_type: &'static str,
    value: ConfigValue,
) -> Result<(), ConfigError> {
    *slot = T::try_from(value).map_err(|other| ConfigError::WrongValueType {
        name: name.to_string(),
        expected: cpp_type,
        found: other.type_name(),
    })?;
    Ok(())
}

/// Which list declares an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// `ray_config_def.h`: environment and `initialize(json)`.
    Config,
    /// `ray_internal_flag_def.h`: environment only, read once at construction.
    InternalFlag,
}

/// One entry as declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryInfo {
    /// Ray's name; the environment variable is `RAY_<name>`.
    pub name: &'static str,
    /// The C++ type as written in the list.
    pub cpp_type: &'static str,
    /// The C++ default expression as written in the list.
    pub default: &'static str,
    pub kind: EntryKind,
}
