//! `NodeResourceInstanceSet`: a node's resources per instance, and the
//! allocation of task demands onto those instances (including placement-group
//! bundles).
//!
//! Every resource has a list of instance capacities. Unit-instance resources
//! (GPUs, ...) have one instance of capacity 1 per device; any other resource
//! has a single instance holding the whole quantity. Implicit resources that
//! were never set have one instance of capacity 1.
//!
//! Order: where Ray walks a hash map or hash set (the demands, the resources
//! of a placement group, the bundles of a group), this walks ascending
//! resource IDs. That decides, for example, which of several fitting bundles
//! a demand without a bundle index lands in; Ray's choice there is
//! unspecified.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::ResourceError;
use crate::fixed_point::{fixed_point_vector_to_string, write_fixed_point_vector, FixedPoint};
use crate::id_map::IdMap;
use crate::placement_group_util::{
    is_cpu_or_placement_group_cpu_resource, try_parse_pg_formatted_resource,
    PgFormattedResourceData,
};
use crate::resource_set::{NodeResourceSet, ResourceSet};
use crate::scheduling_ids::ResourceId;
use crate::string_id_map::UNKNOWN_ID_NAME;

/// What a successful allocation took: per resource, the amount taken from
/// each instance.
pub type ResourceAllocation = IdMap<Vec<FixedPoint>>;

/// The instances an implicit resource has when it was never set.
static IMPLICIT_RESOURCE_INSTANCES: [FixedPoint; 1] = [FixedPoint::ONE];

/// Placement-group indexed resources by original resource, then by group ID.
type PgIndex = BTreeMap<ResourceId, BTreeMap<String, BTreeSet<ResourceId>>>;

/// Ray's `NodeResourceInstanceSet`.
#[derive(Debug, Clone, Default)]
pub struct NodeResourceInstanceSet {
    resources: IdMap<Vec<FixedPoint>>,
    /// Derived from `resources`: the stored indexed placement-group resources
    /// (`<res>_group_<i>_<pg>`) grouped by original resource and group ID, so
    /// a demand on a group's wildcard resource can find the group's bundles.
    pg_indexed_resources: PgIndex,
}

/// Ray's `Resource`'s name, or `"-1"`.
fn name_of(id: ResourceId) -> String {
    id.binary()
}

/// The indexed placement-group data of `id`'s name, if it is one.
fn parse_indexed(id: ResourceId) -> Option<PgFormattedResourceData> {
    id.with_name(|n| {
        // An overflowing bundle index makes Ray throw; here the name is simply
        // not indexed by the derived map.
        try_parse_pg_formatted_resource(n.unwrap_or(UNKNOWN_ID_NAME), false, true)
            .ok()
            .flatten()
    })
}

/// Both kinds of placement-group data of `id`'s name.
fn parse_any_pg(id: ResourceId) -> Result<Option<PgFormattedResourceData>, ResourceError> {
    id.with_name(|n| try_parse_pg_formatted_resource(n.unwrap_or(UNKNOWN_ID_NAME), true, true))
}

fn check_same_len(id: ResourceId, left: usize, right: usize) -> Result<(), ResourceError> {
    if left == right {
        Ok(())
    } else {
        Err(ResourceError::LengthMismatch {
            resource: name_of(id),
            left,
            right,
        })
    }
}

