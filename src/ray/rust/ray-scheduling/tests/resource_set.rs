//! `ResourceSet` and `NodeResourceSet`.

use std::collections::{BTreeSet, HashMap};

use ray_scheduling::{
    FixedPoint, NodeResourceSet, ResourceEntry, ResourceId, ResourceSet, IMPLICIT_RESOURCE_PREFIX,
};

fn rid(name: &str) -> ResourceId {
    ResourceId::from_name(name)
}

fn implicit(suffix: &str) -> ResourceId {
    rid(&format!("{IMPLICIT_RESOURCE_PREFIX}{suffix}"))
}

fn fp(v: f64) -> FixedPoint {
    FixedPoint::from_double(v)
}

fn map(pairs: &[(&str, f64)]) -> HashMap<String, f64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

#[test]
fn zero_quantities_are_dropped() {
    let mut set = ResourceSet::from_names([("CPU", 1.0), ("custom_zero", 0.0), ("GPU", 0.00001)]);
    // 0.00001 truncates to zero, so it is dropped too.
    assert_eq!(set.size(), 1);
    assert!(set.has(ResourceId::CPU));
    assert!(!set.has(rid("custom_zero")));
    set.set(ResourceId::CPU, FixedPoint::ZERO);
    assert!(set.is_empty());
    set.set(ResourceId::GPU, FixedPoint::ZERO);
    assert!(set.is_empty());
}

#[test]
fn get_set_has_and_clear() {
    let mut set = ResourceSet::new();
    assert_eq!(set.get(ResourceId::GPU), FixedPoint::ZERO);
    set.set(ResourceId::GPU, fp(2.5))
        .set(rid("custom1"), fp(-1.0));
    assert_eq!(set.get(ResourceId::GPU), fp(2.5));
    assert_eq!(set.get(rid("custom1")), fp(-1.0));
    assert!(set.has(rid("custom1")));
    assert_eq!(set.len(), 2);
    set.set(ResourceId::GPU, fp(3.0));
    assert_eq!(set.get(ResourceId::GPU), fp(3.0));
    set.clear();
    assert!(set.is_empty());
    assert_eq!(set.size(), 0);
}

