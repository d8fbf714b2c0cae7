//! Properties: arithmetic laws of resource sets, allocation followed by free
//! restoring the node, and the underflow contract of `Subtract`.

use proptest::prelude::*;
use ray_scheduling::{
    format_double, FixedPoint, NodeResourceInstanceSet, NodeResourceSet, ResourceEntry, ResourceId,
    ResourceSet, IMPLICIT_RESOURCE_PREFIX,
};

const NAMES: [&str; 6] = ["CPU", "GPU", "memory", "prop_a", "prop_b", "prop_c"];

fn resource() -> impl Strategy<Value = ResourceId> {
    (0..NAMES.len()).prop_map(|i| ResourceId::from_name(NAMES[i]))
}

/// Quantities in whole 1/10000 steps, negative ones included.
fn quantity() -> impl Strategy<Value = FixedPoint> {
    (-50_000i64..50_000).prop_map(FixedPoint::from_raw)
}

fn resource_set() -> impl Strategy<Value = ResourceSet> {
    prop::collection::vec((resource(), quantity()), 0..8).prop_map(ResourceSet::from_ids)
}

fn non_negative_set() -> impl Strategy<Value = ResourceSet> {
    prop::collection::vec(
        (resource(), (0i64..50_000).prop_map(FixedPoint::from_raw)),
        0..8,
    )
    .prop_map(ResourceSet::from_ids)
}

fn ids_of(a: &ResourceSet, b: &ResourceSet) -> Vec<ResourceId> {
    let mut ids: Vec<ResourceId> = a.resource_ids().chain(b.resource_ids()).collect();
    ids.sort();
    ids.dedup();
    ids
}

fn well_formed(s: &ResourceSet) -> bool {
    s.entries().windows(2).all(|w| w[0].id < w[1].id)
        && s.entries().iter().all(|e| e.value != FixedPoint::ZERO)
}

