//! Status codes, their strings, `format_status` and `RayError`.

use std::error::Error as _;

use ray_common::{
    code_as_string, format_status, ray_loc, status_string, string_to_code, IdError, RayError,
    Result, SourceLocation, StatusCode,
};
use rstest::rstest;

#[rstest]
#[case(StatusCode::Ok, 0, "OK", "OK")]
#[case(StatusCode::OutOfMemory, 1, "Out of memory", "OutOfMemory")]
#[case(StatusCode::KeyError, 2, "Key error", "KeyError")]
#[case(StatusCode::TypeError, 3, "Type error", "TypeError")]
#[case(StatusCode::Invalid, 4, "Invalid", "Invalid")]
#[case(StatusCode::IoError, 5, "IOError", "IOError")]
#[case(StatusCode::UnknownError, 9, "Unknown error", "UnknownError")]
#[case(StatusCode::NotImplemented, 10, "NotImplemented", "NotImplemented")]
#[case(StatusCode::RedisError, 11, "RedisError", "RedisError")]
#[case(StatusCode::TimedOut, 12, "TimedOut", "TimedOut")]
#[case(StatusCode::Interrupted, 13, "Interrupted", "Interrupted")]
#[case(
    StatusCode::IntentionalSystemExit,
    14,
    "IntentionalSystemExit",
    "IntentionalSystemExit"
)]
#[case(
    StatusCode::UnexpectedSystemExit,
    15,
    "UnexpectedSystemExit",
    "UnexpectedSystemExit"
)]
#[case(
    StatusCode::CreationTaskError,
    16,
    "CreationTaskError",
    "CreationTaskError"
)]
#[case(StatusCode::NotFound, 17, "NotFound", "NotFound")]
#[case(StatusCode::Disconnected, 18, "Disconnected", "Disconnected")]
#[case(
    StatusCode::SchedulingCancelled,
    19,
    "SchedulingCancelled",
    "SchedulingCancelled"
)]
#[case(StatusCode::AlreadyExists, 20, "AlreadyExists", "AlreadyExists")]
#[case(StatusCode::ObjectExists, 21, "ObjectExists", "ObjectExists")]
#[case(StatusCode::ObjectNotFound, 22, "ObjectNotFound", "ObjectNotFound")]
#[case(
    StatusCode::ObjectAlreadySealed,
    23,
    "ObjectAlreadySealed",
    "ObjectAlreadySealed"
)]
#[case(StatusCode::ObjectStoreFull, 24, "ObjectStoreFull", "ObjectStoreFull")]
#[case(
    StatusCode::TransientObjectStoreFull,
    25,
    "TransientObjectStoreFull",
    "TransientObjectStoreFull"
)]
#[case(StatusCode::OutOfDisk, 28, "OutOfDisk", "OutOfDisk")]
#[case(
    StatusCode::ObjectUnknownOwner,
    29,
    "ObjectUnknownOwner",
    "ObjectUnknownOwner"
)]
#[case(StatusCode::RpcError, 30, "RpcError", "RpcError")]
#[case(StatusCode::OutOfResource, 31, "OutOfResource", "OutOfResource")]
#[case(
    StatusCode::ObjectRefEndOfStream,
    32,
    "ObjectRefEndOfStream",
    "ObjectRefEndOfStream"
)]
#[case(StatusCode::Unauthenticated, 33, "Unauthenticated", "Unauthenticated")]
#[case(StatusCode::InvalidArgument, 34, "InvalidArgument", "InvalidArgument")]
#[case(StatusCode::ChannelError, 35, "ChannelError", "ChannelError")]
#[case(
    StatusCode::ChannelTimeoutError,
    36,
    "ChannelTimeoutError",
    "ChannelTimeoutError"
)]
#[case(
    StatusCode::PermissionDenied,
    37,
    "PermissionDenied",
    "PermissionDenied"
)]
#[case(StatusCode::GcsPassive, 38, "GcsPassive", "GcsPassive")]
fn code_table(#[case] code: StatusCode, #[case] raw: i8, #[case] text: &str, #[case] name: &str) {
    assert_eq!(code.as_raw(), raw);
    assert_eq!(StatusCode::from_raw(raw), Some(code));
    assert_eq!(StatusCode::try_from(raw), Ok(code));
    assert_eq!(i8::from(code), raw);
    assert_eq!(code.as_str(), text);
    assert_eq!(code.to_string(), text);
    assert_eq!(code.name(), name);
    assert_eq!(code_as_string(raw), text);
    assert_eq!(string_to_code(text), code);
    assert_eq!(text.parse::<StatusCode>(), Ok(code));
    assert!(StatusCode::ALL.contains(&code));
}

