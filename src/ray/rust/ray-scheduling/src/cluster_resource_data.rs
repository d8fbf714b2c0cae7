//! Ray's `cluster_resource_data.h`: a task's resource request, a task's
//! per-instance resources, and a node's total and available resources.
//!
//! Ray's `LabelSelector` is built from protobuf messages; only its plain data
//! model (constraints of key, operator and values) is here, which is all that
//! matching node labels needs. Labels are a plain `BTreeMap`, so
//! `debug_string` lists them in key order (Ray: hash order).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;
use std::time::SystemTime;

use crate::error::ResourceError;
use crate::fixed_point::{fixed_point_vector_to_double, write_fixed_point_vector, FixedPoint};
use crate::id_map::IdMap;
use crate::resource_instance_set::NodeResourceInstanceSet;
use crate::resource_set::{NodeResourceSet, ResourceSet};
use crate::scheduling_ids::{PredefinedResource, ResourceId};
use crate::string_id_map::UNKNOWN_ID_NAME;

/// Ray's `LabelSelectorOperator`, without `LABEL_OPERATOR_UNSPECIFIED`: Ray
/// aborts when it matches a constraint with that operator, so here such a
/// constraint cannot be built ([`TryFrom<i32>`] rejects 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum LabelSelectorOperator {
    /// The node's value must be one of the values (`LABEL_IN`).
    LabelIn = 1,
    /// The node must not have one of the values (`LABEL_NOT_IN`).
    LabelNotIn = 2,
}

impl TryFrom<i32> for LabelSelectorOperator {
    type Error = i32;
    /// The protobuf enum value; unspecified (0) and unknown values are rejected.
    fn try_from(v: i32) -> Result<Self, i32> {
        match v {
            1 => Ok(LabelSelectorOperator::LabelIn),
            2 => Ok(LabelSelectorOperator::LabelNotIn),
            other => Err(other),
        }
    }
}

/// Ray's `LabelConstraint`: a requirement on one node label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelConstraint {
    key: String,
    op: LabelSelectorOperator,
    values: HashSet<String>,
}

impl LabelConstraint {
    /// A constraint on label `key`.
    pub fn new(
        key: impl Into<String>,
        op: LabelSelectorOperator,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        LabelConstraint {
            key: key.into(),
            op,
            values: values.into_iter().map(Into::into).collect(),
        }
    }

    /// Ray's `GetLabelKey`.
    pub fn label_key(&self) -> &str {
        &self.key
    }

    /// Ray's `GetOperator`.
    pub fn operator(&self) -> LabelSelectorOperator {
        self.op
    }

    /// Ray's `GetLabelValues`.
    pub fn label_values(&self) -> &HashSet<String> {
        &self.values
    }
}

/// The constraints of Ray's `LabelSelector`; all must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    constraints: Vec<LabelConstraint>,
}

impl LabelSelector {
    /// A selector that every node satisfies.
    pub fn new() -> Self {
        Self::default()
    }

    /// Ray's `AddConstraint(LabelConstraint)`.
    pub fn add_constraint(&mut self, constraint: LabelConstraint) {
        self.constraints.push(constraint);
    }

    /// Ray's `GetConstraints`.
    pub fn constraints(&self) -> &[LabelConstraint] {
        &self.constraints
    }
}

/// Ray's `ResourceRequest`: the resources a task asks for.
#[derive(Debug, Clone, Default)]
pub struct ResourceRequest {
    resources: ResourceSet,
    requires_object_store_memory: bool,
    label_selector: LabelSelector,
}

impl ResourceRequest {
    /// An empty request.
    pub fn new() -> Self {
        Self::default()
    }

    /// Ray's constructor from a resource map (zero quantities are dropped).
    pub fn from_resources(resources: ResourceSet) -> Self {
        Self::with_options(resources, false, LabelSelector::new())
    }

    /// Ray's full constructor.
    pub fn with_options(
        resources: ResourceSet,
        requires_object_store_memory: bool,
        label_selector: LabelSelector,
    ) -> Self {
        ResourceRequest {
            resources,
            requires_object_store_memory,
            label_selector,
        }
    }

    /// Ray's `RequiresObjectStoreMemory`.
    pub fn requires_object_store_memory(&self) -> bool {
        self.requires_object_store_memory
    }

    /// Ray's `GetResourceSet`.
    pub fn resource_set(&self) -> &ResourceSet {
        &self.resources
    }

    /// Ray's `GetLabelSelector`.
    pub fn label_selector(&self) -> &LabelSelector {
        &self.label_selector
    }

