//! The Status half of the bridge: the state behind a non-OK `ray::Status`.
//!
//! A state is one allocation: a [`StatusHead`] followed by the source file
//! name and then the message, as bytes (a C++ message need not be UTF-8).
//! One allocation where Ray's C++ makes two, and C++ reads the code, rpc code
//! and message in place through its mirror of the head (`status.h`); only
//! building, growing, copying, formatting and freeing call into Rust. The
//! code tables and the layout of `ToString()` come from `ray_common`.

use std::alloc::{alloc, dealloc, handle_alloc_error, Layout};
use std::mem::{align_of, size_of, ManuallyDrop};
use std::ptr::{self, NonNull};

use ray_common::StatusCode;

use crate::bridge::ffi::StatusHead;
use crate::guard::guard;

const HEAD_SIZE: usize = size_of::<StatusHead>();

/// The memory of a state with room for `capacity` bytes of text.
fn layout(capacity: usize) -> Layout {
    match HEAD_SIZE
        .checked_add(capacity)
        .and_then(|size| Layout::from_size_align(size, align_of::<StatusHead>()).ok())
    {
        Some(layout) => layout,
        None => too_large(capacity),
    }
}

/// Same as Vec's "capacity overflow": a message near isize::MAX bytes. Out of line,
/// so that building a state stays small enough for LTO to inline into C++.
#[cold]
#[inline(never)]
fn too_large(capacity: usize) -> ! {
    panic!("status message of {capacity} bytes is too large")
}

/// An owned state. Invariants: `0` points to an allocation of
/// `layout(head.capacity)` holding an initialised head and `head.text_len`
/// initialised bytes after it, of which the first `head.file_len` are the
/// file name.
pub(crate) struct StatusState(NonNull<StatusHead>);

impl StatusState {
    fn with_head(head: StatusHead) -> Self {
        let layout = layout(head.capacity);
        // SAFETY: the layout has a non-zero size (it includes the head).
        let raw = unsafe { alloc(layout) }.cast::<StatusHead>();
        let Some(raw) = NonNull::new(raw) else {
            handle_alloc_error(layout)
        };
        // SAFETY: freshly allocated, aligned and large enough for the head.
        unsafe { raw.as_ptr().write(head) };
        Self(raw)
    }

    pub(crate) fn new(code: i8, message: &[u8], rpc_code: i32, file: &[u8], line: i32) -> Self {
        // Saturation only matters past isize::MAX, which `layout` rejects.
        let text_len = file.len().saturating_add(message.len());
        let state = Self::with_head(StatusHead {
            code,
            rpc_code,
            line,
            file_len: file.len(),
            text_len,
            capacity: text_len,
        });
        // SAFETY: the block has room for exactly `file` then `message`, which
        // cannot overlap it (it is new); nothing reads the text before this.
        unsafe {
            let text = state.text_ptr();
            ptr::copy_nonoverlapping(file.as_ptr(), text, file.len());
            ptr::copy_nonoverlapping(message.as_ptr(), text.add(file.len()), message.len());
        }
        state
    }

    pub(crate) fn head(&self) -> &StatusHead {
        // SAFETY: the head is initialised (type invariant).
        unsafe { self.0.as_ref() }
    }

    fn head_mut(&mut self) -> &mut StatusHead {
        // SAFETY: as in `head`, and `self` is the only owner.
        unsafe { self.0.as_mut() }
    }

    fn text_ptr(&self) -> *mut u8 {
        // SAFETY: the allocation extends `capacity` bytes past the head.
        unsafe { self.0.as_ptr().cast::<u8>().add(HEAD_SIZE) }
    }

    fn text(&self) -> &[u8] {
        // SAFETY: `text_len` bytes after the head are initialised.
        unsafe { std::slice::from_raw_parts(self.text_ptr(), self.head().text_len) }
    }

    pub(crate) fn file(&self) -> &[u8] {
        self.text().get(..self.head().file_len).unwrap_or_default()
    }

    pub(crate) fn message(&self) -> &[u8] {
        self.text().get(self.head().file_len..).unwrap_or_default()
    }

