//! `ResourceSet` (a demand: zero quantities are dropped) and `NodeResourceSet`
//! (a node's capacities: explicit resources default to 0, implicit ones to 1).
//!
//! Both are an array of [`ResourceEntry`] kept sorted by ID, with room for one
//! entry inline. Sets rarely hold more than a handful of resources, where a
//! contiguous sorted array beats a hash map for lookup, merge-style arithmetic
//! and copying, and it lets C++ read the entries in place as one
//! `{int64, int64}` array; most demands are a single resource (`{CPU: 1}`),
//! which then needs no allocation (as absl keeps a one-element map inline).
//!
//! Iteration order: Ray iterates an `absl::flat_hash_map`, whose order is
//! unspecified and seeded per process. Here it is always ascending ID, so
//! `debug_string` of a set with several entries may list them in a different
//! order than Ray does; the entries themselves and their format are the same.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::ops::{Add, AddAssign, Sub, SubAssign};

use smallvec::SmallVec;

use crate::fixed_point::FixedPoint;
use crate::scheduling_ids::ResourceId;
use crate::stream_format::write_fixed_point;

/// A set's sorted entries: one inline, more on the heap. 24 bytes, no
/// pointer into itself (a set moves by plain copy, which C++ relies on).
type Entries = SmallVec<[ResourceEntry; 1]>;

/// Inserts `entry` at `i`. The first entry beyond the inline one makes room
/// for four, as a `Vec` would, rather than growing one entry at a time.
#[inline]
fn insert_entry(entries: &mut Entries, i: usize, entry: ResourceEntry) {
    if entries.len() == entries.capacity() && !entries.spilled() {
        entries.reserve(4 - entries.len());
    }
    entries.insert(i, entry);
}

/// Ray's construction from a map, `Set` per pair in order, done at once on
/// `entries` as given: the last value of each ID wins, and only those `keep`
/// accepts are stored. In place, so that a set being built where it will live
/// (C++'s storage) is not built elsewhere and copied.
#[inline]
fn normalize(entries: &mut Entries, keep: impl Fn(&ResourceEntry) -> bool) {
    if !entries.windows(2).all(|w| w[0].id < w[1].id) {
        // Stable, so equal IDs keep their order and the last one is the latest.
        entries.sort_by_key(|e| e.id);
        let mut kept = 0;
        for i in 0..entries.len() {
            if kept > 0 && entries[kept - 1].id == entries[i].id {
                entries[kept - 1] = entries[i];
            } else {
                entries[kept] = entries[i];
                kept += 1;
            }
        }
        entries.truncate(kept);
    }
    // Usually nothing to drop: checked without `retain`'s moves.
    if !entries.iter().all(&keep) {
        entries.retain(|e| keep(e));
    }
}

/// `entries` in place of `to`'s. One entry, the usual demand, is one store
/// rather than a call to `memmove`.
#[inline]
fn copy_entries(to: &mut Entries, entries: &[ResourceEntry]) {
    to.clear();
    match entries {
        [] => {}
        [one] => to.push(*one),
        _ => to.extend_from_slice(entries),
    }
}

fn assign_pairs(
    entries: &mut Entries,
    pairs: impl IntoIterator<Item = (ResourceId, FixedPoint)>,
    keep: impl Fn(&ResourceEntry) -> bool,
) {
    entries.clear();
    entries.extend(
        pairs
            .into_iter()
            .map(|(id, value)| ResourceEntry::new(id, value)),
    );
    normalize(entries, keep);
}

/// One resource and its quantity; the element of [`ResourceSet::entries`] and
/// [`NodeResourceSet::entries`], laid out as two `int64_t`s for C++.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResourceEntry {
    /// The resource.
    pub id: ResourceId,
    /// Its quantity.
    pub value: FixedPoint,
}

impl ResourceEntry {
    /// An entry.
    pub const fn new(id: ResourceId, value: FixedPoint) -> Self {
        ResourceEntry { id, value }
    }
}

