//! The Status half of the bridge: the state behind a non-OK `ray::Status`.
//!
//! A C++ message is a byte string, not necessarily UTF-8, so the state keeps
//! bytes and formats at the byte level; the code tables and the layout of
//! `ToString()` come from `ray_common`.

use std::pin::Pin;

use cxx::CxxString;
use ray_common::StatusCode;

use crate::bridge::ffi::StatusHead;
use crate::guard::guard;

/// Code, message, rpc code and source location of a non-OK status.
///
/// `repr(C)` with `head` first: C++ reads the codes through the state
/// pointer as a `StatusHead`.
#[repr(C)]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusState {
    head: StatusHead,
    message: Vec<u8>,
    /// Empty means "no location".
    file: Vec<u8>,
    line: i32,
}

/// Somewhere `ToString()` output can go.
trait TextSink {
    fn put(&mut self, bytes: &[u8]);
}

impl TextSink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl TextSink for Pin<&mut CxxString> {
    fn put(&mut self, bytes: &[u8]) {
        self.as_mut().push_bytes(bytes);
    }
}

/// Counts bytes, to size the output before writing it.
struct Measure(usize);

impl TextSink for Measure {
    fn put(&mut self, bytes: &[u8]) {
        self.0 += bytes.len();
    }
}

/// Decimal digits of `value` in a stack buffer (no allocation).
struct Decimal {
    buf: [u8; 20],
    start: usize,
}

impl Decimal {
    fn unsigned(mut value: u64) -> Self {
        let mut buf = [0u8; 20];
        let mut start = buf.len();
        loop {
            start -= 1;
            // `value % 10` is a single digit, so the cast is exact.
            buf[start] = b'0' + (value % 10) as u8;
            value /= 10;
            if value == 0 {
                break;
            }
        }
        Self { buf, start }
    }

    fn digits(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    /// Writes `value` with a leading '-' when negative.
    fn put_signed(sink: &mut impl TextSink, value: i64) {
        if value < 0 {
            sink.put(b"-");
        }
        sink.put(Self::unsigned(value.unsigned_abs()).digits());
    }
}

const _: () = assert!(std::mem::offset_of!(StatusState, head) == 0);

impl StatusState {
    /// Ray's `ToString()` layout (see `ray_common::format_status`), on bytes.
    fn write_to(&self, out: &mut impl TextSink) {
        out.put(ray_common::code_as_string(self.head.code).as_bytes());
        out.put(b": ");
        out.put(&self.message);
        if self.head.code == StatusCode::RpcError.as_raw() {
            out.put(b" rpc_code: ");
            Decimal::put_signed(out, i64::from(self.head.rpc_code));
        }
        if !self.file.is_empty() {
            out.put(b" at ");
            out.put(&self.file);
            out.put(b":");
            Decimal::put_signed(out, i64::from(self.line));
        }
    }

    fn text_len(&self) -> usize {
        let mut measure = Measure(0);
        self.write_to(&mut measure);
        measure.0
    }
}

pub(crate) fn status_new(
    code: i8,
    message: &[u8],
    rpc_code: i32,
    file: &[u8],
    line: i32,
) -> Box<StatusState> {
    guard("status_new", || {
        Box::new(StatusState {
            head: StatusHead { code, rpc_code },
            message: message.to_vec(),
            file: file.to_vec(),
            line,
        })
    })
}

pub(crate) fn status_clone(state: &StatusState) -> Box<StatusState> {
    guard("status_clone", || Box::new(state.clone()))
}

pub(crate) fn status_code(state: &StatusState) -> i8 {
    guard("status_code", || state.head.code)
}

pub(crate) fn status_rpc_code(state: &StatusState) -> i32 {
    guard("status_rpc_code", || state.head.rpc_code)
}

pub(crate) fn status_message(state: &StatusState) -> &[u8] {
    guard("status_message", || state.message.as_slice())
}

pub(crate) fn status_append(state: &mut StatusState, text: &[u8]) {
    guard("status_append", || state.message.extend_from_slice(text));
}

pub(crate) fn status_append_signed(state: &mut StatusState, value: i64) {
    guard("status_append_signed", || {
        Decimal::put_signed(&mut state.message, value);
    });
}

pub(crate) fn status_append_unsigned(state: &mut StatusState, value: u64) {
    guard("status_append_unsigned", || {
        state.message.put(Decimal::unsigned(value).digits());
    });
}

pub(crate) fn status_to_string(state: &StatusState, mut out: Pin<&mut CxxString>) {
    guard("status_to_string", || {
        out.as_mut().clear();
        out.as_mut().reserve(state.text_len());
        state.write_to(&mut out);
    });
}

pub(crate) fn status_ok_string() -> &'static str {
    guard("status_ok_string", || ray_common::OK_STATUS_STRING)
}

pub(crate) fn status_code_as_string(code: i8) -> &'static str {
    guard("status_code_as_string", || ray_common::code_as_string(code))
}

