//! Rust actor types by name, for the C++ actor dispatcher that Ray's workers call.
//!
//! An actor type is registered with [`cluster_actor!`](crate::cluster_actor): a constructor
//! and the methods callable on the cluster, each by name. Ray creates the actor by running
//! the C++ factory in a worker, which builds an [`ActorInstance`] (the Rust value behind an
//! opaque pointer) from the constructor's name and arguments; every later call of the actor
//! runs in that worker, on that value: one at a time in submission order, or with
//! `max_concurrency` above 1 several at once on Ray's threads (see [`ActorInstance`]).

use std::any::Any;
use std::fmt::Display;
use std::sync::{PoisonError, RwLock};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::codec;
use crate::registry::{decode_args, is_unit, DispatchError, Invoke};

/// The state of one actor: the value its constructor returned.
pub type ActorState = Box<dyn Any + Send>;

/// A method's wrapper: the actor's state and the MessagePack argument array in, the encoded
/// result or the user's error text out.
pub type MethodCall = fn(&mut (dyn Any + Send), &[u8]) -> Result<Vec<u8>, String>;

/// An actor type callable by name on the cluster.
pub struct ClusterActor {
    /// The name actors are created under (the type's path given to `cluster_actor!`).
    pub name: &'static str,
    /// Decodes the constructor's arguments and builds the actor's state.
    pub new: fn(&[u8]) -> Result<ActorState, String>,
    /// The methods callable on the actor.
    pub methods: &'static [ClusterMethod],
}

/// A method of a [`ClusterActor`]: MessagePack argument array in, encoded result out.
pub struct ClusterMethod {
    pub name: &'static str,
    pub call: MethodCall,
}

inventory::collect!(ClusterActor);

/// The registered actor type of that name, if any.
pub fn find(name: &str) -> Option<&'static ClusterActor> {
    inventory::iter::<ClusterActor>
        .into_iter()
        .find(|a| a.name == name)
}

/// Every registered actor type's name, sorted.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<_> = inventory::iter::<ClusterActor>
        .into_iter()
        .map(|a| a.name)
        .collect();
    names.sort_unstable();
    names
}

/// One live actor: its type and its state.
///
/// Ray may run several calls of an actor at once (`max_concurrency` above 1), on threads
/// of its worker: a call that needs the state to itself (`&mut self`, and every method of
/// a [`cluster_actor!`](crate::cluster_actor) type) takes it exclusively; a `&self` method
/// of a `Sync` type shares it with other such calls.
pub struct ActorInstance {
    class: Class,
    state: RwLock<ActorState>,
}

// SAFETY: the state is reached only through the lock. A write guard hands one call the
// state (`Send`, so any thread may use it). A read guard is used only by shared calls
// (`WorkerMethod::shared`), which exist only for `Sync` state types (the generated
// `SharedViaSync` requires it), so sharing the state between threads is sound for them.
unsafe impl Sync for ActorInstance {}

/// Where an actor type's methods come from.
enum Class {
    /// [`cluster_actor!`](crate::cluster_actor).
    Registered(&'static ClusterActor),
    /// `#[rustyray::actor]`, found in `rustyray`'s registry.
    Rustyray(rustyray::backend::WorkerActor),
}

impl ActorInstance {
    /// Runs the constructor of the actor type `class` on a MessagePack argument array:
    /// a [`cluster_actor!`](crate::cluster_actor) type first, else a `#[rustyray::actor]`.
    pub fn new(class: &str, args: &[u8]) -> Result<Self, DispatchError> {
        if let Some(registered) = find(class) {
            let state = (registered.new)(args).map_err(DispatchError::Failed)?;
            return Ok(Self {
                class: Class::Registered(registered),
                state: RwLock::new(state),
            });
        }
        match rustyray::backend::find_cluster_actor(class) {
            Some(Ok(actor)) => {
                let state = (actor.new)(args).map_err(DispatchError::Failed)?;
                Ok(Self {
                    class: Class::Rustyray(actor),
                    state: RwLock::new(state),
                })
            }
            Some(Err(why)) => Err(DispatchError::Failed(format!(
                "actor {class} cannot run on a cluster: {why}"
            ))),
            None => Err(DispatchError::ActorNotFound(class.to_string())),
        }
    }

