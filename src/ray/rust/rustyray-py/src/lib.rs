//! `rustyray._native`: the RustyRay runtime for the Python package `rustyray`.
//!
//! The native module stores opaque Python objects (already serialized by the Python
//! layer) in RustyRay's object store, submits tasks and actor calls through
//! [`rustyray::dynamic`], and waits with the GIL released. Python code runs on the
//! runtime's blocking pool, holding the GIL only while it runs. Serialization, argument
//! templates and exception types live in the Python package, which installs its hooks
//! with `_set_hooks` at import.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use rustyray::dynamic::{self, DynActorHandle, DynArg};
use rustyray::{
    ActorOptions, RayId, Runtime, RustyRayError, TaskCause, TaskOptions, TypedActorHandle,
};
use tokio::sync::oneshot;

thread_local! {
    static THREAD_STATE_KEPT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Set when the interpreter exits: runtime threads no longer enter Python.
static EXITING: AtomicBool = AtomicBool::new(false);
/// Runtime threads running (or about to run) Python code.
static IN_PYTHON: AtomicUsize = AtomicUsize::new(0);

struct InPython;

impl Drop for InPython {
    fn drop(&mut self) {
        IN_PYTHON.fetch_sub(1, Ordering::SeqCst);
    }
}

extern "C" {
    /// CPython's ID of the calling thread (what `threading.get_ident()` returns).
    fn PyThread_get_thread_ident() -> std::os::raw::c_ulong;
}

/// A normal task whose Python code runs on a thread: `cancel` interrupts it there.
struct RunningTask {
    key: u64,
    /// The thread's CPython ID, for `PyThreadState_SetAsyncExc`.
    thread: std::os::raw::c_ulong,
    context: rustyray::RuntimeContext,
    /// An interrupt was sent (and may still be pending when the task returns).
    interrupted: bool,
}

static RUNNING: Mutex<Vec<RunningTask>> = Mutex::new(Vec::new());
static NEXT_RUNNING: AtomicU64 = AtomicU64::new(0);

fn running() -> std::sync::MutexGuard<'static, Vec<RunningTask>> {
    RUNNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Marks the calling thread (holding the GIL) as running the current normal task until
/// the guard drops (also with the GIL held).
struct Interruptible(u64);

impl Interruptible {
    fn enter(_py: Python<'_>) -> Self {
        let key = NEXT_RUNNING.fetch_add(1, Ordering::Relaxed);
        // SAFETY: a plain query of the calling thread's ID.
        let thread = unsafe { PyThread_get_thread_ident() };
        let task = RunningTask {
            key,
            thread,
            context: rustyray::get_runtime_context(),
            interrupted: false,
        };
        running().push(task);
        Interruptible(key)
    }
}

impl Drop for Interruptible {
    fn drop(&mut self) {
        // Taken out under the lock, dropped after it: nothing may run Python code (and
        // so switch threads) while the lock is held.
        let task = {
            let mut all = running();
            all.iter()
                .position(|t| t.key == self.0)
                .map(|i| all.swap_remove(i))
        };
        if let Some(task) = task.filter(|t| t.interrupted) {
            // The GIL is held (the guard lives inside `with_gil`). One bytecode run here
            // raises an interrupt the task's code did not see (dropped), so it does not
            // hit the next task of this thread; clearing it with
            // `PyThreadState_SetAsyncExc(thread, NULL)` instead would leave CPython's
            // "async exception pending" flag set for good, slowing every thread.
            Python::with_gil(|py| {
                let _ = py.eval(c"None", None, None);
            });
            drop(task);
        }
    }
}

/// Raises `KeyboardInterrupt` at the next bytecode of every running normal task that
/// was cancelled (`all`: of every running task), as Ray does in a cancelled task's
/// worker; returns their task IDs (hex). Needs the GIL.
fn interrupt_cancelled(_py: Python<'_>, all: bool) -> Vec<String> {
    let mut tasks = running();
    let mut interrupted = Vec::new();
    for task in tasks.iter_mut() {
        if !task.interrupted && (all || task.context.is_cancelled()) {
            task.interrupted = true;
            interrupted.extend(task.context.get_task_id().map(|t| t.hex()));
            // SAFETY: the GIL is held; the exception type is a static object.
            unsafe {
                pyo3::ffi::PyThreadState_SetAsyncExc(
                    task.thread as _,
                    pyo3::ffi::PyExc_KeyboardInterrupt,
                );
            }
        }
    }
    interrupted
}

/// Runs `f` with the GIL on a runtime thread, unless the interpreter is exiting. The
/// thread's Python thread state is created on its first call and kept, so later calls
/// only take the GIL (instead of creating and destroying a thread state each time).
fn with_gil<R>(
    f: impl for<'py> FnOnce(Python<'py>) -> Result<R, TaskCause>,
) -> Result<R, TaskCause> {
    IN_PYTHON.fetch_add(1, Ordering::SeqCst);
    let _counted = InPython;
    if EXITING.load(Ordering::SeqCst) {
        return Err(TaskCause::new("the Python interpreter is exiting"));
    }
    THREAD_STATE_KEPT.with(|kept| {
        if !kept.get() {
            kept.set(true);
            // SAFETY: called on a runtime thread that does not hold the GIL (bodies run on
            // the blocking pool, outside Python); Ensure creates and attaches the thread
            // state and takes the GIL, SaveThread releases the GIL and keeps the state.
            unsafe {
                let _ = pyo3::ffi::PyGILState_Ensure();
                let _ = pyo3::ffi::PyEval_SaveThread();
            }
        }
    });
    Python::with_gil(f)
}

/// A stored object: whatever the Python layer's serializer produced.
#[derive(Clone)]
struct Value(Arc<Py<PyAny>>);

impl Value {
    fn new(obj: Bound<'_, PyAny>) -> Self {
        Value(Arc::new(obj.unbind()))
    }
}

type Ref = rustyray::ObjectRef<Value>;
type ActorState = Arc<Py<PyAny>>;

