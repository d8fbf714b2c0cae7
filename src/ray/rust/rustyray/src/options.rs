//! Options of remote functions and actors, named as in Ray.

use crate::error::Result;
use crate::resources::{Demand, Resources};
use crate::retry::RetryExceptions;

/// Ray's default number of retries of a task.
pub const DEFAULT_MAX_RETRIES: u32 = 3;

/// Options of a remote function, fixed by `#[rustyray::remote(...)]` and overridable per
/// call with `f::options()`.
///
/// * `num_cpus` (default 1), `num_gpus` (default 0), `resources`: what the task holds
///   while it runs; it waits until they are free.
/// * `max_retries` (default 3) and `retry_exceptions` (default: none): as in Ray, a task
///   whose code fails is retried only when `retry_exceptions` covers the failure
///   (`true`: any `Err` or panic; a list of error types: an `Err` of one of them; see
///   [`RetryExceptions`]), at most `max_retries` times, and only if its arguments are
///   `Clone`.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskOptions {
    /// CPUs held while running.
    pub num_cpus: f64,
    /// GPUs held while running.
    pub num_gpus: f64,
    /// Custom resources held while running.
    pub resources: Vec<(String, f64)>,
    /// Retries after a failure that `retry_exceptions` covers.
    pub max_retries: u32,
    /// Which failed executions are retried.
    pub retry_exceptions: RetryExceptions,
}

impl Default for TaskOptions {
    fn default() -> Self {
        TaskOptions {
            num_cpus: 1.0,
            num_gpus: 0.0,
            resources: Vec::new(),
            max_retries: DEFAULT_MAX_RETRIES,
            retry_exceptions: RetryExceptions::Never,
        }
    }
}

impl TaskOptions {
    pub(crate) fn demand(&self, resources: &Resources) -> Result<Demand> {
        resources.demand(self.num_cpus, self.num_gpus, &self.resources)
    }
}

/// Options of an actor, fixed by `#[rustyray::actor(...)]` and overridable per actor with
/// `Actor::options()`.
///
/// * `num_cpus` (default 0), `num_gpus` (default 0), `resources`: held for the actor's
///   whole life.
/// * `max_restarts` (default 0): how often the actor is rebuilt (with its constructor's
///   arguments, which must then be `Clone`) after its constructor panicked or it was
///   killed with `kill_and_restart`.
/// * `max_task_retries` (default 0): how often a call interrupted by a restart (it was
///   running when `kill_and_restart` hit) runs again on the new instance; -1 is
///   unbounded, as in Ray. Without it (0) the interrupted call fails with
///   `RustyRayError::ActorDied`. Needs `Clone` arguments; queued calls always wait for
///   the new instance.
/// * `concurrency_groups` (Ray's): named groups, each with its own limit of calls running
///   at once; a method joins one with `#[rustyray::method(concurrency_group = "io")]`,
///   a call with `handle.in_concurrency_group("io")`, the rest form the default group
///   limited by `max_concurrency`. A full group never holds back calls of another.
/// * `max_concurrency` (default 1): how many calls may run at once. Calls start in
///   order; `&self` methods may overlap, `&mut self` methods run alone. Values above 1
///   need the actor type to be `Sync`.
/// * `name`, `namespace` (default: the runtime's): registers the actor so
///   `rustyray::get_actor` (current namespace) or `rustyray::get_actor_in` finds it;
///   the same name in two namespaces names two actors; `get_if_exists`
///   returns the existing actor of that name instead of failing.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorOptions {
    /// CPUs held for the actor's life.
    pub num_cpus: f64,
    /// GPUs held for the actor's life.
    pub num_gpus: f64,
    /// Custom resources held for the actor's life.
    pub resources: Vec<(String, f64)>,
    /// Restarts after a constructor panic or `kill_and_restart`.
    pub max_restarts: u32,
    /// Runs again of a call interrupted by a restart (-1: unbounded).
    pub max_task_retries: i32,
    /// Concurrency groups and their limits; other calls use `max_concurrency`.
    pub concurrency_groups: Vec<(String, usize)>,
    /// Calls that may run at once.
    pub max_concurrency: usize,
    /// Name under which `rustyray::get_actor` finds the actor.
    pub name: Option<String>,
    /// Namespace of the name (default: the runtime's).
    pub namespace: Option<String>,
    /// With a name: return the live actor of that name if there is one.
    pub get_if_exists: bool,
}

