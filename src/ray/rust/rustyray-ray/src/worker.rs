//! The Rust entry points the C++ dispatchers call inside Ray's worker processes: tasks by
//! function name, actor creation by type name, and actor calls by method name.

use std::ffi::c_void;
use std::os::raw::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::actor::ActorInstance;
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

/// Borrows `len` bytes at `data` as a slice (empty when `len` is 0, whatever `data` is).
///
/// # Safety
/// Unless `len` is 0, `data` must point to `len` readable bytes that outlive the slice.
unsafe fn bytes<'a>(data: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        // SAFETY: per the contract.
        unsafe { std::slice::from_raw_parts(data, len) }
    }
}

/// The arguments the C++ side passed, joined into one MessagePack array.
///
/// # Safety
/// `args` must point to `nargs` arguments whose data is readable (or `nargs` be 0).
unsafe fn joined_args(args: *const RrArg, nargs: usize) -> Vec<u8> {
    let args: &[RrArg] = if nargs == 0 {
        &[]
    } else {
        // SAFETY: per the contract.
        unsafe { std::slice::from_raw_parts(args, nargs) }
    };
    // SAFETY: each argument's data is readable for its length (the contract).
    join_args(args.iter().map(|a| unsafe { bytes(a.data, a.len) }))
}

/// Runs the body of a task (or actor call) this worker took. The first one starts the
/// worker's RustyRay runtime on Ray's worker connection, so the remote functions and
/// actors a task calls run on the cluster too; a `get` in the body waits on this thread,
/// where Ray sees the task blocked and lends its CPU.
fn worker_task<R>(body: impl FnOnce() -> R) -> R {
    #[cfg(feature = "cluster")]
    {
        static STARTED: std::sync::Once = std::sync::Once::new();
        STARTED.call_once(|| {
            if !rustyray::is_initialized() {
                // On failure a call made by a task reports RustyRay as not initialised.
                let _ = rustyray::RuntimeBuilder::default()
                    .num_cpus(1.0)
                    .worker_threads(1)
                    .backend(crate::backend::RayBackend::in_worker())
                    .init();
            }
        });
    }
    rustyray::backend::run_worker_task(body)
}

fn utf8<'a>(name: &'a [u8], what: &str) -> Result<&'a str, DispatchError> {
    std::str::from_utf8(name).map_err(|_| DispatchError::Failed(format!("{what} is not UTF-8")))
}

/// Runs `body`, catching a panic (unwinding into C++ is undefined behaviour) as an error
/// with the panic's message, and hands the result or the error's text to `out`.
///
/// # Safety
/// `out` must be writable.
unsafe fn guarded(out: *mut RrBytes, body: impl FnOnce() -> Result<Vec<u8>, DispatchError>) -> i32 {
    let (status, bytes) = match catch_unwind(AssertUnwindSafe(body)) {
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

/// Runs the registered function `name`; called by `cpp/ray_bridge.cc`.
///
/// A panic fails the task with the panic's message, like a returned error.
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
    let (name, args) = unsafe { (bytes(name.cast(), name_len), joined_args(args, nargs)) };
    // SAFETY: `out` is writable (the contract).
    unsafe {
        guarded(out, || {
            worker_task(|| invoke(utf8(name, "function name")?, &args))
        })
    }
}

/// Creates an actor of the registered type `class`; called by the C++ actor factory.
/// On success `*state_out` is the actor's state, owned by the C++ actor object from then on
/// (Ray keeps it until the worker process exits) and passed to
/// [`rustyray_ray_actor_call`]; on failure `out` holds the error's text.
///
/// # Safety
/// `class` must point to `class_len` readable bytes, `args` to `nargs` arguments whose data
/// is readable, and `state_out` and `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rustyray_ray_actor_new(
    class: *const c_char,
    class_len: usize,
    args: *const RrArg,
    nargs: usize,
    state_out: *mut *mut c_void,
    out: *mut RrBytes,
) -> i32 {
    // SAFETY: the caller guarantees the pointers and lengths (see above).
    let (class, args) = unsafe { (bytes(class.cast(), class_len), joined_args(args, nargs)) };
    let mut state: *mut c_void = std::ptr::null_mut();
    // SAFETY: `out` is writable (the contract).
    let status = unsafe {
        guarded(out, || {
            let actor = worker_task(|| ActorInstance::new(utf8(class, "actor type name")?, &args))?;
            state = Box::into_raw(Box::new(actor)).cast();
            Ok(Vec::new())
        })
    };
    // SAFETY: `state_out` is writable (the contract).
    unsafe { state_out.write(state) };
    status
}

/// Runs the method `method` of the actor whose state [`rustyray_ray_actor_new`] returned.
///
/// Ray runs one call of an actor at a time, or with `max_concurrency` above 1 several at
/// once on threads of the worker; the [`ActorInstance`] locks its state per call. A
/// panicking method fails its call; the actor's state stays as the method left it.
///
/// # Safety
/// `state` must come from `rustyray_ray_actor_new` and not be freed during the call;
/// `method` must point to `method_len` readable bytes, `args` to `nargs` arguments whose
/// data is readable, and `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rustyray_ray_actor_call(
    state: *mut c_void,
    method: *const c_char,
    method_len: usize,
    args: *const RrArg,
    nargs: usize,
    out: *mut RrBytes,
) -> i32 {
    // SAFETY: the caller guarantees the pointers and lengths (see above).
    let (method, args) = unsafe { (bytes(method.cast(), method_len), joined_args(args, nargs)) };
    let body = || {
        if state.is_null() {
            return Err(DispatchError::Failed("the actor has no state".into()));
        }
        // SAFETY: `state` is a live ActorInstance from rustyray_ray_actor_new (the
        // contract); it is only used by shared reference, and is `Sync`.
        let actor = unsafe { &*state.cast::<ActorInstance>() };
        worker_task(|| actor.call(utf8(method, "method name")?, &args))
    };
    // SAFETY: `out` is writable (the contract).
    unsafe { guarded(out, body) }
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
