//! ID derivations, Ray's own ID test scenarios, and rejection of bad input.

use std::collections::{HashMap, HashSet};

use ray_common::{
    compute_driver_id_from_job, generate_unique_bytes, ActorClassId, ActorId, ClusterId, ConfigId,
    FunctionId, IdError, JobId, LeaseId, NodeId, ObjectId, PlacementGroupId, RayId, TaskId,
    UniqueId, WorkerId, GCS_NODE_ID,
};
use rstest::rstest;

fn job1() -> JobId {
    JobId::from_int(1)
}

fn actor_at_time_1() -> ActorId {
    let job = job1();
    ActorId::of_at_time(&job, &TaskId::for_driver_task(&job), 1, 1)
}

#[rstest]
#[case(JobId::from_int(1).hex(), "01000000", JobId::from_int(1).ray_hash(), 17666132492028397833)]
#[case(JobId::from_int(199).hex(), "c7000000", JobId::from_int(199).ray_hash(), 5435084878588685719)]
#[case(
    TaskId::for_driver_task(&job1()).hex(),
    "ffffffffffffffffffffffffffffffffffffffff01000000",
    TaskId::for_driver_task(&job1()).ray_hash(),
    2181533352989482703
)]
#[case(
    TaskId::for_normal_task(&job1(), &TaskId::for_driver_task(&job1()), 0).hex(),
    "d9dbfdfdf1d18bb5ffffffffffffffffffffffff01000000",
    TaskId::for_normal_task(&job1(), &TaskId::for_driver_task(&job1()), 0).ray_hash(),
    18432688764893419878
)]
#[case(
    TaskId::for_normal_task(&job1(), &TaskId::for_driver_task(&job1()), 1).hex(),
    "a67dc375e60ddd1affffffffffffffffffffffff01000000",
    TaskId::for_normal_task(&job1(), &TaskId::for_driver_task(&job1()), 1).ray_hash(),
    9196887856481043684
)]
#[case(actor_at_time_1().hex(), "23863bae5dd5f85e8ff836de01000000", actor_at_time_1().ray_hash(), 11120671579017658485)]
#[case(JobId::nil().hex(), "ffffffff", JobId::nil().ray_hash(), 6877762905250664532)]
#[case(ActorId::nil().hex(), "ffffffffffffffffffffffffffffffff", ActorId::nil().ray_hash(), 3463836405032215593)]
#[case(TaskId::nil().hex(), "ffffffffffffffffffffffffffffffffffffffffffffffff", TaskId::nil().ray_hash(), 4066563697184383148)]
#[case(ObjectId::nil().hex(), "ffffffffffffffffffffffffffffffffffffffffffffffffffffffff", ObjectId::nil().ray_hash(), 13943175134394361224)]
#[case(GCS_NODE_ID.hex(), "00000000000000000000000000000000000000000000000000000000", GCS_NODE_ID.ray_hash(), 351838792928280164)]
fn representative_values(
    #[case] hex: String,
    #[case] want_hex: &str,
    #[case] hash: u64,
    #[case] want_hash: u64,
) {
    assert_eq!(hex, want_hex);
    assert_eq!(hash, want_hash);
}

#[test]
fn derived_layouts() {
    let actor = actor_at_time_1();
    assert_eq!(
        TaskId::for_actor_creation_task(&actor).hex(),
        "ffffffffffffffff23863bae5dd5f85e8ff836de01000000"
    );
    assert_eq!(
        ObjectId::for_actor_handle(&actor).hex(),
        "ffffffffffffffff23863bae5dd5f85e8ff836de0100000001000000"
    );
    let job = JobId::from_int(199);
    let task = TaskId::for_normal_task(&job, &TaskId::for_driver_task(&job), 0);
    let object = ObjectId::from_index(&task, 1).unwrap();
    assert_eq!(
        object.hex(),
        "37ed100dd72fc4b7ffffffffffffffffffffffffc700000001000000"
    );
    assert_eq!(object.ray_hash(), 11163712924940272378);
    // Actor and normal tasks with equal inputs share their unique bytes.
    let parent = TaskId::for_driver_task(&job1());
    let actor_task = TaskId::for_actor_task(&job1(), &parent, 0, &actor);
    assert_eq!(&actor_task.hex()[..16], "d9dbfdfdf1d18bb5");
}