    /// Ray's `SetLabelSelector`.
    pub fn set_label_selector(&mut self, label_selector: LabelSelector) {
        self.label_selector = label_selector;
    }

    /// Ray's `Get`.
    pub fn get(&self, id: ResourceId) -> FixedPoint {
        self.resources.get(id)
    }

    /// Ray's `Set` (zero removes).
    pub fn set(&mut self, id: ResourceId, value: FixedPoint) {
        self.resources.set(id, value);
    }

    /// Ray's `Has`.
    pub fn has(&self, id: ResourceId) -> bool {
        self.resources.has(id)
    }

    /// Ray's `ResourceIds`, ascending.
    pub fn resource_ids(&self) -> impl ExactSizeIterator<Item = ResourceId> + '_ {
        self.resources.resource_ids()
    }

    /// Ray's `ToResourceMap`.
    pub fn to_resource_map(&self) -> HashMap<String, f64> {
        self.resources.get_resource_map()
    }

    /// Ray's `IsEmpty`.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    /// Ray's `Size`.
    pub fn size(&self) -> usize {
        self.resources.size()
    }

    /// Ray's `Clear` (the resources only).
    pub fn clear(&mut self) {
        self.resources.clear();
    }

    /// Ray's `operator<=` on the resources.
    pub fn is_subset_of(&self, other: &ResourceRequest) -> bool {
        self.resources.is_subset_of(&other.resources)
    }

    /// Ray's `operator>=` on the resources.
    pub fn is_superset_of(&self, other: &ResourceRequest) -> bool {
        self.resources.is_superset_of(&other.resources)
    }

    /// Ray's `DebugString`: the resource set's.
    pub fn debug_string(&self) -> String {
        self.resources.debug_string()
    }
}

/// Ray compares the resources only.
impl PartialEq for ResourceRequest {
    fn eq(&self, other: &Self) -> bool {
        self.resources == other.resources
    }
}

impl PartialOrd for ResourceRequest {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        self.resources.partial_cmp(&other.resources)
    }
    fn le(&self, other: &Self) -> bool {
        self.is_subset_of(other)
    }
    fn ge(&self, other: &Self) -> bool {
        self.is_superset_of(other)
    }
}

impl std::ops::AddAssign<&ResourceRequest> for ResourceRequest {
    /// Ray's `operator+=` (resources only; the flags of `self` stay).
    fn add_assign(&mut self, other: &ResourceRequest) {
        self.resources += &other.resources;
    }
}

impl std::ops::SubAssign<&ResourceRequest> for ResourceRequest {
    /// Ray's `operator-=`.
    fn sub_assign(&mut self, other: &ResourceRequest) {
        self.resources -= &other.resources;
    }
}

impl std::ops::Add<&ResourceRequest> for &ResourceRequest {
    type Output = ResourceRequest;
    fn add(self, other: &ResourceRequest) -> ResourceRequest {
        let mut res = self.clone();
        res += other;
        res
    }
}

impl std::ops::Sub<&ResourceRequest> for &ResourceRequest {
    type Output = ResourceRequest;
    fn sub(self, other: &ResourceRequest) -> ResourceRequest {
        let mut res = self.clone();
        res -= other;
        res
    }
}

/// Ray's `TaskResourceInstances`: the per-instance amounts a task holds.
/// Unlike [`ResourceSet`], zero amounts are kept (the number of instances
/// matters); only an empty instance list removes a resource.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskResourceInstances {
    resources: IdMap<Vec<FixedPoint>>,
}

impl TaskResourceInstances {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Ray's constructor from a `ResourceSet`: unit-instance resources become
    /// `floor(value)` instances of 1 (so a fractional or negative amount below
    /// 1 leaves the resource out), others one instance holding the value.
    pub fn from_resource_set(resources: &ResourceSet) -> Self {
        let mut set = TaskResourceInstances::new();
        for entry in resources.entries() {
            let instances = if entry.id.is_unit_instance() {
                // Negative amounts saturate to no instances (undefined in C++).
                vec![FixedPoint::ONE; entry.value.to_double() as usize]
            } else {
                vec![entry.value]
            };
            set.set(entry.id, instances);
        }
        set
    }

    /// Ray's constructor from a map, taken as is (empty lists included).
    pub fn from_map(resources: IdMap<Vec<FixedPoint>>) -> Self {
        TaskResourceInstances { resources }
    }

    /// Ray's `Get` as a fallible call: the instances of `id`, or `Err` if
    /// absent (where Ray aborts).
    pub fn try_get(&self, id: ResourceId) -> Result<&[FixedPoint], ResourceError> {
        self.resources
            .get(id)
            .map(Vec::as_slice)
            .ok_or_else(|| ResourceError::NotFound(id.binary()))
    }

