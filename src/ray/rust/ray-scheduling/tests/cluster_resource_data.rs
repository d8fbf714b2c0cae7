//! `ResourceRequest`, `TaskResourceInstances`, `NodeResources` and
//! `NodeResourceInstances`. Runs with Ray's default unit-instance
//! configuration (GPU is unit-instance, CPU is not).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use ray_scheduling::{
    fixed_point_vector_from_double as fpv, resource_id_map_to_resource_request,
    resource_map_to_node_resources, resource_map_to_resource_request, FixedPoint, IdMap,
    LabelConstraint, LabelSelector, LabelSelectorOperator, Node, NodeResourceInstanceSet,
    NodeResourceInstances, NodeResourceSet, NodeResources, ResourceError, ResourceId,
    ResourceRequest, ResourceSet, TaskResourceInstances,
};

fn rid(name: &str) -> ResourceId {
    ResourceId::from_name(name)
}

fn fp(v: f64) -> FixedPoint {
    FixedPoint::from_double(v)
}

fn request(pairs: &[(ResourceId, f64)]) -> ResourceRequest {
    ResourceRequest::from_resources(ResourceSet::from_ids(pairs.iter().copied()))
}

#[test]
fn request_basics() {
    let (cpu, gpu, c1, c2) = (
        ResourceId::CPU,
        ResourceId::GPU,
        rid("custom1"),
        rid("custom2"),
    );
    let mut req = request(&[(cpu, 1.0), (c1, 2.0)]);
    assert!(req.has(cpu) && req.has(c1) && !req.has(gpu) && !req.has(c2));
    assert_eq!(req.get(cpu), fp(1.0));
    assert_eq!(req.get(c1), fp(2.0));
    assert_eq!(req.get(gpu), FixedPoint::ZERO);
    assert_eq!(req.size(), 2);
    assert!(!req.is_empty());
    let ids: BTreeSet<ResourceId> = req.resource_ids().collect();
    assert_eq!(ids, BTreeSet::from([cpu, c1]));

    req.set(gpu, fp(1.0));
    req.set(c2, fp(2.0));
    assert!(req.has(gpu) && req.has(c2));
    req.set(cpu, FixedPoint::ZERO);
    req.set(c1, FixedPoint::ZERO);
    assert!(!req.has(cpu) && !req.has(c1));
    req.clear();
    assert_eq!(req.size(), 0);
    assert!(req.is_empty());
    assert!(!ResourceRequest::new().requires_object_store_memory());
}

#[test]
fn request_comparisons() {
    let (cpu, c1, c2) = (ResourceId::CPU, rid("custom1"), rid("custom2"));
    let r1 = request(&[(cpu, 1.0), (c1, 2.0)]);
    let mut r2 = r1.clone();
    assert_eq!(r1, r2);
    assert!(r1.is_subset_of(&r2));
    assert!(r2.is_subset_of(&r1));
    assert!(r1.is_superset_of(&r2));
    r2.set(cpu, fp(2.0));
    assert_ne!(r1, r2);
    assert!(r1 <= r2);
    assert!(r2 >= r1);
    r2.set(c2, fp(2.0));
    assert!(r1.is_subset_of(&r2));
    assert!(r2.is_superset_of(&r1));
    r2.set(c1, fp(1.0));
    assert!(!r1.is_subset_of(&r2));
    assert!(!r2.is_superset_of(&r1));

    let negative = request(&[(c1, -2.0)]);
    let empty = ResourceRequest::new();
    assert_ne!(negative, empty);
    assert!(negative.is_subset_of(&empty));
    assert!(empty.is_superset_of(&negative));
    assert!(!empty.is_subset_of(&negative));
    assert!(!negative.is_superset_of(&empty));
}