#[test]
fn job_id_int_round_trip() {
    assert_eq!(JobId::from_int(100).to_int(), 100);
    assert!(JobId::from_int(u32::MAX).is_nil());
    assert_eq!(JobId::from_int(0x01020304).to_bytes(), [4, 3, 2, 1]);
}

#[test]
fn actor_id_binary_round_trip_and_job() {
    let job = JobId::from_int(199);
    let actor = ActorId::of(&job, &TaskId::for_driver_task(&job), 1);
    assert_eq!(ActorId::from_binary(actor.as_bytes()), Ok(actor));
    assert_eq!(actor.job_id(), Ok(job));
    assert!(ActorId::nil_from_job(&JobId::nil()).is_nil());
}

#[test]
fn actor_of_is_salted_with_time() {
    let job = JobId::from_int(199);
    let parent = TaskId::for_driver_task(&job);
    let a = ActorId::of(&job, &parent, 1);
    let b = ActorId::of(&job, &parent, 1);
    assert_ne!(a, b);
    assert_eq!(
        ActorId::of_at_time(&job, &parent, 1, 5),
        ActorId::of_at_time(&job, &parent, 1, 5)
    );
}

#[test]
fn task_id_kinds() {
    let job = JobId::from_int(199);
    let driver = TaskId::for_driver_task(&job);
    let actor = ActorId::of(&job, &driver, 1);
    let actor_task = TaskId::for_actor_task(&job, &driver, 1, &actor);
    assert_eq!(actor_task.actor_id(), actor);
    assert!(!actor_task.is_for_actor_creation_task());
    assert!(TaskId::for_actor_creation_task(&actor).is_for_actor_creation_task());
    assert!(driver.is_for_actor_creation_task());
    assert!(!TaskId::nil().is_for_actor_creation_task());
    let random = TaskId::from_random(&job);
    assert!(!random.is_for_actor_creation_task());
    assert_eq!(random.job_id(), Ok(job));
    assert_eq!(TaskId::default(), TaskId::nil());
    assert!(TaskId::default().is_nil());
}

#[test]
fn execution_attempts() {
    let job = JobId::from_int(199);
    let task = TaskId::for_normal_task(&job, &TaskId::for_driver_task(&job), 0);
    assert_eq!(task.for_execution_attempt(0), task.for_execution_attempt(0));
    assert_ne!(task.for_execution_attempt(0), task);
    assert_ne!(task.for_execution_attempt(0), task.for_execution_attempt(1));
    assert_ne!(
        task.for_execution_attempt(0),
        task.for_execution_attempt(256)
    );
    assert_ne!(
        task.for_execution_attempt(0),
        task.for_execution_attempt(65536)
    );
    let driver = TaskId::for_driver_task(&job);
    assert_eq!(
        &driver.for_execution_attempt(256).hex()[..16],
        "0000000000000000"
    );
    assert_eq!(
        &driver.for_execution_attempt(u64::MAX).hex()[..16],
        "fffeffffffffffff"
    );
    let a = task.for_execution_attempt(0);
    let b = task.for_execution_attempt(1);
    assert_ne!(
        TaskId::for_normal_task(&job, &a, 0),
        TaskId::for_normal_task(&job, &b, 0)
    );
}

#[rstest]
#[case(1)]
#[case(2)]
#[case(ObjectId::MAX_OBJECT_INDEX)]
fn object_index_round_trip(#[case] index: u32) {
    let job = JobId::from_int(199);
    let task = TaskId::for_normal_task(&job, &TaskId::for_driver_task(&job), 0);
    let object = ObjectId::from_index(&task, index).unwrap();
    assert_eq!(object.task_id(), task);
    assert_eq!(object.object_index(), index);
}