impl Default for ActorOptions {
    fn default() -> Self {
        ActorOptions {
            num_cpus: 0.0,
            num_gpus: 0.0,
            resources: Vec::new(),
            max_restarts: 0,
            max_task_retries: 0,
            concurrency_groups: Vec::new(),
            max_concurrency: 1,
            name: None,
            namespace: None,
            get_if_exists: false,
        }
    }
}

/// Static description of a remote function, written by `#[rustyray::remote]`.
#[derive(Debug)]
pub struct FunctionSpec {
    /// The function's name.
    pub name: &'static str,
    /// `module_path!()` where it is defined.
    pub module_path: &'static str,
    /// Whether it is an `async fn` (otherwise it runs on the blocking pool).
    pub is_async: bool,
    /// Parameter names.
    pub params: &'static [&'static str],
    /// `num_cpus` of the attribute.
    pub num_cpus: f64,
    /// `num_gpus` of the attribute.
    pub num_gpus: f64,
    /// `resources(..)` of the attribute.
    pub resources: &'static [(&'static str, f64)],
    /// `max_retries` of the attribute.
    pub max_retries: u32,
    /// `retry_exceptions` of the attribute.
    pub retry_exceptions: RetryExceptions,
    /// `num_returns` of the attribute: how many objects a call returns.
    pub num_returns: u32,
}

impl FunctionSpec {
    /// The options the attribute declares.
    pub fn options(&self) -> TaskOptions {
        TaskOptions {
            num_cpus: self.num_cpus,
            num_gpus: self.num_gpus,
            resources: self
                .resources
                .iter()
                .map(|(n, a)| ((*n).to_owned(), *a))
                .collect(),
            max_retries: self.max_retries,
            retry_exceptions: self.retry_exceptions.clone(),
        }
    }
}

/// Static description of an actor type, written by `#[rustyray::actor]`.
#[derive(Debug)]
pub struct ActorSpec {
    /// The type's name.
    pub name: &'static str,
    /// `module_path!()` where it is defined.
    pub module_path: &'static str,
    /// `num_cpus` of the attribute.
    pub num_cpus: f64,
    /// `num_gpus` of the attribute.
    pub num_gpus: f64,
    /// `resources(..)` of the attribute.
    pub resources: &'static [(&'static str, f64)],
    /// `max_restarts` of the attribute.
    pub max_restarts: u32,
    /// `max_concurrency` of the attribute.
    pub max_concurrency: usize,
    /// `max_task_retries` of the attribute.
    pub max_task_retries: i32,
    /// `concurrency_groups(..)` of the attribute.
    pub concurrency_groups: &'static [(&'static str, usize)],
}

impl ActorSpec {
    /// The options the attribute declares.
    pub fn options(&self) -> ActorOptions {
        ActorOptions {
            num_cpus: self.num_cpus,
            num_gpus: self.num_gpus,
            resources: self
                .resources
                .iter()
                .map(|(n, a)| ((*n).to_owned(), *a))
                .collect(),
            max_restarts: self.max_restarts,
            max_task_retries: self.max_task_retries,
            concurrency_groups: self
                .concurrency_groups
                .iter()
                .map(|(n, m)| ((*n).to_owned(), *m))
                .collect(),
            max_concurrency: self.max_concurrency,
            name: None,
            namespace: None,
            get_if_exists: false,
        }
    }
}

