//! `NodeResourceInstanceSet`: construction, instance bookkeeping, and
//! allocation with and without placement groups. Runs with Ray's default
//! unit-instance configuration (GPU is unit-instance, CPU is not).

use ray_scheduling::{
    fixed_point_vector_from_double as fpv, FixedPoint, NodeResourceInstanceSet, NodeResourceSet,
    ResourceError, ResourceId, ResourceSet, IMPLICIT_RESOURCE_PREFIX,
};

const PG: &str = "4482dec0faaf5ead891ff1659a9501000000";

fn rid(name: &str) -> ResourceId {
    ResourceId::from_name(name)
}

fn implicit(suffix: &str) -> ResourceId {
    rid(&format!("{IMPLICIT_RESOURCE_PREFIX}{suffix}"))
}

fn wildcard(resource: &str) -> ResourceId {
    rid(&format!("{resource}_group_{PG}"))
}

fn bundle(resource: &str, index: usize) -> ResourceId {
    rid(&format!("{resource}_group_{index}_{PG}"))
}

fn cpu2_gpu2() -> NodeResourceInstanceSet {
    NodeResourceInstanceSet::from_total(&NodeResourceSet::from_names([("CPU", 2.0), ("GPU", 2.0)]))
}

fn demand(pairs: &[(ResourceId, f64)]) -> ResourceSet {
    ResourceSet::from_ids(pairs.iter().copied())
}

#[test]
fn construction_from_totals() {
    let set = cpu2_gpu2();
    assert_eq!(set.get(ResourceId::CPU), fpv(&[2.0]));
    assert_eq!(set.get(ResourceId::GPU), fpv(&[1.0, 1.0]));
    // Fractional unit-instance totals round down.
    let set = NodeResourceInstanceSet::from_total(&NodeResourceSet::from_names([("GPU", 2.7)]));
    assert_eq!(set.get(ResourceId::GPU), fpv(&[1.0, 1.0]));
    // Implicit resources are not materialised.
    let total = NodeResourceSet::from_ids([(implicit("ctor"), 0.5)]);
    assert!(NodeResourceInstanceSet::from_total(&total)
        .resources()
        .is_empty());
}

#[test]
fn construction_fails_where_ray_aborts() {
    // Half a GPU would be zero instances, which Ray's Set rejects.
    let total = NodeResourceSet::from_names([("GPU", 0.5)]);
    assert!(matches!(
        NodeResourceInstanceSet::try_from_total(&total),
        Err(ResourceError::EmptyInstances(name)) if name == "GPU"
    ));
    assert!(std::panic::catch_unwind(|| NodeResourceInstanceSet::from_total(&total)).is_err());
}

#[test]
fn has_get_remove_sum() {
    let mut set = cpu2_gpu2();
    assert!(set.has(ResourceId::CPU));
    assert!(!set.has(rid("non-exist")));
    assert!(set.has(implicit("a")));
    assert_eq!(set.get(implicit("a")), fpv(&[1.0]));
    assert!(set.get(rid("non-exist")).is_empty());
    set.remove(ResourceId::GPU);
    assert!(!set.has(ResourceId::GPU));
    set.remove(rid("non-exist"));
    assert!(!set.has(rid("non-exist")));

    let mut set = NodeResourceInstanceSet::new();
    set.set(ResourceId::GPU, fpv(&[1.0, 0.3, 0.5]));
    set.set(implicit("a"), fpv(&[0.7]));
    assert_eq!(set.sum(ResourceId::GPU), FixedPoint::from_double(1.8));
    assert_eq!(set.sum(implicit("a")), FixedPoint::from_double(0.7));
    assert_eq!(set.sum(implicit("b")), FixedPoint::ONE);
    assert_eq!(set.sum(rid("non-exist")), FixedPoint::ZERO);
}

#[test]
fn set_stores_all_but_implicit_defaults() {
    let mut set = NodeResourceInstanceSet::new();
    set.set(ResourceId::CPU, fpv(&[1.0]));
    set.set(implicit("a"), fpv(&[1.0]));
    set.set(implicit("b"), fpv(&[0.5]));
    assert_eq!(set.get(ResourceId::CPU), fpv(&[1.0]));
    assert_eq!(set.get(implicit("b")), fpv(&[0.5]));
    assert_eq!(set.resources().len(), 2);
    assert!(set.try_set(ResourceId::CPU, vec![]).is_err());
    assert_eq!(set.get(ResourceId::CPU), fpv(&[1.0]));
}