#[test]
fn all_is_sorted_and_complete() {
    assert_eq!(StatusCode::ALL.len(), 34);
    assert!(StatusCode::ALL.windows(2).all(|w| w[0] < w[1]));
    let mapped = (i8::MIN..=i8::MAX)
        .filter(|&raw| StatusCode::from_raw(raw).is_some())
        .count();
    assert_eq!(mapped, StatusCode::ALL.len());
}

/// The C++ list both `status.h` headers are built from (`$RAY_STATUS_CODE_LIST`, else
/// this checkout's `src/ray/common/status_code_list.h`).
fn cpp_code_list() -> String {
    let path = match std::env::var_os("RAY_STATUS_CODE_LIST") {
        Some(p) if !p.is_empty() => std::path::PathBuf::from(p),
        _ => std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../common/status_code_list.h"),
    };
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn table_is_the_cpp_list() {
    let mut rows = 0;
    for line in cpp_code_list().lines() {
        let Some(args) = line
            .strip_prefix("RAY_STATUS_CODE(")
            .and_then(|l| l.strip_suffix(')'))
        else {
            continue;
        };
        let fields: Vec<&str> = args.split(", ").collect();
        let [name, value, text, shape] = fields[..] else {
            panic!("malformed list entry: {line}");
        };
        let raw: i8 = value.parse().expect("a code value");
        let code = StatusCode::from_raw(raw).unwrap_or_else(|| panic!("{name} = {raw} missing"));
        assert_eq!(code.name(), name, "name of code {raw}");
        assert_eq!(code.as_str(), text.trim_matches('"'), "text of {name}");
        let expected_shape = match code {
            StatusCode::Ok => "OK",
            StatusCode::RpcError => "WITH_RPC_CODE",
            _ => "PLAIN",
        };
        assert_eq!(shape, expected_shape, "shape of {name}");
        assert_eq!(StatusCode::ALL[rows], code, "list order at {name}");
        rows += 1;
    }
    assert_eq!(rows, StatusCode::ALL.len(), "codes in the list");
}

#[rstest]
#[case(6)]
#[case(7)]
#[case(8)]
#[case(26)]
#[case(27)]
#[case(39)]
#[case(127)]
#[case(-1)]
#[case(-128)]
fn unmapped_codes_are_unknown(#[case] raw: i8) {
    assert_eq!(code_as_string(raw), "Unknown");
    assert_eq!(StatusCode::from_raw(raw), None);
    assert_eq!(StatusCode::try_from(raw), Err(raw));
    assert_eq!(format_status(raw, "gap", -1, None), "Unknown: gap");
}

#[rstest]
#[case("")]
#[case("Unknown")]
#[case("KeyError")]
#[case("AuthError")]
#[case("OutOfMemory")]
#[case("UnknownError")]
#[case("GrpcUnavailable")]
#[case("ok")]
#[case("invalid")]
#[case("Invalid ")]
#[case(" Invalid")]
#[case("Invalid\0")]
#[case("Ключ")]
#[case("IOError\u{301}")]
#[case("foobar")]
fn string_to_code_falls_back_to_io_error(#[case] text: &str) {
    assert_eq!(string_to_code(text), StatusCode::IoError);
    let err = text.parse::<StatusCode>().unwrap_err();
    assert_eq!(err.input, text);
}

#[rstest]
#[case(2, "key not found", -1, None, "Key error: key not found")]
#[case(4, "", -1, None, "Invalid: ")]
#[case(5, "multi\nline", -1, None, "IOError: multi\nline")]
#[case(17, "x: y", -1, None, "NotFound: x: y")]
#[case(
    30,
    "connection refused",
    14,
    None,
    "RpcError: connection refused rpc_code: 14"
)]
#[case(30, "m", -1, None, "RpcError: m rpc_code: -1")]
#[case(30, "m", i32::MIN, None, "RpcError: m rpc_code: -2147483648")]
#[case(4, "m", 7, None, "Invalid: m")]
#[case(5, "disk", -1, Some(("src/foo.cc", 123)), "IOError: disk at src/foo.cc:123")]
#[case(30, "m", 2, Some(("f.cc", 1)), "RpcError: m rpc_code: 2 at f.cc:1")]
#[case(4, "m", -1, Some(("", 5)), "Invalid: m")]
#[case(4, "m", -1, Some(("x", 0)), "Invalid: m at x:0")]
#[case(0, "m", -1, None, "OK: m")]
#[case(6, "gap", -1, None, "Unknown: gap")]
#[case(38, "past end", -1, None, "GcsPassive: past end")]
#[case(34, "ünïcödé", -1, None, "InvalidArgument: ünïcödé")]
fn format_status_matches_ray(
    #[case] raw: i8,
    #[case] message: &str,
    #[case] rpc_code: i32,
    #[case] location: Option<(&str, i32)>,
    #[case] want: &str,
) {
    let location = location.map(|(file, line)| SourceLocation::new(file, line));
    assert_eq!(
        format_status(raw, message, rpc_code, location.as_ref()),
        want
    );
    if let Some(code) = StatusCode::from_raw(raw) {
        let mut err = RayError::new(code, message).with_rpc_code(rpc_code);
        if let Some(loc) = location {
            err = err.with_location(loc);
        }
        assert_eq!(err.to_string(), want);
    }
}

