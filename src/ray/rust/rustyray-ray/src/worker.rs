//! The Rust entry point the C++ dispatcher calls inside Ray's worker processes.

use std::os::raw::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::codec::join_args;
use crate::ffi::{RrArg, RrBytes};
use crate::registry::{invoke, DispatchError};

fn hand_over(bytes: Vec<u8>) -> RrBytes {
    let boxed = bytes.into_boxed_slice();
    let len = boxed.len();
    RrBytes {
        data: Box::into_raw(boxed).cast::<u8>(),
        len,
    }
}

/// Runs the registered function `name`; called by `cpp/ray_bridge.cc`.
///
/// A panic is caught here (unwinding into C++ is undefined behaviour) and fails the task
/// with the panic's message, like a returned error.
///
/// # Safety
/// `name` must point to `name_len` readable bytes, `args` to `nargs` arguments whose data
/// is readable, and `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rustyray_ray_dispatch(
    name: *const c_char,
    name_len: usize,
    args: *const RrArg,
    nargs: usize,
    out: *mut RrBytes,
) -> i32 {
    // SAFETY: the caller guarantees the pointers and lengths (see above).
    let (name, args) = unsafe {
        let name = std::slice::from_raw_parts(name.cast::<u8>(), name_len);
        let args: &[RrArg] = if nargs == 0 {
            &[]
        } else {
            std::slice::from_raw_parts(args, nargs)
        };
        let args: Vec<&[u8]> = args
            .iter()
            .map(|a| {
                if a.len == 0 {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(a.data, a.len)
                }
            })
            .collect();
        (name, args)
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        let name = std::str::from_utf8(name)
            .map_err(|_| DispatchError::Failed("function name is not UTF-8".into()))?;
        invoke(name, &join_args(args.iter().copied()))
    }));
    let (status, bytes) = match result {
        Ok(Ok(value)) => (0, value),
        Ok(Err(err)) => (1, err.to_string().into_bytes()),
        Err(panic) => {
            let text = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic payload".into());
            (1, format!("panicked: {text}").into_bytes())
        }
    };
    // SAFETY: the caller guarantees `out` is writable.
    unsafe { out.write(hand_over(bytes)) };
    status
}

/// Frees a buffer returned by [`rustyray_ray_dispatch`].
///
/// # Safety
/// `bytes` must be null or point to a buffer from `rustyray_ray_dispatch`, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rustyray_ray_free(bytes: *mut RrBytes) {
    if bytes.is_null() {
        return;
    }
    // SAFETY: per the contract, `*bytes` is a boxed slice from `hand_over` or empty.
    unsafe {
        let b = &mut *bytes;
        if !b.data.is_null() {
            drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(
                b.data, b.len,
            )));
        }
        b.data = std::ptr::null_mut();
        b.len = 0;
    }
}