/// Builder methods shared by the generated option builders of remote functions.
#[doc(hidden)]
#[macro_export]
macro_rules! __task_builder_methods {
    () => {
        /// CPUs the task holds while running.
        pub fn num_cpus(mut self, n: f64) -> Self {
            self.options.num_cpus = n;
            self
        }
        /// GPUs the task holds while running.
        pub fn num_gpus(mut self, n: f64) -> Self {
            self.options.num_gpus = n;
            self
        }
        /// A custom resource the task holds while running.
        pub fn resource(
            mut self,
            name: impl ::std::convert::Into<::std::string::String>,
            amount: f64,
        ) -> Self {
            self.options.resources.push((name.into(), amount));
            self
        }
        /// Retries after a failure (with `retry_exceptions`).
        pub fn max_retries(mut self, n: u32) -> Self {
            self.options.max_retries = n;
            self
        }
        /// Retry executions that return `Err` or panic (`true`), or none (`false`).
        pub fn retry_exceptions(mut self, yes: bool) -> Self {
            self.options.retry_exceptions = ::std::convert::From::from(yes);
            self
        }
        /// Retry executions whose `Err` the predicate accepts (panics are not retried).
        pub fn retry_exceptions_if(
            mut self,
            retry: impl ::std::ops::Fn(&$crate::UserError) -> bool
                + ::std::marker::Send
                + ::std::marker::Sync
                + 'static,
        ) -> Self {
            self.options.retry_exceptions = $crate::RetryExceptions::predicate(retry);
            self
        }
        /// Also retry executions whose `Err` has type `E`.
        pub fn retry_on<E: ::std::error::Error + 'static>(mut self) -> Self {
            self.options.retry_exceptions =
                ::std::mem::take(&mut self.options.retry_exceptions).or_type::<E>();
            self
        }
        /// Submit to `rt` instead of the current runtime.
        pub fn runtime(mut self, rt: &$crate::Runtime) -> Self {
            self.runtime = ::std::option::Option::Some(rt.clone());
            self
        }
    };
}

/// Builder methods shared by the generated option builders of actors.
#[doc(hidden)]
#[macro_export]
macro_rules! __actor_builder_methods {
    () => {
        /// CPUs the actor holds for its life.
        pub fn num_cpus(mut self, n: f64) -> Self {
            self.options.num_cpus = n;
            self
        }
        /// GPUs the actor holds for its life.
        pub fn num_gpus(mut self, n: f64) -> Self {
            self.options.num_gpus = n;
            self
        }
        /// A custom resource the actor holds for its life.
        pub fn resource(
            mut self,
            name: impl ::std::convert::Into<::std::string::String>,
            amount: f64,
        ) -> Self {
            self.options.resources.push((name.into(), amount));
            self
        }
        /// Restarts after a constructor panic or `kill_and_restart`.
        pub fn max_restarts(mut self, n: u32) -> Self {
            self.options.max_restarts = n;
            self
        }
        /// Runs again of a call interrupted by a restart (-1: unbounded).
        pub fn max_task_retries(mut self, n: i32) -> Self {
            self.options.max_task_retries = n;
            self
        }
        /// Declares (or resizes) a concurrency group: at most `max` of its calls run at
        /// once, beside the other groups' (needs a `Sync` actor).
        pub fn concurrency_group(
            mut self,
            name: impl ::std::convert::Into<::std::string::String>,
            max: usize,
        ) -> Self {
            let name = name.into();
            self.options.concurrency_groups.retain(|(n, _)| *n != name);
            self.options.concurrency_groups.push((name, max));
            self
        }
        /// Calls that may run at once (above 1 needs a `Sync` actor).
        pub fn max_concurrency(mut self, n: usize) -> Self {
            self.options.max_concurrency = n;
            self
        }
        /// Registers the actor under `name` for `rustyray::get_actor`.
        pub fn name(mut self, name: impl ::std::convert::Into<::std::string::String>) -> Self {
            self.options.name = ::std::option::Option::Some(name.into());
            self
        }
        /// Registers the name in `namespace` instead of the runtime's (Ray's
        /// `namespace=` actor option).
        pub fn namespace(
            mut self,
            namespace: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.options.namespace = ::std::option::Option::Some(namespace.into());
            self
        }
        /// With a name: return the live actor of that name if there is one.
        pub fn get_if_exists(mut self, yes: bool) -> Self {
            self.options.get_if_exists = yes;
            self
        }
        /// Create the actor on `rt` instead of the current runtime.
        pub fn runtime(mut self, rt: &$crate::Runtime) -> Self {
            self.runtime = ::std::option::Option::Some(rt.clone());
            self
        }
    };
}