    /// The actor type's name.
    pub fn class(&self) -> &str {
        match &self.class {
            Class::Registered(registered) => registered.name,
            Class::Rustyray(actor) => &actor.name,
        }
    }

    /// Runs the method `method` on this actor's state. A method that panicked leaves the
    /// state as it left it, and later calls go on with it.
    pub fn call(&self, method: &str, args: &[u8]) -> Result<Vec<u8>, DispatchError> {
        let exclusive = || self.state.write().unwrap_or_else(PoisonError::into_inner);
        let not_found = || DispatchError::MethodNotFound {
            class: self.class().to_string(),
            method: method.to_string(),
        };
        match &self.class {
            Class::Registered(registered) => {
                let found = registered
                    .methods
                    .iter()
                    .find(|m| m.name == method)
                    .ok_or_else(not_found)?;
                (found.call)(exclusive().as_mut(), args).map_err(DispatchError::Failed)
            }
            Class::Rustyray(actor) => {
                let found = actor
                    .methods
                    .iter()
                    .find(|m| m.name == method)
                    .ok_or_else(not_found)?;
                let result = match (&found.shared, &found.call) {
                    (Some(shared), _) => {
                        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
                        shared(state.as_ref(), args)
                    }
                    (None, Ok(call)) => call(exclusive().as_mut(), args),
                    (None, Err(why)) => Err(format!("{method} cannot run on a cluster: {why}")),
                };
                result.map_err(DispatchError::Failed)
            }
        }
    }
}

/// A method taking `&mut S` and then arguments that decode as the tuple `Args`.
///
/// Implemented for `fn`s and closures of up to twelve arguments after the receiver, so that
/// [`cluster_actor!`](crate::cluster_actor) can wrap `Type::method` without its signature.
pub trait InvokeMethod<S, Args, R> {
    fn invoke_method(&self, state: &mut S, args: Args) -> R;
}

macro_rules! impl_invoke_method {
    ($($arg:ident),*) => {
        impl<F, S, R, $($arg),*> InvokeMethod<S, ($($arg,)*), R> for F
        where
            F: Fn(&mut S, $($arg),*) -> R,
        {
            #[allow(non_snake_case)]
            fn invoke_method(&self, state: &mut S, ($($arg,)*): ($($arg,)*)) -> R {
                self(state, $($arg),*)
            }
        }
    };
}

impl_invoke_method!();
impl_invoke_method!(A0);
impl_invoke_method!(A0, A1);
impl_invoke_method!(A0, A1, A2);
impl_invoke_method!(A0, A1, A2, A3);
impl_invoke_method!(A0, A1, A2, A3, A4);
impl_invoke_method!(A0, A1, A2, A3, A4, A5);
impl_invoke_method!(A0, A1, A2, A3, A4, A5, A6);
impl_invoke_method!(A0, A1, A2, A3, A4, A5, A6, A7);
impl_invoke_method!(A0, A1, A2, A3, A4, A5, A6, A7, A8);
impl_invoke_method!(A0, A1, A2, A3, A4, A5, A6, A7, A8, A9);
impl_invoke_method!(A0, A1, A2, A3, A4, A5, A6, A7, A8, A9, A10);
impl_invoke_method!(A0, A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11);

fn state_of<S: 'static>(state: &mut (dyn Any + Send)) -> Result<&mut S, String> {
    state.downcast_mut::<S>().ok_or_else(|| {
        format!(
            "actor state is not a {} (method registered on another type)",
            std::any::type_name::<S>()
        )
    })
}

/// Builds an actor's state with a constructor that cannot fail.
#[doc(hidden)]
pub fn construct<S, F, Args>(constructor: F, args: &[u8]) -> Result<ActorState, String>
where
    S: Send + 'static,
    F: Invoke<Args, S>,
    Args: DeserializeOwned,
{
    let args = decode_args::<Args>(args, is_unit::<Args>())?;
    Ok(Box::new(constructor.invoke(args)))
}