/// Panics with the error's text: the wrappers that mirror Ray's aborts.
fn or_die<T>(result: Result<T, ResourceError>) -> T {
    match result {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

impl PartialEq for NodeResourceInstanceSet {
    /// Ray compares the instances only (the placement-group index is derived).
    fn eq(&self, other: &Self) -> bool {
        self.resources == other.resources
    }
}

impl Eq for NodeResourceInstanceSet {}

impl NodeResourceInstanceSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Ray's constructor from a node's totals: every explicit resource becomes
    /// `floor(value)` instances of 1 if it is a unit-instance resource, else
    /// one instance holding the value.
    ///
    /// Fails where Ray aborts: a unit-instance resource with a total below 1
    /// would have no instances. A negative total of a unit-instance resource is
    /// treated as zero instances (in C++ the conversion is undefined).
    pub fn try_from_total(total: &NodeResourceSet) -> Result<Self, ResourceError> {
        let mut set = NodeResourceInstanceSet::new();
        for id in total.explicit_resource_ids() {
            let value = total.get(id);
            let instances = if id.is_unit_instance() {
                vec![FixedPoint::ONE; value.to_double() as usize]
            } else {
                vec![value]
            };
            set.try_set(id, instances)?;
        }
        Ok(set)
    }

    /// Ray's constructor from a node's totals.
    ///
    /// # Panics
    ///
    /// Where Ray aborts; see [`try_from_total`](Self::try_from_total).
    pub fn from_total(total: &NodeResourceSet) -> Self {
        or_die(Self::try_from_total(total))
    }

    /// Ray's `Has`: the resource has at least one instance (implicit resources
    /// always do).
    pub fn has(&self, id: ResourceId) -> bool {
        !self.get(id).is_empty()
    }

    /// Ray's `Get`: the instances of `id`; `[1]` for an unset implicit
    /// resource, empty for an unset explicit one.
    pub fn get(&self, id: ResourceId) -> &[FixedPoint] {
        match self.resources.get(id) {
            Some(v) => v,
            None if id.is_implicit() => &IMPLICIT_RESOURCE_INSTANCES,
            None => &[],
        }
    }

    /// Ray's `Set` as a fallible call: an empty `instances` is an error (Ray
    /// aborts). An implicit resource set to a first instance of 1 (its
    /// default) is removed rather than stored.
    ///
    /// A placement-group name whose bundle index overflows `int` makes Ray's
    /// parser throw here; this stores the resource but leaves it out of the
    /// derived placement-group index.
    pub fn try_set(
        &mut self,
        id: ResourceId,
        instances: Vec<FixedPoint>,
    ) -> Result<&mut Self, ResourceError> {
        if instances.is_empty() {
            return Err(ResourceError::EmptyInstances(name_of(id)));
        }
        self.store(id, instances);
        Ok(self)
    }

    /// Ray's `Set`.
    ///
    /// # Panics
    ///
    /// If `instances` is empty, where Ray aborts.
    pub fn set(&mut self, id: ResourceId, instances: Vec<FixedPoint>) -> &mut Self {
        or_die(self.try_set(id, instances))
    }

    /// `Set` for a non-empty `instances`.
    fn store(&mut self, id: ResourceId, instances: Vec<FixedPoint>) {
        if instances[0] == FixedPoint::ONE && id.is_implicit() {
            // The default needs no entry. Like Ray, the derived index keeps it.
            self.resources.remove(id);
            return;
        }
        if let Some(slot) = self.resources.get_mut(id) {
            // Already stored, so already in the derived index.
            *slot = instances;
            return;
        }
        self.resources.insert(id, instances);
        if let Some(data) = parse_indexed(id) {
            let original = ResourceId::from_name(&data.original_resource);
            self.pg_indexed_resources
                .entry(original)
                .or_default()
                .entry(data.group_id)
                .or_default()
                .insert(id);
        }
    }

    /// Ray's `Remove`: drops the resource and its place in the derived index.
    pub fn remove(&mut self, id: ResourceId) {
        self.resources.remove(id);
        let Some(data) = parse_indexed(id) else {
            return;
        };
        let original = ResourceId::from_name(&data.original_resource);
        let Some(groups) = self.pg_indexed_resources.get_mut(&original) else {
            return;
        };
        if let Some(members) = groups.get_mut(&data.group_id) {
            members.remove(&id);
            if members.is_empty() {
                groups.remove(&data.group_id);
            }
            if groups.is_empty() {
                self.pg_indexed_resources.remove(&original);
            }
        }
    }

    /// Ray's `Sum`: the total over instances; 1 for an unset implicit
    /// resource, 0 for an unset explicit one.
    pub fn sum(&self, id: ResourceId) -> FixedPoint {
        match self.resources.get(id) {
            Some(v) => FixedPoint::sum_of(v),
            None if id.is_implicit() => FixedPoint::ONE,
            None => FixedPoint::ZERO,
        }
    }

    /// Ray's `Resources()` (for tests): the stored resources in ascending ID order.
    pub fn resources(&self) -> &IdMap<Vec<FixedPoint>> {
        &self.resources
    }

    /// The derived placement-group index: original resource → group ID →
    /// stored indexed resources of that group.
    pub fn pg_indexed_resources(
        &self,
    ) -> &BTreeMap<ResourceId, BTreeMap<String, BTreeSet<ResourceId>>> {
        &self.pg_indexed_resources
    }

    /// Ray's `DebugString`: `{CPU: [20000], GPU: [10000, 10000]}` (raw values,
    /// ascending ID order).
    pub fn debug_string(&self) -> String {
        let mut out = String::from("{");
        for (i, (id, instances)) in self.resources.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            id.with_name(|n| out.push_str(n.unwrap_or(UNKNOWN_ID_NAME)));
            out.push_str(": ");
            write_fixed_point_vector(&mut out, instances);
        }
        out.push('}');
        out
    }

    /// Ray's `ToNodeResourceSet`: each stored resource with its summed instances.
    pub fn to_node_resource_set(&self) -> NodeResourceSet {
        let mut set = NodeResourceSet::new();
        for (id, instances) in self.resources.iter() {
            set.set(id, FixedPoint::sum_of(instances));
        }
        set
    }

    /// Ray's `TryAllocate(const ResourceSet&)` with its aborts as errors.
    ///
    /// All or nothing: `Ok(Some(allocation))` takes every demand,
    /// `Ok(None)` takes nothing. A demand on a placement group's wildcard
    /// resource is served from one bundle of the group (the given bundle
    /// index, or the first bundle in ascending ID order that fits), and the
    /// same instances are taken from the wildcard resource.
    ///
    /// `Err` where Ray's `RAY_CHECK` aborts (the demand names several bundle
    /// resources of one original resource but no wildcard, or only wildcards;
    /// the wildcard resource is missing, has a different number of instances
    /// than the bundle, or not enough of them for a non-CPU resource) or where
    /// its `stoi` throws (a bundle index beyond `i32`). On `Err` everything
    /// taken so far is given back, so the set is unchanged.
    pub fn allocate(
        &mut self,
        demands: &ResourceSet,
    ) -> Result<Option<ResourceAllocation>, ResourceError> {
        let mut allocations = ResourceAllocation::new();
        match self.allocate_into(demands, &mut allocations) {
            Ok(true) => Ok(Some(allocations)),
            Ok(false) => {
                self.give_back(&allocations)?;
                Ok(None)
            }
            Err(e) => {
                self.give_back(&allocations)?;
                Err(e)
            }
        }
    }

    /// Ray's `TryAllocate(const ResourceSet&)`: see [`allocate`](Self::allocate).
    ///
    /// # Panics
    ///
    /// Where Ray aborts; see [`allocate`](Self::allocate).
    pub fn try_allocate(&mut self, demands: &ResourceSet) -> Option<ResourceAllocation> {
        or_die(self.allocate(demands))
    }

    fn give_back(&mut self, allocations: &ResourceAllocation) -> Result<(), ResourceError> {
        for (id, taken) in allocations.iter() {
            self.try_free(id, taken)?;
        }
        Ok(())
    }

    /// Allocates `demands` into `allocations`; `Ok(false)` when something
    /// does not fit. The caller gives back what was recorded on failure.
    fn allocate_into(
        &mut self,
        demands: &ResourceSet,
        allocations: &mut ResourceAllocation,
    ) -> Result<bool, ResourceError> {
        // Placement-group demands grouped by original resource.
        let mut pg_demands: BTreeMap<ResourceId, Vec<(ResourceId, PgFormattedResourceData)>> =
            BTreeMap::new();
        for entry in demands.entries() {
            match parse_any_pg(entry.id)? {
                Some(data) => {
                    let original = ResourceId::from_name(&data.original_resource);
                    pg_demands
                        .entry(original)
                        .or_default()
                        .push((entry.id, data));
                }
                None => match self.allocate_one(entry.id, entry.value) {
                    Some(taken) => {
                        allocations.insert(entry.id, taken);
                    }
                    None => return Ok(false),
                },
            }
        }

        for (original, group_demands) in &pg_demands {
            let mut wildcard_allocation: Option<Vec<FixedPoint>> = None;
            let mut wildcard_id: Option<ResourceId> = None;
            if let [(id, data)] = group_demands.as_slice() {
                // No bundle index: the first bundle of the group that fits.
                wildcard_id = Some(*id);
                let demand = demands.get(*id);
                let bundles: Vec<ResourceId> = self
                    .pg_indexed_resources
                    .get(original)
                    .and_then(|groups| groups.get(&data.group_id))
                    .map(|members| members.iter().copied().collect())
                    .unwrap_or_default();
                for bundle in bundles {
                    if !self.has(bundle) {
                        continue;
                    }
                    if let Some(taken) = self.allocate_one(bundle, demand) {
                        allocations.insert(bundle, taken.clone());
                        wildcard_allocation = Some(taken);
                        break;
                    }
                }
                if wildcard_allocation.is_none() {
                    return Ok(false);
                }
            } else {
                // A bundle index: the indexed resource must fit by itself.
                for (id, data) in group_demands {
                    if data.bundle_index == -1 {
                        wildcard_id = Some(*id);
                        continue;
                    }
                    match self.allocate_one(*id, demands.get(*id)) {
                        Some(taken) => {
                            allocations.insert(*id, taken.clone());
                            wildcard_allocation = Some(taken);
                        }
                        None => return Ok(false),
                    }
                }
            }
            let (Some(wildcard_id), Some(reference)) = (wildcard_id, wildcard_allocation) else {
                return Err(ResourceError::MalformedPlacementGroupDemand {
                    original: name_of(*original),
                    has_wildcard: wildcard_id.is_some(),
                });
            };
            self.allocate_with_reference(&reference, wildcard_id)?;
            allocations.insert(wildcard_id, reference);
        }
        Ok(true)
    }

    /// Ray's private `TryAllocate(ResourceID, FixedPoint)`: takes `demand` from
    /// the instances of `id`, or nothing.
    ///
    /// One instance: take from it if it holds enough. Several instances (each
    /// of capacity at most 1): take whole free instances, lowest index first,
    /// while at least 1 is still demanded, then serve the fractional rest from
    /// the instance that fits it most tightly (the first one on ties).
    fn allocate_one(&mut self, id: ResourceId, demand: FixedPoint) -> Option<Vec<FixedPoint>> {
        let mut available = self.get(id).to_vec();
        if available.is_empty() {
            return None;
        }
        let mut allocation = vec![FixedPoint::ZERO; available.len()];

        if let [only] = available.as_mut_slice() {
            if *only < demand {
                return None;
            }
            *only -= demand;
            allocation[0] = demand;
            self.store(id, available);
            return Some(allocation);
        }

        let mut remaining = demand;
        if remaining >= FixedPoint::ONE {
            for (slot, taken) in available.iter_mut().zip(allocation.iter_mut()) {
                if *slot == FixedPoint::ONE {
                    *taken = FixedPoint::ONE;
                    *slot = FixedPoint::ZERO;
                    remaining -= FixedPoint::ONE;
                }
                if remaining < FixedPoint::ONE {
                    break;
                }
            }
        }
        if remaining >= FixedPoint::ONE {
            return None;
        }

        if remaining > FixedPoint::ZERO {
            let mut best: Option<(usize, FixedPoint)> = None;
            for (i, &slot) in available.iter().enumerate() {
                if slot >= remaining {
                    let left = slot - remaining;
                    if best.is_none_or(|(_, best_left)| left < best_left) {
                        best = Some((i, left));
                    }
                }
            }
            let (i, _) = best?;
            allocation[i] = remaining;
            available[i] -= remaining;
        }

        self.store(id, available);
        Some(allocation)
    }

    /// Ray's `AllocateWithReference`: takes exactly `reference` from the
    /// instances of `id` (the wildcard resource mirrors the bundle's
    /// allocation). Only CPU resources may go negative. Nothing changes on
    /// `Err`.
    fn allocate_with_reference(
        &mut self,
        reference: &[FixedPoint],
        id: ResourceId,
    ) -> Result<(), ResourceError> {
        let mut available = self.get(id).to_vec();
        if available.is_empty() {
            return Err(ResourceError::EmptyInstances(name_of(id)));
        }
        check_same_len(id, available.len(), reference.len())?;
        let short = available.iter().zip(reference).any(|(a, r)| a < r);
        if short && !is_cpu_or_placement_group_cpu_resource(id) {
            return Err(ResourceError::InsufficientForReference {
                resource: name_of(id),
                available: fixed_point_vector_to_string(&available),
                requested: fixed_point_vector_to_string(reference),
            });
        }
        for (a, &r) in available.iter_mut().zip(reference) {
            *a -= r;
        }
        self.store(id, available);
        Ok(())
    }

    /// Ray's `Free` as a fallible call: adds `allocation` back instance by
    /// instance. `Err` where Ray aborts: the lengths differ, or both are empty.
    pub fn try_free(
        &mut self,
        id: ResourceId,
        allocation: &[FixedPoint],
    ) -> Result<(), ResourceError> {
        let mut available = self.get(id).to_vec();
        check_same_len(id, allocation.len(), available.len())?;
        for (a, &x) in available.iter_mut().zip(allocation) {
            *a += x;
        }
        self.try_set(id, available).map(|_| ())
    }

    /// Ray's `Free`.
    ///
    /// # Panics
    ///
    /// Where Ray aborts; see [`try_free`](Self::try_free).
    pub fn free(&mut self, id: ResourceId, allocation: &[FixedPoint]) {
        or_die(self.try_free(id, allocation))
    }

    /// Ray's `Add` as a fallible call: adds `instances` to the instances of
    /// `id`, first growing them with zero instances if they are not longer
    /// than `instances`; an unset resource is set to `instances`.
    ///
    /// `Err` where Ray aborts: `id` is implicit, or it is unset and
    /// `instances` is empty.
    pub fn try_add(
        &mut self,
        id: ResourceId,
        instances: &[FixedPoint],
    ) -> Result<(), ResourceError> {
        if id.is_implicit() {
            return Err(ResourceError::ImplicitResource(name_of(id)));
        }
        match self.resources.get_mut(id) {
            None => {
                self.try_set(id, instances.to_vec())?;
            }
            Some(current) => {
                if current.len() <= instances.len() {
                    current.resize(instances.len(), FixedPoint::ZERO);
                }
                for (c, &x) in current.iter_mut().zip(instances) {
                    *c += x;
                }
            }
        }
        Ok(())
    }

    /// Ray's `Add`.
    ///
    /// # Panics
    ///
    /// Where Ray aborts; see [`try_add`](Self::try_add).
    pub fn add(&mut self, id: ResourceId, instances: &[FixedPoint]) {
        or_die(self.try_add(id, instances))
    }

    /// Ray's `Subtract` as a fallible call: subtracts `instances` instance by
    /// instance and returns the underflow.
    ///
    /// With `allow_going_negative`, values simply go down and the underflow
    /// is all zeros. Without it, an instance that is already negative is left
    /// alone and its whole demand is underflow, and an instance that would go
    /// negative stops at zero with the shortfall as underflow.
    ///
    /// `Err` where Ray aborts: the lengths differ, or both are empty.
    pub fn try_subtract(
        &mut self,
        id: ResourceId,
        instances: &[FixedPoint],
        allow_going_negative: bool,
    ) -> Result<Vec<FixedPoint>, ResourceError> {
        let mut available = self.get(id).to_vec();
        check_same_len(id, available.len(), instances.len())?;
        let mut underflow = vec![FixedPoint::ZERO; available.len()];
        for ((a, &x), u) in available
            .iter_mut()
            .zip(instances)
            .zip(underflow.iter_mut())
        {
            if *a < FixedPoint::ZERO {
                if allow_going_negative {
                    *a -= x;
                } else {
                    *u = x;
                }
            } else {
                *a -= x;
                if *a < FixedPoint::ZERO && !allow_going_negative {
                    *u = -*a;
                    *a = FixedPoint::ZERO;
                }
            }
        }
        self.try_set(id, available)?;
        Ok(underflow)
    }

    /// Ray's `Subtract`.
    ///
    /// # Panics
    ///
    /// Where Ray aborts; see [`try_subtract`](Self::try_subtract).
    pub fn subtract(
        &mut self,
        id: ResourceId,
        instances: &[FixedPoint],
        allow_going_negative: bool,
    ) -> Vec<FixedPoint> {
        or_die(self.try_subtract(id, instances, allow_going_negative))
    }
}