proptest! {
    /// Construction from pairs (any order, repeated IDs, zeros and implicit
    /// resources' defaults among them) is `Set` applied to each pair in turn.
    #[test]
    fn construction_is_set_per_pair_in_order(
        pairs in prop::collection::vec(
            (
                prop_oneof![resource(), Just(ResourceId::from_name(&format!("{IMPLICIT_RESOURCE_PREFIX}prop")))],
                prop_oneof![quantity(), Just(FixedPoint::ZERO), Just(FixedPoint::ONE)],
            ),
            0..10,
        )
    ) {
        let mut set = ResourceSet::new();
        let mut node = NodeResourceSet::new();
        for &(id, value) in &pairs {
            set.set(id, value);
            node.set(id, value);
        }
        let built = ResourceSet::from_ids(pairs.iter().copied());
        prop_assert!(well_formed(&built));
        prop_assert_eq!(&built, &set);
        prop_assert_eq!(&built.clone(), &set);
        let built = NodeResourceSet::from_ids(pairs.iter().copied());
        prop_assert_eq!(&built, &node);
        prop_assert_eq!(&built.clone(), &node);
        let entries: Vec<ResourceEntry> =
            pairs.iter().map(|&(id, value)| ResourceEntry::new(id, value)).collect();
        let mut assigned = ResourceSet::from_ids([(ResourceId::CPU, FixedPoint::ONE)]);
        assigned.assign_entries(&entries);
        prop_assert_eq!(&assigned, &set);
        let mut assigned = NodeResourceSet::from_ids([(ResourceId::GPU, FixedPoint::ONE)]);
        assigned.assign_entries(&entries);
        prop_assert_eq!(&assigned, &node);
    }

    #[test]
    fn addition_is_commutative_and_subtraction_inverts_it(a in resource_set(), b in resource_set()) {
        let sum = &a + &b;
        prop_assert_eq!(&sum, &(&b + &a));
        prop_assert_eq!(&(&sum - &b), &a);
        prop_assert!(well_formed(&sum));
        prop_assert!((&a - &a).is_empty());
        for id in ids_of(&a, &b) {
            prop_assert_eq!(sum.get(id), a.get(id) + b.get(id));
        }
        let mut in_place = a.clone();
        in_place += &b;
        prop_assert_eq!(in_place, sum);
    }

    #[test]
    fn addition_is_associative(a in resource_set(), b in resource_set(), c in resource_set()) {
        prop_assert_eq!(&(&a + &b) + &c, &a + &(&b + &c));
    }

    #[test]
    fn subset_matches_its_definition(a in resource_set(), b in resource_set()) {
        let expected = ids_of(&a, &b).into_iter().all(|id| a.get(id) <= b.get(id));
        prop_assert_eq!(a.is_subset_of(&b), expected);
        prop_assert_eq!(b.is_superset_of(&a), expected);
        prop_assert_eq!(a <= b, expected);
    }

    #[test]
    fn adding_non_negative_grows(a in resource_set(), b in non_negative_set()) {
        prop_assert!(a <= &a + &b);
        let both = a <= b && b <= a;
        prop_assert_eq!(both, a == b);
    }

    #[test]
    fn allocate_then_free_restores(
        cpu in 0i64..80_000,
        gpus in prop::collection::vec(0i64..=10_000, 1..6),
        custom in 0i64..30_000,
        want_cpu in 0i64..60_000,
        want_gpu in 0i64..40_000,
        want_custom in 0i64..40_000,
    ) {
        let mut node = NodeResourceInstanceSet::new();
        node.set(ResourceId::CPU, vec![FixedPoint::from_raw(cpu)]);
        node.set(ResourceId::GPU, gpus.iter().copied().map(FixedPoint::from_raw).collect());
        node.set(ResourceId::from_name("prop_a"), vec![FixedPoint::from_raw(custom)]);
        let before = node.clone();
        let demand = ResourceSet::from_ids([
            (ResourceId::CPU, FixedPoint::from_raw(want_cpu)),
            (ResourceId::GPU, FixedPoint::from_raw(want_gpu)),
            (ResourceId::from_name("prop_a"), FixedPoint::from_raw(want_custom)),
        ]);
        match node.try_allocate(&demand) {
            None => prop_assert_eq!(&node, &before),
            Some(allocation) => {
                for entry in demand.entries() {
                    let taken = allocation.get(entry.id).map(|v| FixedPoint::sum_of(v));
                    prop_assert_eq!(taken, Some(entry.value));
                    // Nothing goes negative.
                    prop_assert!(node.get(entry.id).iter().all(|v| *v >= FixedPoint::ZERO));
                }
                for (id, taken) in allocation.iter() {
                    node.free(id, taken);
                }
                prop_assert_eq!(&node, &before);
            }
        }
    }

    #[test]
    fn subtract_underflow(
        available in prop::collection::vec(-20_000i64..20_000, 1..6),
        seed in prop::collection::vec(0i64..30_000, 6),
    ) {
        let id = ResourceId::from_name("prop_b");
        let available: Vec<FixedPoint> = available.into_iter().map(FixedPoint::from_raw).collect();
        let demand: Vec<FixedPoint> =
            seed[..available.len()].iter().copied().map(FixedPoint::from_raw).collect();

        let mut clamped = NodeResourceInstanceSet::new();
        clamped.set(id, available.clone());
        let underflow = clamped.subtract(id, &demand, false);
        for i in 0..available.len() {
            let (a, d, u, after) = (available[i], demand[i], underflow[i], clamped.get(id)[i]);
            if a < FixedPoint::ZERO {
                prop_assert_eq!(u, d);
                prop_assert_eq!(after, a);
            } else {
                prop_assert_eq!(u, (d - a).max(FixedPoint::ZERO));
                prop_assert_eq!(after, (a - d).max(FixedPoint::ZERO));
            }
        }

        let mut negative = NodeResourceInstanceSet::new();
        negative.set(id, available.clone());
        let underflow = negative.subtract(id, &demand, true);
        prop_assert!(underflow.iter().all(|u| *u == FixedPoint::ZERO));
        for i in 0..available.len() {
            prop_assert_eq!(negative.get(id)[i], available[i] - demand[i]);
        }
    }

    #[test]
    fn double_conversion_truncates(raw in -1_000_000_000i64..1_000_000_000) {
        let fp = FixedPoint::from_raw(raw);
        prop_assert_eq!(FixedPoint::from_double(fp.to_double()).raw().abs_diff(raw) <= 1, true);
        prop_assert_eq!(fp.to_double(), raw as f64 / 10000.0);
    }

    #[test]
    fn stream_format_keeps_six_significant_digits(raw in -1_000_000_000_000i64..1_000_000_000_000) {
        let value = FixedPoint::from_raw(raw).to_double();
        let text = format_double(value);
        let parsed: f64 = text.parse().unwrap_or(f64::NAN);
        let tolerance = value.abs() * 5e-6 + f64::MIN_POSITIVE;
        prop_assert!((parsed - value).abs() <= tolerance, "{} printed as {}", value, text);
        prop_assert!(text.trim_start_matches('-').chars().filter(char::is_ascii_digit).count() <= 8);
    }
}
