//! Every remote function and actor of the program, registered at compile time.
//!
//! ```
//! # fn main() {
//! for f in rustyray::registry::remote_functions() {
//!     println!("{}::{} ({} parameters)", f.module_path, f.name, f.params.len());
//! }
//! # }
//! ```

use std::any::TypeId;

use crate::options::{ActorSpec, FunctionSpec};

/// Registration of a remote function (submitted by `#[rustyray::remote]`): its spec, and
/// how a cluster worker runs it on encoded arguments (or why it cannot).
#[doc(hidden)]
pub struct RemoteFunctionEntry(
    pub &'static FunctionSpec,
    pub fn() -> Result<crate::backend::WorkerCall, String>,
);

/// Registration of an actor type (submitted by `#[rustyray::actor]`).
#[doc(hidden)]
pub struct ActorEntry {
    /// The actor's description.
    pub spec: &'static ActorSpec,
    /// `TypeId::of` the actor type.
    pub type_id: fn() -> TypeId,
}

/// An actor method (submitted by `#[rustyray::actor_methods]`).
#[derive(Debug)]
pub struct ActorMethodSpec {
    /// The method's name.
    pub name: &'static str,
    /// The actor type's name.
    pub actor: &'static str,
    /// `TypeId::of` the actor type.
    #[doc(hidden)]
    pub actor_type: fn() -> TypeId,
    /// Whether the method is `async`.
    pub is_async: bool,
    /// Whether it takes `&mut self`.
    pub mutable: bool,
    /// Parameter names.
    pub params: &'static [&'static str],
    /// Objects a call returns (`#[rustyray::method(num_returns = n)]`).
    pub num_returns: u32,
}

#[doc(hidden)]
pub struct ActorMethodEntry(pub &'static ActorMethodSpec);

inventory::collect!(RemoteFunctionEntry);
inventory::collect!(ActorEntry);
inventory::collect!(ActorMethodEntry);

/// All remote functions, sorted by module path and name.
pub fn remote_functions() -> Vec<&'static FunctionSpec> {
    let mut all: Vec<_> = inventory::iter::<RemoteFunctionEntry>
        .into_iter()
        .map(|e| e.0)
        .collect();
    all.sort_by_key(|s| (s.module_path, s.name));
    all
}

/// The remote function called `name`, either plain (`"add"`, first match by module path)
/// or qualified by its module (`"my_crate::math::add"`).
pub fn remote_function(name: &str) -> Option<&'static FunctionSpec> {
    remote_functions()
        .into_iter()
        .find(|s| s.name == name || qualified(s.module_path, s.name) == name)
}

/// An actor type and its methods.
#[derive(Debug, Clone)]
pub struct ActorInfo {
    /// The actor's description.
    pub spec: &'static ActorSpec,
    /// Its remote methods, sorted by name.
    pub methods: Vec<&'static ActorMethodSpec>,
}

/// All actor types, sorted by module path and name.
pub fn actors() -> Vec<ActorInfo> {
    let mut all: Vec<_> = inventory::iter::<ActorEntry>
        .into_iter()
        .map(|e| {
            let id = (e.type_id)();
            let mut methods: Vec<_> = inventory::iter::<ActorMethodEntry>
                .into_iter()
                .map(|m| m.0)
                .filter(|m| (m.actor_type)() == id)
                .collect();
            methods.sort_by_key(|m| m.name);
            ActorInfo {
                spec: e.spec,
                methods,
            }
        })
        .collect();
    all.sort_by_key(|a| (a.spec.module_path, a.spec.name));
    all
}

/// The actor type called `name` (plain or qualified by its module).
pub fn actor(name: &str) -> Option<ActorInfo> {
    actors()
        .into_iter()
        .find(|a| a.spec.name == name || qualified(a.spec.module_path, a.spec.name) == name)
}

fn qualified(module_path: &str, name: &str) -> String {
    format!("{module_path}::{name}")
}
