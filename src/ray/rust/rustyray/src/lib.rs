//! RustyRay: Ray's programming model — remote functions, actors, `ObjectRef`s — in
//! process, in Rust, with typed handles.
//!
//! ```
//! #[rustyray::remote]
//! async fn add(x: i32, y: i32) -> i32 {
//!     x + y
//! }
//!
//! #[rustyray::actor]
//! pub struct Counter {
//!     value: i32,
//! }
//!
//! #[rustyray::actor_methods]
//! impl Counter {
//!     pub fn new(start: i32) -> Self {
//!         Counter { value: start }
//!     }
//!     pub async fn increment(&mut self) -> i32 {
//!         self.value += 1;
//!         self.value
//!     }
//! }
//!
//! #[rustyray::main]
//! async fn main() -> rustyray::Result<()> {
//!     let r = add::remote(1, 2).await?;
//!     let s = add::remote(r.clone(), 10).await?; // refs resolve before the task runs
//!     assert_eq!(s.await?, 13);
//!     let c = Counter::remote(5).await?;
//!     assert_eq!(c.increment().await?.get().await?, 6);
//!     Ok(())
//! }
//! ```
//!
//! * `#[remote]` functions: `f::remote(args)`, `f::remote_on(&rt, args)` and
//!   `f::options().num_cpus(2.0).remote(args)` submit a call and give an
//!   [`ObjectRef`]. A parameter `x: T` accepts a `T` or an `ObjectRef<T>` (resolved
//!   before the call, top-level arguments only); a parameter declared `ObjectRef<T>`
//!   receives the reference. `async fn`s run on the async workers, other functions on
//!   the blocking pool. Returning `Result<T, E>` makes `Err` a task failure, seen at
//!   `get` as [`RustyRayError::TaskFailed`] with the error as its source.
//! * `#[actor]` + `#[actor_methods]`: `Counter::remote(args)` creates the actor
//!   (constructor `new`) and yields a `CounterHandle` with one method per `pub` method.
//!   Calls run one at a time in call order on the actor's mailbox task.
//! * `#[remote(num_returns = n)]` (and `#[method(num_returns = n)]` on actor methods):
//!   the function returns an `n`-tuple, the call one `ObjectRef` per element.
//! * A last parameter `out: Yielder<T>` makes a streaming generator: `remote(..)` gives an
//!   [`ObjectRefGenerator<T>`] whose items are readable as soon as they are sent.
//! * `retry_exceptions = [ErrA, ErrB]` retries only those errors ([`RetryExceptions`]);
//!   actors have `max_task_retries`, `concurrency_groups(..)` and namespaced names
//!   ([`get_actor_in`]).
//! * Registration: every remote function and actor is listed in [`registry`].
//! * IDs are Ray's, from `ray-common`: a `JobId` per runtime, `TaskId::for_normal_task`,
//!   `ActorId::of`, `TaskId::for_actor_task`, `ObjectId::from_index(task, 1)` for
//!   returns and indexes after it for `put`.

// Modules, lowest first; each imports only from those before it, except `backend`
// (the cluster glue), which sits above `task` and `runtime` and is still called by
// them: `error`, `resources`, `remote` (the backend interface), `control`, `object`,
// `names`, `node`, `context`, `returns`, `retry`, `options`, `task`, `runtime`, `actor`.
mod actor;
mod api;
mod cluster_actor;
mod context;
mod control;
mod error;
mod generator;
mod names;
mod node;
mod object;
mod options;
mod pool;
mod remote;
mod resources;
mod retry;
mod returns;
mod runtime;
mod task;

pub mod backend;
pub mod dynamic;
pub mod registry;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use actor::{
    get_actor, get_actor_in, get_actor_in_on, get_actor_on, Actor, ActorHandle, TypedActorHandle,
};
pub use api::{cancel, get, get_timeout, kill, put, wait};
pub use context::{context, get_runtime_context, RuntimeContext};
pub use error::{Result, RustyRayError, TaskCause};
pub use generator::{BlockingIter, ObjectRefGenerator, Yielder};
pub use object::ObjectRef;
pub use options::{ActorOptions, ActorSpec, FunctionSpec, TaskOptions, DEFAULT_MAX_RETRIES};
pub use ray_common::{ActorId, JobId, ObjectId, RayId, TaskId};
pub use retry::{error_is, ErrorMatcher, ErrorPredicate, RetryExceptions, UserError};
pub use runtime::{
    init, init_with, is_initialized, runtime, shutdown, Config, Runtime, RuntimeBuilder,
};
pub use rustyray_macros::{actor, actor_methods, main, method, remote};
pub use task::{Arg, IntoArg, Submitted};
