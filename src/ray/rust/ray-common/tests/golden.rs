//! Checks ray-common against golden vectors computed by Ray's own C++ code.
//!
//! `RAY_GOLDEN_FILES` (comma-separated paths) adds further vector files of
//! the same schema to the main-file check.

use std::collections::BTreeMap;
use std::path::Path;

use ray_common::{
    code_as_string, compute_driver_id_from_job, format_status, generate_unique_bytes,
    murmur_hash64a, sha256, status_string, string_to_code, ActorClassId, ActorId, ClusterId,
    ConfigId, FunctionId, IdError, JobId, LeaseId, NodeId, ObjectId, PlacementGroupId, RayError,
    RayId, SourceLocation, StatusCode, TaskId, UniqueId, WorkerId, GCS_NODE_ID,
    OBJECT_ID_INDEX_SIZE_BITS, UNIQUE_ID_SIZE,
};
use ray_test_utils::{golden_dir, load_golden, GoldenExt};
use serde_json::Value;

/// Per-section tally of checked vectors and failures.
#[derive(Default)]
struct Checker {
    vectors: BTreeMap<String, usize>,
    checked: BTreeMap<String, usize>,
    failures: Vec<String>,
}

impl Checker {
    fn check(&mut self, section: &str, ok: bool, detail: impl FnOnce() -> String) {
        *self.checked.entry(section.to_owned()).or_default() += 1;
        if !ok {
            self.failures.push(format!("[{section}] {}", detail()));
        }
    }

    fn eq<T: PartialEq + std::fmt::Debug>(&mut self, section: &str, what: &str, got: T, want: T) {
        let ok = got == want;
        self.check(section, ok, || {
            format!("{what}: got {got:?}, want {want:?}")
        });
    }

    /// Records that `section` holds `n` golden vectors.
    fn vectors(&mut self, section: &str, n: usize) {
        *self.vectors.entry(section.to_owned()).or_default() += n;
    }

