//! `#[rustyray::actor]` actors on a cluster backend: the driver side of creating them and
//! calling their methods (the worker side is in [`backend`](crate::backend)). Above both the
//! actor and the backend layers, which know nothing of each other's actors.

use std::sync::Arc;

use crate::actor::{runs_calls_at_once, Actor, ActorHandle};
use crate::backend::{
    backend_of, cluster_actor_name, cluster_call_parts, fetch_into_object, not_on_cluster,
    ray_resources, store_local_args, Decoder, EncodedArg, RemoteActor, RemoteActorOptions,
};
use crate::error::{Result, RustyRayError};
use crate::node::Runtime;
use crate::object::ObjectRef;
use crate::options::ActorOptions;
use crate::task::{next_normal_task, Submitted};

/// Creates a `#[rustyray::actor]` on `rt`'s backend (the generated `remote` calls this
/// when the runtime has one).
#[doc(hidden)]
pub fn create_cluster_actor<A: Actor>(
    rt: Runtime,
    options: &ActorOptions,
    args: std::result::Result<Vec<EncodedArg>, String>,
    sync: bool,
) -> Submitted<ActorHandle<A>> {
    Submitted::new(create_cluster_actor_inner::<A>(rt, options, args, sync))
}

/// `sync`: whether the actor type is `Sync`, which calls running at once need.
fn create_cluster_actor_inner<A: Actor>(
    rt: Runtime,
    options: &ActorOptions,
    args: std::result::Result<Vec<EncodedArg>, String>,
    sync: bool,
) -> Result<ActorHandle<A>> {
    let spec = A::spec();
    let actor = format!("actor {}", spec.name);
    if !options.concurrency_groups.is_empty() {
        return Err(not_on_cluster(
            actor,
            "concurrency groups run in-process only for now",
        ));
    }
    // The same checks as in-process: Ray runs the calls of such an actor on several
    // threads of its worker, `&self` methods beside each other.
    runs_calls_at_once(spec.name, options.max_concurrency, false, sync)?;
    let max_concurrency = u32::try_from(options.max_concurrency).map_err(|_| {
        RustyRayError::InvalidArgument(format!(
            "max_concurrency {} is too large",
            options.max_concurrency
        ))
    })?;
    let args = args.map_err(|why| not_on_cluster(&actor, why))?;
    let backend = backend_of(&rt)?;
    // With get_if_exists, the live actor of that name (as Ray's `get_if_exists`).
    let existing = || -> Result<Option<Arc<dyn RemoteActor>>> {
        match (&options.name, options.get_if_exists) {
            (Some(name), true) => backend
                .get_actor(name, options.namespace.as_deref())
                .map_err(RustyRayError::from),
            _ => Ok(None),
        }
    };
    if let Some(remote) = existing()? {
        return Ok(crate::actor::remote_handle(rt, remote));
    }
    let remote_options = RemoteActorOptions {
        name: options.name.clone(),
        namespace: options.namespace.clone(),
        max_restarts: i32::try_from(options.max_restarts).unwrap_or(i32::MAX),
        max_concurrency,
        resources: ray_resources(
            options.num_cpus,
            options.num_gpus,
            options.resources.clone(),
        ),
    };
    let args = store_local_args(&*backend, args)?;
    let remote = match backend.create_actor(&cluster_actor_name(spec), args, &remote_options) {
        Ok(remote) => remote,
        // Created by another caller since the lookup above.
        Err(e) => existing()?.ok_or(e)?,
    };
    Ok(crate::actor::remote_handle(rt, remote))
}

/// Calls a method of an actor on a backend (the generated handle methods call this for
/// such actors).
#[doc(hidden)]
pub fn call_cluster_actor<A: Actor, T: Send + Sync + 'static>(
    handle: &ActorHandle<A>,
    remote: &Arc<dyn RemoteActor>,
    method: &'static str,
    args: std::result::Result<Vec<EncodedArg>, String>,
    decode: Option<Decoder<T>>,
) -> Submitted<ObjectRef<T>> {
    Submitted::new(call_cluster_actor_inner(
        handle, remote, method, args, decode,
    ))
}

fn call_cluster_actor_inner<A: Actor, T: Send + Sync + 'static>(
    handle: &ActorHandle<A>,
    remote: &Arc<dyn RemoteActor>,
    method: &'static str,
    args: std::result::Result<Vec<EncodedArg>, String>,
    decode: Option<Decoder<T>>,
) -> Result<ObjectRef<T>> {
    let what = format!("{}::{method}", A::spec().name);
    let (args, decode) = cluster_call_parts(&what, args, decode)?;
    let backend = backend_of(handle.runtime())?;
    let (rt, task_id) = next_normal_task(Some(handle.runtime()))?;
    let args = store_local_args(&*backend, args)?;
    let object = backend.call_actor(&**remote, method, args)?;
    fetch_into_object(&rt, backend, object, task_id, method, decode)
}

/// A call of an actor method that cannot run on a cluster: fails at once.
#[doc(hidden)]
pub fn cluster_method_unsupported<R>(actor: &str, method: &str, why: &str) -> Submitted<R> {
    Submitted::new(Err(not_on_cluster(format!("{actor}::{method}"), why)))
}

/// A handle of an actor on a cluster crosses to other tasks as the actor's type name and
/// the backend's own serialized handle (for Ray, what its C++ API passes: the receiving
/// process registers it before calling the actor). A handle of an in-process actor cannot
/// cross (its actor lives in this process).
impl<A: Actor> serde::Serialize for ActorHandle<A> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeTuple};
        let Some(remote) = self.__cluster() else {
            return Err(S::Error::custom(format!(
                "a handle of the in-process actor {} cannot be passed to a cluster task",
                A::spec().name
            )));
        };
        let handle = backend_of(self.runtime())
            .and_then(|b| b.serialize_actor(&**remote).map_err(RustyRayError::from))
            .map_err(S::Error::custom)?;
        let mut tuple = serializer.serialize_tuple(2)?;
        tuple.serialize_element(A::spec().name)?;
        tuple.serialize_element(&Bytes(handle))?;
        tuple.end()
    }
}

impl<'de, A: Actor> serde::Deserialize<'de> for ActorHandle<A> {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        use serde::de::Error;
        let (class, Bytes(handle)) = <(String, Bytes)>::deserialize(deserializer)?;
        if class != A::spec().name {
            return Err(D::Error::custom(format!(
                "a handle of actor {class} where one of {} was expected",
                A::spec().name
            )));
        }
        received_handle(&handle).map_err(D::Error::custom)
    }
}

/// The actor of a serialized handle, callable through the current runtime's backend.
fn received_handle<A: Actor>(handle: &[u8]) -> Result<ActorHandle<A>> {
    let rt = crate::context::with_current(None, |ctx| ctx.rt.clone())?;
    let remote = backend_of(&rt)?.deserialize_actor(handle)?;
    Ok(crate::actor::remote_handle(rt, remote))
}

/// Bytes as MessagePack `bin` (a sequence of bytes is accepted too).
struct Bytes(Vec<u8>);

impl serde::Serialize for Bytes {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Bytes;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> std::result::Result<Bytes, E> {
                Ok(Bytes(v.to_vec()))
            }
            fn visit_seq<S: serde::de::SeqAccess<'de>>(
                self,
                mut seq: S,
            ) -> std::result::Result<Bytes, S::Error> {
                let mut out = Vec::new();
                while let Some(b) = seq.next_element::<u8>()? {
                    out.push(b);
                }
                Ok(Bytes(out))
            }
        }
        deserializer.deserialize_bytes(Visit)
    }
}