/// Position of `id` in entries sorted by ID.
#[inline]
fn find(entries: &[ResourceEntry], id: ResourceId) -> Result<usize, usize> {
    // Linear scan beats binary search for the handful of entries sets usually hold.
    if entries.len() <= 8 {
        for (i, e) in entries.iter().enumerate() {
            match e.id.cmp(&id) {
                Ordering::Less => continue,
                Ordering::Equal => return Ok(i),
                Ordering::Greater => return Err(i),
            }
        }
        Err(entries.len())
    } else {
        entries.binary_search_by(|e| e.id.cmp(&id))
    }
}

/// Appends `{name: value, ...}` with each value rendered by `write_value`.
fn write_debug_string(
    entries: &[ResourceEntry],
    mut write_value: impl FnMut(&mut String, FixedPoint),
) -> String {
    let mut out = String::from("{");
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        e.id.with_name(|n| out.push_str(n.unwrap_or(crate::string_id_map::UNKNOWN_ID_NAME)));
        out.push_str(": ");
        write_value(&mut out, e.value);
    }
    out.push('}');
    out
}

/// Ray's `ResourceSet`: quantities per resource, where a quantity of zero means
/// the resource is absent (setting it to zero removes it). Quantities may be
/// negative (the result of subtraction).
#[derive(Debug, Default, PartialEq, Eq, Hash)]
pub struct ResourceSet {
    /// Sorted by ID, no zero values.
    entries: Entries,
}

/// A copy of `entries` in one step (smallvec's own `Clone` pushes them one by
/// one). An inline entry is copied here; more, which allocate, out of line, so
/// that a copy stays small enough for LTO to inline into C++.
#[inline]
fn clone_entries(entries: &Entries) -> Entries {
    if entries.spilled() {
        clone_spilled(entries)
    } else {
        Entries::from_slice(entries)
    }
}

#[inline(never)]
fn clone_spilled(entries: &Entries) -> Entries {
    Entries::from_slice(entries)
}

/// `Clone` for both set kinds: one copy of the entries, and `clone_from` into the
/// set's own storage.
macro_rules! impl_clone_for_set {
    ($($set:ident),*) => {$(
        impl Clone for $set {
            #[inline]
            fn clone(&self) -> Self {
                $set {
                    entries: clone_entries(&self.entries),
                }
            }

            #[inline]
            fn clone_from(&mut self, source: &Self) {
                self.entries.clear();
                self.entries.extend_from_slice(&source.entries);
            }
        }
    )*};
}

impl_clone_for_set!(ResourceSet, NodeResourceSet);

static NIL_RESOURCE_SET: ResourceSet = ResourceSet {
    entries: Entries::new_const(),
};

impl ResourceSet {
    /// An empty set.
    pub const fn new() -> Self {
        ResourceSet {
            entries: Entries::new_const(),
        }
    }