    fn finish(self, file: &str) {
        for (section, n) in &self.vectors {
            let checks: usize = self
                .checked
                .iter()
                .filter(|(k, _)| *k == section || k.starts_with(&format!("{section}.")))
                .map(|(_, n)| n)
                .sum();
            eprintln!("{file}: {section}: {n} vectors, {checks} checks");
        }
        eprintln!(
            "{file}: {} checks, {} failures",
            self.checked.values().sum::<usize>(),
            self.failures.len()
        );
        assert!(
            self.failures.is_empty(),
            "{file}: {} golden checks failed:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

fn id_from_hex<T: RayId>(hex: &str) -> T {
    T::from_hex(hex).unwrap_or_else(|e| panic!("bad {} hex {hex:?} in golden: {e}", T::TYPE_NAME))
}

fn optional_str<'a>(record: &'a Value, key: &str) -> Option<&'a str> {
    record.get(key).and_then(Value::as_str)
}

/// Checks the `{hex, hash, is_nil}` triple shared by every ID record.
fn check_id<T: RayId>(c: &mut Checker, section: &str, id: &T, record: &Value) {
    let ok = id.hex() == record.str_field("hex")
        && id.ray_hash() == record.u64_dec_field("hash")
        && id.is_nil() == record.bool_field("is_nil");
    c.check(section, ok, || {
        format!(
            "{} got hex {} hash {} nil {}, want {record}",
            T::TYPE_NAME,
            id.hex(),
            id.ray_hash(),
            id.is_nil()
        )
    });
}

/// `job_id_hex` is null or absent exactly where `JobId()` would abort.
fn check_job_of(c: &mut Checker, section: &str, got: Result<JobId, IdError>, record: &Value) {
    match (optional_str(record, "job_id_hex"), got) {
        (Some(want), Ok(job)) => c.eq(section, "job_id", job.hex().as_str(), want),
        (None, Err(IdError::NilId { .. })) => c.check(section, true, String::new),
        (want, got) => c.check(section, false, || {
            format!("job_id: got {got:?}, want {want:?} in {record}")
        }),
    }
}

/// Checks a `TaskJ` record against `task`.
fn check_task(c: &mut Checker, section: &str, task: &TaskId, record: &Value) {
    check_id(c, section, task, record);
    c.eq(
        section,
        "actor_id",
        task.actor_id().hex().as_str(),
        record.str_field("actor_id_hex"),
    );
    c.eq(
        section,
        "is_for_actor_creation_task",
        task.is_for_actor_creation_task(),
        record.bool_field("is_for_actor_creation_task"),
    );
    check_job_of(c, section, task.job_id(), record);
}

/// `(hex, hash, is_nil)` of an ID whose type is only known at run time.
type Summary = (String, u64, bool);

/// Type-erased view of an ID type, chosen by Ray's class name.
struct DynId {
    size: usize,
    from_binary: fn(&[u8]) -> Result<Summary, IdError>,
    from_hex: fn(&str) -> Result<Summary, IdError>,
    nil: fn() -> Summary,
    default_hex: fn() -> String,
}

fn summary<T: RayId>(id: T) -> Summary {
    (id.hex(), id.ray_hash(), id.is_nil())
}

fn dyn_id<T: RayId>() -> DynId {
    DynId {
        size: T::SIZE,
        from_binary: |b| T::from_binary(b).map(summary),
        from_hex: |s| T::from_hex(s).map(summary),
        nil: || summary(T::nil()),
        default_hex: || T::default().hex(),
    }
}

fn dyn_id_by_name(name: &str) -> Option<DynId> {
    Some(match name {
        "JobID" => dyn_id::<JobId>(),
        "ActorID" => dyn_id::<ActorId>(),
        "TaskID" => dyn_id::<TaskId>(),
        "ObjectID" => dyn_id::<ObjectId>(),
        "PlacementGroupID" => dyn_id::<PlacementGroupId>(),
        "LeaseID" => dyn_id::<LeaseId>(),
        "UniqueID" => dyn_id::<UniqueId>(),
        "FunctionID" => dyn_id::<FunctionId>(),
        "ActorClassID" => dyn_id::<ActorClassId>(),
        "WorkerID" => dyn_id::<WorkerId>(),
        "ConfigID" => dyn_id::<ConfigId>(),
        "NodeID" => dyn_id::<NodeId>(),
        "ClusterID" => dyn_id::<ClusterId>(),
        _ => return None,
    })
}

/// Ray's `DEFINE_UNIQUE_ID` types print the raw data in their size check.
fn is_unique_id_family(name: &str) -> bool {
    matches!(
        name,
        "UniqueID"
            | "FunctionID"
            | "ActorClassID"
            | "WorkerID"
            | "ConfigID"
            | "NodeID"
            | "ClusterID"
    )
}

fn with_dyn_id(
    c: &mut Checker,
    section: &str,
    record: &Value,
    f: impl FnOnce(&mut Checker, DynId),
) {
    let name = record.str_field("type");
    match dyn_id_by_name(name) {
        Some(d) => f(c, d),
        None => c.check(section, false, || format!("unknown ID type {name:?}")),
    }
}

fn check_meta(c: &mut Checker, v: &Value) {
    c.eq("meta", "schema_version", v.u64_field("schema_version"), 1);
}

fn check_constants(c: &mut Checker, v: &Value) {
    let s = "constants";
    c.eq(
        s,
        "kUniqueIDSize",
        v.u64_field("kUniqueIDSize"),
        UNIQUE_ID_SIZE as u64,
    );
    c.eq(
        s,
        "kObjectIdIndexSize_bits",
        v.u64_field("kObjectIdIndexSize_bits"),
        u64::from(OBJECT_ID_INDEX_SIZE_BITS),
    );
    c.eq(
        s,
        "kMaxObjectIndex",
        v.u64_field("ObjectID_kMaxObjectIndex"),
        ObjectId::max_object_index(),
    );
    for (name, size) in v.field("binary_sizes").as_object().into_iter().flatten() {
        match dyn_id_by_name(name) {
            Some(d) => c.eq(s, name, Some(d.size as u64), size.as_u64()),
            None => c.check(s, false, || format!("unknown ID type {name:?}")),
        }
    }
}

fn check_murmur(c: &mut Checker, records: &[Value]) {
    for r in records {
        let data = r.hex_field("data_hex");
        let seed = u32::try_from(r.u64_field("seed")).unwrap_or_else(|e| panic!("seed: {e}"));
        let got = murmur_hash64a(&data, seed);
        c.eq(
            "murmurhash64a",
            r.str_field("label"),
            got,
            r.u64_dec_field("u64"),
        );
        c.eq(
            "murmurhash64a",
            "len",
            data.len() as u64,
            r.u64_field("len"),
        );
        c.eq(
            "murmurhash64a",
            "u64_hex",
            format!("0x{got:016x}").as_str(),
            r.str_field("u64_hex"),
        );
    }
}

fn check_unique_bytes(c: &mut Checker, records: &[Value]) {
    let s = "generate_unique_bytes";
    for r in records {
        let job: JobId = id_from_hex(r.str_field("job_hex"));
        let parent: TaskId = id_from_hex(r.str_field("parent_task_hex"));
        let counter = r.u64_field("parent_task_counter");
        let extra = r.u64_field("extra_bytes");
        let len = usize::try_from(r.u64_field("length")).unwrap_or(usize::MAX);
        let mut preimage = [job.as_bytes(), parent.as_bytes(), &counter.to_le_bytes()].concat();
        if extra != 0 {
            preimage.extend_from_slice(&extra.to_le_bytes());
        }
        c.eq(s, "preimage", preimage, r.hex_field("sha256_preimage_hex"));
        let got = generate_unique_bytes(&job, &parent, counter, extra, len);
        c.eq(s, "output", got, Ok(r.hex_field("output_hex")));
    }
}

fn check_sha256(c: &mut Checker, records: &[Value]) {
    for r in records {
        let got = sha256(r.str_field("input").as_bytes());
        c.eq(
            "thirdparty_sha256",
            "digest",
            got.to_vec(),
            r.hex_field("sha256_hex"),
        );
    }
}

fn check_jobs(c: &mut Checker, records: &[Value]) {
    for r in records {
        let n = u32::try_from(r.u64_field("n")).unwrap_or_else(|e| panic!("job n: {e}"));
        let job = JobId::from_int(n);
        check_id(c, "jobs", &job, r);
        c.eq(
            "jobs",
            "to_int",
            u64::from(job.to_int()),
            r.u64_field("to_int"),
        );
        c.eq(
            "jobs",
            "from_hex",
            id_from_hex::<JobId>(r.str_field("hex")),
            job,
        );
        check_task(
            c,
            "jobs.driver_task",
            &TaskId::for_driver_task(&job),
            r.field("driver_task"),
        );
        check_id(
            c,
            "jobs.nil_actor_from_job",
            &ActorId::nil_from_job(&job),
            r.field("nil_actor_from_job"),
        );
        check_id(
            c,
            "jobs.compute_driver_id_from_job",
            &compute_driver_id_from_job(&job),
            r.field("compute_driver_id_from_job"),
        );
    }
}

fn check_actors(c: &mut Checker, records: &[Value]) {
    let s = "actors_fixed_time";
    for r in records {
        let job: JobId = id_from_hex(r.str_field("job_hex"));
        let parent: TaskId = id_from_hex(r.str_field("parent_task_hex"));
        let actor = ActorId::of_at_time(
            &job,
            &parent,
            r.u64_field("parent_task_counter"),
            r.u64_field("time_nanos"),
        );
        check_id(c, s, &actor, r);
        check_job_of(c, s, actor.job_id(), r);

        let creation = TaskId::for_actor_creation_task(&actor);
        check_task(
            c,
            "actors_fixed_time.creation_task",
            &creation,
            r.field("creation_task"),
        );

        let handle_section = "actors_fixed_time.actor_handle_object";
        let handle = ObjectId::for_actor_handle(&actor);
        let h = r.field("actor_handle_object");
        check_id(c, handle_section, &handle, h);
        c.eq(
            handle_section,
            "is_actor_id",
            handle.is_actor_id(),
            h.bool_field("is_actor_id"),
        );
        c.eq(
            handle_section,
            "to_actor_id",
            handle.to_actor_id().hex().as_str(),
            h.str_field("to_actor_id_hex"),
        );
        c.eq(
            handle_section,
            "object_index",
            u64::from(handle.object_index()),
            h.u64_field("object_index"),
        );

        for t in r.array_field("actor_tasks_from_driver") {
            let task_parent: TaskId = id_from_hex(t.str_field("parent_task_hex"));
            let task = TaskId::for_actor_task(
                &job,
                &task_parent,
                t.u64_field("parent_task_counter"),
                &actor,
            );
            check_task(c, "actors_fixed_time.actor_tasks_from_driver", &task, t);
        }
    }
}

fn check_normal_tasks(c: &mut Checker, records: &[Value]) {
    for r in records {
        let job: JobId = id_from_hex(r.str_field("job_hex"));
        let parent: TaskId = id_from_hex(r.str_field("parent_task_hex"));
        let task = TaskId::for_normal_task(&job, &parent, r.u64_field("parent_task_counter"));
        check_task(c, "normal_tasks", &task, r);
    }
}

fn check_execution_attempts(c: &mut Checker, records: &[Value]) {
    for r in records {
        let base: TaskId = id_from_hex(r.str_field("base_task_hex"));
        let task = base.for_execution_attempt(r.u64_field("attempt_number"));
        check_id(c, "execution_attempts", &task, r);
    }
}

fn check_objects(c: &mut Checker, records: &[Value]) {
    let s = "objects_from_index";
    for r in records {
        let task: TaskId = id_from_hex(r.str_field("task_hex"));
        let index = u32::try_from(r.u64_field("index")).unwrap_or_else(|e| panic!("index: {e}"));
        match ObjectId::from_index(&task, index) {
            Ok(object) => {
                check_id(c, s, &object, r);
                c.eq(
                    s,
                    "object_index",
                    u64::from(object.object_index()),
                    r.u64_field("object_index"),
                );
                c.eq(
                    s,
                    "task_id",
                    object.task_id().hex().as_str(),
                    r.str_field("task_id_hex"),
                );
                c.eq(
                    s,
                    "is_actor_id",
                    object.is_actor_id(),
                    r.bool_field("is_actor_id"),
                );
            }
            Err(e) => c.check(s, false, || format!("from_index({index}) failed: {e}")),
        }
    }
}

fn check_object_index_0(c: &mut Checker, v: &Value) {
    let s = "object_from_index_0";
    c.eq(s, "outcome", v.str_field("outcome"), "RAY_CHECK_failure");
    let got = ObjectId::from_index(&TaskId::for_driver_task(&JobId::from_int(199)), 0);
    match got {
        Err(e @ IdError::InvalidObjectIndex { index: 0 }) => {
            c.eq(s, "message", e.to_string().as_str(), v.str_field("message"))
        }
        other => c.check(s, false, || format!("from_index(0) gave {other:?}")),
    }
}

fn check_fixed_binary(c: &mut Checker, records: &[Value]) {
    let s = "fixed_binary_ids";
    for r in records {
        with_dyn_id(c, s, r, |c, d| {
            let bytes = r.hex_field("hex");
            let from_bin = (d.from_binary)(&bytes);
            let from_hex = (d.from_hex)(r.str_field("hex"));
            let want = (
                r.str_field("hex").to_owned(),
                r.u64_dec_field("hash"),
                r.bool_field("is_nil"),
            );
            c.eq(s, "from_binary", from_bin.as_ref().ok(), Some(&want));
            c.eq(s, "from_hex", from_hex.as_ref().ok(), Some(&want));
            c.eq(
                s,
                "binary_roundtrip_ok",
                r.bool_field("binary_roundtrip_ok"),
                true,
            );
            c.eq(
                s,
                "fromhex_roundtrip_ok",
                r.bool_field("fromhex_roundtrip_ok"),
                true,
            );
        });
    }
}

fn check_nil_ids(c: &mut Checker, v: &Value) {
    let s = "nil_ids";
    for (name, r) in v.as_object().into_iter().flatten() {
        let Some(d) = dyn_id_by_name(name) else {
            c.check(s, false, || format!("unknown ID type {name:?}"));
            continue;
        };
        let (hex, hash, is_nil) = (d.nil)();
        c.eq(s, name, hex.as_str(), r.str_field("hex"));
        c.eq(s, name, hash, r.u64_dec_field("hash"));
        c.eq(s, name, is_nil, r.bool_field("is_nil"));
        c.eq(
            s,
            name,
            (d.default_hex)().as_str(),
            r.str_field("default_constructed_hex"),
        );
        let empty_is_nil = (d.from_binary)(&[]).map(|(_, _, nil)| nil);
        c.eq(
            s,
            name,
            empty_is_nil,
            Ok(r.bool_field("from_empty_binary_is_nil")),
        );
    }
}

fn check_driver_task_ids(c: &mut Checker, records: &[Value]) {
    for r in records {
        let worker: WorkerId = id_from_hex(r.str_field("worker_id_hex"));
        check_id(
            c,
            "compute_driver_task_id",
            &TaskId::compute_driver_task_id(&worker),
            r,
        );
    }
}

fn check_leases(c: &mut Checker, records: &[Value]) {
    let s = "lease_ids_from_worker";
    for r in records {
        let worker: WorkerId = id_from_hex(r.str_field("worker_id_hex"));
        let counter =
            u32::try_from(r.u64_field("counter")).unwrap_or_else(|e| panic!("counter: {e}"));
        let lease = LeaseId::from_worker(&worker, counter);
        check_id(c, s, &lease, r);
        c.eq(
            s,
            "worker_id",
            lease.worker_id().hex().as_str(),
            r.str_field("worker_id_back_hex"),
        );
    }
}

fn check_placement_groups(c: &mut Checker, records: &[Value]) {
    let s = "placement_group_fixed_binary";
    for r in records {
        let pg: PlacementGroupId = id_from_hex(r.str_field("hex"));
        check_id(c, s, &pg, r);
        check_job_of(c, s, pg.job_id(), r);
    }
}

fn check_from_hex_cases(c: &mut Checker, records: &[Value]) {
    let s = "from_hex_cases";
    for r in records {
        with_dyn_id(c, s, r, |c, d| {
            let input = r.str_field("input");
            let want_hex = r.str_field("result_hex");
            let logged = optional_str(r, "logged_error");
            match ((d.from_hex)(input), logged) {
                (Ok((hex, _, _)), None) => c.eq(s, input, hex.as_str(), want_hex),
                (Err(e), Some(log)) => {
                    c.eq(s, input, format!("[ERROR] {e}").as_str(), log);
                    c.eq(s, input, (d.nil)().0.as_str(), want_hex);
                }
                (got, want) => c.check(s, false, || {
                    format!("from_hex({input:?}): got {got:?}, want log {want:?}")
                }),
            }
        });
    }
}

fn check_from_binary_cases(c: &mut Checker, records: &[Value]) {
    let s = "from_binary_cases";
    for r in records {
        with_dyn_id(c, s, r, |c, d| {
            let name = r.str_field("type");
            let len = usize::try_from(r.u64_field("input_len")).unwrap_or(usize::MAX);
            let input = vec![1u8; len];
            let result = r.field("result");
            match ((d.from_binary)(&input), result.str_field("outcome")) {
                (Ok((hex, _, _)), "ok") => c.eq(s, name, hex.as_str(), result.str_field("result")),
                (Err(e), "RAY_CHECK_failure") => {
                    let IdError::InvalidLength {
                        expected, actual, ..
                    } = e
                    else {
                        return c.check(s, false, || format!("unexpected error {e:?}"));
                    };
                    c.eq(s, "expected", expected, d.size);
                    c.eq(s, "actual", actual, len);
                    let want = if is_unique_id_family(name) {
                        let raw = String::from_utf8_lossy(&input).into_owned();
                        format!(
                            "Check failed: binary.size() == Size() expected size is {expected}, but got data {raw} of size {actual}"
                        )
                    } else {
                        format!("Check failed: binary.size() == T::Size() {e}")
                    };
                    c.eq(s, name, want.as_str(), result.str_field("message"));
                }
                (got, want) => c.check(s, false, || {
                    format!("{name} from_binary(len {len}): got {got:?}, want {want}")
                }),
            }
        });
    }
}

/// Evaluates the C++ expressions used as `ostream` labels.
fn eval_stream_label(label: &str) -> Option<String> {
    Some(match label {
        "JobID::FromInt(199)" => JobId::from_int(199).stream_string(),
        "JobID::Nil()" => JobId::nil().stream_string(),
        "TaskID::ForDriverTask(JobID::FromInt(199))" => {
            TaskId::for_driver_task(&JobId::from_int(199)).stream_string()
        }
        "TaskID::Nil()" => TaskId::nil().stream_string(),
        "ObjectID::Nil()" => ObjectId::nil().stream_string(),
        "ActorID::NilFromJob(JobID::FromInt(1))" => {
            ActorId::nil_from_job(&JobId::from_int(1)).stream_string()
        }
        "ActorID::Nil()" => ActorId::nil().stream_string(),
        _ => return None,
    })
}

fn check_ostream(c: &mut Checker, records: &[Value]) {
    for r in records {
        let label = r.str_field("label");
        match eval_stream_label(label) {
            Some(got) => c.eq("ostream", label, got.as_str(), r.str_field("streamed")),
            None => c.check("ostream", false, || {
                format!("unknown ostream label {label:?}")
            }),
        }
    }
}

fn check_kgcs_node_id(c: &mut Checker, v: &Value) {
    check_id(c, "kGCSNodeID", &GCS_NODE_ID, v);
}

/// Structural facts about random and clock-based factories, re-measured.
fn check_random_facts(c: &mut Checker, v: &Value) {
    let s = "random_and_clock_derivations";
    let job = JobId::from_int(199);
    for (name, facts) in v.as_object().into_iter().flatten() {
        let samples = facts
            .get("samples")
            .and_then(Value::as_u64)
            .map_or(4000, |n| n.min(100_000)) as usize;
        match name.as_str() {
            "ObjectID::FromRandom" => {
                let ids: Vec<ObjectId> = (0..samples).map(|_| ObjectId::from_random()).collect();
                let max = ids.iter().flat_map(|id| id.task_id().to_bytes()).max();
                let want = facts.u64_field("max_task_byte_seen");
                c.eq(s, name, max.map(u64::from), Some(want));
                c.eq(
                    s,
                    name,
                    ids.iter().all(|id| id.object_index() == 0),
                    facts.bool_field("object_index_always_0"),
                );
            }
            "TaskID::FromRandom(job)" => {
                let ids: Vec<TaskId> = (0..samples).map(|_| TaskId::from_random(&job)).collect();
                let max = ids
                    .iter()
                    .flat_map(|id| id.to_bytes().into_iter().take(20))
                    .max();
                let want = facts.u64_field("max_random_byte_seen");
                c.eq(s, name, max.map(u64::from), Some(want));
                c.eq(
                    s,
                    name,
                    ids.iter().all(|id| id.job_id() == Ok(job)),
                    facts.bool_field("last_4_bytes_equal_job"),
                );
                c.eq(
                    s,
                    name,
                    ids.iter().any(TaskId::is_for_actor_creation_task),
                    facts.bool_field("is_for_actor_creation_task_example"),
                );
            }
            "PlacementGroupID::Of(job)" => {
                let ids: Vec<PlacementGroupId> =
                    (0..samples).map(|_| PlacementGroupId::of(&job)).collect();
                let max = ids
                    .iter()
                    .flat_map(|id| id.to_bytes().into_iter().take(14))
                    .max();
                let want = facts.u64_field("max_random_byte_seen");
                c.eq(s, name, max.map(u64::from), Some(want));
                c.eq(
                    s,
                    name,
                    ids.iter().all(|id| id.job_id() == Ok(job)),
                    facts.bool_field("last_4_bytes_equal_job"),
                );
            }
            "ActorID::Of(live clock)" => {
                let parent = TaskId::for_driver_task(&job);
                let a = ActorId::of(&job, &parent, 1);
                let b = ActorId::of(&job, &parent, 1);
                c.eq(
                    s,
                    name,
                    a.job_id() == Ok(job) && b.job_id() == Ok(job),
                    facts.bool_field("job_suffix_ok"),
                );
                c.eq(
                    s,
                    name,
                    a != b,
                    facts.bool_field("two_calls_same_inputs_differ"),
                );
            }
            _ => c.check(s, false, || format!("unknown random fact {name:?}")),
        }
    }
}

/// Parses `SourceLocation("file", line)` out of a golden example label.
fn location_in_label(label: &str) -> Option<SourceLocation> {
    let rest = label.split_once("SourceLocation(\"")?.1;
    let (file, rest) = rest.split_once('"')?;
    let line = rest.trim_start_matches(',').trim_start();
    let line: String = line
        .chars()
        .take_while(|ch| ch.is_ascii_digit() || *ch == '-')
        .collect();
    Some(SourceLocation::new(file, line.parse().ok()?))
}

fn check_status(c: &mut Checker, v: &Value) {
    for (key, sub) in v.as_object().into_iter().flatten() {
        match key.as_str() {
            "enum" => check_status_enum(c, sub),
            "code_as_string_by_value" => {
                check_code_as_string(c, "status.code_as_string_by_value", sub)
            }
            "explicit_ok_code_constructor" => {
                let s = "status.explicit_ok_code_constructor";
                let e = RayError::new(StatusCode::Ok, "m");
                let got = format!(
                    "ok()=false code={} CodeAsString={} ToString={e}",
                    e.code().as_raw(),
                    e.code_as_string()
                );
                c.eq(s, "outcome", sub.str_field("outcome"), "ok");
                c.eq(s, "result", got.as_str(), sub.str_field("result"));
            }
            "examples" => check_status_examples(c, sub),
            "string_to_code" => {
                for r in sub.as_array().into_iter().flatten() {
                    let text = r.str_field("string");
                    c.eq(
                        "status.string_to_code",
                        text,
                        i64::from(string_to_code(text).as_raw()),
                        r.i64_field("code"),
                    );
                }
            }
            "source_location" => {
                for r in sub.as_array().into_iter().flatten() {
                    let line = i32::try_from(r.i64_field("line_no"))
                        .unwrap_or_else(|e| panic!("line: {e}"));
                    let loc = SourceLocation::new(r.str_field("filename"), line);
                    c.eq(
                        "status.source_location",
                        "is_valid",
                        loc.is_valid(),
                        r.bool_field("is_valid"),
                    );
                    c.eq(
                        "status.source_location",
                        "streamed",
                        loc.to_string().as_str(),
                        r.str_field("streamed"),
                    );
                }
            }
            _ => c.check("status", false, || {
                format!("unknown status subsection {key:?}")
            }),
        }
    }
}

fn check_status_enum(c: &mut Checker, v: &Value) {
    let s = "status.enum";
    let records = v.as_array().map_or(&[][..], Vec::as_slice);
    c.eq(s, "count", records.len(), StatusCode::ALL.len());
    for r in records {
        let raw = i8::try_from(r.i64_field("value")).unwrap_or_else(|e| panic!("value: {e}"));
        let Some(code) = StatusCode::from_raw(raw) else {
            c.check(s, false, || format!("code {raw} missing"));
            continue;
        };
        let rpc_code =
            i32::try_from(r.i64_field("rpc_code")).unwrap_or_else(|e| panic!("rpc_code: {e}"));
        c.eq(s, "name", code.name(), r.str_field("name"));
        c.eq(
            s,
            "code_as_string",
            code.as_str(),
            r.str_field("code_as_string"),
        );
        let want_text = r.str_field("to_string_msg");
        let got_text = if code == StatusCode::Ok {
            status_string(&Ok(()))
        } else {
            RayError::new(code, "msg")
                .with_rpc_code(rpc_code)
                .to_string()
        };
        c.eq(s, "to_string_msg", got_text.as_str(), want_text);
        c.eq(
            s,
            "string_to_code",
            i64::from(string_to_code(code.as_str()).as_raw()),
            r.i64_field("string_to_code_of_code_as_string"),
        );
    }
}

fn check_code_as_string(c: &mut Checker, section: &str, v: &Value) {
    for (raw, text) in v.as_object().into_iter().flatten() {
        let raw: i8 = raw.parse().unwrap_or_else(|e| panic!("code {raw:?}: {e}"));
        c.eq(
            section,
            "code_as_string",
            Some(code_as_string(raw)),
            text.as_str(),
        );
    }
}

fn check_status_examples(c: &mut Checker, v: &Value) {
    let s = "status.examples";
    for r in v.as_array().into_iter().flatten() {
        let label = r.str_field("label");
        let raw = i8::try_from(r.i64_field("code")).unwrap_or_else(|e| panic!("code: {e}"));
        let message = r.str_field("message");
        let rpc_code =
            i32::try_from(r.i64_field("rpc_code")).unwrap_or_else(|e| panic!("rpc_code: {e}"));
        let want = r.str_field("to_string");
        c.eq(s, label, code_as_string(raw), r.str_field("code_as_string"));
        if r.bool_field("ok") {
            c.eq(s, label, status_string(&Ok(())).as_str(), want);
            continue;
        }
        let location = location_in_label(label);
        c.eq(
            s,
            label,
            format_status(raw, message, rpc_code, location.as_ref()).as_str(),
            want,
        );
        if let Some(code) = StatusCode::from_raw(raw) {
            let mut err = RayError::new(code, message).with_rpc_code(rpc_code);
            if let Some(loc) = location {
                err = err.with_location(loc);
            }
            c.eq(s, label, err.to_string().as_str(), want);
            c.eq(
                s,
                label,
                (err.code().as_raw(), err.message(), err.rpc_code()),
                (raw, message, rpc_code),
            );
        }
    }
}

fn as_records(v: &Value) -> &[Value] {
    v.as_array()
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("expected an array, got {v}"))
}