#[test]
fn request_arithmetic_and_strings() {
    let (cpu, c1, c2) = (ResourceId::CPU, rid("custom1"), rid("custom2"));
    let r1 = request(&[(cpu, 1.0), (c1, 2.0)]);
    let r2 = request(&[(cpu, -1.0), (c2, 2.0)]);
    let expected: HashMap<String, f64> =
        HashMap::from([("custom1".into(), 2.0), ("custom2".into(), 2.0)]);
    assert_eq!((&r1 + &r2).to_resource_map(), expected);
    let mut r3 = r1.clone();
    r3 += &r2;
    assert_eq!(r3.to_resource_map(), expected);

    let expected: HashMap<String, f64> = HashMap::from([
        ("CPU".into(), 2.0),
        ("custom1".into(), 2.0),
        ("custom2".into(), -2.0),
    ]);
    assert_eq!((&r1 - &r2).to_resource_map(), expected);
    let mut r4 = r1.clone();
    r4 -= &r2;
    assert_eq!(r4.to_resource_map(), expected);
    assert_eq!(request(&[(cpu, 0.5)]).debug_string(), "{CPU: 0.5}");
}

#[test]
fn request_from_maps() {
    let by_name = resource_map_to_resource_request([("CPU", 1.0), ("custom1", 0.0)], true);
    assert!(by_name.requires_object_store_memory());
    assert_eq!(by_name.size(), 1);
    let by_id = resource_id_map_to_resource_request([(ResourceId::CPU, 1.0)], false);
    assert_eq!(by_name, by_id);
    assert!(!by_id.requires_object_store_memory());
}

#[test]
fn task_instances_from_resource_set() {
    let set = ResourceSet::from_ids([(ResourceId::CPU, 5.0), (ResourceId::GPU, 5.0)]);
    let mut task = TaskResourceInstances::from_resource_set(&set);
    let c1 = rid("custom1");
    assert!(task.has(ResourceId::CPU) && task.has(ResourceId::GPU) && !task.has(c1));
    assert_eq!(task.get(ResourceId::CPU), fpv(&[5.0]));
    assert_eq!(task.get(ResourceId::GPU), fpv(&[1.0; 5]));
    assert_eq!(task.get_double(ResourceId::GPU), vec![1.0; 5]);

    task.set(c1, fpv(&[1.0]));
    assert_eq!(task.get(c1), fpv(&[1.0]));
    task.set(c1, fpv(&[2.0]));
    assert_eq!(task.get(c1), fpv(&[2.0]));
    task.remove(c1);
    assert!(!task.has(c1));
    let ids: BTreeSet<ResourceId> = task.resource_ids().collect();
    assert_eq!(ids, BTreeSet::from([ResourceId::CPU, ResourceId::GPU]));
    assert_eq!(task.size(), 2);
    assert!(!task.is_empty());
    assert_eq!(task.sum(ResourceId::CPU), fp(5.0));
    assert_eq!(task.sum(ResourceId::GPU), fp(5.0));
    assert_eq!(task.sum(c1), FixedPoint::ZERO);
    assert_eq!(task.to_resource_set(), set);
}

#[test]
fn task_instances_edge_cases() {
    // Half a GPU is no instance at all, so the GPU is left out.
    let task =
        TaskResourceInstances::from_resource_set(&ResourceSet::from_ids([(ResourceId::GPU, 0.5)]));
    assert!(task.is_empty());
    assert!(matches!(
        task.try_get(ResourceId::GPU),
        Err(ResourceError::NotFound(name)) if name == "GPU"
    ));
    let panic = std::panic::catch_unwind(|| task.get(ResourceId::GPU).len());
    assert!(panic.is_err());

    // Zero amounts are kept; an empty list removes.
    let mut task = TaskResourceInstances::new();
    task.set(ResourceId::GPU, fpv(&[0.0, 0.0]));
    assert!(task.has(ResourceId::GPU));
    assert!(task.to_resource_set().is_empty());
    task.get_mut(ResourceId::GPU)[1] = fp(1.0);
    assert_eq!(task.get(ResourceId::GPU), fpv(&[0.0, 1.0]));
    assert!(task.try_get_mut(rid("absent_task_resource")).is_err());
    task.set(ResourceId::GPU, vec![]);
    assert!(!task.has(ResourceId::GPU));

    let from_map: IdMap<Vec<FixedPoint>> = [(ResourceId::CPU, fpv(&[2.0]))].into_iter().collect();
    assert_eq!(
        TaskResourceInstances::from_map(from_map),
        TaskResourceInstances::from_resource_set(&ResourceSet::from_ids([(ResourceId::CPU, 2.0)]))
    );
}