#[test]
fn equality_and_conversion() {
    assert_eq!(cpu2_gpu2(), cpu2_gpu2());
    let fewer_gpus = NodeResourceInstanceSet::from_total(&NodeResourceSet::from_names([
        ("CPU", 2.0),
        ("GPU", 1.0),
    ]));
    assert_ne!(cpu2_gpu2(), fewer_gpus);
    assert_eq!(
        cpu2_gpu2().to_node_resource_set(),
        NodeResourceSet::from_names([("CPU", 2.0), ("GPU", 2.0)])
    );
}

#[test]
fn debug_string_lists_raw_instances() {
    assert_eq!(
        cpu2_gpu2().debug_string(),
        "{CPU: [20000], GPU: [10000, 10000]}"
    );
    assert_eq!(NodeResourceInstanceSet::new().debug_string(), "{}");
}

#[test]
fn allocate_single_instance_resource() {
    let mut set = NodeResourceInstanceSet::from_total(&NodeResourceSet::from_names([("CPU", 2.0)]));
    let one_cpu = demand(&[(ResourceId::CPU, 1.0)]);
    let taken = set.try_allocate(&one_cpu);
    assert_eq!(taken.as_ref().map(|a| a.len()), Some(1));
    assert_eq!(
        taken.as_ref().and_then(|a| a.get(ResourceId::CPU)),
        Some(&fpv(&[1.0]))
    );
    assert_eq!(set.get(ResourceId::CPU), fpv(&[1.0]));

    assert!(set
        .try_allocate(&demand(&[(ResourceId::CPU, 2.0)]))
        .is_none());
    assert_eq!(set.get(ResourceId::CPU), fpv(&[1.0]));

    assert!(set.try_allocate(&one_cpu).is_some());
    assert_eq!(set.get(ResourceId::CPU), fpv(&[0.0]));
    // A missing resource cannot be allocated.
    assert!(set
        .try_allocate(&demand(&[(rid("non-exist"), 1.0)]))
        .is_none());
}

#[test]
fn allocate_unit_instances_whole_then_best_fit() {
    let mut set = NodeResourceInstanceSet::from_total(&NodeResourceSet::from_names([("GPU", 4.0)]));
    let gpu = |v: f64| demand(&[(ResourceId::GPU, v)]);
    let take = |set: &mut NodeResourceInstanceSet, v: f64| {
        set.try_allocate(&gpu(v))
            .and_then(|a| a.get(ResourceId::GPU).cloned())
    };

    assert_eq!(take(&mut set, 2.0), Some(fpv(&[1.0, 1.0, 0.0, 0.0])));
    assert_eq!(set.get(ResourceId::GPU), fpv(&[0.0, 0.0, 1.0, 1.0]));
    assert_eq!(take(&mut set, 3.0), None);
    assert_eq!(set.get(ResourceId::GPU), fpv(&[0.0, 0.0, 1.0, 1.0]));
    // Ties go to the first instance.
    assert_eq!(take(&mut set, 0.4), Some(fpv(&[0.0, 0.0, 0.4, 0.0])));
    assert_eq!(set.get(ResourceId::GPU), fpv(&[0.0, 0.0, 0.6, 1.0]));
    // 0.7 only fits the whole instance.
    assert_eq!(take(&mut set, 0.7), Some(fpv(&[0.0, 0.0, 0.0, 0.7])));
    assert_eq!(set.get(ResourceId::GPU), fpv(&[0.0, 0.0, 0.6, 0.3]));
    // 0.3 fits both; the tighter fit wins.
    assert_eq!(take(&mut set, 0.3), Some(fpv(&[0.0, 0.0, 0.0, 0.3])));
    assert_eq!(set.get(ResourceId::GPU), fpv(&[0.0, 0.0, 0.6, 0.0]));
    // 1.5 needs a whole free instance, of which there is none.
    assert_eq!(take(&mut set, 1.5), None);
    assert_eq!(set.get(ResourceId::GPU), fpv(&[0.0, 0.0, 0.6, 0.0]));
}

#[test]
fn allocate_whole_plus_fraction() {
    let mut set = NodeResourceInstanceSet::new();
    set.set(ResourceId::GPU, fpv(&[1.0, 1.0, 0.7, 0.5]));
    let taken = set.try_allocate(&demand(&[(ResourceId::GPU, 1.2)]));
    assert_eq!(
        taken.and_then(|a| a.get(ResourceId::GPU).cloned()),
        Some(fpv(&[1.0, 0.0, 0.0, 0.2]))
    );
    assert_eq!(set.get(ResourceId::GPU), fpv(&[0.0, 1.0, 0.7, 0.3]));
}