    /// Ray's `ResourceSet::Nil()`: a shared empty set.
    pub fn nil() -> &'static ResourceSet {
        &NIL_RESOURCE_SET
    }

    /// Ray's constructors from a map of names: each name is interned and
    /// `Set` (so zero quantities are dropped). Values may be `FixedPoint` or
    /// `f64` (converted with truncation).
    pub fn from_names<S, V>(resources: impl IntoIterator<Item = (S, V)>) -> Self
    where
        S: AsRef<str>,
        V: Into<FixedPoint>,
    {
        let mut set = ResourceSet::new();
        for (name, value) in resources {
            set.set(ResourceId::from_name(name.as_ref()), value.into());
        }
        set
    }

    /// Ray's constructors from a map of IDs.
    pub fn from_ids<V: Into<FixedPoint>>(
        resources: impl IntoIterator<Item = (ResourceId, V)>,
    ) -> Self {
        let mut set = ResourceSet::new();
        set.assign_ids(resources);
        set
    }

    /// [`from_ids`](Self::from_ids) in place of this set's entries.
    pub fn assign_ids<V: Into<FixedPoint>>(
        &mut self,
        resources: impl IntoIterator<Item = (ResourceId, V)>,
    ) {
        assign_pairs(
            &mut self.entries,
            resources.into_iter().map(|(id, v)| (id, v.into())),
            |e| e.value != FixedPoint::ZERO,
        );
    }

    /// [`assign_ids`](Self::assign_ids) from entries in any order (repeated
    /// IDs and dropped values among them), copied at once.
    #[inline]
    pub fn assign_entries(&mut self, entries: &[ResourceEntry]) {
        copy_entries(&mut self.entries, entries);
        normalize(&mut self.entries, |e| e.value != FixedPoint::ZERO);
    }

    /// The entries in ascending ID order, none of them zero.
    #[inline]
    pub fn entries(&self) -> &[ResourceEntry] {
        &self.entries
    }

    /// Ray's `Resources()`: the same as [`entries`](Self::entries).
    #[inline]
    pub fn resources(&self) -> &[ResourceEntry] {
        &self.entries
    }

    /// Ray's `Get`: the quantity of `id`, zero if absent.
    #[inline]
    pub fn get(&self, id: ResourceId) -> FixedPoint {
        match find(&self.entries, id) {
            Ok(i) => self.entries[i].value,
            Err(_) => FixedPoint::ZERO,
        }
    }

    /// Ray's `Set`: sets the quantity of `id`; zero removes it.
    pub fn set(&mut self, id: ResourceId, value: FixedPoint) -> &mut Self {
        match (find(&self.entries, id), value == FixedPoint::ZERO) {
            (Ok(i), true) => {
                self.entries.remove(i);
            }
            (Ok(i), false) => self.entries[i].value = value,
            (Err(_), true) => {}
            (Err(i), false) => insert_entry(&mut self.entries, i, ResourceEntry::new(id, value)),
        }
        self
    }

    /// Ray's `Has`.
    #[inline]
    pub fn has(&self, id: ResourceId) -> bool {
        find(&self.entries, id).is_ok()
    }

    /// Ray's `Size`.
    #[inline]
    pub fn size(&self) -> usize {
        self.entries.len()
    }

    /// The number of resources (the same as [`size`](Self::size)).
    #[inline]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Ray's `Clear`.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Ray's `IsEmpty`.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Ray's `ResourceIds`, in ascending order.
    pub fn resource_ids(&self) -> impl ExactSizeIterator<Item = ResourceId> + '_ {
        self.entries.iter().map(|e| e.id)
    }

    /// Ray's `GetResourceMap`: name → quantity in regular units.
    pub fn get_resource_map(&self) -> HashMap<String, f64> {
        self.entries
            .iter()
            .map(|e| (e.id.binary(), e.value.to_double()))
            .collect()
    }

    /// Ray's `GetResourceUnorderedMap`: the same map as
    /// [`get_resource_map`](Self::get_resource_map).
    pub fn get_resource_unordered_map(&self) -> HashMap<String, f64> {
        self.get_resource_map()
    }

    /// Ray's `DebugString`: `{CPU: 1.5, GPU: 2}` with quantities streamed as
    /// C++ streams a `double` (entries in ascending ID order).
    pub fn debug_string(&self) -> String {
        write_debug_string(&self.entries, |out, v| write_fixed_point(out, v.raw()))
    }

    /// Ray's `operator<=`: every quantity here is at most the one in `other`
    /// (absent counts as zero).
    pub fn is_subset_of(&self, other: &ResourceSet) -> bool {
        let (a, b) = (&self.entries, &other.entries);
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].id.cmp(&b[j].id) {
                // Only here: compare with zero.
                Ordering::Less => {
                    if a[i].value > FixedPoint::ZERO {
                        return false;
                    }
                    i += 1;
                }
                // Only in other: zero here must not exceed it.
                Ordering::Greater => {
                    if b[j].value < FixedPoint::ZERO {
                        return false;
                    }
                    j += 1;
                }
                Ordering::Equal => {
                    if a[i].value > b[j].value {
                        return false;
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        a[i..].iter().all(|e| e.value <= FixedPoint::ZERO)
            && b[j..].iter().all(|e| e.value >= FixedPoint::ZERO)
    }

    /// Ray's `operator>=`: `other <= self`.
    #[inline]
    pub fn is_superset_of(&self, other: &ResourceSet) -> bool {
        other.is_subset_of(self)
    }

    /// Adds `sign * other` entry by entry, dropping results that become zero.
    fn add_scaled(&mut self, other: &ResourceSet, negate: bool) {
        let mut zeroed = false;
        let mut start = 0;
        for e in &other.entries {
            let delta = if negate { -e.value } else { e.value };
            // Both sides are sorted: continue the search where the last one ended.
            match find(&self.entries[start..], e.id) {
                Ok(k) => {
                    let slot = &mut self.entries[start + k];
                    slot.value += delta;
                    zeroed |= slot.value == FixedPoint::ZERO;
                    start += k + 1;
                }
                Err(k) => {
                    insert_entry(
                        &mut self.entries,
                        start + k,
                        ResourceEntry::new(e.id, delta),
                    );
                    start += k + 1;
                }
            }
        }
        if zeroed {
            self.entries.retain(|e| e.value != FixedPoint::ZERO);
        }
    }
}

impl AddAssign<&ResourceSet> for ResourceSet {
    /// Ray's `operator+=`.
    fn add_assign(&mut self, other: &ResourceSet) {
        self.add_scaled(other, false);
    }
}

impl SubAssign<&ResourceSet> for ResourceSet {
    /// Ray's `operator-=`: absent resources become negative.
    fn sub_assign(&mut self, other: &ResourceSet) {
        self.add_scaled(other, true);
    }
}

impl Add<&ResourceSet> for &ResourceSet {
    type Output = ResourceSet;
    /// Ray's `operator+`.
    fn add(self, other: &ResourceSet) -> ResourceSet {
        let mut res = self.clone();
        res += other;
        res
    }
}

impl Sub<&ResourceSet> for &ResourceSet {
    type Output = ResourceSet;
    /// Ray's `operator-`.
    fn sub(self, other: &ResourceSet) -> ResourceSet {
        let mut res = self.clone();
        res -= other;
        res
    }
}

impl Add for ResourceSet {
    type Output = ResourceSet;
    fn add(mut self, other: ResourceSet) -> ResourceSet {
        self += &other;
        self
    }
}

impl Sub for ResourceSet {
    type Output = ResourceSet;
    fn sub(mut self, other: ResourceSet) -> ResourceSet {
        self -= &other;
        self
    }
}

/// The partial order of Ray's `<=` / `>=` (subset / superset of quantities):
/// two sets are incomparable when each has some quantity larger than the other.
impl PartialOrd for ResourceSet {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match (self.is_subset_of(other), other.is_subset_of(self)) {
            (true, true) => Some(Ordering::Equal),
            (true, false) => Some(Ordering::Less),
            (false, true) => Some(Ordering::Greater),
            (false, false) => None,
        }
    }

    fn le(&self, other: &Self) -> bool {
        self.is_subset_of(other)
    }

    fn ge(&self, other: &Self) -> bool {
        other.is_subset_of(self)
    }
}

