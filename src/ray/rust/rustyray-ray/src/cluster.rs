//! The driver side: connect to a Ray cluster, put and get objects, submit Rust functions by
//! name and wait for their results.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::codec;
use crate::error::ClusterError;
use crate::ffi::{self, RrArg, RrBytes, RrResource, OBJECT_ID_LEN};

/// Ray's runtime is one per process; this guards against a second `connect`.
static CONNECTED: AtomicBool = AtomicBool::new(false);

fn check(status: i32, out: RrBytes) -> Result<(), ClusterError> {
    if status == 0 {
        // A successful call leaves no message, but free whatever is there.
        ffi::take_bytes(out);
        Ok(())
    } else {
        Err(ClusterError::from_status(status, ffi::take_message(out)))
    }
}

/// Ray's timeouts are `int` milliseconds; `None` waits forever (-1).
fn timeout_ms(timeout: Option<Duration>) -> i32 {
    timeout.map_or(-1, |t| i32::try_from(t.as_millis()).unwrap_or(i32::MAX))
}

/// A connection to a Ray cluster (the process's Ray driver). Shuts Ray down when dropped.
///
/// Ray's core worker is thread-safe, so the handle may be shared between threads.
pub struct Cluster {
    _private: (),
}

impl Cluster {
    /// Connects to the cluster at `address` (`host:port` of the GCS). `code_search_path`
    /// lists (`:`-separated) the shared libraries or directories Ray's C++ workers load the
    /// Rust functions from.
    pub fn connect(address: &str, code_search_path: &str) -> Result<Self, ClusterError> {
        if CONNECTED.swap(true, Ordering::SeqCst) {
            return Err(ClusterError::Ray(
                "already connected in this process".into(),
            ));
        }
        let mut out = RrBytes::empty();
        // SAFETY: both strings are valid for their lengths for the duration of the call.
        let status = unsafe {
            ffi::rr_init(
                address.as_ptr().cast(),
                address.len(),
                code_search_path.as_ptr().cast(),
                code_search_path.len(),
                &mut out,
            )
        };
        if let Err(err) = check(status, out) {
            CONNECTED.store(false, Ordering::SeqCst);
            return Err(err);
        }
        Ok(Self { _private: () })
    }

    /// Connects to the cluster named by the `RAY_ADDRESS` environment variable, as Ray's
    /// own drivers do.
    pub fn connect_from_env(code_search_path: &str) -> Result<Self, ClusterError> {
        let address = std::env::var("RAY_ADDRESS").map_err(|_| {
            ClusterError::NotConnected("RAY_ADDRESS is not set (e.g. 127.0.0.1:6390)".into())
        })?;
        Self::connect(&address, code_search_path)
    }

    /// Stores a value in Ray's object store.
    pub fn put<T: Serialize>(&self, value: &T) -> Result<ObjectRef<T>, ClusterError> {
        let bytes = codec::encode(value).map_err(ClusterError::Codec)?;
        let mut id = [0_u8; OBJECT_ID_LEN];
        let mut out = RrBytes::empty();
        // SAFETY: `bytes` is readable, `id` has room for an object id.
        let status = unsafe { ffi::rr_put(bytes.as_ptr(), bytes.len(), id.as_mut_ptr(), &mut out) };
        check(status, out)?;
        Ok(ObjectRef::owning(id))
    }

    /// Waits for the object and decodes it.
    pub fn get<T: DeserializeOwned>(&self, object: &ObjectRef<T>) -> Result<T, ClusterError> {
        self.get_raw(object.id(), None)
    }

    /// Like [`Cluster::get`], but fails with [`ClusterError::Timeout`] after `timeout`.
    pub fn get_timeout<T: DeserializeOwned>(
        &self,
        object: &ObjectRef<T>,
        timeout: Duration,
    ) -> Result<T, ClusterError> {
        self.get_raw(object.id(), Some(timeout))
    }

    fn get_raw<T: DeserializeOwned>(
        &self,
        id: &[u8; OBJECT_ID_LEN],
        timeout: Option<Duration>,
    ) -> Result<T, ClusterError> {
        let mut out = RrBytes::empty();
        // SAFETY: `id` is a full object id; `out` is writable.
        let status = unsafe { ffi::rr_get(id.as_ptr(), timeout_ms(timeout), &mut out) };
        if status != 0 {
            return Err(ClusterError::from_status(status, ffi::take_message(out)));
        }
        codec::decode(&ffi::take_bytes(out)).map_err(ClusterError::Codec)
    }

    /// Waits until `num_ready` of `objects` are ready or `timeout` passes (`None`: no
    /// limit), and says which are ready.
    pub fn wait<T>(
        &self,
        objects: &[&ObjectRef<T>],
        num_ready: usize,
        timeout: Option<Duration>,
    ) -> Result<WaitResult, ClusterError> {
        let ids: Vec<u8> = objects
            .iter()
            .flat_map(|o| o.id().iter().copied())
            .collect();
        let num = i32::try_from(num_ready)
            .map_err(|_| ClusterError::InvalidArgument("num_ready is too large".into()))?;
        let mut ready = vec![0_u8; objects.len()];
        let mut out = RrBytes::empty();
        // SAFETY: `ids` holds `objects.len()` ids, `ready` one byte for each.
        let status = unsafe {
            ffi::rr_wait(
                ids.as_ptr(),
                objects.len(),
                num,
                timeout_ms(timeout),
                ready.as_mut_ptr(),
                &mut out,
            )
        };
        check(status, out)?;
        let (ready, not_ready) = (0..objects.len()).partition(|&i| ready[i] != 0);
        Ok(WaitResult { ready, not_ready })
    }