#[test]
fn allocate_implicit_resource() {
    let mut set = NodeResourceInstanceSet::new();
    let taken = set.try_allocate(&demand(&[(implicit("alloc"), 0.3)]));
    assert_eq!(
        taken.and_then(|a| a.get(implicit("alloc")).cloned()),
        Some(fpv(&[0.3]))
    );
    assert_eq!(set.get(implicit("alloc")), fpv(&[0.7]));
}

#[test]
fn allocation_is_all_or_nothing() {
    let mut set = cpu2_gpu2();
    let fail = demand(&[
        (ResourceId::CPU, 1.0),
        (ResourceId::GPU, 3.0),
        (implicit("a"), 0.3),
    ]);
    assert!(set.try_allocate(&fail).is_none());
    assert_eq!(set, cpu2_gpu2());

    let ok = demand(&[
        (ResourceId::CPU, 1.0),
        (ResourceId::GPU, 1.0),
        (implicit("a"), 0.3),
    ]);
    let taken = set.try_allocate(&ok);
    assert_eq!(taken.as_ref().map(|a| a.len()), Some(3));
    let taken = taken.unwrap_or_default();
    assert_eq!(taken.get(ResourceId::CPU), Some(&fpv(&[1.0])));
    assert_eq!(taken.get(ResourceId::GPU), Some(&fpv(&[1.0, 0.0])));
    assert_eq!(taken.get(implicit("a")), Some(&fpv(&[0.3])));
    assert_eq!(set.get(ResourceId::CPU), fpv(&[1.0]));
    assert_eq!(set.get(ResourceId::GPU), fpv(&[0.0, 1.0]));
    assert_eq!(set.get(implicit("a")), fpv(&[0.7]));

    for (id, instances) in taken.iter() {
        set.free(id, instances);
    }
    assert_eq!(set, cpu2_gpu2());
}

fn pg_cpu_node() -> NodeResourceInstanceSet {
    let mut set = NodeResourceInstanceSet::new();
    set.set(ResourceId::CPU, fpv(&[1.0]));
    set.set(wildcard("CPU"), fpv(&[4.0]));
    set.set(bundle("CPU", 0), fpv(&[2.0]));
    set.set(bundle("CPU", 1), fpv(&[2.0]));
    set
}

#[test]
fn placement_group_index_follows_set_and_remove() {
    let mut set = pg_cpu_node();
    let groups = set.pg_indexed_resources().get(&ResourceId::CPU);
    let members = groups.and_then(|g| g.get(PG)).cloned().unwrap_or_default();
    assert_eq!(members.len(), 2);
    assert!(members.contains(&bundle("CPU", 0)) && members.contains(&bundle("CPU", 1)));
    set.remove(bundle("CPU", 0));
    set.remove(bundle("CPU", 1));
    assert!(set.pg_indexed_resources().is_empty());
}

#[test]
fn placement_group_with_bundle_index_non_unit() {
    let mut set = pg_cpu_node();
    let ok = demand(&[(wildcard("CPU"), 1.0), (bundle("CPU", 1), 1.0)]);
    let taken = set.try_allocate(&ok).unwrap_or_default();
    assert_eq!(taken.len(), 2);
    assert_eq!(taken.get(wildcard("CPU")), Some(&fpv(&[1.0])));
    assert_eq!(taken.get(bundle("CPU", 1)), Some(&fpv(&[1.0])));
    assert_eq!(set.get(ResourceId::CPU), fpv(&[1.0]));
    assert_eq!(set.get(wildcard("CPU")), fpv(&[3.0]));
    assert_eq!(set.get(bundle("CPU", 0)), fpv(&[2.0]));
    assert_eq!(set.get(bundle("CPU", 1)), fpv(&[1.0]));

    // Bundle 1 has only 1 left, though the group has 3.
    let before = set.clone();
    let fail = demand(&[(wildcard("CPU"), 2.0), (bundle("CPU", 1), 2.0)]);
    assert!(set.try_allocate(&fail).is_none());
    assert_eq!(set, before);
}

