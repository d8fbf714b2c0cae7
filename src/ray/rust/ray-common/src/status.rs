//! Ray's status codes and the error type carrying them (`ray::Status`).
//!
//! A successful `Status` is `Ok(..)` of [`Result`]; [`RayError`] is the
//! non-OK state with Ray's exact `ToString()` text as its `Display`.

use std::error::Error as StdError;
use std::fmt;
use std::str::FromStr;

/// Text of Ray's `ToString()` for the OK status.
pub const OK_STATUS_STRING: &str = "OK";

/// Text Ray's `CodeAsString()` gives for values missing from its table.
pub const UNKNOWN_CODE_STRING: &str = "Unknown";

/// Ray's `StatusCode` (a C++ `char`), with the 2.60 values.
#[repr(i8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusCode {
    Ok = 0,
    OutOfMemory = 1,
    KeyError = 2,
    TypeError = 3,
    Invalid = 4,
    IoError = 5,
    UnknownError = 9,
    NotImplemented = 10,
    RedisError = 11,
    TimedOut = 12,
    Interrupted = 13,
    IntentionalSystemExit = 14,
    UnexpectedSystemExit = 15,
    CreationTaskError = 16,
    NotFound = 17,
    Disconnected = 18,
    SchedulingCancelled = 19,
    AlreadyExists = 20,
    ObjectExists = 21,
    ObjectNotFound = 22,
    ObjectAlreadySealed = 23,
    ObjectStoreFull = 24,
    TransientObjectStoreFull = 25,
    OutOfDisk = 28,
    ObjectUnknownOwner = 29,
    RpcError = 30,
    OutOfResource = 31,
    ObjectRefEndOfStream = 32,
    Unauthenticated = 33,
    InvalidArgument = 34,
    ChannelError = 35,
    ChannelTimeoutError = 36,
    PermissionDenied = 37,
    GcsPassive = 38,
}

/// One row of the code table: code, Ray's enumerator name, `CodeAsString`.
struct CodeInfo {
    code: StatusCode,
    name: &'static str,
    text: &'static str,
}

macro_rules! code_table {
    ($($code:ident => $name:literal, $text:literal;)+) => {
        const CODE_TABLE: &[CodeInfo] = &[
            $(CodeInfo { code: StatusCode::$code, name: $name, text: $text },)+
        ];

        impl StatusCode {
            /// Every defined code, in ascending order.
            pub const ALL: [StatusCode; [$(StatusCode::$code),+].len()] = [$(StatusCode::$code),+];

            /// The code whose `CodeAsString` text is exactly `s`; a `match`
            /// lets the compiler dispatch on length before comparing bytes.
            fn from_text(s: &str) -> Option<StatusCode> {
                match s {
                    $($text => Some(StatusCode::$code),)+
                    _ => None,
                }
            }
        }
    };
}

