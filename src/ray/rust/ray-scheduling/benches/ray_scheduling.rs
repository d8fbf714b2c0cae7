//! Benchmarks of the hot resource-set operations, for comparison with Ray's
//! absl-based C++ (the target is at most 1.10x C++ per operation).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use ray_scheduling::{
    FixedPoint, NodeResourceInstanceSet, NodeResourceSet, ResourceId, ResourceSet,
};

/// A typical demand: CPU, memory, GPU and two custom resources.
fn demand() -> ResourceSet {
    ResourceSet::from_names([
        ("CPU", 1.0),
        ("memory", 2.0),
        ("GPU", 1.0),
        ("bench_custom_a", 0.5),
        ("bench_custom_b", 3.0),
    ])
}

fn node_total() -> NodeResourceSet {
    NodeResourceSet::from_names([
        ("CPU", 16.0),
        ("memory", 64.0),
        ("GPU", 4.0),
        ("bench_custom_a", 8.0),
        ("bench_custom_b", 8.0),
        ("object_store_memory", 32.0),
    ])
}

fn resource_set_access(c: &mut Criterion) {
    let set = demand();
    let custom = ResourceId::from_name("bench_custom_b");
    let absent = ResourceId::from_name("bench_absent");
    c.bench_function("ResourceSet::get", |b| {
        b.iter(|| black_box(&set).get(black_box(custom)))
    });
    c.bench_function("ResourceSet::has (absent)", |b| {
        b.iter(|| black_box(&set).has(black_box(absent)))
    });
    c.bench_function("ResourceSet::set (update)", |b| {
        let mut s = set.clone();
        b.iter(|| {
            s.set(black_box(custom), black_box(FixedPoint::from_int(2)));
        })
    });
    c.bench_function("ResourceSet::set (insert+remove)", |b| {
        let mut s = set.clone();
        b.iter(|| {
            s.set(black_box(absent), FixedPoint::ONE);
            s.set(black_box(absent), FixedPoint::ZERO);
        })
    });
}

fn resource_set_arithmetic(c: &mut Criterion) {
    let a = demand();
    let b2 = ResourceSet::from_names([("CPU", 2.0), ("GPU", 1.0), ("bench_custom_c", 1.0)]);
    c.bench_function("ResourceSet + ResourceSet", |b| {
        b.iter(|| black_box(&a) + black_box(&b2))
    });
    c.bench_function("ResourceSet - ResourceSet", |b| {
        b.iter(|| black_box(&a) - black_box(&b2))
    });
    c.bench_function("ResourceSet += then -=", |b| {
        let mut s = a.clone();
        b.iter(|| {
            s += black_box(&b2);
            s -= black_box(&b2);
        })
    });
    let big = &a + &a;
    c.bench_function("ResourceSet <=", |b| {
        b.iter(|| black_box(&a).is_subset_of(black_box(&big)))
    });
    let node = node_total();
    c.bench_function("NodeResourceSet >= ResourceSet", |b| {
        b.iter(|| black_box(&node).is_superset_of(black_box(&a)))
    });
}

fn instance_allocation(c: &mut Criterion) {
    let request = demand();
    let mut node = NodeResourceInstanceSet::from_total(&node_total());
    c.bench_function("NodeResourceInstanceSet::try_allocate + free", |b| {
        b.iter(|| {
            if let Some(allocation) = node.try_allocate(black_box(&request)) {
                for (id, taken) in allocation.iter() {
                    node.free(id, taken);
                }
            }
        })
    });

    let pg = "4482dec0faaf5ead891ff1659a9501000000";
    let mut pg_node = NodeResourceInstanceSet::new();
    pg_node.set(
        ResourceId::from_name(&format!("CPU_group_{pg}")),
        vec![FixedPoint::from_int(8)],
    );
    for i in 0..4 {
        pg_node.set(
            ResourceId::from_name(&format!("CPU_group_{i}_{pg}")),
            vec![FixedPoint::from_int(2)],
        );
    }
    let pg_request = ResourceSet::from_names([(format!("CPU_group_{pg}"), 1.0)]);
    c.bench_function(
        "NodeResourceInstanceSet::try_allocate (placement group) + free",
        |b| {
            b.iter(|| {
                if let Some(allocation) = pg_node.try_allocate(black_box(&pg_request)) {
                    for (id, taken) in allocation.iter() {
                        pg_node.free(id, taken);
                    }
                }
            })
        },
    );
}

criterion_group!(
    benches,
    resource_set_access,
    resource_set_arithmetic,
    instance_allocation
);
criterion_main!(benches);
