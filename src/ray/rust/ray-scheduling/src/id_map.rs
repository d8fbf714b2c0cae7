//! `IdMap`: a small map from [`ResourceId`] to values, stored as a `Vec`
//! sorted by ID.
//!
//! Used where Ray uses `absl::flat_hash_map<ResourceID, std::vector<FixedPoint>>`:
//! such maps hold a handful of resources, where a sorted array is faster to
//! search and copy than a hash table, and it iterates in a deterministic
//! (ascending ID) order.

use std::cmp::Ordering;

use crate::scheduling_ids::ResourceId;

/// A map from resource IDs to `V`, iterated in ascending ID order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdMap<V> {
    entries: Vec<(ResourceId, V)>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap {
            entries: Vec::new(),
        }
    }
}

impl<V> IdMap<V> {
    /// An empty map.
    pub const fn new() -> Self {
        IdMap {
            entries: Vec::new(),
        }
    }

    #[inline]
    fn position(&self, id: ResourceId) -> Result<usize, usize> {
        if self.entries.len() <= 8 {
            for (i, (k, _)) in self.entries.iter().enumerate() {
                match k.cmp(&id) {
                    Ordering::Less => continue,
                    Ordering::Equal => return Ok(i),
                    Ordering::Greater => return Err(i),
                }
            }
            Err(self.entries.len())
        } else {
            self.entries.binary_search_by(|(k, _)| k.cmp(&id))
        }
    }

    /// The number of entries.
    #[inline]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of `id`, if present.
    #[inline]
    pub fn get(&self, id: ResourceId) -> Option<&V> {
        self.position(id).ok().map(|i| &self.entries[i].1)
    }

    /// The value of `id` for modification, if present.
    #[inline]
    pub fn get_mut(&mut self, id: ResourceId) -> Option<&mut V> {
        match self.position(id) {
            Ok(i) => Some(&mut self.entries[i].1),
            Err(_) => None,
        }
    }

    /// Whether `id` is present.
    #[inline]
    pub fn contains(&self, id: ResourceId) -> bool {
        self.position(id).is_ok()
    }

    /// Inserts or replaces the value of `id`, returning the old one.
    pub fn insert(&mut self, id: ResourceId, value: V) -> Option<V> {
        match self.position(id) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (id, value));
                None
            }
        }
    }

    /// Removes `id`, returning its value.
    pub fn remove(&mut self, id: ResourceId) -> Option<V> {
        match self.position(id) {
            Ok(i) => Some(self.entries.remove(i).1),
            Err(_) => None,
        }
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The entries in ascending ID order.
    #[inline]
    pub fn as_slice(&self) -> &[(ResourceId, V)] {
        &self.entries
    }

    /// Iterates the entries in ascending ID order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (ResourceId, &V)> + '_ {
        self.entries.iter().map(|(k, v)| (*k, v))
    }

    /// Iterates the IDs in ascending order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = ResourceId> + '_ {
        self.entries.iter().map(|(k, _)| *k)
    }
}

impl<V> FromIterator<(ResourceId, V)> for IdMap<V> {
    /// Later values of a repeated ID replace earlier ones.
    fn from_iter<I: IntoIterator<Item = (ResourceId, V)>>(iter: I) -> Self {
        let mut map = IdMap::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<V> IntoIterator for IdMap<V> {
    type Item = (ResourceId, V);
    type IntoIter = std::vec::IntoIter<(ResourceId, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_ids_sorted_and_unique() {
        let mut m = IdMap::new();
        for id in [5, -3, 9, 0, 5] {
            m.insert(ResourceId::from_int(id), id);
        }
        let keys: Vec<i64> = m.keys().map(ResourceId::to_int).collect();
        assert_eq!(keys, vec![-3, 0, 5, 9]);
        assert_eq!(m.get(ResourceId::from_int(9)), Some(&9));
        assert_eq!(m.remove(ResourceId::from_int(0)), Some(0));
        assert!(!m.contains(ResourceId::from_int(0)));
        assert_eq!(m.len(), 3);
    }

    #[test]
    fn large_maps_use_binary_search() {
        let m: IdMap<i64> = (0..40)
            .rev()
            .map(|i| (ResourceId::from_int(i * 2), i))
            .collect();
        assert_eq!(m.get(ResourceId::from_int(38)), Some(&19));
        assert_eq!(m.get(ResourceId::from_int(39)), None);
        assert_eq!(m.len(), 40);
    }
}
