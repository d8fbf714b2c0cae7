//! The Ray backend of `rustyray`: with it, an ordinary `#[rustyray::remote]` program runs
//! its remote functions in Ray's C++ worker processes when initialised with an address.
//!
//! ```ignore
//! rustyray_ray::ray_backend!(); // once, at the top level of the program
//!
//! #[rustyray::remote]
//! fn double(x: i64) -> i64 { x * 2 }
//!
//! #[rustyray::main(address = "auto")] // or rustyray::init_with(Config::ray("host:port"))
//! async fn main() -> rustyray::Result<()> {
//!     assert_eq!(double::remote(21).await?.await?, 42);
//!     Ok(())
//! }
//! ```
//!
//! The workers find the functions by name in the worker library (the same module compiled
//! into it, linked like any worker library of this crate): `rustyray::backend::cluster_name`
//! on the driver, [`registry::invoke`](crate::registry::invoke) in the worker. The library
//! is found through `Config::code_search_path` or `RUSTYRAY_CODE_SEARCH_PATH`.

#[cfg(feature = "cluster")]
pub use imp::RayBackend;

use std::sync::Arc;

use rustyray::backend::{Backend, BackendError, BackendErrorKind, ClusterConfig};

/// Registers the Ray backend with `rustyray`, so that `rustyray::init_with(Config::ray(..))`,
/// `#[rustyray::main(address = "..")]` and `rustyray::init()` with `RAY_ADDRESS` set run
/// remote functions on the cluster. Use once, at the top level of the program (a
/// registration in the program's own crate is always linked).
#[macro_export]
macro_rules! ray_backend {
    () => {
        $crate::inventory::submit! {
            $crate::__rustyray::backend::Connector {
                name: "ray",
                connect: $crate::backend::connect,
            }
        }
    };
}

/// Connects to the Ray cluster of `config` (the [`ray_backend!`] connector).
pub fn connect(config: &ClusterConfig) -> Result<Arc<dyn Backend>, BackendError> {
    #[cfg(feature = "cluster")]
    {
        let path = match &config.code_search_path {
            Some(path) => path.clone(),
            None => std::env::var("RUSTYRAY_CODE_SEARCH_PATH").map_err(|_| {
                BackendError::new(
                    BackendErrorKind::Other,
                    "Ray's workers need the worker library: set RUSTYRAY_CODE_SEARCH_PATH or \
                     Config::code_search_path",
                )
            })?,
        };
        let namespace = config.namespace.as_deref().unwrap_or("");
        let backend =
            RayBackend::connect(&config.address, &path, namespace).map_err(imp::backend_error)?;
        Ok(backend)
    }
    #[cfg(not(feature = "cluster"))]
    {
        Err(BackendError::new(
            BackendErrorKind::Other,
            format!(
                "cannot connect to {}: rustyray-ray was built without its `cluster` feature",
                config.address
            ),
        ))
    }
}

#[cfg(feature = "cluster")]
mod imp {
    use std::any::Any;
    use std::sync::{Arc, RwLock, RwLockReadGuard};
    use std::time::Duration;

    use rustyray::backend::{
        Backend, BackendError, BackendErrorKind, EncodedArg, RemoteActor, RemoteActorOptions,
        RemoteObject,
    };

    use crate::cluster::{self, OwnedId};
    use crate::error::ClusterError;
    use crate::ffi::{ACTOR_ID_LEN, OBJECT_ID_LEN};
    use crate::{ActorHandle, ActorOptions, Arg, Cluster};

    pub(super) fn backend_error(e: ClusterError) -> BackendError {
        let kind = match e {
            ClusterError::Timeout(_) => BackendErrorKind::Timeout,
            ClusterError::TaskFailed(_) => BackendErrorKind::TaskFailed,
            _ => BackendErrorKind::Other,
        };
        BackendError::new(kind, e.to_string())
    }

    /// A Ray object as `rustyray` holds it.
    struct RayObject(Arc<OwnedId>);