    /// Ray's `Get`.
    ///
    /// # Panics
    ///
    /// If `id` is absent, where Ray aborts with `Resource ID not found <name>`.
    pub fn get(&self, id: ResourceId) -> &[FixedPoint] {
        match self.try_get(id) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    /// Ray's `GetDouble`.
    ///
    /// # Panics
    ///
    /// If `id` is absent, where Ray aborts.
    pub fn get_double(&self, id: ResourceId) -> Vec<f64> {
        fixed_point_vector_to_double(self.get(id))
    }

    /// Ray's `Sum`: zero if absent.
    pub fn sum(&self, id: ResourceId) -> FixedPoint {
        self.resources
            .get(id)
            .map_or(FixedPoint::ZERO, |v| FixedPoint::sum_of(v))
    }

    /// Ray's `GetMutable` as a fallible call.
    pub fn try_get_mut(&mut self, id: ResourceId) -> Result<&mut Vec<FixedPoint>, ResourceError> {
        match self.resources.get_mut(id) {
            Some(v) => Ok(v),
            None => Err(ResourceError::NotFound(id.binary())),
        }
    }

    /// Ray's `GetMutable`.
    ///
    /// # Panics
    ///
    /// If `id` is absent, where Ray aborts.
    pub fn get_mut(&mut self, id: ResourceId) -> &mut Vec<FixedPoint> {
        match self.try_get_mut(id) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    /// Ray's `Has`.
    pub fn has(&self, id: ResourceId) -> bool {
        self.resources.contains(id)
    }

    /// Ray's `Set`: an empty list removes the resource.
    pub fn set(&mut self, id: ResourceId, instances: Vec<FixedPoint>) -> &mut Self {
        if instances.is_empty() {
            self.resources.remove(id);
        } else {
            self.resources.insert(id, instances);
        }
        self
    }

    /// Ray's `Remove`.
    pub fn remove(&mut self, id: ResourceId) {
        self.resources.remove(id);
    }

    /// Ray's `ResourceIds`, ascending.
    pub fn resource_ids(&self) -> impl ExactSizeIterator<Item = ResourceId> + '_ {
        self.resources.keys()
    }

    /// The entries in ascending ID order.
    pub fn resources(&self) -> &IdMap<Vec<FixedPoint>> {
        &self.resources
    }

    /// Ray's `Size`.
    pub fn size(&self) -> usize {
        self.resources.len()
    }

    /// Ray's `IsEmpty`.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    /// Ray's `ToResourceSet`: the summed instances (zero sums drop out).
    pub fn to_resource_set(&self) -> ResourceSet {
        let mut set = ResourceSet::new();
        for (id, instances) in self.resources.iter() {
            set.set(id, FixedPoint::sum_of(instances));
        }
        set
    }

    /// Ray's `DebugString`: `{GPU: [10000, 0]}` (raw values, ascending ID).
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

    /// Ray's `SerializeAsJson`: the predefined resources only, in ID order, as
    /// raw values: a number for pooled resources (the first instance), a list
    /// for unit-instance ones, e.g. `{"CPU":20000,"GPU":[10000, 10000]}`.
    ///
    /// A present resource with no instances (possible via
    /// [`from_map`](Self::from_map)) is written as `[]` even when it is not a
    /// unit-instance resource, where Ray reads out of bounds.
    pub fn serialize_as_json(&self) -> String {
        let mut out = String::from("{");
        let mut first = true;
        for resource in PredefinedResource::ALL {
            let id = ResourceId::from(resource);
            let Some(instances) = self.resources.get(id) else {
                continue;
            };
            if !first {
                out.push(',');
            }
            first = false;
            let _ = write!(out, "\"{}\":", resource.label());
            match instances.first() {
                Some(v) if !id.is_unit_instance() => {
                    let _ = write!(out, "{}", v.raw());
                }
                _ => write_fixed_point_vector(&mut out, instances),
            }
        }
        out.push('}');
        out
    }
}

/// Ray's `NodeResources`: what a node has in total and available.
#[derive(Debug, Clone)]
pub struct NodeResources {
    /// Total capacities.
    pub total: NodeResourceSet,
    /// Available capacities.
    pub available: NodeResourceSet,
    /// Only used by the light resource report.
    pub load: ResourceSet,
    /// Resources held by normal tasks (reported to the GCS scheduler).
    pub normal_task_resources: ResourceSet,
    /// The node's key-value labels.
    pub labels: BTreeMap<String, String>,
    /// How long the node has been idle, from the raylet's report.
    pub idle_resource_duration_ms: i64,
    /// Whether the node is being drained.
    pub is_draining: bool,
    /// When a draining node will be force-killed (0: no deadline; -1: unset).
    pub draining_deadline_timestamp_ms: i64,
    /// When the last resource report arrived.
    pub last_resource_update_time: Option<SystemTime>,
    /// Timestamp of the latest `normal_task_resources` upload.
    pub latest_resources_normal_task_timestamp: i64,
    /// Whether object pulls are queued (the pull manager is at capacity).
    pub object_pulls_queued: bool,
}

impl Default for NodeResources {
    fn default() -> Self {
        NodeResources {
            total: NodeResourceSet::new(),
            available: NodeResourceSet::new(),
            load: ResourceSet::new(),
            normal_task_resources: ResourceSet::new(),
            labels: BTreeMap::new(),
            idle_resource_duration_ms: 0,
            is_draining: false,
            draining_deadline_timestamp_ms: -1,
            last_resource_update_time: None,
            latest_resources_normal_task_timestamp: 0,
            object_pulls_queued: false,
        }
    }
}

impl NodeResources {
    /// Ray's constructor: `resources` as both total and available.
    pub fn from_resources(resources: NodeResourceSet) -> Self {
        NodeResources {
            total: resources.clone(),
            available: resources,
            ..Self::default()
        }
    }