/// Checks every section of one vector file of the main schema.
fn check_main_file(path: &Path) {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {name}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {name}: {e}"));
    let sections = doc
        .as_object()
        .unwrap_or_else(|| panic!("{name} is not an object"));
    let mut c = Checker::default();
    for (section, v) in sections {
        let count = match v {
            Value::Array(items) => items.len(),
            Value::Object(map) if section == "status" => map
                .values()
                .map(|sub| match sub {
                    Value::Array(items) => items.len(),
                    Value::Object(entries) => entries.len(),
                    _ => 1,
                })
                .sum(),
            Value::Object(map)
                if matches!(section.as_str(), "nil_ids" | "random_and_clock_derivations") =>
            {
                map.len()
            }
            _ => 1,
        };
        c.vectors(section, count);
        match section.as_str() {
            "meta" => check_meta(&mut c, v),
            "constants" => check_constants(&mut c, v),
            "murmurhash64a" => check_murmur(&mut c, as_records(v)),
            "generate_unique_bytes" => check_unique_bytes(&mut c, as_records(v)),
            "thirdparty_sha256" => check_sha256(&mut c, as_records(v)),
            "jobs" => check_jobs(&mut c, as_records(v)),
            "actors_fixed_time" => check_actors(&mut c, as_records(v)),
            "normal_tasks" => check_normal_tasks(&mut c, as_records(v)),
            "execution_attempts" => check_execution_attempts(&mut c, as_records(v)),
            "objects_from_index" => check_objects(&mut c, as_records(v)),
            "object_from_index_0" => check_object_index_0(&mut c, v),
            "fixed_binary_ids" => check_fixed_binary(&mut c, as_records(v)),
            "nil_ids" => check_nil_ids(&mut c, v),
            "compute_driver_task_id" => check_driver_task_ids(&mut c, as_records(v)),
            "lease_ids_from_worker" => check_leases(&mut c, as_records(v)),
            "placement_group_fixed_binary" => check_placement_groups(&mut c, as_records(v)),
            "kGCSNodeID" => check_kgcs_node_id(&mut c, v),
            "from_hex_cases" => check_from_hex_cases(&mut c, as_records(v)),
            "from_binary_cases" => check_from_binary_cases(&mut c, as_records(v)),
            "ostream" => check_ostream(&mut c, as_records(v)),
            "status" => check_status(&mut c, v),
            "random_and_clock_derivations" => check_random_facts(&mut c, v),
            other => c.check("sections", false, || format!("unknown section {other:?}")),
        }
    }
    c.finish(&name);
}

