//! The named actors of a runtime, by namespace (Ray's `namespace` + `name`).
//!
//! A layer below actors and the runtime: it stores type-erased actors and knows nothing of
//! mailboxes or handles, so the runtime can own the table without depending on actors.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;
use ray_common::ActorId;

/// An actor as the name table sees it.
pub(crate) trait NamedActor: Send + Sync {
    fn actor_id(&self) -> ActorId;
    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync>;
}

/// The actors of one namespace, by name.
type Namespace = HashMap<String, Arc<dyn NamedActor>>;

/// Named actors: the same name in two namespaces names two actors.
#[derive(Default)]
pub(crate) struct ActorNames {
    by_namespace: Mutex<HashMap<String, Namespace>>,
}

/// Outcome of [`ActorNames::register`].
pub(crate) enum Registered {
    /// The name was free and now names the new actor.
    New,
    /// The name is taken by this actor.
    Existing(Arc<dyn NamedActor>),
}

impl ActorNames {
    /// The actor named `name` in `namespace`.
    pub(crate) fn get(&self, namespace: &str, name: &str) -> Option<Arc<dyn NamedActor>> {
        self.by_namespace
            .lock()
            .get(namespace)
            .and_then(|names| names.get(name))
            .cloned()
    }

    /// Gives `name` in `namespace` to `actor` unless another actor has it.
    pub(crate) fn register(
        &self,
        namespace: &str,
        name: &str,
        actor: Arc<dyn NamedActor>,
    ) -> Registered {
        let mut all = self.by_namespace.lock();
        let names = all.entry(namespace.to_owned()).or_default();
        match names.get(name) {
            Some(existing) => Registered::Existing(Arc::clone(existing)),
            None => {
                names.insert(name.to_owned(), actor);
                Registered::New
            }
        }
    }

    /// Frees `name` in `namespace` if it still names `actor_id` (a newer actor may hold it).
    pub(crate) fn unregister(&self, namespace: &str, name: &str, actor_id: ActorId) {
        let mut all = self.by_namespace.lock();
        if let Some(names) = all.get_mut(namespace) {
            if names.get(name).is_some_and(|a| a.actor_id() == actor_id) {
                names.remove(name);
            }
            if names.is_empty() {
                all.remove(namespace);
            }
        }
    }

    /// Empties the table, returning the actors so the caller drops them outside the lock.
    pub(crate) fn take_all(&self) -> Vec<Arc<dyn NamedActor>> {
        let all = std::mem::take(&mut *self.by_namespace.lock());
        all.into_values().flat_map(HashMap::into_values).collect()
    }
}

/// Where a named actor is registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ActorName {
    pub(crate) namespace: String,
    pub(crate) name: String,
}