    /// Ray's `CalculateCriticalResourceUtilization`: the highest utilization
    /// among CPU, memory and object store memory, computed with Ray's mix of
    /// `double` and `float` arithmetic.
    pub fn calculate_critical_resource_utilization(&self) -> f32 {
        let mut highest: f32 = 0.0;
        for resource in [
            PredefinedResource::Cpu,
            PredefinedResource::Mem,
            PredefinedResource::ObjectStoreMem,
        ] {
            let id = ResourceId::from(resource);
            let total = self.total.get(id);
            if total == FixedPoint::ZERO {
                continue;
            }
            let mut available = self.available.get(id).to_double();
            if self.normal_task_resources.has(id) {
                available -= self.normal_task_resources.get(id).to_double();
                // `std::max<float>` narrows before comparing.
                available = f64::from((available as f32).max(0.0));
            }
            let utilization = (1.0 - available / total.to_double()) as f32;
            if utilization > highest {
                highest = utilization;
            }
        }
        highest
    }

    /// Ray's `IsAvailable`: the node has the labels and the available
    /// resources (less those held by normal tasks) for `request`, and, unless
    /// ignored, its pull manager is not at capacity for a request that needs
    /// object store memory. Unit-instance bin packing is not considered.
    pub fn is_available(
        &self,
        request: &ResourceRequest,
        ignore_pull_manager_at_capacity: bool,
    ) -> bool {
        if !ignore_pull_manager_at_capacity
            && request.requires_object_store_memory()
            && self.object_pulls_queued
        {
            return false;
        }
        if !self.has_required_labels(request.label_selector()) {
            return false;
        }
        if !self.normal_task_resources.is_empty() {
            let mut available = self.available.clone();
            available -= &self.normal_task_resources;
            return available.is_superset_of(request.resource_set());
        }
        self.available.is_superset_of(request.resource_set())
    }

    /// Ray's `IsFeasible`: the node has the labels and the total resources.
    pub fn is_feasible(&self, request: &ResourceRequest) -> bool {
        self.has_required_labels(request.label_selector())
            && self.total.is_superset_of(request.resource_set())
    }

    /// Ray's `HasRequiredLabels`: every constraint matches.
    pub fn has_required_labels(&self, selector: &LabelSelector) -> bool {
        selector
            .constraints()
            .iter()
            .all(|c| self.node_label_matches_constraint(c))
    }

    /// Ray's `NodeLabelMatchesConstraint`.
    pub fn node_label_matches_constraint(&self, constraint: &LabelConstraint) -> bool {
        let has_value = self
            .labels
            .get(constraint.label_key())
            .is_some_and(|v| constraint.label_values().contains(v));
        match constraint.operator() {
            LabelSelectorOperator::LabelIn => has_value,
            LabelSelectorOperator::LabelNotIn => !has_value,
        }
    }

    /// Ray's `DebugString`, brace quirks included:
    /// `{"total":{CPU: 10000}}, "available": {...}}, "labels":{"k":"v",}, "is_draining": 0, "draining_deadline_timestamp_ms": -1}`.
    pub fn debug_string(&self) -> String {
        let mut out = String::from("{\"total\":");
        out.push_str(&self.total.debug_string());
        out.push_str("}, \"available\": ");
        out.push_str(&self.available.debug_string());
        out.push_str("}, \"labels\":{");
        write_labels(&mut out, &self.labels);
        let _ = write!(
            out,
            "}}, \"is_draining\": {}, \"draining_deadline_timestamp_ms\": {}}}",
            u8::from(self.is_draining),
            self.draining_deadline_timestamp_ms
        );
        out
    }