impl FromIterator<(ResourceId, FixedPoint)> for ResourceSet {
    fn from_iter<I: IntoIterator<Item = (ResourceId, FixedPoint)>>(iter: I) -> Self {
        ResourceSet::from_ids(iter)
    }
}

/// Ray's `NodeResourceSet`: a node's quantity of every resource. Resources that
/// were never set have their default: 0 for explicit resources, 1 for implicit
/// ones (whose name starts with
/// [`IMPLICIT_RESOURCE_PREFIX`](crate::IMPLICIT_RESOURCE_PREFIX)). Negative
/// values are allowed.
#[derive(Debug, Default, PartialEq, Eq, Hash)]
pub struct NodeResourceSet {
    /// Sorted by ID; values equal to the resource's default are not stored.
    entries: Entries,
}

/// Ray's `ResourceDefaultValue`.
#[inline]
fn default_value(id: ResourceId) -> FixedPoint {
    if id.is_implicit() {
        FixedPoint::ONE
    } else {
        FixedPoint::ZERO
    }
}

impl NodeResourceSet {
    /// An empty set: every resource has its default.
    pub const fn new() -> Self {
        NodeResourceSet {
            entries: Entries::new_const(),
        }
    }

    /// Ray's constructor from a map of names (each name is interned and `Set`).
    pub fn from_names<S, V>(resources: impl IntoIterator<Item = (S, V)>) -> Self
    where
        S: AsRef<str>,
        V: Into<FixedPoint>,
    {
        let mut set = NodeResourceSet::new();
        for (name, value) in resources {
            set.set(ResourceId::from_name(name.as_ref()), value.into());
        }
        set
    }

    /// Ray's constructors from a map of IDs.
    pub fn from_ids<V: Into<FixedPoint>>(
        resources: impl IntoIterator<Item = (ResourceId, V)>,
    ) -> Self {
        let mut set = NodeResourceSet::new();
        set.assign_ids(resources);
        set
    }