    impl RemoteObject for RayObject {
        fn id(&self) -> &[u8] {
            &self.0 .0
        }

        fn as_any(&self) -> &dyn Any {
            self
        }
    }

    /// A Ray actor as `rustyray` holds it.
    struct RayActor([u8; ACTOR_ID_LEN]);

    impl RemoteActor for RayActor {
        fn id(&self) -> &[u8] {
            &self.0
        }

        fn as_any(&self) -> &dyn Any {
            self
        }
    }

    fn ray_actor(actor: &dyn RemoteActor) -> Result<&[u8; ACTOR_ID_LEN], BackendError> {
        actor
            .as_any()
            .downcast_ref::<RayActor>()
            .map(|a| &a.0)
            .ok_or_else(|| BackendError::new(BackendErrorKind::Other, "not a Ray actor"))
    }

    fn ray_args(args: Vec<EncodedArg>) -> Result<Vec<Arg>, BackendError> {
        args.into_iter()
            .map(|arg| match arg {
                EncodedArg::Value(bytes) => Ok(Arg::encoded(bytes)),
                EncodedArg::Object(object) => {
                    let ray = object.as_any().downcast_ref::<RayObject>().ok_or_else(|| {
                        BackendError::new(BackendErrorKind::Other, "not a Ray object")
                    })?;
                    Ok(Arg::owned_object(Arc::clone(&ray.0)))
                }
                EncodedArg::Local(_) => Err(BackendError::new(
                    BackendErrorKind::Other,
                    "an in-process object reached the backend before it was stored",
                )),
            })
            .collect()
    }

    fn ray_id(object: &dyn RemoteObject) -> Result<&[u8; OBJECT_ID_LEN], BackendError> {
        object
            .as_any()
            .downcast_ref::<RayObject>()
            .map(|o| &o.0 .0)
            .ok_or_else(|| BackendError::new(BackendErrorKind::Other, "not a Ray object"))
    }

    enum State {
        /// Connected by the backend, which shuts Ray down.
        Owned(#[allow(dead_code)] Cluster),
        /// Using a connection the program made ([`RayBackend::on`]).
        Shared,
        Closed,
    }

    /// `rustyray`'s [`Backend`] on a Ray cluster, through Ray's C++ API.
    pub struct RayBackend {
        state: RwLock<State>,
    }

    impl RayBackend {
        /// Connects to the cluster at `address` as a job of `namespace` (empty: an
        /// anonymous one); its workers load the functions from `code_search_path`.
        /// Disconnects when the runtime shuts down.
        pub fn connect(
            address: &str,
            code_search_path: &str,
            namespace: &str,
        ) -> Result<Arc<Self>, ClusterError> {
            let cluster = Cluster::connect_in(address, code_search_path, namespace)?;
            Ok(Arc::new(RayBackend {
                state: RwLock::new(State::Owned(cluster)),
            }))
        }

        /// The backend of a Ray worker process, whose Ray runtime its worker started: the
        /// calls a task makes (remote functions, actors) go to the cluster through it.
        pub fn in_worker() -> Arc<Self> {
            Arc::new(RayBackend {
                state: RwLock::new(State::Shared),
            })
        }

        /// Uses the process's connection `cluster`, which stays the program's: it must
        /// outlive the runtime (calls after it is dropped fail with Ray's error).
        pub fn on(cluster: &Cluster) -> Arc<Self> {
            let _ = cluster;
            Arc::new(RayBackend {
                state: RwLock::new(State::Shared),
            })
        }

        fn live(&self) -> Result<RwLockReadGuard<'_, State>, BackendError> {
            let state = self.state.read().unwrap_or_else(|e| e.into_inner());
            if matches!(*state, State::Closed) {
                return Err(BackendError::new(
                    BackendErrorKind::Other,
                    "the Ray backend has shut down",
                ));
            }
            Ok(state)
        }
    }

    impl Backend for RayBackend {
        fn name(&self) -> &'static str {
            "ray"
        }

