//! Rust functions by name, for the C++ dispatcher that Ray's workers call.
//!
//! Registration happens at link time through `inventory`, so a worker library needs no
//! start-up code: loading it makes every [`cluster_function!`] in it callable.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Display;
use thiserror::Error;

use crate::codec;

/// A Rust function callable by name on the cluster: MessagePack argument array in, encoded
/// result out, or the user's error text.
pub struct ClusterFunction {
    /// The name tasks are submitted under (the path given to [`cluster_function!`]).
    pub name: &'static str,
    /// Decodes the arguments, runs the function and encodes its result.
    pub call: fn(&[u8]) -> Result<Vec<u8>, String>,
}

inventory::collect!(ClusterFunction);

/// Why a call by name did not produce a result.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DispatchError {
    #[error("no cluster function named `{0}` in this library")]
    NotFound(String),
    #[error("no cluster actor type named `{0}` in this library")]
    ActorNotFound(String),
    #[error("actor type `{class}` has no method `{method}`")]
    MethodNotFound { class: String, method: String },
    #[error("{0}")]
    Failed(String),
}

/// The registered function of that name, if any.
pub fn find(name: &str) -> Option<&'static ClusterFunction> {
    inventory::iter::<ClusterFunction>
        .into_iter()
        .find(|f| f.name == name)
}

/// Every registered name, sorted (for error messages and listings).
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<_> = inventory::iter::<ClusterFunction>
        .into_iter()
        .map(|f| f.name)
        .collect();
    names.sort_unstable();
    names
}

/// Runs the function registered under `name` on a MessagePack argument array: a
/// [`cluster_function!`], else a `#[rustyray::remote]` function of that name
/// (`rustyray::backend::cluster_name`).
pub fn invoke(name: &str, args: &[u8]) -> Result<Vec<u8>, DispatchError> {
    if let Some(function) = find(name) {
        return (function.call)(args).map_err(DispatchError::Failed);
    }
    match rustyray::backend::find_cluster_function(name) {
        Some(Ok(call)) => call(args).map_err(DispatchError::Failed),
        Some(Err(why)) => Err(DispatchError::Failed(format!(
            "{name} cannot run on a cluster: {why}"
        ))),
        None => Err(DispatchError::NotFound(name.to_string())),
    }
}

/// A plain function whose arguments decode as the tuple `Args`.
///
/// Implemented for `fn`s and closures of up to twelve arguments; [`cluster_function!`] uses it
/// so that a declarative macro can wrap a function without spelling its signature.
pub trait Invoke<Args, R> {
    fn invoke(&self, args: Args) -> R;
}

macro_rules! impl_invoke {
    ($($arg:ident),*) => {
        impl<F, R, $($arg),*> Invoke<($($arg,)*), R> for F
        where
            F: Fn($($arg),*) -> R,
        {
            #[allow(non_snake_case)]
            fn invoke(&self, ($($arg,)*): ($($arg,)*)) -> R {
                self($($arg),*)
            }
        }
    };
}

impl_invoke!();
impl_invoke!(A0);
impl_invoke!(A0, A1);
impl_invoke!(A0, A1, A2);
impl_invoke!(A0, A1, A2, A3);
impl_invoke!(A0, A1, A2, A3, A4);
impl_invoke!(A0, A1, A2, A3, A4, A5);
impl_invoke!(A0, A1, A2, A3, A4, A5, A6);
impl_invoke!(A0, A1, A2, A3, A4, A5, A6, A7);
impl_invoke!(A0, A1, A2, A3, A4, A5, A6, A7, A8);
impl_invoke!(A0, A1, A2, A3, A4, A5, A6, A7, A8, A9);
impl_invoke!(A0, A1, A2, A3, A4, A5, A6, A7, A8, A9, A10);
impl_invoke!(A0, A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11);

/// Decodes the argument array as `Args`; zero arguments arrive as an empty array, which
/// serde's unit type would not accept.
pub(crate) fn decode_args<Args: DeserializeOwned>(
    args: &[u8],
    arity_zero: bool,
) -> Result<Args, String> {
    if arity_zero {
        let empty: Vec<serde::de::IgnoredAny> = codec::decode(args)?;
        if !empty.is_empty() {
            return Err(format!("expected no arguments, got {}", empty.len()));
        }
        return codec::decode(&codec::encode(&())?);
    }
    codec::decode(args).map_err(|e| format!("arguments: {e}"))
}

pub(crate) fn is_unit<Args>() -> bool {
    std::mem::size_of::<Args>() == 0 && std::any::type_name::<Args>() == "()"
}