/// The Python layer's callbacks.
struct Hooks {
    /// `run_task(payload, values) -> (ok, [stored] | error)`.
    run_task: Py<PyAny>,
    /// `construct_actor(payload, values) -> (ok, state | error)`.
    construct_actor: Py<PyAny>,
    /// `run_method(state, method, values) -> (ok, stored | error)`.
    run_method: Py<PyAny>,
    /// `make_error(kind, message, payload) -> exception`.
    make_error: Py<PyAny>,
    /// `await_ref(ref) -> iterator` for `__await__`.
    await_ref: Py<PyAny>,
    /// `reduce_ref(ref) -> (callable, args)` for pickling.
    reduce_ref: Py<PyAny>,
    /// `ref_future(ref) -> concurrent.futures.Future`.
    ref_future: Py<PyAny>,
    /// `stream_task(payload, values, yielder) -> (ok, None | error)`: a generator task.
    stream_task: Py<PyAny>,
    /// `stream_method(state, method, values, yielder) -> (ok, None | error)`.
    stream_method: Py<PyAny>,
    /// `start_method(state, method, values, completion)`: an async actor's call, which
    /// ends with `completion.finish(ok, stored | error)` on the actor's event loop.
    start_method: Py<PyAny>,
    /// `start_stream_method(state, method, values, yielder, completion)`: the same for a
    /// generator method of an async actor.
    start_stream_method: Py<PyAny>,
}

static HOOKS: OnceLock<Hooks> = OnceLock::new();
static MAIN_THREAD: OnceLock<ThreadId> = OnceLock::new();

fn hooks() -> PyResult<&'static Hooks> {
    HOOKS
        .get()
        .ok_or_else(|| PyRuntimeError::new_err("rustyray._native: hooks are not installed"))
}

/// Installs the Python layer's callbacks (once per process).
#[pyfunction]
fn _set_hooks(hooks: &Bound<'_, PyAny>) -> PyResult<()> {
    let get = |name: &str| -> PyResult<Py<PyAny>> { Ok(hooks.getattr(name)?.unbind()) };
    let installed = Hooks {
        run_task: get("run_task")?,
        construct_actor: get("construct_actor")?,
        run_method: get("run_method")?,
        make_error: get("make_error")?,
        await_ref: get("await_ref")?,
        reduce_ref: get("reduce_ref")?,
        ref_future: get("ref_future")?,
        stream_task: get("stream_task")?,
        stream_method: get("stream_method")?,
        start_method: get("start_method")?,
        start_stream_method: get("start_stream_method")?,
    };
    let _ = HOOKS.set(installed);
    Ok(())
}

/// A Python exception raised by user code, kept as the Python layer's error payload.
struct PyFailure {
    payload: Py<PyAny>,
    text: String,
}

impl fmt::Debug for PyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PyFailure")
            .field("text", &self.text)
            .finish()
    }
}

impl fmt::Display for PyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for PyFailure {}

fn failure(payload: Bound<'_, PyAny>) -> TaskCause {
    let text = payload
        .str()
        .map(|s| s.to_string())
        .unwrap_or_else(|_| "a Python exception".to_owned());
    TaskCause::new(PyFailure {
        payload: payload.unbind(),
        text,
    })
}

fn internal(py: Python<'_>, e: PyErr) -> TaskCause {
    TaskCause::new(format!("rustyray internal error: {}", e.value(py)))
}

/// The kind of an error, as the Python layer's `make_error` names it.
fn error_kind(e: &RustyRayError) -> &'static str {
    match e {
        RustyRayError::TaskFailed { .. } | RustyRayError::TaskPanicked { .. } => "task",
        RustyRayError::ActorDied { .. } => "actor_died",
        RustyRayError::ActorNotFound(_) => "actor_not_found",
        RustyRayError::Timeout(_) => "timeout",
        RustyRayError::Cancelled { .. } => "cancelled",
        RustyRayError::ObjectStoreFull { .. } => "store_full",
        RustyRayError::ObjectLost(_) => "object_lost",
        RustyRayError::NotInitialised => "not_initialized",
        RustyRayError::RuntimeShutDown => "shut_down",
        RustyRayError::AlreadyInitialised => "already_initialized",
        RustyRayError::Infeasible(_) | RustyRayError::InvalidArgument(_) => "invalid",
        _ => "runtime",
    }
}

/// The Python exception for a runtime error.
fn to_py(py: Python<'_>, e: &RustyRayError) -> PyErr {
    let payload = e
        .downcast_ref::<PyFailure>()
        .map(|f| f.payload.clone_ref(py).into_bound(py))
        .unwrap_or_else(|| py.None().into_bound(py));
    let made = hooks().and_then(|h| {
        h.make_error
            .bind(py)
            .call1((error_kind(e), e.to_string(), payload))
    });
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

fn current_runtime(py: Python<'_>) -> PyResult<Runtime> {
    rustyray::runtime().map_err(|e| to_py(py, &e))
}

/// Converts call arguments: native `ObjectRef`s become references, anything else a value.
fn dyn_args(args: &Bound<'_, PyList>) -> PyResult<Vec<DynArg<Value>>> {
    args.iter()
        .map(|a| match a.downcast::<ObjectRef>() {
            Ok(r) => Ok(DynArg::Ref(r.get().live()?.clone())),
            Err(_) => Ok(DynArg::Value(Value::new(a))),
        })
        .collect()
}

fn value_list<'py>(py: Python<'py>, values: &[Value]) -> PyResult<Bound<'py, PyList>> {
    PyList::new(py, values.iter().map(|v| v.0.bind(py)))
}

