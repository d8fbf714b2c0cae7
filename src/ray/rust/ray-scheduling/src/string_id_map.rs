//! `StringIdMap`: thread-safe interning of names as 64-bit IDs.
//!
//! An ID is the libstdc++ hash of the name (reinterpreted as `i64`), so the
//! same name gets the same ID in every process, and Rust and C++ agree. On a
//! collision Ray re-hashes `name + "0"`, `name + "1"`, ... until it finds a
//! free ID; this map probes in the same order.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::RwLock;

use crate::error::{StringIdMapError, Taken};
use crate::std_hash::std_string_hash;

/// The text `Get(id)` returns for an ID that has no name.
pub const UNKNOWN_ID_NAME: &str = "-1";

#[derive(Default)]
struct Inner {
    /// Both directions share one allocation per name.
    by_name: HashMap<Arc<str>, i64>,
    by_id: HashMap<i64, Arc<str>>,
}

impl Inner {
    fn insert_new(&mut self, name: &str, id: i64) {
        let name: Arc<str> = Arc::from(name);
        self.by_name.insert(Arc::clone(&name), id);
        self.by_id.insert(id, name);
    }
}

/// Ray's `StringIdMap`: maps names to IDs and back; entries are never removed
/// (removing could invalidate IDs still in use).
#[derive(Default)]
pub struct StringIdMap {
    inner: RwLock<Inner>,
}

/// Ray's `hasher_(name)` narrowed to `int64_t`, optionally reduced modulo
/// `max_id` with C++'s truncating `%` (so the result may be negative).
fn hash_id(name: &str, max_id: u8) -> i64 {
    let id = std_string_hash(name.as_bytes()) as i64;
    if max_id == 0 {
        id
    } else {
        id % i64::from(max_id)
    }
}

impl StringIdMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Ray's `Get(const std::string&)`: the ID of `name`, or -1 if it was never
    /// inserted.
    pub fn get_id(&self, name: &str) -> i64 {
        self.inner.read().by_name.get(name).copied().unwrap_or(-1)
    }

    /// Ray's `Get(uint64_t)`: the name of `id`, or `"-1"` if it has none.
    pub fn get_name(&self, id: i64) -> String {
        self.with_name(id, |name| name.unwrap_or(UNKNOWN_ID_NAME).to_owned())
    }

    /// Calls `f` with the name of `id` (`None` if it has none) without copying
    /// the name; the map is read-locked meanwhile, so `f` must not insert.
    pub fn with_name<R>(&self, id: i64, f: impl FnOnce(Option<&str>) -> R) -> R {
        let inner = self.inner.read();
        f(inner.by_id.get(&id).map(|n| &**n))
    }

    /// Ray's `Insert(name)`: the ID of `name`, interning it first if needed.
    pub fn insert(&self, name: &str) -> i64 {
        if let Some(&id) = self.inner.read().by_name.get(name) {
            return id;
        }
        let mut inner = self.inner.write();
        // Another thread may have inserted it between the two locks.
        if let Some(&id) = inner.by_name.get(name) {
            return id;
        }
        let mut id = hash_id(name, 0);
        let mut attempt: u64 = 0;
        while inner.by_id.contains_key(&id) {
            id = hash_id(&format!("{name}{attempt}"), 0);
            attempt += 1;
        }
        inner.insert_new(name, id);
        id
    }

    /// Ray's `Insert(name, max_id)`: like [`insert`](Self::insert) but with
    /// every hash reduced modulo `max_id` (0 means no reduction), which Ray's
    /// tests use to force collisions.
    ///
    /// Ray loops forever when every ID reachable modulo `max_id` is taken; this
    /// returns [`StringIdMapError::IdSpaceExhausted`] instead.
    pub fn insert_with_max_id(&self, name: &str, max_id: u8) -> Result<i64, StringIdMapError> {
        if max_id == 0 {
            return Ok(self.insert(name));
        }
        let mut inner = self.inner.write();
        if let Some(&id) = inner.by_name.get(name) {
            return Ok(id);
        }
        // C++'s `%` keeps the sign of the hash, so IDs span -(m-1)..=(m-1).
        let bound = i64::from(max_id) - 1;
        if (-bound..=bound).all(|id| inner.by_id.contains_key(&id)) {
            return Err(StringIdMapError::IdSpaceExhausted {
                name: name.to_owned(),
                max_id,
            });
        }
        let mut id = hash_id(name, max_id);
        let mut attempt: u64 = 0;
        while inner.by_id.contains_key(&id) {
            id = hash_id(&format!("{name}{attempt}"), max_id);
            attempt += 1;
        }
        inner.insert_new(name, id);
        Ok(id)
    }

    /// Ray's `InsertOrDie` without the dying: associates `name` with `id`, or
    /// fails, changing nothing, if either is already present.
    pub fn try_insert_or_die(&self, name: &str, id: i64) -> Result<&Self, StringIdMapError> {
        let mut inner = self.inner.write();
        // Ray checks the name first, then the ID; the fatal message tells which failed.
        let taken = if inner.by_name.contains_key(name) {
            Some(Taken::Name)
        } else if inner.by_id.contains_key(&id) {
            Some(Taken::Id)
        } else {
            None
        };
        if let Some(taken) = taken {
            return Err(StringIdMapError::AlreadyExists {
                name: name.to_owned(),
                id,
                taken,
            });
        }
        inner.insert_new(name, id);
        Ok(self)
    }

    /// Ray's `InsertOrDie`: associates `name` with `id`.
    ///
    /// # Panics
    ///
    /// If `name` or `id` is already present, where Ray aborts with
    /// `"<name> or <id> already exist!"`.
    pub fn insert_or_die(&self, name: &str, id: i64) -> &Self {
        match self.try_insert_or_die(name, id) {
            Ok(map) => map,
            Err(e) => panic!("{e}"),
        }
    }

    /// Ray's `Count()`: the number of interned names.
    pub fn count(&self) -> usize {
        self.inner.read().by_name.len()
    }
}