/// Calls a function that cannot fail: the wrapper [`cluster_function!`] generates.
#[doc(hidden)]
pub fn call_infallible<F, Args, R>(function: F, args: &[u8]) -> Result<Vec<u8>, String>
where
    F: Invoke<Args, R>,
    Args: DeserializeOwned,
    R: Serialize,
{
    let args = decode_args::<Args>(args, is_unit::<Args>())?;
    codec::encode(&function.invoke(args))
}

/// Calls a function returning `Result`; its error's text becomes the task's error.
#[doc(hidden)]
pub fn call_fallible<F, Args, T, E>(function: F, args: &[u8]) -> Result<Vec<u8>, String>
where
    F: Invoke<Args, Result<T, E>>,
    Args: DeserializeOwned,
    T: Serialize,
    E: Display,
{
    let args = decode_args::<Args>(args, is_unit::<Args>())?;
    let value = function.invoke(args).map_err(|e| e.to_string())?;
    codec::encode(&value)
}

/// Registers a plain Rust function for execution on the cluster, under its path as written.
///
/// `cluster_function!(path::to::f)` for a function returning a serde value;
/// `cluster_function!(try path::to::f)` for one returning `Result<T, E>` with `E: Display`,
/// whose `Err` fails the task with the error's text. Arguments must be serde types.
#[macro_export]
macro_rules! cluster_function {
    (try $first:ident $(:: $rest:ident)*) => {
        $crate::cluster_function!(@register call_fallible, $first $(:: $rest)*);
    };
    ($first:ident $(:: $rest:ident)*) => {
        $crate::cluster_function!(@register call_infallible, $first $(:: $rest)*);
    };
    (@register $caller:ident, $first:ident $(:: $rest:ident)*) => {
        const _: () = {
            fn call(args: &[u8]) -> ::std::result::Result<::std::vec::Vec<u8>, ::std::string::String> {
                $crate::registry::$caller($first $(:: $rest)*, args)
            }
            $crate::inventory::submit! {
                $crate::ClusterFunction {
                    name: concat!(stringify!($first) $(, "::", stringify!($rest))*),
                    call,
                }
            }
        };
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{decode, encode, join_args};
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Stats {
        count: usize,
        sum: i64,
    }

    fn stats(values: Vec<i64>) -> Stats {
        Stats {
            count: values.len(),
            sum: values.iter().sum(),
        }
    }

    fn answer() -> u32 {
        42
    }

    mod nested {
        pub fn checked_div(a: i32, b: i32) -> Result<i32, String> {
            a.checked_div(b)
                .ok_or_else(|| format!("cannot divide {a} by {b}"))
        }
    }

    crate::cluster_function!(stats);
    crate::cluster_function!(answer);
    crate::cluster_function!(try nested::checked_div);

    fn args(values: &[Vec<u8>]) -> Vec<u8> {
        join_args(values.iter().map(Vec::as_slice))
    }

    #[test]
    fn calls_a_registered_function_by_name() {
        let out = invoke("stats", &args(&[encode(&vec![1_i64, 2, 3]).unwrap()])).unwrap();
        assert_eq!(decode::<Stats>(&out).unwrap(), Stats { count: 3, sum: 6 });
    }

    #[test]
    fn zero_argument_functions_take_an_empty_array() {
        let out = invoke("answer", &args(&[])).unwrap();
        assert_eq!(decode::<u32>(&out).unwrap(), 42);
        let err = invoke("answer", &args(&[encode(&1).unwrap()])).unwrap_err();
        assert_eq!(
            err,
            DispatchError::Failed("expected no arguments, got 1".into())
        );
    }

    #[test]
    fn paths_are_the_names_and_errors_carry_the_users_text() {
        let ok = invoke(
            "nested::checked_div",
            &args(&[encode(&7).unwrap(), encode(&2).unwrap()]),
        );
        assert_eq!(decode::<i32>(&ok.unwrap()).unwrap(), 3);
        let err = invoke(
            "nested::checked_div",
            &args(&[encode(&7).unwrap(), encode(&0).unwrap()]),
        );
        assert_eq!(
            err.unwrap_err(),
            DispatchError::Failed("cannot divide 7 by 0".into())
        );
    }

    #[test]
    fn unknown_names_and_bad_arguments_are_errors() {
        assert_eq!(
            invoke("missing", &args(&[])),
            Err(DispatchError::NotFound("missing".into()))
        );
        let err = invoke("stats", &args(&[encode("not a list").unwrap()])).unwrap_err();
        assert!(
            matches!(err, DispatchError::Failed(ref m) if m.starts_with("arguments:")),
            "{err}"
        );
        assert!(names().contains(&"nested::checked_div"));
    }
}