/// Splits a runner's `(ok, result)`: `Err` carries the error payload as a task cause.
fn outcome<'py>(
    py: Python<'py>,
    out: PyResult<Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>, TaskCause> {
    let out = out.map_err(|e| internal(py, e))?;
    let (ok, result): (bool, Bound<'py, PyAny>) = out.extract().map_err(|e| internal(py, e))?;
    if ok {
        Ok(result)
    } else {
        Err(failure(result))
    }
}

/// A reference to an object of the store (Ray's `ObjectRef`), or Ray's nil reference,
/// which names no object.
#[pyclass(module = "rustyray._native", name = "ObjectRef", frozen, weakref)]
struct ObjectRef {
    inner: Option<Ref>,
}

impl ObjectRef {
    /// The object, or the error a nil reference raises where an object is needed.
    fn live(&self) -> PyResult<&Ref> {
        self.inner.as_ref().ok_or_else(|| {
            pyo3::exceptions::PyValueError::new_err(
                "ObjectRef.nil() names no object: it cannot be read, awaited or passed to a task",
            )
        })
    }

    fn id(&self) -> rustyray::ObjectId {
        self.inner
            .as_ref()
            .map_or_else(rustyray::ObjectId::nil, |r| r.id())
    }
}

#[pymethods]
impl ObjectRef {
    /// The object's ID in hex.
    fn hex(&self) -> String {
        self.id().hex()
    }

    /// The object's ID as bytes.
    fn binary<'py>(&self, py: Python<'py>) -> Bound<'py, pyo3::types::PyBytes> {
        pyo3::types::PyBytes::new(py, self.id().as_bytes())
    }

    /// The ID of the task that produces the object, in hex.
    fn task_id(&self) -> String {
        self.inner
            .as_ref()
            .map_or_else(rustyray::TaskId::nil, |r| r.task_id())
            .hex()
    }

    /// True for Ray's nil reference (`ObjectRef.nil()`).
    fn is_nil(&self) -> bool {
        self.inner.is_none()
    }

    /// A `concurrent.futures.Future` that completes with the object's value (or error).
    fn future(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        Ok(hooks()?.ref_future.bind(slf.py()).call1((slf,))?.unbind())
    }

    /// An `asyncio` future of the object's value, for the running event loop.
    fn as_future(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let fut = hooks()?.ref_future.bind(py).call1((slf,))?;
        Ok(py
            .import("asyncio")?
            .call_method1("wrap_future", (fut,))?
            .unbind())
    }

    /// Ray's nil reference: all-ones ID, no object behind it.
    #[staticmethod]
    fn nil() -> Self {
        ObjectRef { inner: None }
    }

    /// `ObjectRef[T]`, for annotations (as in Ray, a generic alias of the class).
    #[classmethod]
    fn __class_getitem__(
        cls: &Bound<'_, pyo3::types::PyType>,
        item: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let py = cls.py();
        Ok(py
            .import("types")?
            .getattr("GenericAlias")?
            .call1((cls, item))?
            .unbind())
    }

    /// True once the object holds a value or an error (a nil reference is "ready": reading
    /// it fails at once).
    fn _is_ready(&self) -> bool {
        self.inner.as_ref().is_none_or(Ref::is_ready)
    }

    /// Calls `callback()` (on a runtime thread) once the object is ready.
    fn _on_ready(&self, py: Python<'_>, callback: Py<PyAny>) -> PyResult<()> {
        let Some(r) = self.inner.as_ref().filter(|r| !r.is_ready()) else {
            callback.call0(py)?;
            return Ok(());
        };
        let rt = current_runtime(py)?;
        let r = r.clone();
        rt.tokio_handle().spawn(async move {
            let _ = r.get().await;
            let _ = with_gil(|py| {
                if let Err(e) = callback.call0(py) {
                    e.print(py);
                }
                Ok(())
            });
        });
        Ok(())
    }

    fn __await__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        Ok(hooks()?.await_ref.bind(slf.py()).call1((slf,))?.unbind())
    }

    fn __reduce__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        Ok(hooks()?.reduce_ref.bind(slf.py()).call1((slf,))?.unbind())
    }

    fn __repr__(&self) -> String {
        format!("ObjectRef({})", self.id().hex())
    }

    fn __hash__(&self) -> u64 {
        self.id().ray_hash()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .downcast::<ObjectRef>()
            .is_ok_and(|o| o.get().id() == self.id())
    }
}

fn wrap(py: Python<'_>, r: Ref) -> PyResult<Py<ObjectRef>> {
    Py::new(py, ObjectRef { inner: Some(r) })
}

type Finished = Result<Value, TaskCause>;

/// The end of a call that runs on a Python event loop: `finish` hands its outcome to the
/// runtime, which awaits it without holding a thread.
#[pyclass(module = "rustyray._native", frozen)]
struct Completion {
    tx: Mutex<Option<oneshot::Sender<Finished>>>,
}

#[pymethods]
impl Completion {
    /// Completes the call with a stored value (`ok`) or an error payload; false if it
    /// had completed already or nobody waits any more (the call was cancelled).
    fn finish(&self, ok: bool, result: Bound<'_, PyAny>) -> bool {
        let tx = self
            .tx
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        let outcome = if ok {
            Ok(Value::new(result))
        } else {
            Err(failure(result))
        };
        tx.is_some_and(|tx| tx.send(outcome).is_ok())
    }
}

fn completion(py: Python<'_>) -> PyResult<(Py<Completion>, oneshot::Receiver<Finished>)> {
    let (tx, rx) = oneshot::channel();
    let c = Py::new(
        py,
        Completion {
            tx: Mutex::new(Some(tx)),
        },
    )?;
    Ok((c, rx))
}

/// What a call awaits for its completion (`Err` if the event loop dropped it).
async fn completed(started: Result<oneshot::Receiver<Finished>, TaskCause>) -> Finished {
    started?.await.unwrap_or_else(|_| {
        Err(TaskCause::new(
            "the actor's event loop stopped before the call finished",
        ))
    })
}

/// The producer's end of a generator call: `send(stored)` makes the next item.
#[pyclass(module = "rustyray._native", frozen)]
struct Yielder {
    inner: rustyray::Yielder<Value>,
}