code_table! {
    Ok => "OK", "OK";
    OutOfMemory => "OutOfMemory", "Out of memory";
    KeyError => "KeyError", "Key error";
    TypeError => "TypeError", "Type error";
    Invalid => "Invalid", "Invalid";
    IoError => "IOError", "IOError";
    UnknownError => "UnknownError", "Unknown error";
    NotImplemented => "NotImplemented", "NotImplemented";
    RedisError => "RedisError", "RedisError";
    TimedOut => "TimedOut", "TimedOut";
    Interrupted => "Interrupted", "Interrupted";
    IntentionalSystemExit => "IntentionalSystemExit", "IntentionalSystemExit";
    UnexpectedSystemExit => "UnexpectedSystemExit", "UnexpectedSystemExit";
    CreationTaskError => "CreationTaskError", "CreationTaskError";
    NotFound => "NotFound", "NotFound";
    Disconnected => "Disconnected", "Disconnected";
    SchedulingCancelled => "SchedulingCancelled", "SchedulingCancelled";
    AlreadyExists => "AlreadyExists", "AlreadyExists";
    ObjectExists => "ObjectExists", "ObjectExists";
    ObjectNotFound => "ObjectNotFound", "ObjectNotFound";
    ObjectAlreadySealed => "ObjectAlreadySealed", "ObjectAlreadySealed";
    ObjectStoreFull => "ObjectStoreFull", "ObjectStoreFull";
    TransientObjectStoreFull => "TransientObjectStoreFull", "TransientObjectStoreFull";
    OutOfDisk => "OutOfDisk", "OutOfDisk";
    ObjectUnknownOwner => "ObjectUnknownOwner", "ObjectUnknownOwner";
    RpcError => "RpcError", "RpcError";
    OutOfResource => "OutOfResource", "OutOfResource";
    ObjectRefEndOfStream => "ObjectRefEndOfStream", "ObjectRefEndOfStream";
    Unauthenticated => "Unauthenticated", "Unauthenticated";
    InvalidArgument => "InvalidArgument", "InvalidArgument";
    ChannelError => "ChannelError", "ChannelError";
    ChannelTimeoutError => "ChannelTimeoutError", "ChannelTimeoutError";
    PermissionDenied => "PermissionDenied", "PermissionDenied";
    GcsPassive => "GcsPassive", "GcsPassive";
}

impl StatusCode {
    fn info(self) -> Option<&'static CodeInfo> {
        CODE_TABLE.iter().find(|info| info.code == self)
    }

    /// The code for a raw `char` value, if Ray 2.60 defines one.
    pub fn from_raw(raw: i8) -> Option<Self> {
        Self::ALL.into_iter().find(|code| code.as_raw() == raw)
    }

    /// The raw `char` value.
    pub const fn as_raw(self) -> i8 {
        self as i8
    }

    /// Ray's `CodeAsString()` text.
    pub fn as_str(self) -> &'static str {
        self.info().map_or(UNKNOWN_CODE_STRING, |info| info.text)
    }

    /// Ray's C++ enumerator name (`IOError`, `KeyError`, ...), which differs
    /// from [`StatusCode::as_str`] for four codes.
    pub fn name(self) -> &'static str {
        self.info().map_or(UNKNOWN_CODE_STRING, |info| info.name)
    }
}

/// Ray's `CodeAsString` for any `char` value: `Unknown` when unmapped.
pub fn code_as_string(raw: i8) -> &'static str {
    StatusCode::from_raw(raw).map_or(UNKNOWN_CODE_STRING, StatusCode::as_str)
}

/// Ray's `StringToCode`: exact, case-sensitive match on the
/// `CodeAsString` texts; anything else (including `Unknown`) is `IOError`.
pub fn string_to_code(s: &str) -> StatusCode {
    // Skips `FromStr`, whose error copies the input.
    StatusCode::from_text(s).unwrap_or(StatusCode::IoError)
}

/// A string that is not the `CodeAsString` text of any code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown status code string: {input:?}")]
pub struct ParseStatusCodeError {
    /// The rejected input.
    pub input: String,
}

impl FromStr for StatusCode {
    type Err = ParseStatusCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StatusCode::from_text(s).ok_or_else(|| ParseStatusCodeError {
            input: s.to_owned(),
        })
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<StatusCode> for i8 {
    fn from(code: StatusCode) -> Self {
        code.as_raw()
    }
}

impl TryFrom<i8> for StatusCode {
    type Error = i8;

    /// Rejects values Ray 2.60 does not define, returning them unchanged.
    fn try_from(raw: i8) -> Result<Self, Self::Error> {
        Self::from_raw(raw).ok_or(raw)
    }
}

/// Where an error was raised; shown in messages only when `file` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SourceLocation {
    /// Source file name; empty means "no location".
    pub file: String,
    /// Line number.
    pub line: i32,
}