#[test]
fn task_instances_strings() {
    let set = ResourceSet::from_ids([
        (ResourceId::CPU, 2.0),
        (ResourceId::GPU, 2.0),
        (rid("custom1"), 1.0),
    ]);
    let task = TaskResourceInstances::from_resource_set(&set);
    // Only predefined resources, raw values, a list for unit-instance ones.
    assert_eq!(
        task.serialize_as_json(),
        "{\"CPU\":20000,\"GPU\":[10000, 10000]}"
    );
    assert_eq!(TaskResourceInstances::new().serialize_as_json(), "{}");
    let memory_only = TaskResourceInstances::from_resource_set(&ResourceSet::from_ids([(
        ResourceId::MEMORY,
        3.0,
    )]));
    assert_eq!(memory_only.serialize_as_json(), "{\"memory\":30000}");
    assert_eq!(memory_only.debug_string(), "{memory: [30000]}");
    assert_eq!(TaskResourceInstances::new().debug_string(), "{}");
}

fn node(total: &[(&str, f64)], available: &[(&str, f64)]) -> NodeResources {
    resource_map_to_node_resources(
        total.iter().copied(),
        available.iter().copied(),
        BTreeMap::new(),
    )
}

#[test]
fn node_resources_availability_and_feasibility() {
    let mut n = node(&[("CPU", 4.0), ("GPU", 2.0)], &[("CPU", 1.0), ("GPU", 2.0)]);
    let two_cpus = request(&[(ResourceId::CPU, 2.0)]);
    assert!(!n.is_available(&two_cpus, false));
    assert!(n.is_feasible(&two_cpus));
    assert!(!n.is_feasible(&request(&[(ResourceId::CPU, 5.0)])));
    assert!(n.is_available(&request(&[(ResourceId::GPU, 2.0)]), false));

    // Resources held by normal tasks are not available.
    n.normal_task_resources = ResourceSet::from_ids([(ResourceId::GPU, 1.0)]);
    assert!(!n.is_available(&request(&[(ResourceId::GPU, 2.0)]), false));
    assert!(n.is_available(&request(&[(ResourceId::GPU, 1.0)]), false));

    // A full pull manager blocks requests that need object store memory.
    n.object_pulls_queued = true;
    let needs_store = ResourceRequest::with_options(
        ResourceSet::from_ids([(ResourceId::CPU, 1.0)]),
        true,
        LabelSelector::new(),
    );
    assert!(!n.is_available(&needs_store, false));
    assert!(n.is_available(&needs_store, true));
    assert!(n.is_available(&request(&[(ResourceId::CPU, 1.0)]), false));
}

#[test]
fn node_resources_labels() {
    let mut n = NodeResources::from_resources(NodeResourceSet::from_names([("CPU", 1.0)]));
    n.labels.insert("region".into(), "us-west".into());
    let mut selector = LabelSelector::new();
    selector.add_constraint(LabelConstraint::new(
        "region",
        LabelSelectorOperator::LabelIn,
        ["us-west", "us-east"],
    ));
    assert!(n.has_required_labels(&selector));
    selector.add_constraint(LabelConstraint::new(
        "gpu",
        LabelSelectorOperator::LabelNotIn,
        ["a100"],
    ));
    assert!(n.has_required_labels(&selector));
    let mut req = request(&[(ResourceId::CPU, 1.0)]);
    req.set_label_selector(selector.clone());
    assert!(n.is_available(&req, false) && n.is_feasible(&req));

    n.labels.insert("gpu".into(), "a100".into());
    assert!(!n.has_required_labels(&selector));
    assert!(!n.is_available(&req, false) && !n.is_feasible(&req));
    let missing_key = LabelConstraint::new("zone", LabelSelectorOperator::LabelIn, ["z1"]);
    assert!(!n.node_label_matches_constraint(&missing_key));
    assert_eq!(LabelSelectorOperator::try_from(0), Err(0));
    assert_eq!(
        LabelSelectorOperator::try_from(2),
        Ok(LabelSelectorOperator::LabelNotIn)
    );
}