#[test]
fn golden_ray_2_60_0() {
    check_main_file(&golden_dir().join("ray-2.60.0.json"));
}

#[test]
fn golden_extra_files_from_env() {
    let Ok(files) = std::env::var("RAY_GOLDEN_FILES") else {
        return;
    };
    for file in files.split(',').filter(|f| !f.trim().is_empty()) {
        check_main_file(Path::new(file.trim()));
    }
}

/// Compares the full Status tables of a release with this crate; returns
/// the mismatches.
fn status_table_mismatches(doc: &Value, c: &mut Checker) -> Vec<String> {
    let mut diffs = Vec::new();
    for (key, sub) in doc.as_object().into_iter().flatten() {
        match key.as_str() {
            "meta" => {}
            "code_as_string_by_value" => {
                for (raw, want) in sub.as_object().into_iter().flatten() {
                    let raw_code: i8 = raw.parse().unwrap_or_else(|e| panic!("code {raw:?}: {e}"));
                    let got = code_as_string(raw_code);
                    c.check(key, true, String::new);
                    if Some(got) != want.as_str() {
                        diffs.push(format!("CodeAsString({raw}): ours {got:?}, file {want}"));
                    }
                }
            }
            "to_string_by_value" => {
                for (raw, want) in sub.as_object().into_iter().flatten() {
                    let raw_code: i8 = raw.parse().unwrap_or_else(|e| panic!("code {raw:?}: {e}"));
                    let got = format_status(raw_code, "msg", 14, None);
                    c.check(key, true, String::new);
                    if Some(got.as_str()) != want.as_str() {
                        diffs.push(format!(
                            "ToString({raw}, \"msg\"): ours {got:?}, file {want}"
                        ));
                    }
                }
            }
            "string_to_code" => {
                for (text, want) in sub.as_object().into_iter().flatten() {
                    let got = i64::from(string_to_code(text).as_raw());
                    c.check(key, true, String::new);
                    if Some(got) != want.as_i64() {
                        diffs.push(format!("StringToCode({text:?}): ours {got}, file {want}"));
                    }
                }
            }
            other => diffs.push(format!("unknown section {other:?}")),
        }
    }
    diffs
}