#[test]
fn object_random_and_actor_handle() {
    let random = ObjectId::from_random();
    assert!(!random.task_id().is_nil());
    assert_eq!(random.object_index(), 0);
    let actor = actor_at_time_1();
    let handle = ObjectId::for_actor_handle(&actor);
    assert!(handle.is_actor_id());
    assert_eq!(handle.to_actor_id(), actor);
    assert_eq!(handle.object_index(), 1);
    assert_eq!(ObjectId::max_object_index(), 4294967295);
}

#[test]
fn hashes_are_usable_as_keys() {
    let nil_hash = ObjectId::nil().ray_hash();
    let a = ObjectId::from_random();
    let b = ObjectId::from_random();
    assert_ne!(a.ray_hash(), nil_hash);
    assert_ne!(a.ray_hash(), b.ray_hash());
    assert_eq!(ObjectId::nil().ray_hash(), UniqueId::nil().ray_hash());
    let mut set = HashSet::new();
    assert!(set.insert(a));
    assert!(set.contains(&a));
    assert!(!set.insert(a));
    let mut map = HashMap::new();
    map.insert(JobId::from_int(1), "one");
    assert_eq!(map.get(&JobId::from_int(1)), Some(&"one"));
}

#[test]
fn placement_group_round_trips() {
    let job = JobId::from_int(199);
    let pg = PlacementGroupId::of(&job);
    assert_eq!(PlacementGroupId::from_binary(pg.as_bytes()), Ok(pg));
    assert_eq!(PlacementGroupId::from_hex(&pg.hex()), Ok(pg));
    assert_eq!(pg.job_id(), Ok(job));
}

#[test]
fn lease_ids() {
    let worker = WorkerId::from_random();
    let lease = LeaseId::from_worker(&worker, 2);
    assert!(!lease.is_nil());
    assert_eq!(lease.worker_id(), worker);
    assert_eq!(LeaseId::SIZE, 32);
    assert_eq!(lease.as_bytes().len(), 32);
    let random = LeaseId::from_random();
    assert!(!random.is_nil());
    assert_ne!(random, LeaseId::from_random());
    let other = LeaseId::from_worker(&worker, 3);
    assert_ne!(other, lease);
    assert_eq!(other.worker_id(), worker);
    assert_eq!(LeaseId::from_hex(&lease.hex()), Ok(lease));
    assert_eq!(LeaseId::from_binary(lease.as_bytes()), Ok(lease));
}

#[test]
fn driver_ids() {
    let job = JobId::from_int(1);
    let worker = compute_driver_id_from_job(&job);
    assert_eq!(worker.hex(), format!("01000000{}", "ff".repeat(24)));
    let task = TaskId::compute_driver_task_id(&worker);
    assert_eq!(task.as_bytes(), &worker.as_bytes()[..24]);
}

#[test]
fn formatting() {
    let job = JobId::from_int(1);
    assert_eq!(format!("{job:?}"), "JobId(01000000)");
    assert_eq!(job.to_string(), "01000000");
    assert_eq!("01000000".parse::<JobId>(), Ok(job));
    assert_eq!(job.stream_string(), "01000000");
    assert_eq!(JobId::nil().stream_string(), "NIL_ID");
    assert_eq!(
        format!("{:?}", NodeId::nil()),
        format!("NodeId({})", "ff".repeat(28))
    );
    let mut buf = [0u8; 8];
    job.write_hex(&mut buf).unwrap();
    assert_eq!(&buf, b"01000000");
}

#[test]
fn conversions() {
    let bytes = [1u8, 2, 3, 4];
    let job = JobId::from(bytes);
    assert_eq!(job, JobId::from_bytes(bytes));
    assert_eq!(<[u8; 4]>::from(job), bytes);
    assert_eq!(JobId::try_from(&bytes[..]), Ok(job));
    assert_eq!(job.as_ref(), &bytes);
    assert!(JobId::from_bytes([0, 0, 0, 1]) < JobId::from_bytes([0, 0, 0, 2]));
}