pub(crate) fn status_string_to_code(text: &[u8]) -> i8 {
    guard("status_string_to_code", || {
        // No code's text is anything but UTF-8; other bytes fall through to
        // IOError like any unknown string.
        std::str::from_utf8(text)
            .map_or(StatusCode::IoError, ray_common::string_to_code)
            .as_raw()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ray_common::{format_status, SourceLocation};

    fn to_string(state: &StatusState) -> Vec<u8> {
        let mut out = Vec::new();
        state.write_to(&mut out);
        assert_eq!(out.len(), state.text_len());
        out
    }

    #[test]
    fn matches_ray_common_format_for_every_code() {
        let locations = [("", 0), ("src/foo.cc", 123), ("x", 0), ("f.cc", -7)];
        let messages = ["", "msg", "x: y", "multi\nline", "\u{2713} done"];
        for raw in i8::MIN..=i8::MAX {
            for rpc_code in [-1, 0, 14, i32::MIN, i32::MAX] {
                for (file, line) in locations {
                    for message in messages {
                        let state =
                            status_new(raw, message.as_bytes(), rpc_code, file.as_bytes(), line);
                        let location = SourceLocation::new(file, line);
                        let expected = format_status(raw, message, rpc_code, Some(&location));
                        assert_eq!(to_string(&state), expected.as_bytes());
                    }
                }
            }
        }
    }

    /// code, message, rpc code, file, line, expected `ToString()`.
    type Example = (i8, &'static [u8], i32, &'static [u8], i32, &'static [u8]);

    #[test]
    fn golden_examples() {
        let cases: [Example; 5] = [
            (2, b"key not found", -1, b"", 0, b"Key error: key not found"),
            (4, b"", -1, b"", 0, b"Invalid: "),
            (
                30,
                b"connection refused",
                14,
                b"",
                0,
                b"RpcError: connection refused rpc_code: 14",
            ),
            (
                30,
                b"m",
                2,
                b"f.cc",
                1,
                b"RpcError: m rpc_code: 2 at f.cc:1",
            ),
            (6, b"gap", -1, b"", 0, b"Unknown: gap"),
        ];
        for (code, message, rpc_code, file, line, expected) in cases {
            let state = status_new(code, message, rpc_code, file, line);
            assert_eq!(to_string(&state), expected);
        }
    }

    #[test]
    fn non_utf8_messages_stay_verbatim() {
        let message = b"a\0b\xff\xc3";
        let mut state = status_new(5, message, -1, b"\xfe.cc", 3);
        assert_eq!(status_message(&state), message);
        assert_eq!(to_string(&state), b"IOError: a\0b\xff\xc3 at \xfe.cc:3");
        status_append(&mut state, b"\x80");
        status_append_signed(&mut state, -42);
        status_append_unsigned(&mut state, u64::MAX);
        status_append_signed(&mut state, i64::MIN);
        let mut expected = message.to_vec();
        expected.extend_from_slice(b"\x80-4218446744073709551615-9223372036854775808");
        assert_eq!(status_message(&state), expected.as_slice());
    }

    #[test]
    fn clone_is_deep() {
        let original = status_new(2, b"k", 7, b"", 0);
        let mut copy = status_clone(&original);
        status_append(&mut copy, b"-more");
        assert_eq!(status_message(&original), b"k");
        assert_eq!(status_message(&copy), b"k-more");
        assert_eq!(status_code(&copy), 2);
        assert_eq!(status_rpc_code(&copy), 7);
    }

    #[test]
    fn string_to_code_on_bytes() {
        assert_eq!(status_string_to_code(b"OK"), 0);
        assert_eq!(status_string_to_code(b"Out of memory"), 1);
        assert_eq!(status_string_to_code(b"GcsPassive"), 38);
        for unmapped in [
            &b""[..],
            b"Unknown",
            b"KeyError",
            b"AuthError",
            b"\xff\xfe",
            b"Invalid\0",
        ] {
            assert_eq!(status_string_to_code(unmapped), 5, "{unmapped:?}");
        }
        for raw in i8::MIN..=i8::MAX {
            let text = status_code_as_string(raw);
            let back = status_string_to_code(text.as_bytes());
            if text == "Unknown" {
                assert_eq!(back, 5);
            } else {
                assert_eq!(back, raw);
            }
        }
        assert_eq!(status_ok_string(), "OK");
    }

    #[test]
    fn decimal_formatting() {
        for value in [0, 1, -1, 9, 10, -10, i64::MAX, i64::MIN, 1_234_567_890] {
            let mut out = Vec::new();
            Decimal::put_signed(&mut out, value);
            assert_eq!(out, value.to_string().into_bytes());
        }
        assert_eq!(
            Decimal::unsigned(u64::MAX).digits(),
            b"18446744073709551615"
        );
    }
}