impl SourceLocation {
    /// A location in `file` at `line`.
    pub fn new(file: impl Into<String>, line: i32) -> Self {
        Self {
            file: file.into(),
            line,
        }
    }

    /// True when `file` is non-empty, as Ray decides whether to print it.
    pub fn is_valid(&self) -> bool {
        !self.file.is_empty()
    }
}

impl fmt::Display for SourceLocation {
    /// `file:line`, or nothing for an invalid location.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_valid() {
            write!(f, "{}:{}", self.file, self.line)
        } else {
            Ok(())
        }
    }
}

/// Builds a [`SourceLocation`] for the current file and line (`RAY_LOC()`).
#[macro_export]
macro_rules! ray_loc {
    () => {
        $crate::SourceLocation::new(file!(), i32::try_from(line!()).unwrap_or(i32::MAX))
    };
}

/// Ray's `Status::ToString()` for a non-OK status with any raw code:
/// `<CodeAsString>: <message>`, then ` rpc_code: N` for `RpcError` only,
/// then ` at file:line` for a valid location.
pub fn format_status(
    raw_code: i8,
    message: &str,
    rpc_code: i32,
    location: Option<&SourceLocation>,
) -> String {
    let mut out = format!("{}: {}", code_as_string(raw_code), message);
    if raw_code == StatusCode::RpcError.as_raw() {
        out.push_str(&format!(" rpc_code: {rpc_code}"));
    }
    if let Some(loc) = location.filter(|loc| loc.is_valid()) {
        out.push_str(&format!(" at {loc}"));
    }
    out
}

/// Ray's `ToString()` for either outcome: `OK` on success.
pub fn status_string<T>(result: &Result<T>) -> String {
    match result {
        Ok(_) => OK_STATUS_STRING.to_owned(),
        Err(err) => err.to_string(),
    }
}

/// The `rpc_code` Ray stores when none is given.
pub const DEFAULT_RPC_CODE: i32 = -1;

type BoxedSource = Box<dyn StdError + Send + Sync + 'static>;

/// A non-OK Ray status: code, message, gRPC code, optional location and
/// an optional underlying cause.
#[derive(thiserror::Error)]
#[error("{}", format_status(self.code.as_raw(), &self.message, self.rpc_code, self.location.as_ref()))]
pub struct RayError {
    code: StatusCode,
    message: String,
    rpc_code: i32,
    location: Option<SourceLocation>,
    #[source]
    source: Option<BoxedSource>,
}

/// Result whose error is a [`RayError`]; `Ok(())` is Ray's OK status.
pub type Result<T, E = RayError> = std::result::Result<T, E>;

impl fmt::Debug for RayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RayError")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("rpc_code", &self.rpc_code)
            .field("location", &self.location)
            .field("source", &self.source)
            .finish()
    }
}

macro_rules! status_factories {
    ($($code:ident => $ctor:ident, $pred:ident;)+) => {
        impl RayError {
            $(
                #[doc = concat!("A `", stringify!($code), "` error (Ray's `Status::", stringify!($code), "`).")]
                pub fn $ctor(message: impl Into<String>) -> Self {
                    Self::new(StatusCode::$code, message)
                }

                #[doc = concat!("True for code `", stringify!($code), "`.")]
                pub fn $pred(&self) -> bool {
                    self.code == StatusCode::$code
                }
            )+
        }
    };
}