/// Builds an actor's state with a constructor returning `Result`; its error's text fails
/// the actor's creation.
#[doc(hidden)]
pub fn try_construct<S, F, Args, E>(constructor: F, args: &[u8]) -> Result<ActorState, String>
where
    S: Send + 'static,
    F: Invoke<Args, Result<S, E>>,
    Args: DeserializeOwned,
    E: Display,
{
    let args = decode_args::<Args>(args, is_unit::<Args>())?;
    let state = constructor.invoke(args).map_err(|e| e.to_string())?;
    Ok(Box::new(state))
}

/// Calls a method that cannot fail: the wrapper `cluster_actor!` generates for `fn name`.
#[doc(hidden)]
pub fn call_method<S, F, Args, R>(
    method: F,
    state: &mut (dyn Any + Send),
    args: &[u8],
) -> Result<Vec<u8>, String>
where
    S: 'static,
    F: InvokeMethod<S, Args, R>,
    Args: DeserializeOwned,
    R: Serialize,
{
    let args = decode_args::<Args>(args, is_unit::<Args>())?;
    let state = state_of::<S>(state)?;
    codec::encode(&method.invoke_method(state, args))
}

/// Calls a method returning `Result`: the wrapper for `try name`; its error's text fails
/// the call.
#[doc(hidden)]
pub fn try_call_method<S, F, Args, T, E>(
    method: F,
    state: &mut (dyn Any + Send),
    args: &[u8],
) -> Result<Vec<u8>, String>
where
    S: 'static,
    F: InvokeMethod<S, Args, Result<T, E>>,
    Args: DeserializeOwned,
    T: Serialize,
    E: Display,
{
    let args = decode_args::<Args>(args, is_unit::<Args>())?;
    let state = state_of::<S>(state)?;
    let value = method
        .invoke_method(state, args)
        .map_err(|e| e.to_string())?;
    codec::encode(&value)
}