impl std::fmt::Debug for StringIdMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StringIdMap")
            .field("count", &self.count())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_on_empty_map() {
        let map = StringIdMap::new();
        assert_eq!(map.get_id("x"), -1);
        assert_eq!(map.get_name(5), "-1");
        assert_eq!(map.count(), 0);
    }

    #[test]
    fn insert_is_idempotent_and_hash_based() {
        let map = StringIdMap::new();
        let id = map.insert("hello");
        assert_eq!(id, std_string_hash(b"hello") as i64);
        assert_eq!(map.insert("hello"), id);
        assert_eq!(map.get_id("hello"), id);
        assert_eq!(map.get_name(id), "hello");
        assert_eq!(map.count(), 1);
    }

    #[test]
    fn collision_probes_name_plus_counter() {
        let map = StringIdMap::new();
        let taken = std_string_hash(b"b") as i64;
        map.insert_or_die("a", taken);
        // "b" hashes onto "a"'s ID, so its ID is the hash of "b0".
        assert_eq!(map.insert("b"), std_string_hash(b"b0") as i64);
    }

    #[test]
    fn max_id_reduces_with_sign() {
        let map = StringIdMap::new();
        let id = map.insert_with_max_id("yes", 10).unwrap();
        // std::hash("yes") is negative as int64 (measured), so is the remainder.
        assert_eq!(id, (std_string_hash(b"yes") as i64) % 10);
        assert!(id < 0);
        assert_eq!(map.insert_with_max_id("yes", 10).unwrap(), id);
    }

    #[test]
    fn max_id_one_allows_exactly_one_name() {
        let map = StringIdMap::new();
        assert_eq!(map.insert_with_max_id("first", 1).unwrap(), 0);
        assert!(matches!(
            map.insert_with_max_id("second", 1),
            Err(StringIdMapError::IdSpaceExhausted { max_id: 1, .. })
        ));
        assert_eq!(map.count(), 1);
    }

    #[test]
    fn insert_or_die_rejects_duplicates_without_change() {
        let map = StringIdMap::new();
        map.insert_or_die("CPU", 0).insert_or_die("GPU", 2);
        assert!(matches!(
            map.try_insert_or_die("CPU", 7),
            Err(StringIdMapError::AlreadyExists {
                taken: Taken::Name,
                ..
            })
        ));
        assert!(matches!(
            map.try_insert_or_die("other", 2),
            Err(StringIdMapError::AlreadyExists {
                taken: Taken::Id,
                ..
            })
        ));
        // A taken name is reported as such even when its ID is taken too.
        assert!(matches!(
            map.try_insert_or_die("GPU", 0),
            Err(StringIdMapError::AlreadyExists {
                taken: Taken::Name,
                ..
            })
        ));
        assert_eq!(map.count(), 2);
        assert_eq!(map.get_id("other"), -1);
        let err = map.try_insert_or_die("GPU", 9).err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("GPU or 9 already exist!"));
    }

    #[test]
    #[should_panic(expected = "CPU or 0 already exist!")]
    fn insert_or_die_panics_on_duplicate() {
        let map = StringIdMap::new();
        map.insert_or_die("CPU", 0);
        map.insert_or_die("CPU", 0);
    }
}