#[test]
fn entries_are_sorted_and_laid_out_for_cpp() {
    let set = ResourceSet::from_names([("custom1", 1.0), ("GPU", 2.0), ("CPU", 3.0), ("yes", 4.0)]);
    let ids: Vec<i64> = set.entries().iter().map(|e| e.id.to_int()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    assert_eq!(ids[0], rid("yes").to_int());
    assert_eq!(std::mem::size_of::<ResourceEntry>(), 16);
    assert_eq!(std::mem::align_of::<ResourceEntry>(), 8);
    assert_eq!(
        set.entries()[1],
        ResourceEntry::new(ResourceId::CPU, FixedPoint::from_raw(30000))
    );
    let resource_ids: Vec<ResourceId> = set.resource_ids().collect();
    assert_eq!(resource_ids.len(), 4);
    assert_eq!(set.resources(), set.entries());
}

#[test]
fn constructors_agree() {
    let by_name = ResourceSet::from_names([("CPU", fp(1.0)), ("custom1", fp(2.0))]);
    let by_name_f64 = ResourceSet::from_names([("CPU", 1.0), ("custom1", 2.0)]);
    let by_id = ResourceSet::from_ids([(ResourceId::CPU, 1.0), (rid("custom1"), 2.0)]);
    let by_id_fp: ResourceSet = [(ResourceId::CPU, fp(1.0)), (rid("custom1"), fp(2.0))]
        .into_iter()
        .collect();
    assert_eq!(by_name, by_name_f64);
    assert_eq!(by_name, by_id);
    assert_eq!(by_name, by_id_fp);
    assert!(ResourceSet::nil().is_empty());
}

#[test]
fn addition_and_subtraction() {
    let cpu_custom = ResourceSet::from_names([("CPU", 1.0), ("custom1", 2.0)]);
    let other = ResourceSet::from_names([("CPU", -1.0), ("custom2", 2.0)]);
    let sum = &cpu_custom + &other;
    assert_eq!(
        sum.get_resource_map(),
        map(&[("custom1", 2.0), ("custom2", 2.0)])
    );
    let mut sum2 = cpu_custom.clone();
    sum2 += &other;
    assert_eq!(sum2, sum);

    let diff = &cpu_custom - &other;
    assert_eq!(
        diff.get_resource_map(),
        map(&[("CPU", 2.0), ("custom1", 2.0), ("custom2", -2.0)])
    );
    let mut diff2 = cpu_custom.clone();
    diff2 -= &other;
    assert_eq!(diff2, diff);
    assert_eq!(cpu_custom.clone() - cpu_custom.clone(), ResourceSet::new());
    assert_eq!(cpu_custom.clone() + ResourceSet::new(), cpu_custom);
}

#[test]
fn subset_and_superset() {
    let a = ResourceSet::from_names([("CPU", 1.0), ("custom1", 2.0)]);
    let mut b = a.clone();
    assert!(a.is_subset_of(&b));
    assert!(b.is_subset_of(&a));
    assert!(a.is_superset_of(&b));
    b.set(ResourceId::CPU, fp(2.0));
    assert_ne!(a, b);
    assert!(a.is_subset_of(&b));
    assert!(b.is_superset_of(&a));
    assert!(!b.is_subset_of(&a));
    b.set(rid("custom2"), fp(2.0));
    assert!(a.is_subset_of(&b));
    assert!(b.is_superset_of(&a));
    b.set(rid("custom1"), fp(1.0));
    assert!(!a.is_subset_of(&b));
    assert!(!b.is_superset_of(&a));
    assert_eq!(a.partial_cmp(&b), None);

    // Absent counts as zero on both sides.
    let negative = ResourceSet::from_names([("custom1", -2.0)]);
    let empty = ResourceSet::new();
    assert!(negative.is_subset_of(&empty));
    assert!(empty.is_superset_of(&negative));
    assert!(!empty.is_subset_of(&negative));
    assert!(!negative.is_superset_of(&empty));
    assert!(empty.is_subset_of(&empty));
    assert_eq!(
        empty.partial_cmp(&negative),
        Some(std::cmp::Ordering::Greater)
    );
}

#[test]
fn comparison_operators_are_subset_and_superset() {
    let small = ResourceSet::from_names([("CPU", 1.0)]);
    let big = ResourceSet::from_names([("CPU", 2.0)]);
    assert!(small <= big);
    assert!(big >= small);
    assert!(small < big);
    assert!(big > small);
    assert!(small <= small.clone());
}

#[test]
fn debug_string_streams_doubles() {
    assert_eq!(ResourceSet::new().debug_string(), "{}");
    let set = ResourceSet::from_names([("CPU", 1.5)]);
    assert_eq!(set.debug_string(), "{CPU: 1.5}");
    let set = ResourceSet::from_names([("CPU", 2.0), ("GPU", 0.25), ("memory", 1234567.0)]);
    assert_eq!(
        set.debug_string(),
        "{CPU: 2, memory: 1.23457e+06, GPU: 0.25}"
    );
    let set = ResourceSet::from_names([("object_store_memory", 0.0001)]);
    assert_eq!(set.debug_string(), "{object_store_memory: 0.0001}");
}

#[test]
fn resource_maps() {
    let set = ResourceSet::from_names([("CPU", 1.0), ("custom1", 0.5)]);
    assert_eq!(
        set.get_resource_map(),
        map(&[("CPU", 1.0), ("custom1", 0.5)])
    );
    assert_eq!(set.get_resource_unordered_map(), set.get_resource_map());
}

#[test]
fn node_set_defaults() {
    let mut node = NodeResourceSet::new();
    assert_eq!(node.get(rid("non-exist")), FixedPoint::ZERO);
    assert_eq!(node.get(implicit("a")), FixedPoint::ONE);
    node.set(rid("exist"), fp(1.0));
    assert_eq!(node.get(rid("exist")), fp(1.0));
    node.set(implicit("b"), fp(0.5));
    assert_eq!(node.get(implicit("b")), fp(0.5));
    // Setting the default removes the entry.
    node.set(rid("exist"), FixedPoint::ZERO);
    node.set(implicit("b"), FixedPoint::ONE);
    assert!(node.get_resource_map().is_empty());
    assert!(node.entries().is_empty());
    // An implicit resource set to 0 is stored.
    node.set(implicit("c"), FixedPoint::ZERO);
    assert_eq!(node.entries().len(), 1);
    assert!(!node.has(implicit("c")));
}

#[test]
fn node_set_has() {
    let mut node = NodeResourceSet::new();
    assert!(!node.has(rid("non-exist")));
    assert!(node.has(implicit("a")));
    node.set(rid("exist"), fp(1.0));
    assert!(node.has(rid("exist")));
    node.set(rid("negative"), fp(-1.0));
    assert!(node.has(rid("negative")));
}

#[test]
fn node_set_remove_negative() {
    let mut node =
        NodeResourceSet::from_names([("CPU", -1.0), ("custom1", 2.0), ("custom2", -2.0)]);
    node.set(implicit("neg"), fp(-0.5));
    node.remove_negative();
    assert_eq!(node.get_resource_map(), map(&[("custom1", 2.0)]));
    // The implicit resource is back at its default.
    assert_eq!(node.get(implicit("neg")), FixedPoint::ONE);
}

#[test]
fn node_set_subtract_and_superset() {
    let mut node = NodeResourceSet::from_names([("CPU", 1.0), ("custom1", 2.0), ("custom2", 2.0)]);
    node -= &ResourceSet::from_names([("custom1", 1.0), ("custom2", 2.0)]);
    assert_eq!(
        node,
        NodeResourceSet::from_names([("CPU", 1.0), ("custom1", 1.0)])
    );
    // Subtraction may go negative, and starts from the default.
    node -= &ResourceSet::from_names([("custom3", 1.0)]);
    node -= &ResourceSet::from_ids([(implicit("x"), 0.25)]);
    assert_eq!(node.get(rid("custom3")), fp(-1.0));
    assert_eq!(node.get(implicit("x")), fp(0.75));

    let node = NodeResourceSet::from_names([("CPU", 1.0), ("custom1", 2.0), ("custom2", 2.0)]);
    let fits = ResourceSet::from_names([
        ("CPU".to_string(), 1.0),
        ("custom1".to_string(), 1.0),
        ("custom3".to_string(), 0.0),
        (format!("{IMPLICIT_RESOURCE_PREFIX}a"), 0.5),
    ]);
    let too_much = ResourceSet::from_names([("CPU", 1.0), ("custom1", 1.0), ("custom3", 0.5)]);
    assert!(node.is_superset_of(&fits));
    assert!(!node.is_superset_of(&too_much));
    assert!(node.is_superset_of(&ResourceSet::from_names([("custom9", -1.0)])));
}

#[test]
fn node_set_explicit_ids_and_debug_string() {
    let node = NodeResourceSet::from_names([
        ("CPU".to_string(), 1.0),
        ("custom1".to_string(), 2.0),
        (format!("{IMPLICIT_RESOURCE_PREFIX}a"), 0.5),
    ]);
    assert_eq!(
        node.explicit_resource_ids(),
        BTreeSet::from([ResourceId::CPU, rid("custom1")])
    );
    // Node sets stream the raw fixed-point values.
    let node = NodeResourceSet::from_names([("CPU", 1.0), ("GPU", 0.5)]);
    assert_eq!(node.debug_string(), "{CPU: 10000, GPU: 5000}");
    assert_eq!(NodeResourceSet::new().debug_string(), "{}");
}

#[test]
fn node_set_equality_ignores_defaults() {
    let a = NodeResourceSet::from_ids([(ResourceId::CPU, 1.0), (rid("zero"), 0.0)]);
    let b = NodeResourceSet::from_ids([(ResourceId::CPU, fp(1.0)), (implicit("d"), fp(1.0))]);
    assert_eq!(a, b);
    assert_ne!(a, NodeResourceSet::new());
}