status_factories! {
    OutOfMemory => out_of_memory, is_out_of_memory;
    KeyError => key_error, is_key_error;
    TypeError => type_error, is_type_error;
    Invalid => invalid, is_invalid;
    IoError => io_error, is_io_error;
    UnknownError => unknown_error, is_unknown_error;
    NotImplemented => not_implemented, is_not_implemented;
    RedisError => redis_error, is_redis_error;
    TimedOut => timed_out, is_timed_out;
    Interrupted => interrupted, is_interrupted;
    IntentionalSystemExit => intentional_system_exit, is_intentional_system_exit;
    UnexpectedSystemExit => unexpected_system_exit, is_unexpected_system_exit;
    CreationTaskError => creation_task_error, is_creation_task_error;
    NotFound => not_found, is_not_found;
    Disconnected => disconnected, is_disconnected;
    SchedulingCancelled => scheduling_cancelled, is_scheduling_cancelled;
    AlreadyExists => already_exists, is_already_exists;
    ObjectExists => object_exists, is_object_exists;
    ObjectNotFound => object_not_found, is_object_not_found;
    ObjectAlreadySealed => object_already_sealed, is_object_already_sealed;
    ObjectStoreFull => object_store_full, is_object_store_full;
    TransientObjectStoreFull => transient_object_store_full, is_transient_object_store_full;
    OutOfDisk => out_of_disk, is_out_of_disk;
    ObjectUnknownOwner => object_unknown_owner, is_object_unknown_owner;
    OutOfResource => out_of_resource, is_out_of_resource;
    ObjectRefEndOfStream => object_ref_end_of_stream, is_object_ref_end_of_stream;
    Unauthenticated => unauthenticated, is_unauthenticated;
    InvalidArgument => invalid_argument, is_invalid_argument;
    ChannelError => channel_error, is_channel_error;
    ChannelTimeoutError => channel_timeout_error, is_channel_timeout_error;
    PermissionDenied => permission_denied, is_permission_denied;
    GcsPassive => gcs_passive, is_gcs_passive;
}

impl RayError {
    /// An error with `code` and `message`, `rpc_code` -1 and no location.
    /// `StatusCode::Ok` is accepted, as Ray's release builds do (prints `OK: msg`).
    pub fn new(code: StatusCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            rpc_code: DEFAULT_RPC_CODE,
            location: None,
            source: None,
        }
    }

    /// An `RpcError` carrying the gRPC status code.
    pub fn rpc_error(message: impl Into<String>, rpc_code: i32) -> Self {
        Self::new(StatusCode::RpcError, message).with_rpc_code(rpc_code)
    }

    /// True for code `RpcError`.
    pub fn is_rpc_error(&self) -> bool {
        self.code == StatusCode::RpcError
    }

    /// Sets the gRPC code; kept for any code but printed only for `RpcError`.
    #[must_use]
    pub fn with_rpc_code(mut self, rpc_code: i32) -> Self {
        self.rpc_code = rpc_code;
        self
    }

    /// Attaches where the error was raised.
    #[must_use]
    pub fn with_location(mut self, location: SourceLocation) -> Self {
        self.location = Some(location);
        self
    }

    /// Attaches the underlying cause, reported through `Error::source`.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<BoxedSource>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Appends to the message, like Ray's `Status::operator<<`.
    #[must_use]
    pub fn append(mut self, extra: impl fmt::Display) -> Self {
        use fmt::Write as _;
        // Writing into a String cannot fail.
        let _ = write!(self.message, "{extra}");
        self
    }

    /// The status code.
    pub fn code(&self) -> StatusCode {
        self.code
    }

    /// The message without code or location.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The gRPC code, -1 unless set.
    pub fn rpc_code(&self) -> i32 {
        self.rpc_code
    }

    /// Where the error was raised, if recorded.
    pub fn location(&self) -> Option<&SourceLocation> {
        self.location.as_ref()
    }

    /// Ray's `CodeAsString()` of this error's code.
    pub fn code_as_string(&self) -> &'static str {
        self.code.as_str()
    }
}

impl From<crate::IdError> for RayError {
    /// Malformed input becomes `InvalidArgument`; asking a nil ID for its
    /// job is a state error and becomes `Invalid`.
    fn from(err: crate::IdError) -> Self {
        let code = match err {
            crate::IdError::NilId { .. } => StatusCode::Invalid,
            _ => StatusCode::InvalidArgument,
        };
        Self::new(code, err.to_string())
    }
}