#[pymethods]
impl Yielder {
    /// Stores the next item; false once the call was cancelled or its reader is gone
    /// (the generator should stop).
    fn send(&self, py: Python<'_>, value: Bound<'_, PyAny>) -> PyResult<bool> {
        match self.inner.send(Value::new(value)) {
            Ok(()) => Ok(true),
            Err(RustyRayError::Cancelled { .. }) => Ok(false),
            Err(e) => Err(to_py(py, &e)),
        }
    }
}

type Stream = rustyray::ObjectRefGenerator<Value>;
type Item = Option<rustyray::Result<Ref>>;

/// The reader of a generator call (wrapped by the Python layer's `ObjectRefGenerator`).
#[pyclass(module = "rustyray._native", frozen)]
struct RefStream {
    inner: Arc<Mutex<Stream>>,
}

impl Drop for RefStream {
    /// A reader gone before the end does not stop the generator: as in Ray, it runs to
    /// its end and its items are freed as they come. (Dropping the stream would cancel it.)
    fn drop(&mut self) {
        if lock_stream(&self.inner).is_finished() {
            return;
        }
        let Ok(rt) = rustyray::runtime() else {
            return;
        };
        let stream = Arc::clone(&self.inner);
        rt.tokio_handle()
            .spawn(async move { while next_item(Arc::clone(&stream)).await.is_some() {} });
    }
}

fn lock_stream(stream: &Mutex<Stream>) -> std::sync::MutexGuard<'_, Stream> {
    stream
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The next item of `stream`, once there is one (`None` at the end).
async fn next_item(stream: Arc<Mutex<Stream>>) -> Item {
    std::future::poll_fn(|cx| {
        use futures::Stream as _;
        let mut s = lock_stream(&stream);
        std::pin::Pin::new(&mut *s).poll_next(cx)
    })
    .await
}

/// [`next_item`] for a blocking read: inside a task, the task's CPU is lent while it
/// waits (as `get` does), so a task reading a generator never starves its producer.
async fn next_item_lending(stream: Arc<Mutex<Stream>>) -> Item {
    let next = lock_stream(&stream).next_waiting();
    next.await
}

/// An item as Python sees it: a ref (a failure is a ref holding the error), or `None`.
fn item_to_py(
    py: Python<'_>,
    stream: &Mutex<Stream>,
    item: Item,
) -> PyResult<Option<Py<ObjectRef>>> {
    match item {
        None => Ok(None),
        Some(Ok(r)) => wrap(py, r).map(Some),
        Some(Err(e)) => {
            let failed = lock_stream(stream)
                .error_item(e)
                .map_err(|e| to_py(py, &e))?;
            wrap(py, failed).map(Some)
        }
    }
}

#[pymethods]
impl RefStream {
    /// The next item's ref, waiting (GIL released) up to `timeout` seconds; `None` at
    /// the end. A failure of the call is a last ref that holds the error.
    #[pyo3(signature = (timeout=None))]
    fn next(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Option<Py<ObjectRef>>> {
        let slot: Arc<Mutex<Option<Item>>> = Arc::new(Mutex::new(None));
        let stream = Arc::clone(&self.inner);
        let filled = Arc::clone(&slot);
        let ready = wait_released(py, timeout, move || {
            let stream = Arc::clone(&stream);
            let filled = Arc::clone(&filled);
            Box::pin(async move {
                let item = next_item_lending(stream).await;
                *filled
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(item);
            })
        })?;
        let item = slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        match item {
            Some(item) if ready => item_to_py(py, &self.inner, item),
            _ => {
                let e = RustyRayError::Timeout(Duration::from_secs_f64(timeout.unwrap_or(0.0)));
                Err(to_py(py, &e))
            }
        }
    }

    /// Calls `callback(ref | None)` (on a runtime thread) with the next item once there
    /// is one; for async iteration. One pending read at a time.
    fn _on_next(&self, py: Python<'_>, callback: Py<PyAny>) -> PyResult<()> {
        let rt = current_runtime(py)?;
        let stream = Arc::clone(&self.inner);
        rt.tokio_handle().spawn(async move {
            let item = next_item(Arc::clone(&stream)).await;
            let _ = with_gil(|py| {
                let arg = item_to_py(py, &stream, item);
                let called = match arg {
                    Ok(r) => callback.call1(py, (r,)).map(drop),
                    Err(e) => callback.call1(py, (e.into_value(py),)).map(drop),
                };
                if let Err(e) = called {
                    e.print(py);
                }
                Ok(())
            });
        });
        Ok(())
    }

    /// Cancels the call: it stops at its next yield; the reader gets the items sent
    /// before, then a ref holding `TaskCancelledError`. False if it had finished.
    fn cancel(&self) -> bool {
        lock_stream(&self.inner).cancel()
    }

    /// True once the call returned, failed or was cancelled (items may remain unread).
    fn is_finished(&self) -> bool {
        lock_stream(&self.inner).is_finished()
    }

    /// The producing task's ID in hex.
    fn task_id(&self) -> String {
        lock_stream(&self.inner).task_id().hex()
    }
}

fn wrap_stream(py: Python<'_>, stream: Stream) -> PyResult<Py<RefStream>> {
    Py::new(
        py,
        RefStream {
            inner: Arc::new(Mutex::new(stream)),
        },
    )
}

fn yielder(py: Python<'_>, inner: rustyray::Yielder<Value>) -> Result<Py<Yielder>, TaskCause> {
    Py::new(py, Yielder { inner }).map_err(|e| internal(py, e))
}

/// A remote function with its options: submits calls.
#[pyclass(module = "rustyray._native", frozen)]
struct TaskSpec {
    name: String,
    payload: Arc<Py<PyAny>>,
    options: TaskOptions,
    num_returns: u32,
}

#[pymethods]
impl TaskSpec {
    #[new]
    #[pyo3(signature = (name, payload, num_returns=1, num_cpus=1.0, num_gpus=0.0, resources=Vec::new()))]
    fn new(
        name: String,
        payload: Py<PyAny>,
        num_returns: u32,
        num_cpus: f64,
        num_gpus: f64,
        resources: Vec<(String, f64)>,
    ) -> Self {
        TaskSpec {
            name,
            payload: Arc::new(payload),
            options: TaskOptions {
                num_cpus,
                num_gpus,
                resources,
                max_retries: 0,
                retry_exceptions: rustyray::RetryExceptions::Never,
            },
            num_returns,
        }
    }