type Ctor = fn(String) -> RayError;

#[rstest]
#[case(RayError::out_of_memory as Ctor, StatusCode::OutOfMemory)]
#[case(RayError::key_error as Ctor, StatusCode::KeyError)]
#[case(RayError::type_error as Ctor, StatusCode::TypeError)]
#[case(RayError::invalid as Ctor, StatusCode::Invalid)]
#[case(RayError::io_error as Ctor, StatusCode::IoError)]
#[case(RayError::unknown_error as Ctor, StatusCode::UnknownError)]
#[case(RayError::not_implemented as Ctor, StatusCode::NotImplemented)]
#[case(RayError::redis_error as Ctor, StatusCode::RedisError)]
#[case(RayError::timed_out as Ctor, StatusCode::TimedOut)]
#[case(RayError::interrupted as Ctor, StatusCode::Interrupted)]
#[case(RayError::intentional_system_exit as Ctor, StatusCode::IntentionalSystemExit)]
#[case(RayError::unexpected_system_exit as Ctor, StatusCode::UnexpectedSystemExit)]
#[case(RayError::creation_task_error as Ctor, StatusCode::CreationTaskError)]
#[case(RayError::not_found as Ctor, StatusCode::NotFound)]
#[case(RayError::disconnected as Ctor, StatusCode::Disconnected)]
#[case(RayError::scheduling_cancelled as Ctor, StatusCode::SchedulingCancelled)]
#[case(RayError::already_exists as Ctor, StatusCode::AlreadyExists)]
#[case(RayError::object_exists as Ctor, StatusCode::ObjectExists)]
#[case(RayError::object_not_found as Ctor, StatusCode::ObjectNotFound)]
#[case(RayError::object_already_sealed as Ctor, StatusCode::ObjectAlreadySealed)]
#[case(RayError::object_store_full as Ctor, StatusCode::ObjectStoreFull)]
#[case(RayError::transient_object_store_full as Ctor, StatusCode::TransientObjectStoreFull)]
#[case(RayError::out_of_disk as Ctor, StatusCode::OutOfDisk)]
#[case(RayError::object_unknown_owner as Ctor, StatusCode::ObjectUnknownOwner)]
#[case(RayError::out_of_resource as Ctor, StatusCode::OutOfResource)]
#[case(RayError::object_ref_end_of_stream as Ctor, StatusCode::ObjectRefEndOfStream)]
#[case(RayError::unauthenticated as Ctor, StatusCode::Unauthenticated)]
#[case(RayError::invalid_argument as Ctor, StatusCode::InvalidArgument)]
#[case(RayError::channel_error as Ctor, StatusCode::ChannelError)]
#[case(RayError::channel_timeout_error as Ctor, StatusCode::ChannelTimeoutError)]
#[case(RayError::permission_denied as Ctor, StatusCode::PermissionDenied)]
#[case(RayError::gcs_passive as Ctor, StatusCode::GcsPassive)]
fn factories_set_code_and_defaults(#[case] ctor: Ctor, #[case] code: StatusCode) {
    let err = ctor("boom".to_owned());
    assert_eq!(err.code(), code);
    assert_eq!(err.message(), "boom");
    assert_eq!(err.rpc_code(), -1);
    assert_eq!(err.location(), None);
    assert_eq!(err.code_as_string(), code.as_str());
    assert_eq!(err.to_string(), format!("{}: boom", code.as_str()));
    assert!(err.source().is_none());
}