fn pg_gpu_node() -> NodeResourceInstanceSet {
    let mut set = NodeResourceInstanceSet::new();
    set.set(ResourceId::GPU, fpv(&[0.0, 0.0, 0.0, 0.0, 1.0]));
    set.set(wildcard("GPU"), fpv(&[1.0, 1.0, 1.0, 1.0, 0.0]));
    set.set(bundle("GPU", 0), fpv(&[1.0, 1.0, 0.0, 0.0, 0.0]));
    set.set(bundle("GPU", 1), fpv(&[0.0, 0.0, 1.0, 1.0, 0.0]));
    set
}

#[test]
fn placement_group_with_bundle_index_unit_instances() {
    let mut set = pg_gpu_node();
    let ok = demand(&[(wildcard("GPU"), 1.0), (bundle("GPU", 1), 1.0)]);
    let taken = set.try_allocate(&ok).unwrap_or_default();
    // The wildcard resource gives up the very instance the bundle gave.
    assert_eq!(
        taken.get(wildcard("GPU")),
        Some(&fpv(&[0.0, 0.0, 1.0, 0.0, 0.0]))
    );
    assert_eq!(taken.get(bundle("GPU", 1)), taken.get(wildcard("GPU")));
    assert_eq!(set.get(ResourceId::GPU), fpv(&[0.0, 0.0, 0.0, 0.0, 1.0]));
    assert_eq!(set.get(wildcard("GPU")), fpv(&[1.0, 1.0, 0.0, 1.0, 0.0]));
    assert_eq!(set.get(bundle("GPU", 0)), fpv(&[1.0, 1.0, 0.0, 0.0, 0.0]));
    assert_eq!(set.get(bundle("GPU", 1)), fpv(&[0.0, 0.0, 0.0, 1.0, 0.0]));

    let before = set.clone();
    let fail = demand(&[(wildcard("GPU"), 2.0), (bundle("GPU", 1), 2.0)]);
    assert!(set.try_allocate(&fail).is_none());
    assert_eq!(set, before);
}

#[test]
fn placement_group_multiple_resources_with_bundle_index() {
    let mut set = pg_cpu_node();
    set.set(ResourceId::GPU, fpv(&[0.0, 0.0, 0.0, 0.0, 1.0]));
    set.set(wildcard("GPU"), fpv(&[1.0, 1.0, 1.0, 1.0, 0.0]));
    set.set(bundle("GPU", 0), fpv(&[1.0, 1.0, 0.0, 0.0, 0.0]));
    set.set(bundle("GPU", 1), fpv(&[0.0, 0.0, 1.0, 1.0, 0.0]));
    let before = set.clone();

    let fail = demand(&[
        (wildcard("CPU"), 1.0),
        (wildcard("GPU"), 3.0),
        (bundle("CPU", 1), 1.0),
        (bundle("GPU", 1), 3.0),
    ]);
    assert!(set.try_allocate(&fail).is_none());
    assert_eq!(set, before);

    let ok = demand(&[
        (wildcard("CPU"), 1.0),
        (wildcard("GPU"), 1.0),
        (bundle("CPU", 1), 1.0),
        (bundle("GPU", 1), 1.0),
    ]);
    let taken = set.try_allocate(&ok).unwrap_or_default();
    assert_eq!(taken.len(), 4);
    assert_eq!(taken.get(wildcard("CPU")), Some(&fpv(&[1.0])));
    assert_eq!(
        taken.get(wildcard("GPU")),
        Some(&fpv(&[0.0, 0.0, 1.0, 0.0, 0.0]))
    );
    assert_eq!(set.get(wildcard("CPU")), fpv(&[3.0]));
    assert_eq!(set.get(bundle("CPU", 1)), fpv(&[1.0]));
    assert_eq!(set.get(wildcard("GPU")), fpv(&[1.0, 1.0, 0.0, 1.0, 0.0]));
    assert_eq!(set.get(bundle("GPU", 1)), fpv(&[0.0, 0.0, 0.0, 1.0, 0.0]));
}