    /// Submits a call; `args` are passed to the runner in order, `ObjectRef`s among them
    /// resolved first. Returns the list of `num_returns` references.
    fn submit<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyList>,
    ) -> PyResult<Bound<'py, PyList>> {
        let payload = Arc::clone(&self.payload);
        let body = move |values: Vec<Value>| {
            with_gil(|py| -> Result<Vec<Value>, TaskCause> {
                let hooks = hooks().map_err(|e| internal(py, e))?;
                let list = value_list(py, &values).map_err(|e| internal(py, e))?;
                drop(values);
                let running = Interruptible::enter(py);
                let out = hooks.run_task.bind(py).call1((payload.bind(py), list));
                drop(running);
                let result = outcome(py, out)?;
                let items = result
                    .downcast::<PyList>()
                    .map_err(|e| internal(py, e.into()))?;
                Ok(items.iter().map(Value::new).collect())
            })
        };
        let refs = dynamic::submit(
            None,
            &self.name,
            &self.options,
            self.num_returns,
            dyn_args(args)?,
            body,
        )
        .map_err(|e| to_py(py, &e))?;
        let wrapped = refs
            .into_iter()
            .map(|r| wrap(py, r))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, wrapped)
    }

    /// Submits a call of a generator function; returns the reader of its items.
    fn submit_streaming(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyList>,
    ) -> PyResult<Py<RefStream>> {
        let payload = Arc::clone(&self.payload);
        let body = move |values: Vec<Value>, out: rustyray::Yielder<Value>| {
            with_gil(|py| -> Result<(), TaskCause> {
                let hooks = hooks().map_err(|e| internal(py, e))?;
                let list = value_list(py, &values).map_err(|e| internal(py, e))?;
                drop(values);
                let out = yielder(py, out)?;
                let running = Interruptible::enter(py);
                let ran = hooks
                    .stream_task
                    .bind(py)
                    .call1((payload.bind(py), list, out));
                drop(running);
                outcome(py, ran).map(drop)
            })
        };
        let stream =
            dynamic::submit_streaming(None, &self.name, &self.options, dyn_args(args)?, body)
                .map_err(|e| to_py(py, &e))?;
        wrap_stream(py, stream)
    }
}

/// A handle to an actor (its Python class and methods are the Python layer's).
#[pyclass(module = "rustyray._native", name = "ActorHandle", frozen, weakref)]
struct ActorHandle {
    inner: DynActorHandle<ActorState>,
    /// Calls run on the actor's own task (sequential actors) rather than the blocking pool.
    inline: bool,
    /// Calls run on the actor's Python event loop (classes with `async def` methods).
    on_loop: bool,
}

#[pymethods]
impl ActorHandle {
    /// Submits `method` with `args` (`ObjectRef`s among them resolved first).
    fn call(
        &self,
        py: Python<'_>,
        method: Bound<'_, PyString>,
        args: &Bound<'_, PyList>,
    ) -> PyResult<Py<ObjectRef>> {
        let name = method.to_str()?.to_owned();
        let method = method.unbind();
        if self.on_loop {
            let body = move |state: &ActorState, values: Vec<Value>| {
                let started = with_gil(|py| {
                    let hooks = hooks().map_err(|e| internal(py, e))?;
                    let list = value_list(py, &values).map_err(|e| internal(py, e))?;
                    drop(values);
                    let (done, rx) = completion(py).map_err(|e| internal(py, e))?;
                    hooks
                        .start_method
                        .bind(py)
                        .call1((state.bind(py), method.bind(py), list, done))
                        .map_err(|e| internal(py, e))?;
                    Ok(rx)
                });
                completed(started)
            };
            let r = dynamic::call_async(&self.inner, &name, dyn_args(args)?, body)
                .map_err(|e| to_py(py, &e))?;
            return wrap(py, r);
        }
        let body = move |state: &ActorState, values: Vec<Value>| {
            with_gil(|py| -> Result<Value, TaskCause> {
                let hooks = hooks().map_err(|e| internal(py, e))?;
                let list = value_list(py, &values).map_err(|e| internal(py, e))?;
                drop(values);
                let out = hooks
                    .run_method
                    .bind(py)
                    .call1((state.bind(py), method.bind(py), list));
                Ok(Value::new(outcome(py, out)?))
            })
        };
        let r = if self.inline {
            dynamic::call_inline(&self.inner, &name, dyn_args(args)?, body)
        } else {
            dynamic::call(&self.inner, &name, dyn_args(args)?, body)
        }
        .map_err(|e| to_py(py, &e))?;
        wrap(py, r)
    }

    /// Submits a call of generator method `method`; returns the reader of its items.
    fn call_streaming(
        &self,
        py: Python<'_>,
        method: Bound<'_, PyString>,
        args: &Bound<'_, PyList>,
    ) -> PyResult<Py<RefStream>> {
        let name = method.to_str()?.to_owned();
        let method = method.unbind();
        let stream = if self.on_loop {
            let body = move |state: &ActorState, values: Vec<Value>, out| {
                let started = with_gil(|py| {
                    let hooks = hooks().map_err(|e| internal(py, e))?;
                    let list = value_list(py, &values).map_err(|e| internal(py, e))?;
                    drop(values);
                    let out = yielder(py, out)?;
                    let (done, rx) = completion(py).map_err(|e| internal(py, e))?;
                    hooks
                        .start_stream_method
                        .bind(py)
                        .call1((state.bind(py), method.bind(py), list, out, done))
                        .map_err(|e| internal(py, e))?;
                    Ok(rx)
                });
                async move { completed(started).await.map(drop) }
            };
            dynamic::call_streaming_async(&self.inner, &name, dyn_args(args)?, body)
        } else {
            let body = move |state: &ActorState, values: Vec<Value>, out| {
                with_gil(|py| -> Result<(), TaskCause> {
                    let hooks = hooks().map_err(|e| internal(py, e))?;
                    let list = value_list(py, &values).map_err(|e| internal(py, e))?;
                    drop(values);
                    let out = yielder(py, out)?;
                    let ran = hooks.stream_method.bind(py).call1((
                        state.bind(py),
                        method.bind(py),
                        list,
                        out,
                    ));
                    outcome(py, ran).map(drop)
                })
            };
            dynamic::call_streaming(&self.inner, &name, dyn_args(args)?, body)
        }
        .map_err(|e| to_py(py, &e))?;
        wrap_stream(py, stream)
    }

