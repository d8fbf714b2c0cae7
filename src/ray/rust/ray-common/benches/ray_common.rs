//! Criterion benches of ray-common's native Rust API: the same operations the
//! C++ benchmark (src/ray/common/benchmarks) measures through Ray's C++ API, so
//! the cost of the bridge is visible as the difference between the two.
//!
//! Run with `cargo bench -p ray-common` from src/ray/rust; pass a filter, e.g.
//! `cargo bench -p ray-common -- id/TaskId`, to run a subset.

use std::collections::HashSet;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use ray_common::{
    code_as_string, generate_unique_bytes, murmur_hash64a, string_to_code, ActorId, JobId, LeaseId,
    NodeId, ObjectId, PlacementGroupId, RayError, RayId, SourceLocation, StatusCode, TaskId,
    UniqueId, WorkerId,
};

/// Deterministic, non-nil bytes for an ID of `size` bytes.
fn sample_bytes(size: usize, salt: u8) -> Vec<u8> {
    (0..size)
        .map(|i| u8::try_from(i % 251).unwrap_or(0).wrapping_mul(7) ^ salt)
        .collect()
}

/// The operations every ID type shares (Ray's `BaseID<T>`).
fn bench_id_common<T: RayId>(c: &mut Criterion, name: &str) {
    let mut group = c.benchmark_group(format!("id/{name}"));
    let binary = sample_bytes(T::SIZE, 0x5a);
    let hex = T::from_binary(&binary).expect("sample size").hex();
    let id = T::from_binary(&binary).expect("sample size");
    let other = T::from_binary(&sample_bytes(T::SIZE, 0x3c)).expect("sample size");

    group.bench_function("from_binary", |b| {
        b.iter(|| T::from_binary(black_box(&binary)))
    });
    group.bench_function("from_hex", |b| b.iter(|| T::from_hex(black_box(&hex))));
    group.bench_function("hex", |b| b.iter(|| black_box(&id).hex()));
    let mut hex_buf = vec![0u8; 2 * T::SIZE];
    group.bench_function("write_hex", |b| {
        b.iter(|| black_box(&id).write_hex(black_box(&mut hex_buf)))
    });
    group.bench_function("binary", |b| b.iter(|| black_box(&id).as_bytes().to_vec()));
    group.bench_function("ray_hash", |b| b.iter(|| black_box(&id).ray_hash()));
    group.bench_function("is_nil", |b| b.iter(|| black_box(&id).is_nil()));
    group.bench_function("eq", |b| b.iter(|| black_box(&id) == black_box(&other)));

    let members: Vec<T> = (0u8..64)
        .map(|salt| T::from_binary(&sample_bytes(T::SIZE, salt)).expect("sample size"))
        .collect();
    group.bench_function("hash_set_insert_64", |b| {
        b.iter_batched_ref(
            || HashSet::with_capacity(members.len()),
            |set| {
                for member in &members {
                    set.insert(*member);
                }
            },
            BatchSize::SmallInput,
        )
    });
    let set: HashSet<T> = members.iter().copied().collect();
    group.bench_function("hash_set_find", |b| {
        b.iter(|| set.contains(black_box(&members[17])))
    });
    group.finish();
}

fn bench_ids(c: &mut Criterion) {
    bench_id_common::<UniqueId>(c, "UniqueId");
    bench_id_common::<WorkerId>(c, "WorkerId");
    bench_id_common::<NodeId>(c, "NodeId");
    bench_id_common::<JobId>(c, "JobId");
    bench_id_common::<ActorId>(c, "ActorId");
    bench_id_common::<TaskId>(c, "TaskId");
    bench_id_common::<ObjectId>(c, "ObjectId");
    bench_id_common::<PlacementGroupId>(c, "PlacementGroupId");
    bench_id_common::<LeaseId>(c, "LeaseId");
}

fn bench_random(c: &mut Criterion) {
    let mut group = c.benchmark_group("id/random");
    let job = JobId::from_int(7);
    group.bench_function("UniqueId::from_random", |b| b.iter(UniqueId::from_random));
    group.bench_function("ObjectId::from_random", |b| b.iter(ObjectId::from_random));
    group.bench_function("LeaseId::from_random", |b| b.iter(LeaseId::from_random));
    group.bench_function("TaskId::from_random", |b| {
        b.iter(|| TaskId::from_random(black_box(&job)))
    });
    group.bench_function("PlacementGroupId::of", |b| {
        b.iter(|| PlacementGroupId::of(black_box(&job)))
    });
    group.finish();
}