#[test]
fn placement_group_without_bundle_index_picks_first_fitting_bundle() {
    let mut set = NodeResourceInstanceSet::new();
    set.set(ResourceId::CPU, fpv(&[1.0]));
    set.set(wildcard("CPU"), fpv(&[5.0]));
    set.set(bundle("CPU", 0), fpv(&[1.0]));
    set.set(bundle("CPU", 1), fpv(&[2.0]));
    set.set(bundle("CPU", 2), fpv(&[2.0]));

    let taken = set
        .try_allocate(&demand(&[(wildcard("CPU"), 2.0)]))
        .unwrap_or_default();
    assert_eq!(taken.len(), 2);
    assert_eq!(taken.get(wildcard("CPU")), Some(&fpv(&[2.0])));
    // Bundles 1 and 2 both fit; the one with the lower ID is taken.
    let (first, second) = if bundle("CPU", 1) < bundle("CPU", 2) {
        (bundle("CPU", 1), bundle("CPU", 2))
    } else {
        (bundle("CPU", 2), bundle("CPU", 1))
    };
    assert_eq!(taken.get(first), Some(&fpv(&[2.0])));
    assert_eq!(set.get(first), fpv(&[0.0]));
    assert_eq!(set.get(second), fpv(&[2.0]));
    assert_eq!(set.get(bundle("CPU", 0)), fpv(&[1.0]));
    assert_eq!(set.get(wildcard("CPU")), fpv(&[3.0]));

    // 3 is left in the group but no bundle holds 3.
    let before = set.clone();
    assert!(set
        .try_allocate(&demand(&[(wildcard("CPU"), 3.0)]))
        .is_none());
    assert_eq!(set, before);

    // A group without bundles on this node cannot serve anything.
    let other = rid("CPU_group_abcdef");
    assert!(set.try_allocate(&demand(&[(other, 1.0)])).is_none());
}