    /// [`from_ids`](Self::from_ids) in place of this set's entries.
    pub fn assign_ids<V: Into<FixedPoint>>(
        &mut self,
        resources: impl IntoIterator<Item = (ResourceId, V)>,
    ) {
        assign_pairs(
            &mut self.entries,
            resources.into_iter().map(|(id, v)| (id, v.into())),
            |e| e.value != default_value(e.id),
        );
    }

    /// [`assign_ids`](Self::assign_ids) from entries in any order (repeated
    /// IDs and dropped values among them), copied at once.
    #[inline]
    pub fn assign_entries(&mut self, entries: &[ResourceEntry]) {
        copy_entries(&mut self.entries, entries);
        normalize(&mut self.entries, |e| e.value != default_value(e.id));
    }

    /// The stored (non-default) entries in ascending ID order.
    #[inline]
    pub fn entries(&self) -> &[ResourceEntry] {
        &self.entries
    }

    /// Stores `value` at position `pos` (from a search), or removes the entry
    /// if `value` is the resource's default.
    #[inline]
    fn store(&mut self, pos: Result<usize, usize>, id: ResourceId, value: FixedPoint) {
        let is_default = value == default_value(id);
        match (pos, is_default) {
            (Ok(i), true) => {
                self.entries.remove(i);
            }
            (Ok(i), false) => self.entries[i].value = value,
            (Err(_), true) => {}
            (Err(i), false) => insert_entry(&mut self.entries, i, ResourceEntry::new(id, value)),
        }
    }

    /// Ray's `Set`: a value equal to the default removes the entry.
    pub fn set(&mut self, id: ResourceId, value: FixedPoint) -> &mut Self {
        let pos = find(&self.entries, id);
        self.store(pos, id, value);
        self
    }

    /// Ray's `Get`: the stored value or the resource's default.
    #[inline]
    pub fn get(&self, id: ResourceId) -> FixedPoint {
        match find(&self.entries, id) {
            Ok(i) => self.entries[i].value,
            Err(_) => default_value(id),
        }
    }

    /// Ray's `Has`: the value is not zero (so every implicit resource is had
    /// unless set to zero).
    pub fn has(&self, id: ResourceId) -> bool {
        self.get(id) != FixedPoint::ZERO
    }

    /// Ray's `operator>=(const ResourceSet&)`: every demanded quantity is
    /// available.
    pub fn is_superset_of(&self, other: &ResourceSet) -> bool {
        other.entries.iter().all(|e| self.get(e.id) >= e.value)
    }

    /// Ray's `RemoveNegative`: drops stored negative values, which resets
    /// those resources to their default (1 for implicit resources).
    pub fn remove_negative(&mut self) {
        self.entries.retain(|e| e.value >= FixedPoint::ZERO);
    }

    /// Ray's `GetResourceMap`: name → value in regular units, stored entries
    /// only.
    pub fn get_resource_map(&self) -> HashMap<String, f64> {
        self.entries
            .iter()
            .map(|e| (e.id.binary(), e.value.to_double()))
            .collect()
    }

    /// Ray's `ExplicitResourceIds`: the stored resources that are not implicit.
    pub fn explicit_resource_ids(&self) -> BTreeSet<ResourceId> {
        self.entries
            .iter()
            .map(|e| e.id)
            .filter(|id| !id.is_implicit())
            .collect()
    }

    /// Ray's `DebugString`: `{CPU: 10000}`, values as raw fixed-point
    /// integers (Ray streams the `FixedPoint` itself here), ascending ID order.
    pub fn debug_string(&self) -> String {
        use std::fmt::Write;
        write_debug_string(&self.entries, |out, v| {
            let _ = write!(out, "{}", v.raw());
        })
    }
}

impl SubAssign<&ResourceSet> for NodeResourceSet {
    /// Ray's `operator-=(const ResourceSet&)`: values may go negative.
    fn sub_assign(&mut self, other: &ResourceSet) {
        for e in &other.entries {
            let pos = find(&self.entries, e.id);
            let current = match pos {
                Ok(i) => self.entries[i].value,
                Err(_) => default_value(e.id),
            };
            self.store(pos, e.id, current - e.value);
        }
    }
}