    /// Kills the actor; with `no_restart=False` it restarts if `max_restarts` allows.
    #[pyo3(signature = (no_restart=true))]
    fn kill(&self, py: Python<'_>, no_restart: bool) -> PyResult<()> {
        let done = if no_restart {
            self.inner.kill()
        } else {
            self.inner.kill_and_restart()
        };
        done.map_err(|e| to_py(py, &e))
    }

    /// The actor's ID in hex.
    fn actor_id(&self) -> String {
        self.inner.id().hex()
    }

    /// True until the actor is killed.
    fn is_alive(&self) -> bool {
        self.inner.is_alive()
    }

    /// How often the actor was restarted.
    fn num_restarts(&self) -> u32 {
        self.inner.num_restarts()
    }

    /// The name it is registered under.
    fn name(&self) -> Option<String> {
        self.inner.name().map(str::to_owned)
    }

    /// The namespace of its name.
    fn namespace(&self) -> Option<String> {
        self.inner.namespace().map(str::to_owned)
    }

    /// A handle whose calls run in concurrency group `group` (Ray's
    /// `handle.method.options(concurrency_group=...)`).
    fn in_group(&self, group: &str) -> ActorHandle {
        ActorHandle {
            inner: DynActorHandle::from_handle(self.inner.in_concurrency_group(group)),
            inline: false,
            on_loop: self.on_loop,
        }
    }

    fn __hash__(&self) -> u64 {
        self.inner.id().ray_hash()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .downcast::<ActorHandle>()
            .is_ok_and(|o| o.get().inner.id() == self.inner.id())
    }
}

/// Creates an actor: `construct_actor(payload, values)` builds its state on a worker.
#[pyfunction]
#[pyo3(signature = (payload, args, num_cpus=0.0, num_gpus=0.0, resources=Vec::new(), max_restarts=0, max_concurrency=1, name=None, get_if_exists=false, on_loop=false, namespace=None, concurrency_groups=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn create_actor(
    py: Python<'_>,
    payload: Py<PyAny>,
    args: &Bound<'_, PyList>,
    num_cpus: f64,
    num_gpus: f64,
    resources: Vec<(String, f64)>,
    max_restarts: u32,
    max_concurrency: usize,
    name: Option<String>,
    get_if_exists: bool,
    on_loop: bool,
    namespace: Option<String>,
    concurrency_groups: Vec<(String, usize)>,
) -> PyResult<ActorHandle> {
    // Only a sequential actor's calls run where its mailbox is (one thread); a threaded
    // actor's run on its pools (one per concurrency group), so a full group never holds
    // back another.
    let inline = max_concurrency == 1 && !on_loop && concurrency_groups.is_empty();
    let options = ActorOptions {
        num_cpus,
        num_gpus,
        resources,
        max_restarts,
        max_concurrency,
        name,
        namespace,
        get_if_exists,
        concurrency_groups,
        ..ActorOptions::default()
    };
    let payload = Arc::new(payload);
    let constructor = move |values: Vec<Value>| {
        with_gil(|py| -> Result<ActorState, TaskCause> {
            let hooks = hooks().map_err(|e| internal(py, e))?;
            let list = value_list(py, &values).map_err(|e| internal(py, e))?;
            drop(values);
            let out = hooks
                .construct_actor
                .bind(py)
                .call1((payload.bind(py), list));
            Ok(Arc::new(outcome(py, out)?.unbind()))
        })
    };
    // As in Ray's worker, a sequential actor lives on one thread (`__init__` and every
    // call: thread-bound objects such as an sqlite3 connection and thread-locals last),
    // a threaded one on a pool of `max_concurrency` threads of its own.
    let inner = if !on_loop {
        dynamic::create_pinned_actor(None, &options, dyn_args(args)?, constructor)
    } else {
        dynamic::create_actor(None, &options, dyn_args(args)?, constructor)
    }
    .map_err(|e| to_py(py, &e))?;
    Ok(ActorHandle {
        inner,
        inline,
        on_loop,
    })
}

/// The live actor named `name`; `sequential` as its `max_concurrency == 1`, `on_loop`
/// for actors whose calls run on their event loop.
#[pyfunction]
#[pyo3(signature = (name, sequential=false, on_loop=false, namespace=None))]
fn get_actor(
    py: Python<'_>,
    name: &str,
    sequential: bool,
    on_loop: bool,
    namespace: Option<&str>,
) -> PyResult<ActorHandle> {
    let inner = match namespace {
        Some(ns) => rustyray::get_actor_in::<DynActorHandle<ActorState>>(name, ns),
        None => dynamic::get_actor::<ActorState>(None, name),
    }
    .map_err(|e| to_py(py, &e))?;
    Ok(ActorHandle {
        inner,
        inline: sequential && !on_loop,
        on_loop,
    })
}

/// Stores an (already serialized) object.
#[pyfunction]
fn put(py: Python<'_>, value: Bound<'_, PyAny>) -> PyResult<Py<ObjectRef>> {
    let r = rustyray::put(Value::new(value)).map_err(|e| to_py(py, &e))?;
    wrap(py, r)
}

/// How long the importing (main) thread waits with the GIL released before it checks
/// for signals (Ctrl-C) and waits again.
const SIGNAL_SLICE: Duration = Duration::from_millis(50);