#[test]
fn golden_status_ray_2_60_0() {
    let doc = load_golden("ray-2.60.0-status.json");
    let mut c = Checker::default();
    let diffs = status_table_mismatches(&doc, &mut c);
    for (key, sub) in doc.as_object().into_iter().flatten() {
        c.vectors(key, sub.as_object().map_or(0, serde_json::Map::len));
    }
    for d in &diffs {
        c.check("ray-2.60.0-status", false, || d.clone());
    }
    c.finish("ray-2.60.0-status.json");
}

#[test]
fn golden_status_ray_2_9_0_differences_are_reported() {
    let doc = load_golden("ray-2.9.0-status.json");
    let mut c = Checker::default();
    let diffs = status_table_mismatches(&doc, &mut c);
    eprintln!(
        "ray-2.9.0-status.json: {} entries differ from the 2.60 tables:",
        diffs.len()
    );
    for d in &diffs {
        eprintln!("  {d}");
    }
    assert!(
        diffs.iter().all(|d| !d.starts_with("unknown section")),
        "{diffs:?}"
    );
    assert!(
        !diffs.is_empty(),
        "2.9.0 tables are expected to differ from 2.60.0"
    );
}

/// Runs the checker on a modified copy of the main file; true if it failed.
fn checker_rejects(edit: impl FnOnce(&mut serde_json::Map<String, Value>), tag: &str) -> bool {
    let mut doc = load_golden("ray-2.60.0.json");
    let sections = doc
        .as_object_mut()
        .unwrap_or_else(|| panic!("golden root is not an object"));
    edit(sections);
    let path = std::env::temp_dir().join(format!(
        "ray-common-golden-{}-{tag}.json",
        std::process::id()
    ));
    std::fs::write(&path, doc.to_string())
        .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    let failed = std::panic::catch_unwind(|| check_main_file(&path)).is_err();
    let _ = std::fs::remove_file(&path);
    failed
}

#[test]
fn checker_fails_on_unknown_section() {
    assert!(checker_rejects(
        |s| {
            s.insert("brand_new_section".to_owned(), Value::Array(Vec::new()));
        },
        "unknown"
    ));
}

#[test]
fn checker_fails_on_corrupted_vector() {
    assert!(checker_rejects(
        |s| {
            if let Some(Value::Array(records)) = s.get_mut("normal_tasks") {
                if let Some(Value::Object(first)) = records.first_mut() {
                    first.insert("hash".to_owned(), Value::String("1".to_owned()));
                }
            }
        },
        "corrupt"
    ));
}