    /// Appends to the text (the message, once the file name is in).
    fn push(&mut self, bytes: &[u8]) {
        self.reserve(bytes.len());
        let len = self.head().text_len;
        // SAFETY: `reserve` made room for `bytes` after the initialised text;
        // `bytes` cannot overlap this state, which `&mut self` owns.
        unsafe {
            ptr::copy_nonoverlapping(bytes.as_ptr(), self.text_ptr().add(len), bytes.len());
        }
        self.head_mut().text_len = len + bytes.len();
    }

    fn reserve(&mut self, extra: usize) {
        let head = *self.head();
        let needed = head.text_len.saturating_add(extra);
        if needed <= head.capacity {
            return;
        }
        // Doubling keeps a run of `<<` appends linear. A fresh block and a
        // copy of the used bytes, not realloc: glibc's realloc measured about
        // three times slower here, and only `text_len` bytes are live.
        let capacity = needed.max(head.capacity.saturating_mul(2));
        let mut grown = Self::with_head(StatusHead { capacity, ..head });
        // SAFETY: both blocks hold at least `text_len` bytes of text and are
        // distinct allocations.
        unsafe {
            ptr::copy_nonoverlapping(self.text_ptr(), grown.text_ptr(), head.text_len);
        }
        std::mem::swap(self, &mut grown);
    }

    /// Hands the state to C++ (`ray::Status` keeps the pointer).
    pub(crate) fn into_raw(self) -> *mut StatusHead {
        ManuallyDrop::new(self).0.as_ptr()
    }

    /// Takes back a state from C++.
    ///
    /// # Safety
    /// `raw` came from `into_raw` and is not used again except through the
    /// result.
    pub(crate) unsafe fn from_raw(raw: *mut StatusHead) -> Option<Self> {
        NonNull::new(raw).map(Self)
    }

    /// Borrows a state that C++ owns, for the duration of a call.
    ///
    /// # Safety
    /// `raw` came from `into_raw`, C++ still owns it, and nothing frees or
    /// grows it while the result lives.
    unsafe fn borrow(raw: *const StatusHead) -> Option<ManuallyDrop<StatusState>> {
        NonNull::new(raw.cast_mut()).map(|raw| ManuallyDrop::new(Self(raw)))
    }
}

impl Drop for StatusState {
    fn drop(&mut self) {
        // SAFETY: allocated with exactly this layout (type invariant).
        unsafe { dealloc(self.0.as_ptr().cast::<u8>(), layout(self.head().capacity)) }
    }
}

impl Clone for StatusState {
    fn clone(&self) -> Self {
        let head = self.head();
        Self::new(
            head.code,
            self.message(),
            head.rpc_code,
            self.file(),
            head.line,
        )
    }
}

impl std::fmt::Debug for StatusState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatusState")
            .field("head", self.head())
            .field("file", &String::from_utf8_lossy(self.file()))
            .field("message", &String::from_utf8_lossy(self.message()))
            .finish()
    }
}

// SAFETY: a state is plain owned memory with no thread affinity.
unsafe impl Send for StatusState {}
// SAFETY: shared access only reads.
unsafe impl Sync for StatusState {}

/// Somewhere `ToString()` output can go.
trait TextSink {
    fn put(&mut self, bytes: &[u8]);
}

impl TextSink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// Fills a caller's buffer from the start; what does not fit is counted but
/// dropped.
struct Fill<'a> {
    out: &'a mut [u8],
    written: usize,
}

impl TextSink for Fill<'_> {
    fn put(&mut self, bytes: &[u8]) {
        let end = self.written.saturating_add(bytes.len());
        if let Some(dst) = self.out.get_mut(self.written..end) {
            dst.copy_from_slice(bytes);
        }
        self.written = end;
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

impl StatusState {
    /// Ray's `ToString()` layout (see `ray_common::format_status`), on bytes.
    fn write_to(&self, out: &mut impl TextSink) {
        let head = self.head();
        out.put(ray_common::code_as_string(head.code).as_bytes());
        out.put(b": ");
        out.put(self.message());
        if head.code == StatusCode::RpcError.as_raw() {
            out.put(b" rpc_code: ");
            Decimal::put_signed(out, i64::from(head.rpc_code));
        }
        if head.file_len != 0 {
            out.put(b" at ");
            out.put(self.file());
            out.put(b":");
            Decimal::put_signed(out, i64::from(head.line));
        }
    }

    fn formatted_len(&self) -> usize {
        let mut measure = Measure(0);
        self.write_to(&mut measure);
        measure.0
    }
}

impl TextSink for StatusState {
    fn put(&mut self, bytes: &[u8]) {
        self.push(bytes);
    }
}

/// The bytes C++ passed as pointer and length.
///
/// # Safety
/// `len` readable bytes at `data`, unchanged during the call; `data` may be
/// null only when `len` is 0.
unsafe fn bytes<'a>(data: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        // SAFETY: forwarded from the caller.
        unsafe { std::slice::from_raw_parts(data, len) }
    }
}