#[test]
fn serde_forms() {
    let job = JobId::from_int(199);
    assert_eq!(serde_json::to_string(&job).unwrap(), "\"c7000000\"");
    assert_eq!(serde_json::from_str::<JobId>("\"C7000000\"").unwrap(), job);
    assert!(serde_json::from_str::<JobId>("\"c70000\"").is_err());
    assert!(serde_json::from_str::<JobId>("[199,0,0,0]").is_err());

    use serde::de::value::{BytesDeserializer, Error as DeError, SeqDeserializer};
    use serde::Deserialize;
    let from_bytes = JobId::deserialize(BytesDeserializer::<DeError>::new(&[199, 0, 0, 0]));
    assert_eq!(from_bytes.unwrap(), job);
    let seq = SeqDeserializer::<_, DeError>::new([199u8, 0, 0, 0].into_iter());
    assert_eq!(JobId::deserialize(seq).unwrap(), job);
    let too_long = SeqDeserializer::<_, DeError>::new([1u8; 9].into_iter());
    assert!(JobId::deserialize(too_long).is_err());
    let short = BytesDeserializer::<DeError>::new(&[1, 2]);
    assert!(JobId::deserialize(short).is_err());
}

#[test]
fn type_names_and_sizes() {
    assert_eq!((JobId::TYPE_NAME, JobId::SIZE), ("JobID", 4));
    assert_eq!((ActorId::TYPE_NAME, ActorId::SIZE), ("ActorID", 16));
    assert_eq!((TaskId::TYPE_NAME, TaskId::SIZE), ("TaskID", 24));
    assert_eq!((ObjectId::TYPE_NAME, ObjectId::SIZE), ("ObjectID", 28));
    assert_eq!(
        (PlacementGroupId::TYPE_NAME, PlacementGroupId::SIZE),
        ("PlacementGroupID", 18)
    );
    assert_eq!((LeaseId::TYPE_NAME, LeaseId::SIZE), ("LeaseID", 32));
    assert_eq!((UniqueId::TYPE_NAME, UniqueId::SIZE), ("UniqueID", 28));
    assert_eq!(
        (FunctionId::TYPE_NAME, FunctionId::SIZE),
        ("FunctionID", 28)
    );
    assert_eq!(
        (ActorClassId::TYPE_NAME, ActorClassId::SIZE),
        ("ActorClassID", 28)
    );
    assert_eq!((WorkerId::TYPE_NAME, WorkerId::SIZE), ("WorkerID", 28));
    assert_eq!((ConfigId::TYPE_NAME, ConfigId::SIZE), ("ConfigID", 28));
    assert_eq!((NodeId::TYPE_NAME, NodeId::SIZE), ("NodeID", 28));
    assert_eq!((ClusterId::TYPE_NAME, ClusterId::SIZE), ("ClusterID", 28));
}

// ---- bad input: every case returns the documented error ----

#[rstest]
#[case(3)]
#[case(5)]
#[case(1)]
#[case(100)]
fn job_from_binary_wrong_length(#[case] len: usize) {
    let err = JobId::from_binary(&vec![1; len]).unwrap_err();
    assert_eq!(
        err,
        IdError::InvalidLength {
            type_name: "JobID",
            expected: 4,
            actual: len
        }
    );
    assert_eq!(
        err.to_string(),
        format!("expected size is 4, but got data size is {len}")
    );
}

#[rstest]
#[case::task(TaskId::from_binary(&[0; 28]).map(|_| ()), "TaskID", 24, 28)]
#[case::object(ObjectId::from_binary(&[0; 24]).map(|_| ()), "ObjectID", 28, 24)]
#[case::worker(WorkerId::from_binary(&[1; 20]).map(|_| ()), "WorkerID", 28, 20)]
#[case::lease(LeaseId::from_binary(&[1; 31]).map(|_| ()), "LeaseID", 32, 31)]
#[case::pg(PlacementGroupId::from_binary(&[1; 16]).map(|_| ()), "PlacementGroupID", 18, 16)]
#[case::actor(ActorId::try_from(&[1u8; 17][..]).map(|_| ()), "ActorID", 16, 17)]
fn from_binary_wrong_length(
    #[case] got: Result<(), IdError>,
    #[case] type_name: &'static str,
    #[case] expected: usize,
    #[case] actual: usize,
) {
    assert_eq!(
        got,
        Err(IdError::InvalidLength {
            type_name,
            expected,
            actual
        })
    );
}