    /// Runs the [`cluster_function!`](crate::cluster_function) registered as `function` in
    /// a Ray worker; its result (of type `R`) is the returned object.
    pub fn submit<R>(
        &self,
        function: &str,
        args: &[Arg],
        options: &TaskOptions,
    ) -> Result<ObjectRef<R>, ClusterError> {
        let raw_args: Vec<RrArg> = args
            .iter()
            .map(|arg| match &arg.0 {
                ArgKind::Value(bytes) => RrArg {
                    data: bytes.as_ptr(),
                    len: bytes.len(),
                    is_ref: 0,
                },
                ArgKind::Object(id) => RrArg {
                    data: id.0.as_ptr(),
                    len: OBJECT_ID_LEN,
                    is_ref: 1,
                },
            })
            .collect();
        let resources: Vec<RrResource> = options
            .resources
            .iter()
            .map(|(name, amount)| RrResource {
                name: name.as_ptr().cast(),
                name_len: name.len(),
                amount: *amount,
            })
            .collect();
        let mut id = [0_u8; OBJECT_ID_LEN];
        let mut out = RrBytes::empty();
        // SAFETY: every pointer refers to data borrowed from `function`, `args` or
        // `options`, all alive for the call; `id` has room for an object id.
        let status = unsafe {
            ffi::rr_submit(
                function.as_ptr().cast(),
                function.len(),
                raw_args.as_ptr(),
                raw_args.len(),
                resources.as_ptr(),
                resources.len(),
                id.as_mut_ptr(),
                &mut out,
            )
        };
        check(status, out)?;
        Ok(ObjectRef::owning(id))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let mut out = RrBytes::empty();
        // SAFETY: `out` is writable. A failing shutdown has nobody left to report to.
        let status = unsafe { ffi::rr_shutdown(&mut out) };
        let _ = check(status, out);
        CONNECTED.store(false, Ordering::SeqCst);
    }
}

/// One local reference to a Ray object, released when the last clone is dropped.
struct OwnedId([u8; OBJECT_ID_LEN]);

impl Drop for OwnedId {
    fn drop(&mut self) {
        // SAFETY: the id is a full object id; releasing after shutdown is a no-op.
        unsafe { ffi::rr_release(self.0.as_ptr()) };
    }
}

/// A Ray object holding a `T`, encoded as MessagePack.
pub struct ObjectRef<T> {
    id: Arc<OwnedId>,
    _value: PhantomData<fn() -> T>,
}

impl<T> ObjectRef<T> {
    fn owning(id: [u8; OBJECT_ID_LEN]) -> Self {
        Self {
            id: Arc::new(OwnedId(id)),
            _value: PhantomData,
        }
    }

    /// Ray's ObjectID (28 bytes), as `ray list objects` shows it in hex.
    pub fn id(&self) -> &[u8; OBJECT_ID_LEN] {
        &self.id.0
    }

    /// The ObjectID in lowercase hex.
    pub fn hex(&self) -> String {
        self.id.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl<T> Clone for ObjectRef<T> {
    fn clone(&self) -> Self {
        Self {
            id: Arc::clone(&self.id),
            _value: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for ObjectRef<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ObjectRef({})", self.hex())
    }
}

/// A task argument: a value, or an object whose value Ray passes once it is ready.
pub struct Arg(ArgKind);

enum ArgKind {
    Value(Vec<u8>),
    /// Holds a reference so the object outlives the submission.
    Object(Arc<OwnedId>),
}

impl Arg {
    /// An argument passed by value.
    pub fn value<T: Serialize + ?Sized>(value: &T) -> Result<Self, ClusterError> {
        codec::encode(value)
            .map(|bytes| Arg(ArgKind::Value(bytes)))
            .map_err(ClusterError::Codec)
    }

    /// An argument taken from an object (e.g. another task's result); the task starts when
    /// the object is ready.
    pub fn object<T>(object: &ObjectRef<T>) -> Self {
        Arg(ArgKind::Object(Arc::clone(&object.id)))
    }
}

/// Ray task options that the C++ API supports for tasks.
#[derive(Debug, Clone, Default)]
pub struct TaskOptions {
    /// Resources the task needs, e.g. `("node2", 1.0)` for a node's custom resource.
    pub resources: Vec<(String, f64)>,
}

impl TaskOptions {
    /// Requires `amount` of resource `name`.
    pub fn resource(mut self, name: &str, amount: f64) -> Self {
        self.resources.push((name.to_string(), amount));
        self
    }
}

/// Which objects of a [`Cluster::wait`] call were ready (indices into its input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitResult {
    pub ready: Vec<usize>,
    pub not_ready: Vec<usize>,
}