/// Registers a Rust type as an actor type for the cluster, under its path as written.
///
/// ```ignore
/// rustyray_ray::cluster_actor!(Counter {
///     new: Counter::new,   // or `try new: Counter::open` for one returning Result<Self, E>
///     fn increment,        // a method `fn increment(&mut self, ...) -> T`
///     try divide,          // a method returning Result<T, E>; Err fails the call
/// });
/// ```
///
/// Arguments and results must be serde types; the state must be `Send + 'static`.
#[macro_export]
macro_rules! cluster_actor {
    ($first:ident $(:: $rest:ident)* { try new: $ctor:path $(, $kind:tt $method:ident)* $(,)? }) => {
        $crate::cluster_actor!(@register [try_construct, _, _, _], $ctor; $first $(:: $rest)*; $($kind $method),*);
    };
    ($first:ident $(:: $rest:ident)* { new: $ctor:path $(, $kind:tt $method:ident)* $(,)? }) => {
        $crate::cluster_actor!(@register [construct, _, _], $ctor; $first $(:: $rest)*; $($kind $method),*);
    };
    (@register [$construct:ident $(, $infer:tt)*], $ctor:path; $first:ident $(:: $rest:ident)*; $($kind:tt $method:ident),*) => {
        const _: () = {
            type State = $first $(:: $rest)*;
            fn new(args: &[u8]) -> ::std::result::Result<$crate::actor::ActorState, ::std::string::String> {
                $crate::actor::$construct::<State $(, $infer)*>($ctor, args)
            }
            const METHODS: &[$crate::actor::ClusterMethod] = &[
                $($crate::cluster_actor!(@method $kind $method)),*
            ];
            $crate::inventory::submit! {
                $crate::actor::ClusterActor {
                    name: concat!(stringify!($first) $(, "::", stringify!($rest))*),
                    new,
                    methods: METHODS,
                }
            }
        };
    };
    (@method fn $method:ident) => {
        $crate::cluster_actor!(@entry $method, call_method, [_, _, _])
    };
    (@method try $method:ident) => {
        $crate::cluster_actor!(@entry $method, try_call_method, [_, _, _, _])
    };
    (@entry $method:ident, $caller:ident, [$($infer:tt),*]) => {
        $crate::actor::ClusterMethod {
            name: stringify!($method),
            call: {
                fn call(
                    state: &mut (dyn ::std::any::Any + Send),
                    args: &[u8],
                ) -> ::std::result::Result<::std::vec::Vec<u8>, ::std::string::String> {
                    $crate::actor::$caller::<State, $($infer),*>(State::$method, state, args)
                }
                call
            },
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{decode, encode, join_args};

    struct Counter {
        count: i64,
        log: Vec<String>,
    }

    impl Counter {
        fn new(start: i64) -> Self {
            Self {
                count: start,
                log: Vec::new(),
            }
        }

        fn increment(&mut self) -> i64 {
            self.count += 1;
            self.count
        }

        fn add(&mut self, by: i64, note: String) -> i64 {
            self.count += by;
            self.log.push(note);
            self.count
        }

        fn notes(&mut self) -> Vec<String> {
            self.log.clone()
        }

        fn checked_div(&mut self, by: i64) -> Result<i64, String> {
            self.count
                .checked_div(by)
                .ok_or_else(|| format!("cannot divide {} by {by}", self.count))
        }
    }

    mod nested {
        pub struct Account(pub u64);

        impl Account {
            pub fn open(initial: u64) -> Result<Self, String> {
                if initial == 0 {
                    Err("an account opens with a deposit".into())
                } else {
                    Ok(Self(initial))
                }
            }

            pub fn balance(&mut self) -> u64 {
                self.0
            }
        }
    }

    crate::cluster_actor!(Counter {
        new: Counter::new,
        fn increment,
        fn add,
        fn notes,
        try checked_div,
    });

    crate::cluster_actor!(nested::Account {
        try new: nested::Account::open,
        fn balance,
    });

    fn args(values: &[Vec<u8>]) -> Vec<u8> {
        join_args(values.iter().map(Vec::as_slice))
    }

    #[test]
    fn state_is_kept_between_calls() {
        let actor = ActorInstance::new("Counter", &args(&[encode(&10_i64).unwrap()])).unwrap();
        assert_eq!(actor.class(), "Counter");
        for expected in 11..=13 {
            let out = actor.call("increment", &args(&[])).unwrap();
            assert_eq!(decode::<i64>(&out).unwrap(), expected);
        }
        let out = actor
            .call(
                "add",
                &args(&[encode(&7_i64).unwrap(), encode("seven").unwrap()]),
            )
            .unwrap();
        assert_eq!(decode::<i64>(&out).unwrap(), 20);
        let notes = actor.call("notes", &args(&[])).unwrap();
        assert_eq!(decode::<Vec<String>>(&notes).unwrap(), vec!["seven"]);
    }

    #[test]
    fn errors_carry_the_users_text() {
        let actor = ActorInstance::new("Counter", &args(&[encode(&9_i64).unwrap()])).unwrap();
        let out = actor
            .call("checked_div", &args(&[encode(&3_i64).unwrap()]))
            .unwrap();
        assert_eq!(decode::<i64>(&out).unwrap(), 3);
        let err = actor
            .call("checked_div", &args(&[encode(&0_i64).unwrap()]))
            .unwrap_err();
        assert_eq!(err, DispatchError::Failed("cannot divide 9 by 0".into()));
    }

    #[test]
    fn fallible_constructors_and_paths() {
        let err = ActorInstance::new("nested::Account", &args(&[encode(&0_u64).unwrap()]))
            .err()
            .unwrap();
        assert_eq!(
            err,
            DispatchError::Failed("an account opens with a deposit".into())
        );
        let account =
            ActorInstance::new("nested::Account", &args(&[encode(&5_u64).unwrap()])).unwrap();
        let out = account.call("balance", &args(&[])).unwrap();
        assert_eq!(decode::<u64>(&out).unwrap(), 5);
        assert!(names().contains(&"nested::Account"));
    }

    #[test]
    fn unknown_types_methods_and_bad_arguments_are_errors() {
        assert!(matches!(
            ActorInstance::new("Missing", &args(&[])),
            Err(DispatchError::ActorNotFound(ref name)) if name == "Missing"
        ));
        let actor = ActorInstance::new("Counter", &args(&[encode(&0_i64).unwrap()])).unwrap();
        let err = actor.call("reset", &args(&[])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "actor type `Counter` has no method `reset`"
        );
        let err = actor
            .call("add", &args(&[encode("x").unwrap()]))
            .unwrap_err();
        assert!(
            matches!(err, DispatchError::Failed(ref m) if m.starts_with("arguments:")),
            "{err}"
        );
    }
}