/// Waits, with the GIL released, until `done` completes or `timeout` passes; false on
/// timeout. On the main thread it wakes regularly to run signal handlers.
fn wait_released<F>(py: Python<'_>, timeout: Option<f64>, done: F) -> PyResult<bool>
where
    F: Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> + Send + Sync,
{
    let rt = current_runtime(py)?;
    let handle = rt.tokio_handle().clone();
    let timeout = match timeout {
        Some(t) if t.is_nan() || t < 0.0 => {
            return Err(PyTypeError::new_err(
                "timeout must be a non-negative number",
            ))
        }
        Some(t) => Some(Duration::try_from_secs_f64(t).unwrap_or(Duration::MAX)),
        None => None,
    };
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let on_main = MAIN_THREAD.get() == Some(&std::thread::current().id());
    loop {
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let slice = match (on_main, left) {
            (true, Some(l)) => Some(l.min(SIGNAL_SLICE)),
            (true, None) => Some(SIGNAL_SLICE),
            (false, l) => l,
        };
        let fut = done();
        let wait = || {
            handle.block_on(async move {
                match slice {
                    Some(s) => tokio::time::timeout(s, fut).await.is_ok(),
                    None => {
                        fut.await;
                        true
                    }
                }
            })
        };
        // On a runtime worker (a sequential actor's method) the worker hands its other
        // tasks over before blocking; elsewhere this just runs `wait`.
        let in_runtime = tokio::runtime::Handle::try_current().is_ok();
        let finished = py.allow_threads(|| {
            if in_runtime {
                tokio::task::block_in_place(wait)
            } else {
                wait()
            }
        });
        if finished {
            return Ok(true);
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(false);
        }
        py.check_signals()?;
    }
}

fn refs_of(refs: &Bound<'_, PyList>) -> PyResult<Vec<Ref>> {
    refs.iter()
        .map(|r| {
            r.downcast::<ObjectRef>()
                .map_err(|_| {
                    PyTypeError::new_err(format!(
                        "expected an ObjectRef, got {}",
                        r.get_type()
                            .name()
                            .map(|n| n.to_string())
                            .unwrap_or_default()
                    ))
                })
                .and_then(|r| r.get().live().cloned())
        })
        .collect()
}

/// The stored objects of `refs`, waiting (GIL released) up to `timeout` seconds; raises
/// the error of the first failed object, or a timeout error.
#[pyfunction]
#[pyo3(signature = (refs, timeout=None))]
fn get<'py>(
    py: Python<'py>,
    refs: &Bound<'py, PyList>,
    timeout: Option<f64>,
) -> PyResult<Bound<'py, PyList>> {
    let refs = Arc::new(refs_of(refs)?);
    if !refs.iter().all(|r| r.is_ready()) && !spin_until_ready(py, &refs) {
        let waiting = Arc::clone(&refs);
        let ready = wait_released(py, timeout, move || {
            Box::pin(all_or_first_error(Arc::clone(&waiting)))
        })?;
        if !ready {
            let e = RustyRayError::Timeout(Duration::from_secs_f64(timeout.unwrap_or(0.0)));
            return Err(to_py(py, &e));
        }
    }
    // A failed object fails the whole get, even while objects before it are pending.
    if let Some(e) = refs.iter().find_map(|r| r.try_get().and_then(Result::err)) {
        return Err(to_py(py, &e));
    }
    let out = PyList::empty(py);
    for r in refs.iter() {
        match r.try_get() {
            Some(Ok(v)) => out.append(v.0.bind(py))?,
            Some(Err(e)) => return Err(to_py(py, &e)),
            None => return Err(to_py(py, &RustyRayError::ObjectLost(r.id()))),
        }
    }
    Ok(out)
}

/// How long a `get` polls (GIL released) before it parks: an actor call or a short task
/// often completes within it, and a parked thread costs two context switches to wake.
const SPIN: Duration = Duration::from_micros(40);

/// Polls `refs` for up to [`SPIN`] with the GIL released (so the thread completing them
/// can run Python); true if all became ready. Only with a second CPU to complete them.
fn spin_until_ready(py: Python<'_>, refs: &[Ref]) -> bool {
    static CPUS: OnceLock<usize> = OnceLock::new();
    let cpus = *CPUS.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from));
    if cpus < 2 {
        return false;
    }
    py.allow_threads(|| {
        let start = Instant::now();
        while start.elapsed() < SPIN {
            if refs.iter().all(|r| r.is_ready()) {
                return true;
            }
            std::hint::spin_loop();
        }
        false
    })
}