/// # Safety
/// `message` and `file` each point to their length in readable bytes (or
/// are null with length 0).
pub(crate) unsafe fn status_new(
    code: i8,
    message: *const u8,
    message_len: usize,
    rpc_code: i32,
    file: *const u8,
    file_len: usize,
    line: i32,
) -> *mut StatusHead {
    guard("status_new", || {
        // SAFETY: forwarded from the caller.
        let (message, file) = unsafe { (bytes(message, message_len), bytes(file, file_len)) };
        StatusState::new(code, message, rpc_code, file, line).into_raw()
    })
}

/// Runs `body` on the state C++ passed in, which must not be null.
///
/// # Safety
/// `raw` is null or a live state from `into_raw` that nothing else touches
/// during the call.
unsafe fn with_state<R>(
    function: &'static str,
    raw: *const StatusHead,
    body: impl FnOnce(&StatusState) -> R,
) -> R {
    guard(function, || {
        // SAFETY: forwarded from the caller.
        match unsafe { StatusState::borrow(raw) } {
            Some(state) => body(&state),
            None => panic!("null Status state"),
        }
    })
}

/// Like `with_state`, for a call that may grow (and so move) the state;
/// returns where it lives now.
///
/// # Safety
/// As for `with_state`; C++ must replace its pointer with the result.
unsafe fn with_state_mut(
    function: &'static str,
    raw: *mut StatusHead,
    body: impl FnOnce(&mut StatusState),
) -> *mut StatusHead {
    guard(function, || {
        // SAFETY: forwarded from the caller; ownership goes back via into_raw.
        match unsafe { StatusState::from_raw(raw) } {
            Some(mut state) => {
                body(&mut state);
                state.into_raw()
            }
            None => panic!("null Status state"),
        }
    })
}

/// # Safety
/// `state` is a live state from `status_new` or `status_clone`.
pub(crate) unsafe fn status_clone(state: *const StatusHead) -> *mut StatusHead {
    // SAFETY: forwarded from the caller.
    unsafe { with_state("status_clone", state, |state| state.clone().into_raw()) }
}

/// # Safety
/// `state` is null or a state from `status_new` or `status_clone`, not used
/// again.
pub(crate) unsafe fn status_free(state: *mut StatusHead) {
    guard("status_free", || {
        // SAFETY: forwarded from the caller.
        drop(unsafe { StatusState::from_raw(state) });
    });
}

/// # Safety
/// As for `with_state_mut`.
pub(crate) unsafe fn status_append(state: *mut StatusHead, text: &[u8]) -> *mut StatusHead {
    // SAFETY: forwarded from the caller.
    unsafe { with_state_mut("status_append", state, |state| state.push(text)) }
}

/// # Safety
/// As for `with_state_mut`.
pub(crate) unsafe fn status_append_signed(state: *mut StatusHead, value: i64) -> *mut StatusHead {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_state_mut("status_append_signed", state, |state| {
            Decimal::put_signed(state, value);
        })
    }
}

/// # Safety
/// As for `with_state_mut`.
pub(crate) unsafe fn status_append_unsigned(state: *mut StatusHead, value: u64) -> *mut StatusHead {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_state_mut("status_append_unsigned", state, |state| {
            state.push(Decimal::unsigned(value).digits());
        })
    }
}

/// # Safety
/// As for `with_state`.
pub(crate) unsafe fn status_formatted_len(state: *const StatusHead) -> usize {
    // SAFETY: forwarded from the caller.
    unsafe { with_state("status_formatted_len", state, StatusState::formatted_len) }
}

