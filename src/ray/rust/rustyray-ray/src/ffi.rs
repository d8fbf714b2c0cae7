//! Declarations of `cpp/ray_bridge.h`, and safe wrappers over its byte buffers.

use std::os::raw::c_char;

/// Length of Ray's ObjectID.
pub const OBJECT_ID_LEN: usize = 28;
/// Length of Ray's ActorID.
pub const ACTOR_ID_LEN: usize = 16;

/// `rr_language`: a function of Ray's C++ API, or a Python one.
pub const RR_LANGUAGE_CPP: u8 = 1;
pub const RR_LANGUAGE_PYTHON: u8 = 2;

#[repr(C)]
pub struct RrBytes {
    pub data: *mut u8,
    pub len: usize,
}

impl RrBytes {
    pub const fn empty() -> Self {
        Self {
            data: std::ptr::null_mut(),
            len: 0,
        }
    }
}

#[repr(C)]
pub struct RrArg {
    pub data: *const u8,
    pub len: usize,
    pub is_ref: i32,
}

#[repr(C)]
pub struct RrResource {
    pub name: *const c_char,
    pub name_len: usize,
    pub amount: f64,
}

#[repr(C)]
pub struct RrActorOptions {
    pub name: *const c_char,
    pub name_len: usize,
    pub ray_namespace: *const c_char,
    pub ray_namespace_len: usize,
    pub max_restarts: i32,
    pub max_concurrency: i32,
    pub resources: *const RrResource,
    pub nresources: usize,
}

unsafe extern "C" {
    pub fn rr_bytes_free(bytes: *mut RrBytes);
    pub fn rr_init(
        address: *const c_char,
        address_len: usize,
        code_search_path: *const c_char,
        code_search_path_len: usize,
        ray_namespace: *const c_char,
        ray_namespace_len: usize,
        out: *mut RrBytes,
    ) -> i32;
    pub fn rr_namespace(out: *mut RrBytes) -> i32;
    pub fn rr_shutdown(out: *mut RrBytes) -> i32;
    pub fn rr_put(data: *const u8, len: usize, id_out: *mut u8, out: *mut RrBytes) -> i32;
    pub fn rr_submit_foreign(
        language: i32,
        module: *const c_char,
        module_len: usize,
        function: *const c_char,
        function_len: usize,
        args: *const RrArg,
        nargs: usize,
        resources: *const RrResource,
        nresources: usize,
        id_out: *mut u8,
        out: *mut RrBytes,
    ) -> i32;
    pub fn rr_get(id: *const u8, language: i32, timeout_ms: i32, out: *mut RrBytes) -> i32;
    pub fn rr_get_many(
        ids: *const u8,
        languages: *const u8,
        n: usize,
        timeout_ms: i32,
        values_out: *mut RrBytes,
        statuses_out: *mut i32,
        out: *mut RrBytes,
    ) -> i32;
    pub fn rr_wait(
        ids: *const u8,
        n: usize,
        num_objects: i32,
        timeout_ms: i32,
        ready_out: *mut u8,
        out: *mut RrBytes,
    ) -> i32;
    pub fn rr_release(id: *const u8);
    pub fn rr_submit(
        function: *const c_char,
        function_len: usize,
        args: *const RrArg,
        nargs: usize,
        resources: *const RrResource,
        nresources: usize,
        id_out: *mut u8,
        out: *mut RrBytes,
    ) -> i32;
    pub fn rr_actor_create(
        actor_type: *const c_char,
        actor_type_len: usize,
        args: *const RrArg,
        nargs: usize,
        options: *const RrActorOptions,
        actor_id_out: *mut u8,
        out: *mut RrBytes,
    ) -> i32;
    pub fn rr_actor_call(
        actor_id: *const u8,
        method: *const c_char,
        method_len: usize,
        args: *const RrArg,
        nargs: usize,
        id_out: *mut u8,
        out: *mut RrBytes,
    ) -> i32;
    pub fn rr_actor_get(
        name: *const c_char,
        name_len: usize,
        ray_namespace: *const c_char,
        ray_namespace_len: usize,
        actor_id_out: *mut u8,
        found: *mut i32,
        out: *mut RrBytes,
    ) -> i32;
    pub fn rr_actor_serialize(actor_id: *const u8, out: *mut RrBytes) -> i32;
    pub fn rr_actor_deserialize(
        handle: *const u8,
        handle_len: usize,
        actor_id_out: *mut u8,
        out: *mut RrBytes,
    ) -> i32;
    pub fn rr_actor_kill(actor_id: *const u8, no_restart: i32, out: *mut RrBytes) -> i32;
}

/// A buffer the C++ side allocated (malloc or null), freed when dropped.
pub struct CBuffer(RrBytes);

impl CBuffer {
    pub fn new(bytes: RrBytes) -> Self {
        Self(bytes)
    }

    pub fn as_slice(&self) -> &[u8] {
        if self.0.data.is_null() || self.0.len == 0 {
            &[]
        } else {
            // SAFETY: the C++ side allocated `len` initialized bytes at `data`, alive until
            // this buffer is dropped.
            unsafe { std::slice::from_raw_parts(self.0.data, self.0.len) }
        }
    }
}

impl Drop for CBuffer {
    fn drop(&mut self) {
        // SAFETY: the buffer came from the C++ side and is freed exactly once, here.
        unsafe { rr_bytes_free(&mut self.0) };
    }
}

/// Takes ownership of a buffer the C++ side allocated, copying it out and freeing it.
pub fn take_bytes(bytes: RrBytes) -> Vec<u8> {
    CBuffer::new(bytes).as_slice().to_vec()
}