#[rstest]
#[case("010000", 6)]
#[case("0100000000", 10)]
#[case("", 0)]
#[case("1", 1)]
#[case("0100000", 7)]
#[case("ü100000", 8)]
#[case("ü1000000", 9)]
fn from_hex_bad_length(#[case] input: &str, #[case] actual: usize) {
    match JobId::from_hex(input) {
        Err(IdError::InvalidHexLength {
            expected,
            actual: got,
            input: echoed,
        }) => {
            assert_eq!(expected, 8);
            assert_eq!(got, actual);
            assert_eq!(echoed, input);
        }
        Ok(id) if actual == 8 => panic!("accepted {input:?} as {id}"),
        Err(IdError::InvalidHexChar { .. }) if actual == 8 => {}
        other => panic!("from_hex({input:?}) gave {other:?}"),
    }
}

#[rstest]
#[case("0x010000")]
#[case(" 1000000")]
#[case("0100000 ")]
#[case("0100000g")]
#[case("0100000G")]
#[case("ééé01")]
#[case("éééé")]
#[case("+1000000")]
#[case("-1000000")]
#[case("0100\u{0}000")]
fn from_hex_bad_char(#[case] input: &str) {
    let err = JobId::from_hex(input).unwrap_err();
    assert_eq!(
        err,
        IdError::InvalidHexChar {
            input: input.to_owned()
        }
    );
    assert_eq!(
        err.to_string(),
        format!("incorrect hex character, hex string: {input}")
    );
    assert!(input.parse::<JobId>().is_err());
}

#[test]
fn from_hex_error_texts() {
    assert_eq!(
        JobId::from_hex("010000").unwrap_err().to_string(),
        "incorrect hex string length: 2 * 4 != 6, hex string: 010000"
    );
    assert_eq!(
        WorkerId::from_hex("00").unwrap_err().to_string(),
        "incorrect hex string length: 2 * 28 != 2, hex string: 00"
    );
}

#[test]
fn object_index_zero_is_rejected() {
    let task = TaskId::for_driver_task(&JobId::from_int(199));
    let err = ObjectId::from_index(&task, 0).unwrap_err();
    assert_eq!(err, IdError::InvalidObjectIndex { index: 0 });
    assert_eq!(
        err.to_string(),
        "Check failed: index >= 1 && index <= kMaxObjectIndex index=0"
    );
}

#[rstest]
#[case::nil_actor(ActorId::nil().job_id(), "ActorID")]
#[case::nil_task(TaskId::nil().job_id(), "ActorID")]
#[case::driver_of_nil_job(TaskId::for_driver_task(&JobId::nil()).job_id(), "ActorID")]
#[case::nil_pg(PlacementGroupId::nil().job_id(), "PlacementGroupID")]
fn nil_job_extraction(#[case] got: Result<JobId, IdError>, #[case] type_name: &'static str) {
    assert_eq!(got, Err(IdError::NilId { type_name }));
}

#[rstest]
#[case(0, true)]
#[case(8, true)]
#[case(32, true)]
#[case(33, false)]
#[case(usize::MAX, false)]
fn unique_bytes_length_limit(#[case] len: usize, #[case] ok: bool) {
    let job = job1();
    let got = generate_unique_bytes(&job, &TaskId::for_driver_task(&job), 0, 0, len);
    match got {
        Ok(bytes) => {
            assert!(ok);
            assert_eq!(bytes.len(), len);
        }
        Err(e) => {
            assert!(!ok);
            assert_eq!(e, IdError::UniqueBytesTooLong { requested: len });
        }
    }
}

#[rstest]
#[case(0)]
#[case(7)]
#[case(9)]
fn write_hex_wrong_buffer(#[case] len: usize) {
    let mut buf = vec![0u8; len];
    let err = JobId::from_int(1).write_hex(&mut buf).unwrap_err();
    assert_eq!(
        err,
        IdError::InvalidLength {
            type_name: "JobID",
            expected: 8,
            actual: len
        }
    );
}