/// # Safety
/// As for `with_state`.
pub(crate) unsafe fn status_format(state: *const StatusHead, out: &mut [u8]) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_state("status_format", state, |state| {
            let mut fill = Fill { out, written: 0 };
            state.write_to(&mut fill);
            fill.written == fill.out.len()
        })
    }
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
        assert_eq!(out.len(), state.formatted_len());
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
                        let state = StatusState::new(
                            raw,
                            message.as_bytes(),
                            rpc_code,
                            file.as_bytes(),
                            line,
                        );
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
            let state = StatusState::new(code, message, rpc_code, file, line);
            assert_eq!(to_string(&state), expected);
        }
    }

    #[test]
    fn head_describes_the_bytes_that_follow() {
        let state = StatusState::new(30, b"message", 14, b"file.cc", 9);
        let head = *state.head();
        assert_eq!((head.code, head.rpc_code, head.line), (30, 14, 9));
        assert_eq!((head.file_len, head.text_len), (7, 14));
        assert_eq!(head.capacity, 14);
        assert_eq!(state.file(), b"file.cc");
        assert_eq!(state.message(), b"message");
        let empty = StatusState::new(4, b"", -1, b"", 0);
        assert_eq!((empty.head().text_len, empty.head().capacity), (0, 0));
        assert_eq!(empty.message(), b"");
    }

    /// The C++ side's view: raw pointers in and out, growth may move the state.
    #[test]
    fn raw_interface_round_trip() {
        // SAFETY: every pointer comes from this API and is used as documented.
        unsafe {
            let message = b"a\0b\xff\xc3";
            let mut raw = status_new(5, message.as_ptr(), 5, -1, b"\xfe.cc".as_ptr(), 4, 3);
            let empty = status_new(4, std::ptr::null(), 0, -1, std::ptr::null(), 0, 0);
            assert_eq!(StatusState::borrow(empty).expect("non-null").text(), b"");
            status_free(empty);
            let copy = status_clone(raw);
            for _ in 0..100 {
                raw = status_append(raw, b"\x80");
            }
            raw = status_append_signed(raw, -42);
            raw = status_append_unsigned(raw, u64::MAX);
            raw = status_append_signed(raw, i64::MIN);
            let state = StatusState::borrow(raw).expect("non-null");
            let mut expected = b"a\0b\xff\xc3".to_vec();
            expected.extend(std::iter::repeat_n(0x80, 100));
            expected.extend_from_slice(b"-4218446744073709551615-9223372036854775808");
            assert_eq!(state.message(), expected.as_slice());
            assert_eq!(state.file(), b"\xfe.cc");
            assert!(state.head().capacity >= state.head().text_len);
            let original = StatusState::borrow(copy).expect("non-null");
            assert_eq!(original.message(), b"a\0b\xff\xc3");
            assert_eq!(to_string(&original), b"IOError: a\0b\xff\xc3 at \xfe.cc:3");
            status_free(raw);
            status_free(copy);
            status_free(std::ptr::null_mut());
        }
    }

    #[test]
    fn format_fills_exactly_the_measured_length() {
        let state = StatusState::new(30, b"refused", 14, b"a.cc", 12).into_raw();
        // SAFETY: a live state from into_raw, freed at the end.
        unsafe {
            let len = status_formatted_len(state);
            let mut out = vec![0u8; len];
            assert!(status_format(state, &mut out));
            assert_eq!(out, b"RpcError: refused rpc_code: 14 at a.cc:12");
            let mut short = vec![0u8; len - 1];
            assert!(!status_format(state, &mut short));
            let mut long = vec![0u8; len + 1];
            assert!(!status_format(state, &mut long));
            status_free(state);
        }
    }

    #[test]
    fn clone_is_deep_and_exact() {
        let mut original = StatusState::new(2, b"k", 7, b"", 0);
        original.push(b"ey");
        let mut copy = original.clone();
        copy.push(b"-more");
        assert_eq!(original.message(), b"key");
        assert_eq!(copy.message(), b"key-more");
        assert_eq!(copy.head().code, 2);
        assert_eq!(copy.head().rpc_code, 7);
        assert_eq!(original.clone().head().capacity, 3);
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