fn bench_derivations(c: &mut Criterion) {
    let mut group = c.benchmark_group("id/derive");
    let job = JobId::from_int(0x0102_0304);
    let driver = TaskId::for_driver_task(&job);
    let actor = ActorId::of_at_time(&job, &driver, 1, 42);
    let task = TaskId::for_normal_task(&job, &driver, 3);
    let actor_task = TaskId::for_actor_task(&job, &driver, 5, &actor);
    let object = ObjectId::from_index(&task, 2).expect("non-zero index");
    let handle = ObjectId::for_actor_handle(&actor);
    let group_id = PlacementGroupId::of(&job);
    let worker = WorkerId::from_binary(&sample_bytes(28, 9)).expect("sample size");
    let lease = LeaseId::from_worker(&worker, 11);

    group.bench_function("JobId::from_int", |b| {
        b.iter(|| JobId::from_int(black_box(0x0102_0304)))
    });
    group.bench_function("JobId::to_int", |b| b.iter(|| black_box(&job).to_int()));
    group.bench_function("ActorId::of", |b| {
        b.iter(|| ActorId::of(black_box(&job), black_box(&driver), black_box(1)))
    });
    group.bench_function("ActorId::of_at_time", |b| {
        b.iter(|| ActorId::of_at_time(black_box(&job), black_box(&driver), 1, black_box(42)))
    });
    group.bench_function("ActorId::nil_from_job", |b| {
        b.iter(|| ActorId::nil_from_job(black_box(&job)))
    });
    group.bench_function("ActorId::job_id", |b| b.iter(|| black_box(&actor).job_id()));
    group.bench_function("TaskId::for_driver_task", |b| {
        b.iter(|| TaskId::for_driver_task(black_box(&job)))
    });
    group.bench_function("TaskId::for_actor_creation_task", |b| {
        b.iter(|| TaskId::for_actor_creation_task(black_box(&actor)))
    });
    group.bench_function("TaskId::for_actor_task", |b| {
        b.iter(|| {
            TaskId::for_actor_task(
                black_box(&job),
                black_box(&driver),
                black_box(5),
                black_box(&actor),
            )
        })
    });
    group.bench_function("TaskId::for_normal_task", |b| {
        b.iter(|| TaskId::for_normal_task(black_box(&job), black_box(&driver), black_box(3)))
    });
    group.bench_function("TaskId::for_execution_attempt", |b| {
        b.iter(|| black_box(&task).for_execution_attempt(black_box(2)))
    });
    group.bench_function("TaskId::actor_id", |b| {
        b.iter(|| black_box(&actor_task).actor_id())
    });
    group.bench_function("TaskId::job_id", |b| {
        b.iter(|| black_box(&actor_task).job_id())
    });
    group.bench_function("TaskId::is_for_actor_creation_task", |b| {
        b.iter(|| black_box(&actor_task).is_for_actor_creation_task())
    });
    group.bench_function("ObjectId::from_index", |b| {
        b.iter(|| ObjectId::from_index(black_box(&task), black_box(2)))
    });
    group.bench_function("ObjectId::task_id", |b| {
        b.iter(|| black_box(&object).task_id())
    });
    group.bench_function("ObjectId::object_index", |b| {
        b.iter(|| black_box(&object).object_index())
    });
    group.bench_function("ObjectId::for_actor_handle", |b| {
        b.iter(|| ObjectId::for_actor_handle(black_box(&actor)))
    });
    group.bench_function("ObjectId::is_actor_id", |b| {
        b.iter(|| black_box(&handle).is_actor_id())
    });
    group.bench_function("ObjectId::to_actor_id", |b| {
        b.iter(|| black_box(&handle).to_actor_id())
    });
    group.bench_function("PlacementGroupId::job_id", |b| {
        b.iter(|| black_box(&group_id).job_id())
    });
    group.bench_function("LeaseId::from_worker", |b| {
        b.iter(|| LeaseId::from_worker(black_box(&worker), black_box(11)))
    });
    group.bench_function("LeaseId::worker_id", |b| {
        b.iter(|| black_box(&lease).worker_id())
    });
    group.bench_function("generate_unique_bytes", |b| {
        b.iter(|| {
            generate_unique_bytes(
                black_box(&job),
                black_box(&driver),
                black_box(3),
                black_box(0),
                black_box(8),
            )
        })
    });
    group.finish();
}

fn bench_murmur(c: &mut Criterion) {
    let mut group = c.benchmark_group("murmur_hash64a");
    for len in [28usize, 64, 1024] {
        let data = sample_bytes(len, 0x11);
        group.bench_function(format!("{len}_bytes"), |b| {
            b.iter(|| murmur_hash64a(black_box(&data), black_box(0)))
        });
    }
    group.finish();
}

fn bench_status(c: &mut Criterion) {
    let mut group = c.benchmark_group("status");
    let message = "object 0123456789abcdef was not found in the local store";
    let error = RayError::not_found(message);
    let located = RayError::io_error(message).with_location(SourceLocation::new("status.cc", 42));
    let rpc = RayError::rpc_error(message, 14);

    group.bench_function("ok", |b| {
        b.iter(|| black_box::<ray_common::Result<()>>(Ok(())))
    });
    group.bench_function("new", |b| {
        b.iter(|| RayError::new(black_box(StatusCode::Invalid), black_box(message)))
    });
    group.bench_function("not_found", |b| {
        b.iter(|| RayError::not_found(black_box(message)))
    });
    group.bench_function("rpc_error", |b| {
        b.iter(|| RayError::rpc_error(black_box(message), black_box(14)))
    });
    group.bench_function("with_location", |b| {
        b.iter(|| {
            RayError::io_error(black_box(message))
                .with_location(SourceLocation::new(black_box("status.cc"), 42))
        })
    });
    group.bench_function("to_string", |b| b.iter(|| black_box(&error).to_string()));
    group.bench_function("to_string_rpc", |b| b.iter(|| black_box(&rpc).to_string()));
    group.bench_function("to_string_located", |b| {
        b.iter(|| black_box(&located).to_string())
    });
    group.bench_function("code", |b| b.iter(|| black_box(&error).code()));
    group.bench_function("message", |b| {
        b.iter(|| black_box(&error).message().to_owned())
    });
    group.bench_function("code_as_string", |b| {
        b.iter(|| code_as_string(black_box(StatusCode::ObjectNotFound.as_raw())))
    });
    group.bench_function("string_to_code_hit", |b| {
        b.iter(|| string_to_code(black_box("ObjectNotFound")))
    });
    group.bench_function("string_to_code_miss", |b| {
        b.iter(|| string_to_code(black_box("NoSuchCodeAnywhere")))
    });
    group.bench_function("append", |b| {
        b.iter_batched(
            || RayError::not_found(message),
            |err| err.append(black_box(" while pinning")),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_ids,
    bench_random,
    bench_derivations,
    bench_murmur,
    bench_status
);
criterion_main!(benches);