#[test]
fn node_resources_utilization() {
    let mut n = node(
        &[
            ("CPU", 4.0),
            ("memory", 10.0),
            ("object_store_memory", 8.0),
            ("GPU", 1.0),
        ],
        &[
            ("CPU", 3.0),
            ("memory", 5.0),
            ("object_store_memory", 8.0),
            ("GPU", 0.0),
        ],
    );
    // Memory is the most used (50%); GPU is not considered.
    assert_eq!(n.calculate_critical_resource_utilization(), 0.5);
    n.normal_task_resources = ResourceSet::from_ids([(ResourceId::CPU, 3.5)]);
    assert_eq!(n.calculate_critical_resource_utilization(), 1.0);
    assert_eq!(
        NodeResources::default().calculate_critical_resource_utilization(),
        0.0
    );
}

#[test]
fn node_resources_equality_and_strings() {
    let mut n = node(&[("CPU", 2.0)], &[("CPU", 1.0)]);
    assert_eq!(
        n.debug_string(),
        "{\"total\":{CPU: 20000}}, \"available\": {CPU: 10000}}, \"labels\":{}, \
         \"is_draining\": 0, \"draining_deadline_timestamp_ms\": -1}"
    );
    n.labels.insert("k".into(), "v".into());
    n.is_draining = true;
    n.draining_deadline_timestamp_ms = 5;
    assert_eq!(
        n.dict_string(),
        "{\"total\":{CPU: 20000}}, \"available\": {CPU: 10000}}, \"labels\":{\"k\":\"v\",}, \
         \"is_draining\": 1, \"draining_deadline_timestamp_ms\": 5}"
    );
    let mut m = node(&[("CPU", 2.0)], &[("CPU", 1.0)]);
    assert_ne!(n, m);
    m.labels.insert("k".into(), "v".into());
    // Draining state is not compared.
    assert_eq!(n, m);
    assert_eq!(NodeResources::default().draining_deadline_timestamp_ms, -1);
}

#[test]
fn node_resource_instances() {
    let total = NodeResourceSet::from_names([("CPU", 2.0), ("GPU", 1.0)]);
    let mut a = NodeResourceInstances {
        total: NodeResourceInstanceSet::from_total(&total),
        available: NodeResourceInstanceSet::from_total(&total),
        labels: BTreeMap::new(),
    };
    assert_eq!(
        a.debug_string(),
        "{\"total\":{CPU: [20000], GPU: [10000]}}, \"available\": {CPU: [20000], GPU: [10000]}}, \"labels\":{}"
    );
    let b = a.clone();
    a.labels.insert("k".into(), "v".into());
    // Labels are not compared.
    assert_eq!(a, b);
    assert_eq!(a.available_resource_instances(), &a.available);
    assert_eq!(a.total_resource_instances(), &a.total);
    a.available.set(ResourceId::CPU, fpv(&[1.0]));
    assert_ne!(a, b);
}

#[test]
fn node_view_tracks_modification() {
    let mut view = Node::new(NodeResources::default());
    assert!(view.view_modified_ts().is_none());
    view.mutable_local_view().is_draining = true;
    assert!(view.view_modified_ts().is_some());
    assert!(view.local_view().is_draining);
}