#[test]
fn placement_group_without_bundle_index_unit_instances() {
    let mut set = NodeResourceInstanceSet::new();
    set.set(ResourceId::GPU, fpv(&[0.0, 0.0, 0.0, 0.0, 0.0, 1.0]));
    set.set(wildcard("GPU"), fpv(&[1.0, 1.0, 1.0, 1.0, 1.0, 0.0]));
    set.set(bundle("GPU", 0), fpv(&[1.0, 0.0, 0.0, 0.0, 0.0, 0.0]));
    set.set(bundle("GPU", 1), fpv(&[0.0, 1.0, 1.0, 0.0, 0.0, 0.0]));
    set.set(bundle("GPU", 2), fpv(&[0.0, 0.0, 0.0, 1.0, 1.0, 0.0]));
    let taken = set
        .try_allocate(&demand(&[(wildcard("GPU"), 2.0)]))
        .unwrap_or_default();
    let first = bundle("GPU", 1).min(bundle("GPU", 2));
    assert_eq!(taken.get(wildcard("GPU")), taken.get(first));
    let expected = if first == bundle("GPU", 1) {
        fpv(&[0.0, 1.0, 1.0, 0.0, 0.0, 0.0])
    } else {
        fpv(&[0.0, 0.0, 0.0, 1.0, 1.0, 0.0])
    };
    assert_eq!(taken.get(wildcard("GPU")), Some(&expected));
    assert_eq!(set.get(first), fpv(&[0.0; 6]));
    assert_eq!(
        set.get(bundle("GPU", 0)),
        fpv(&[1.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    );
}

#[test]
fn malformed_placement_group_demands_are_errors() {
    let mut set = pg_cpu_node();
    let before = set.clone();
    // Two bundles, no wildcard: Ray's RAY_CHECK(wildcard_resource_id != nullptr).
    let no_wildcard = demand(&[(bundle("CPU", 0), 1.0), (bundle("CPU", 1), 1.0)]);
    assert!(matches!(
        set.allocate(&no_wildcard),
        Err(ResourceError::MalformedPlacementGroupDemand { original, has_wildcard: false })
            if original == "CPU"
    ));
    assert_eq!(set, before);
    assert!(std::panic::catch_unwind(move || {
        let mut set = pg_cpu_node();
        set.try_allocate(&no_wildcard)
    })
    .is_err());

    // The wildcard resource is missing on the node.
    let mut set = NodeResourceInstanceSet::new();
    set.set(bundle("GPU", 0), fpv(&[1.0, 1.0]));
    let missing = demand(&[(wildcard("GPU"), 1.0), (bundle("GPU", 0), 1.0)]);
    assert!(matches!(
        set.allocate(&missing),
        Err(ResourceError::EmptyInstances(_))
    ));
    assert_eq!(set.get(bundle("GPU", 0)), fpv(&[1.0, 1.0]));
}

#[test]
fn wildcard_shortfall_is_an_error_except_for_cpu() {
    let mut set = NodeResourceInstanceSet::new();
    set.set(wildcard("GPU"), fpv(&[0.0, 1.0]));
    set.set(bundle("GPU", 0), fpv(&[1.0, 0.0]));
    let request = demand(&[(wildcard("GPU"), 1.0), (bundle("GPU", 0), 1.0)]);
    match set.allocate(&request) {
        Err(ResourceError::InsufficientForReference {
            available,
            requested,
            ..
        }) => {
            assert_eq!(available, "[0, 10000]");
            assert_eq!(requested, "[10000, 0]");
        }
        other => panic!("expected a shortfall error, got {other:?}"),
    }
    assert_eq!(set.get(bundle("GPU", 0)), fpv(&[1.0, 0.0]));

    // CPU wildcards may go negative (ray.get releases CPU temporarily).
    let mut set = NodeResourceInstanceSet::new();
    set.set(wildcard("CPU"), fpv(&[0.5]));
    set.set(bundle("CPU", 0), fpv(&[2.0]));
    let request = demand(&[(wildcard("CPU"), 1.0), (bundle("CPU", 0), 1.0)]);
    assert!(set.try_allocate(&request).is_some());
    assert_eq!(set.get(wildcard("CPU")), fpv(&[-0.5]));
}

#[test]
fn free_adds_back() {
    let mut set = NodeResourceInstanceSet::new();
    set.set(ResourceId::GPU, fpv(&[1.0, 0.3]));
    set.set(implicit("a"), fpv(&[0.4]));
    set.free(ResourceId::GPU, &fpv(&[0.0, 0.7]));
    set.free(implicit("a"), &fpv(&[0.6]));
    assert_eq!(set.get(ResourceId::GPU), fpv(&[1.0, 1.0]));
    // The implicit resource is back at its default and no longer stored.
    assert_eq!(set.resources().len(), 1);
    assert!(matches!(
        set.try_free(ResourceId::GPU, &fpv(&[1.0])),
        Err(ResourceError::LengthMismatch {
            left: 1,
            right: 2,
            ..
        })
    ));
    // Both empty: Ray's Set rejects the empty result.
    assert!(set.try_free(rid("non-exist"), &[]).is_err());
}

#[test]
fn add_grows_or_creates() {
    let mut set = NodeResourceInstanceSet::new();
    set.set(ResourceId::GPU, fpv(&[1.0, 0.3]));
    set.add(ResourceId::GPU, &fpv(&[0.0, 0.3]));
    set.add(rid("new"), &fpv(&[2.0]));
    assert_eq!(set.get(ResourceId::GPU), fpv(&[1.0, 0.6]));
    assert_eq!(set.get(rid("new")), fpv(&[2.0]));
    // More instances than stored: zero instances are appended first.
    set.add(ResourceId::GPU, &fpv(&[0.0, 0.0, 1.0]));
    assert_eq!(set.get(ResourceId::GPU), fpv(&[1.0, 0.6, 1.0]));
    // Fewer: only the leading instances change.
    set.add(ResourceId::GPU, &fpv(&[0.5]));
    assert_eq!(set.get(ResourceId::GPU), fpv(&[1.5, 0.6, 1.0]));
    assert!(matches!(
        set.try_add(implicit("a"), &fpv(&[1.0])),
        Err(ResourceError::ImplicitResource(_))
    ));
    assert!(set.try_add(rid("another_new"), &[]).is_err());
}

#[test]
fn subtract_with_and_without_going_negative() {
    let mut set = NodeResourceInstanceSet::new();
    set.set(ResourceId::GPU, fpv(&[1.0, 1.0]));
    let gpu = ResourceId::GPU;
    assert_eq!(set.subtract(gpu, &fpv(&[0.5, 0.0]), true), fpv(&[0.0, 0.0]));
    assert_eq!(set.get(gpu), fpv(&[0.5, 1.0]));
    assert_eq!(set.subtract(gpu, &fpv(&[1.0, 0.0]), true), fpv(&[0.0, 0.0]));
    assert_eq!(set.get(gpu), fpv(&[-0.5, 1.0]));

    // Without going negative: a negative instance is left alone (the whole
    // demand is underflow), another stops at zero.
    assert_eq!(
        set.subtract(gpu, &fpv(&[0.2, 1.5]), false),
        fpv(&[0.2, 0.5])
    );
    assert_eq!(set.get(gpu), fpv(&[-0.5, 0.0]));
    assert!(matches!(
        set.try_subtract(gpu, &fpv(&[1.0]), false),
        Err(ResourceError::LengthMismatch { .. })
    ));
}