#[test]
fn predicates_match_code() {
    assert!(RayError::not_found("x").is_not_found());
    assert!(!RayError::not_found("x").is_invalid());
    assert!(RayError::invalid("x").is_invalid());
    assert!(RayError::invalid_argument("x").is_invalid_argument());
    assert!(RayError::io_error("x").is_io_error());
    assert!(RayError::key_error("x").is_key_error());
    assert!(RayError::timed_out("x").is_timed_out());
    assert!(RayError::permission_denied("x").is_permission_denied());
    assert!(RayError::already_exists("x").is_already_exists());
    assert!(RayError::gcs_passive("x").is_gcs_passive());
    assert!(RayError::rpc_error("x", 14).is_rpc_error());
    assert!(!RayError::rpc_error("x", 14).is_io_error());
}

#[test]
fn rpc_error_keeps_code() {
    let err = RayError::rpc_error("connection refused", 14);
    assert_eq!(err.code(), StatusCode::RpcError);
    assert_eq!(err.rpc_code(), 14);
    assert_eq!(err.to_string(), "RpcError: connection refused rpc_code: 14");
}

#[test]
fn append_extends_message() {
    let err = RayError::invalid("a").append("b").append(3);
    assert_eq!(err.message(), "ab3");
    assert_eq!(err.to_string(), "Invalid: ab3");
}

#[test]
fn source_is_exposed() {
    let io = std::io::Error::other("disk gone");
    let err = RayError::io_error("write failed").with_source(io);
    assert_eq!(err.to_string(), "IOError: write failed");
    let source = err.source().map(ToString::to_string);
    assert_eq!(source.as_deref(), Some("disk gone"));
    assert!(format!("{err:?}").contains("disk gone"));
}

#[test]
fn location_accessor_and_macro() {
    let loc = ray_loc!();
    assert!(loc.is_valid());
    assert!(loc.file.ends_with("status.rs"));
    assert!(loc.line > 0);
    assert_eq!(loc.to_string(), format!("{}:{}", loc.file, loc.line));
    let err = RayError::not_found("k").with_location(loc.clone());
    assert_eq!(err.location(), Some(&loc));
    assert_eq!(err.to_string(), format!("NotFound: k at {loc}"));
    assert_eq!(SourceLocation::default().to_string(), "");
    assert!(!SourceLocation::default().is_valid());
}

#[test]
fn status_string_of_results() {
    let ok: Result<()> = Ok(());
    assert_eq!(status_string(&ok), "OK");
    let err: Result<u8> = Err(RayError::key_error("key not found"));
    assert_eq!(status_string(&err), "Key error: key not found");
}

#[test]
fn explicit_ok_code_is_not_special() {
    let err = RayError::new(StatusCode::Ok, "m");
    assert_eq!(err.code(), StatusCode::Ok);
    assert_eq!(err.to_string(), "OK: m");
}

#[rstest]
#[case(IdError::InvalidHexChar { input: "zz".into() }, StatusCode::InvalidArgument)]
#[case(IdError::InvalidHexLength { expected: 8, actual: 2, input: "00".into() }, StatusCode::InvalidArgument)]
#[case(IdError::InvalidLength { type_name: "JobID", expected: 4, actual: 3 }, StatusCode::InvalidArgument)]
#[case(IdError::InvalidObjectIndex { index: 0 }, StatusCode::InvalidArgument)]
#[case(IdError::UniqueBytesTooLong { requested: 33 }, StatusCode::InvalidArgument)]
#[case(IdError::NilId { type_name: "ActorID" }, StatusCode::Invalid)]
fn id_errors_convert(#[case] id_err: IdError, #[case] code: StatusCode) {
    let text = id_err.to_string();
    let err = RayError::from(id_err);
    assert_eq!(err.code(), code);
    assert_eq!(err.message(), text);
}

#[test]
fn question_mark_converts_id_errors() {
    fn parse(s: &str) -> Result<ray_common::JobId> {
        Ok(s.parse()?)
    }
    let err = parse("0x010000").unwrap_err();
    assert!(err.is_invalid_argument());
    assert_eq!(
        err.to_string(),
        "InvalidArgument: incorrect hex character, hex string: 0x010000"
    );
}