    /// Ray's `DictString`: the same as [`debug_string`](Self::debug_string).
    pub fn dict_string(&self) -> String {
        self.debug_string()
    }
}

/// Ray compares available, total and labels.
impl PartialEq for NodeResources {
    fn eq(&self, other: &Self) -> bool {
        self.available == other.available
            && self.total == other.total
            && self.labels == other.labels
    }
}

fn write_labels(out: &mut String, labels: &BTreeMap<String, String>) {
    for (k, v) in labels {
        let _ = write!(out, "\"{k}\":\"{v}\",");
    }
}

/// Ray's `NodeResourceInstances`: the local node's per-instance resources.
#[derive(Debug, Clone, Default)]
pub struct NodeResourceInstances {
    /// Available instances.
    pub available: NodeResourceInstanceSet,
    /// Total instances.
    pub total: NodeResourceInstanceSet,
    /// The node's key-value labels.
    pub labels: BTreeMap<String, String>,
}

impl NodeResourceInstances {
    /// Ray's `GetAvailableResourceInstances`.
    pub fn available_resource_instances(&self) -> &NodeResourceInstanceSet {
        &self.available
    }

    /// Ray's `GetTotalResourceInstances`.
    pub fn total_resource_instances(&self) -> &NodeResourceInstanceSet {
        &self.total
    }

    /// Ray's `DebugString`:
    /// `{"total":{...}}, "available": {...}}, "labels":{"k":"v",}`.
    pub fn debug_string(&self) -> String {
        let mut out = String::from("{\"total\":");
        out.push_str(&self.total.debug_string());
        out.push_str("}, \"available\": ");
        out.push_str(&self.available.debug_string());
        out.push_str("}, \"labels\":{");
        write_labels(&mut out, &self.labels);
        out.push('}');
        out
    }
}

/// Ray compares total and available (not labels).
impl PartialEq for NodeResourceInstances {
    fn eq(&self, other: &Self) -> bool {
        self.total == other.total && self.available == other.available
    }
}

/// Ray's `Node`: the scheduler's local view of a remote node.
#[derive(Debug, Clone)]
pub struct Node {
    local_view: NodeResources,
    local_view_modified_ts: Option<SystemTime>,
}

impl Node {
    /// A node with the given view, never modified.
    pub fn new(resources: NodeResources) -> Self {
        Node {
            local_view: resources,
            local_view_modified_ts: None,
        }
    }

    /// Ray's `GetMutableLocalView`: records the modification time.
    pub fn mutable_local_view(&mut self) -> &mut NodeResources {
        self.local_view_modified_ts = Some(SystemTime::now());
        &mut self.local_view
    }

    /// Ray's `GetViewModifiedTs`.
    pub fn view_modified_ts(&self) -> Option<SystemTime> {
        self.local_view_modified_ts
    }

    /// Ray's `GetLocalView`.
    pub fn local_view(&self) -> &NodeResources {
        &self.local_view
    }
}

/// Ray's `ResourceMapToNodeResources`.
pub fn resource_map_to_node_resources<S: AsRef<str>>(
    resource_map_total: impl IntoIterator<Item = (S, f64)>,
    resource_map_available: impl IntoIterator<Item = (S, f64)>,
    node_labels: BTreeMap<String, String>,
) -> NodeResources {
    NodeResources {
        total: NodeResourceSet::from_names(resource_map_total),
        available: NodeResourceSet::from_names(resource_map_available),
        labels: node_labels,
        ..NodeResources::default()
    }
}

/// Ray's `ResourceMapToResourceRequest` for a map of names.
pub fn resource_map_to_resource_request<S: AsRef<str>>(
    resource_map: impl IntoIterator<Item = (S, f64)>,
    requires_object_store_memory: bool,
) -> ResourceRequest {
    ResourceRequest::with_options(
        ResourceSet::from_names(resource_map),
        requires_object_store_memory,
        LabelSelector::new(),
    )
}

/// Ray's `ResourceMapToResourceRequest` for a map of IDs.
pub fn resource_id_map_to_resource_request(
    resource_map: impl IntoIterator<Item = (ResourceId, f64)>,
    requires_object_store_memory: bool,
) -> ResourceRequest {
    ResourceRequest::with_options(
        ResourceSet::from_ids(resource_map),
        requires_object_store_memory,
        LabelSelector::new(),
    )
}