        fn submit(
            &self,
            function: &str,
            args: Vec<EncodedArg>,
            resources: &[(String, f64)],
        ) -> Result<Arc<dyn RemoteObject>, BackendError> {
            let _live = self.live()?;
            let args = ray_args(args)?;
            let id = cluster::submit_task(function, &args, resources).map_err(backend_error)?;
            Ok(Arc::new(RayObject(id)))
        }

        fn put(&self, bytes: &[u8]) -> Result<Arc<dyn RemoteObject>, BackendError> {
            let _live = self.live()?;
            let id = cluster::put_bytes(bytes).map_err(backend_error)?;
            Ok(Arc::new(RayObject(id)))
        }

        fn get(
            &self,
            object: &dyn RemoteObject,
            timeout: Option<Duration>,
        ) -> Result<Vec<u8>, BackendError> {
            let _live = self.live()?;
            cluster::get_bytes(ray_id(object)?, timeout).map_err(backend_error)
        }

        fn wait(
            &self,
            objects: &[&dyn RemoteObject],
            num_ready: usize,
            timeout: Option<Duration>,
        ) -> Result<Vec<bool>, BackendError> {
            let _live = self.live()?;
            let ids = objects
                .iter()
                .map(|o| ray_id(*o))
                .collect::<Result<Vec<_>, _>>()?;
            cluster::wait_ids(&ids, num_ready, timeout).map_err(backend_error)
        }

        fn create_actor(
            &self,
            class: &str,
            args: Vec<EncodedArg>,
            options: &RemoteActorOptions,
        ) -> Result<Arc<dyn RemoteActor>, BackendError> {
            let _live = self.live()?;
            let args = ray_args(args)?;
            let ray_options = ActorOptions {
                name: options.name.clone(),
                namespace: options.namespace.clone(),
                max_restarts: options.max_restarts,
                max_concurrency: options.max_concurrency,
                resources: options.resources.clone(),
            };
            let id =
                cluster::create_actor_raw(class, &args, &ray_options).map_err(backend_error)?;
            Ok(Arc::new(RayActor(id)))
        }

        fn call_actor(
            &self,
            actor: &dyn RemoteActor,
            method: &str,
            args: Vec<EncodedArg>,
        ) -> Result<Arc<dyn RemoteObject>, BackendError> {
            let _live = self.live()?;
            let args = ray_args(args)?;
            let handle = ActorHandle::from_id(*ray_actor(actor)?);
            let object = handle.call::<()>(method, &args).map_err(backend_error)?;
            Ok(Arc::new(RayObject(object.owned_id())))
        }

        fn get_actor(
            &self,
            name: &str,
            namespace: Option<&str>,
        ) -> Result<Option<Arc<dyn RemoteActor>>, BackendError> {
            let _live = self.live()?;
            let found = cluster::get_actor_raw(name, namespace).map_err(backend_error)?;
            Ok(found.map(|id| Arc::new(RayActor(id)) as Arc<dyn RemoteActor>))
        }

        fn namespace(&self) -> Option<String> {
            let _live = self.live().ok()?;
            cluster::namespace_raw().ok()
        }

        fn serialize_actor(&self, actor: &dyn RemoteActor) -> Result<Vec<u8>, BackendError> {
            let _live = self.live()?;
            cluster::serialize_actor_raw(ray_actor(actor)?).map_err(backend_error)
        }

        fn deserialize_actor(&self, handle: &[u8]) -> Result<Arc<dyn RemoteActor>, BackendError> {
            let _live = self.live()?;
            let id = cluster::deserialize_actor_raw(handle).map_err(backend_error)?;
            Ok(Arc::new(RayActor(id)))
        }

        fn kill_actor(
            &self,
            actor: &dyn RemoteActor,
            no_restart: bool,
        ) -> Result<(), BackendError> {
            let _live = self.live()?;
            cluster::kill_actor_raw(ray_actor(actor)?, no_restart).map_err(backend_error)
        }

        fn shutdown(&self) {
            // Waits for the calls under way (a fetch waits at most its slice).
            let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
            *state = State::Closed;
        }
    }
}