/// Completes once every object of `refs` is ready or one of them failed (as Ray's `get`
/// stops at the first error instead of waiting for the rest).
async fn all_or_first_error(refs: Arc<Vec<Ref>>) {
    // An object that failed before the wait began ends it too.
    if refs.iter().any(|r| matches!(r.try_get(), Some(Err(_)))) {
        return;
    }
    let mut pending: Vec<_> = refs
        .iter()
        .filter(|r| !r.is_ready())
        .map(|r| Box::pin(r.get()))
        .collect();
    std::future::poll_fn(|cx| {
        let mut failed = false;
        pending.retain_mut(|fut| match std::future::Future::poll(fut.as_mut(), cx) {
            std::task::Poll::Ready(out) => {
                failed |= out.is_err();
                false
            }
            std::task::Poll::Pending => true,
        });
        if failed || pending.is_empty() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
}

/// Waits until `num_returns` of `refs` are ready or `timeout` passes; returns the
/// indexes of the ready ones (at most `num_returns`, in order).
#[pyfunction]
#[pyo3(signature = (refs, num_returns=1, timeout=None))]
fn wait(
    py: Python<'_>,
    refs: &Bound<'_, PyList>,
    num_returns: usize,
    timeout: Option<f64>,
) -> PyResult<Vec<usize>> {
    let refs = Arc::new(refs_of(refs)?);
    if num_returns > refs.len() {
        return Err(to_py(
            py,
            &RustyRayError::InvalidArgument(format!(
                "num_returns ({num_returns}) is larger than the number of refs ({})",
                refs.len()
            )),
        ));
    }
    let enough = refs.iter().filter(|r| r.is_ready()).count() >= num_returns;
    if !enough && timeout != Some(0.0) {
        let waiting = Arc::clone(&refs);
        wait_released(py, timeout, move || {
            let refs = Arc::clone(&waiting);
            Box::pin(async move {
                let _ = rustyray::wait(&refs, num_returns, None).await;
            })
        })?;
    }
    Ok(refs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_ready())
        .map(|(i, _)| i)
        .take(num_returns)
        .collect())
}

/// Cancels the task producing `object` (with `recursive`, the tasks it submitted too) if
/// it has not finished; a running normal task gets `KeyboardInterrupt` at its next
/// bytecode. Returns whether the object was pending and the IDs (hex) of the running
/// tasks interrupted, whose actor calls the Python layer cancels too.
#[pyfunction]
#[pyo3(signature = (object, recursive=true))]
fn cancel(object: &Bound<'_, ObjectRef>, recursive: bool) -> (bool, Vec<String>) {
    let Some(r) = object.get().inner.as_ref() else {
        return (false, Vec::new());
    };
    let pending = r.cancel_with(recursive);
    (pending, interrupt_cancelled(object.py(), false))
}

/// Creates the global runtime.
#[pyfunction]
#[pyo3(signature = (num_cpus=None, num_gpus=0.0, resources=Vec::new(), object_store_capacity=None, namespace=None))]
fn init(
    py: Python<'_>,
    num_cpus: Option<f64>,
    num_gpus: f64,
    resources: Vec<(String, f64)>,
    object_store_capacity: Option<usize>,
    namespace: Option<String>,
) -> PyResult<()> {
    let mut builder = Runtime::builder().num_gpus(num_gpus);
    if let Some(ns) = namespace {
        builder = builder.namespace(ns);
    }
    if let Some(n) = num_cpus {
        builder = builder.num_cpus(n);
    }
    for (name, amount) in resources {
        builder = builder.resource(name, amount);
    }
    if let Some(n) = object_store_capacity {
        builder = builder.object_store_capacity(n);
    }
    builder.init().map(|_| ()).map_err(|e| to_py(py, &e))
}

/// How long the exit hook waits for Python code running on runtime threads.
const EXIT_GRACE: Duration = Duration::from_secs(10);

/// Shuts the global runtime down (GIL released while its threads stop); no-op if none.
/// With `at_exit`, runtime threads stop entering Python and running Python code gets
/// up to `EXIT_GRACE` to finish, so none is left running when the interpreter finalizes.
#[pyfunction]
#[pyo3(signature = (at_exit=false))]
fn shutdown(py: Python<'_>, at_exit: bool) {
    if at_exit {
        EXITING.store(true, Ordering::SeqCst);
    }
    // Running tasks are cancelled with the runtime: their Python code stops at its next
    // bytecode rather than running on unobserved.
    interrupt_cancelled(py, true);
    py.allow_threads(|| {
        let _ = rustyray::shutdown();
        if at_exit {
            let deadline = Instant::now() + EXIT_GRACE;
            while IN_PYTHON.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    });
}

/// True while a global runtime exists.
#[pyfunction]
fn is_initialized() -> bool {
    rustyray::is_initialized()
}

/// Number of live objects in the current runtime's store (a debugging counter).
#[pyfunction]
fn live_objects(py: Python<'_>) -> PyResult<usize> {
    Ok(current_runtime(py)?.live_objects())
}

/// Total and available amounts of a resource ("CPU", "GPU" or a custom one).
#[pyfunction]
fn resource(py: Python<'_>, name: &str) -> PyResult<Option<(f64, f64)>> {
    let rt = current_runtime(py)?;
    Ok(rt.total_resource(name).zip(rt.available_resource(name)))
}

/// The job's namespace (given to `init`, else an anonymous one).
#[pyfunction]
fn namespace(py: Python<'_>) -> PyResult<String> {
    Ok(current_runtime(py)?.namespace().to_owned())
}

/// The runtime's job ID in hex.
#[pyfunction]
fn job_id(py: Python<'_>) -> PyResult<String> {
    Ok(current_runtime(py)?.job_id().hex())
}

/// The running task's ID and its actor's ID in hex (`None` outside a task or an actor).
#[pyfunction]
fn current_context() -> (Option<String>, Option<String>) {
    let ctx = rustyray::get_runtime_context();
    (
        ctx.get_task_id().map(|t| t.hex()),
        ctx.get_actor_id().map(|a| a.hex()),
    )
}

/// True once the running normal task was cancelled.
#[pyfunction]
fn current_task_cancelled() -> bool {
    rustyray::get_runtime_context().is_cancelled()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let _ = MAIN_THREAD.set(std::thread::current().id());
    m.add_class::<ObjectRef>()?;
    m.add_class::<ActorHandle>()?;
    m.add_class::<TaskSpec>()?;
    m.add_class::<RefStream>()?;
    m.add_class::<Yielder>()?;
    m.add_class::<Completion>()?;
    for f in [
        wrap_pyfunction!(_set_hooks, m)?,
        wrap_pyfunction!(create_actor, m)?,
        wrap_pyfunction!(get_actor, m)?,
        wrap_pyfunction!(put, m)?,
        wrap_pyfunction!(get, m)?,
        wrap_pyfunction!(wait, m)?,
        wrap_pyfunction!(cancel, m)?,
        wrap_pyfunction!(init, m)?,
        wrap_pyfunction!(shutdown, m)?,
        wrap_pyfunction!(is_initialized, m)?,
        wrap_pyfunction!(live_objects, m)?,
        wrap_pyfunction!(resource, m)?,
        wrap_pyfunction!(job_id, m)?,
        wrap_pyfunction!(namespace, m)?,
        wrap_pyfunction!(current_context, m)?,
        wrap_pyfunction!(current_task_cancelled, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
