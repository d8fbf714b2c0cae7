//! Property tests: round trips for every ID type, total parsing, the hash
//! against an independent reference, and the random-byte range.

use proptest::prelude::*;
use ray_common::{
    generate_unique_bytes, murmur_hash64a, ActorClassId, ActorId, ClusterId, ConfigId, FunctionId,
    IdError, JobId, LeaseId, NodeId, ObjectId, PlacementGroupId, RayId, TaskId, UniqueId, WorkerId,
};
use ray_test_utils::reference_murmur_hash64a;

fn check_round_trips<T: RayId>(bytes: &[u8]) -> Result<(), TestCaseError> {
    let id = T::from_binary(bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(id.as_bytes(), bytes);
    prop_assert_eq!(T::from_hex(&id.hex()), Ok(id));
    prop_assert_eq!(T::from_hex(&id.hex().to_uppercase()), Ok(id));
    prop_assert_eq!(id.to_string().parse::<T>(), Ok(id));
    prop_assert_eq!(id.ray_hash(), reference_murmur_hash64a(bytes, 0));
    prop_assert_eq!(id.is_nil(), bytes.iter().all(|&b| b == 0xff));
    let mut buf = vec![0u8; 2 * T::SIZE];
    prop_assert_eq!(id.write_hex(&mut buf), Ok(()));
    prop_assert_eq!(String::from_utf8_lossy(&buf), id.hex());
    let json = serde_json::to_string(&id).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(serde_json::from_str::<T>(&json).ok(), Some(id));
    Ok(())
}

macro_rules! round_trip_props {
    ($($test:ident => $ty:ty),+ $(,)?) => {
        proptest! {
            $(
                #[test]
                fn $test(bytes in proptest::collection::vec(any::<u8>(), <$ty>::SIZE)) {
                    check_round_trips::<$ty>(&bytes)?;
                }
            )+
        }
    };
}

round_trip_props! {
    job_round_trip => JobId,
    actor_round_trip => ActorId,
    task_round_trip => TaskId,
    object_round_trip => ObjectId,
    placement_group_round_trip => PlacementGroupId,
    lease_round_trip => LeaseId,
    unique_round_trip => UniqueId,
    function_round_trip => FunctionId,
    actor_class_round_trip => ActorClassId,
    worker_round_trip => WorkerId,
    config_round_trip => ConfigId,
    node_round_trip => NodeId,
    cluster_round_trip => ClusterId,
}

/// Ray's acceptance rule, stated independently of the implementation.
fn ray_accepts_hex(s: &str, size: usize) -> bool {
    s.len() == 2 * size && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn check_from_hex_total<T: RayId>(s: &str) -> Result<(), TestCaseError> {
    match T::from_hex(s) {
        Ok(id) => {
            prop_assert!(ray_accepts_hex(s, T::SIZE));
            prop_assert_eq!(id.hex(), s.to_ascii_lowercase());
        }
        Err(IdError::InvalidHexLength {
            expected,
            actual,
            input,
        }) => {
            prop_assert_eq!(expected, 2 * T::SIZE);
            prop_assert_eq!(actual, s.len());
            prop_assert_ne!(actual, expected);
            prop_assert_eq!(input, s);
        }
        Err(IdError::InvalidHexChar { input }) => {
            prop_assert_eq!(s.len(), 2 * T::SIZE);
            prop_assert!(!ray_accepts_hex(s, T::SIZE));
            prop_assert_eq!(input, s);
        }
        Err(other) => prop_assert!(false, "unexpected error {other:?}"),
    }
    Ok(())
}

/// The bridge's byte-level fast path agrees with `from_hex` on every input,
/// and leaves the same bytes on success.
fn check_decode_hex_into<T: RayId>(s: &str) -> Result<(), TestCaseError> {
    let mut out = vec![0u8; T::SIZE];
    let decoded = T::decode_hex_into(s.as_bytes(), &mut out);
    match T::from_hex(s) {
        Ok(id) => {
            prop_assert!(decoded);
            prop_assert_eq!(out.as_slice(), id.as_bytes());
        }
        Err(_) => prop_assert!(!decoded),
    }
    let mut wrong_size = vec![0u8; T::SIZE + 1];
    prop_assert!(!T::decode_hex_into(s.as_bytes(), &mut wrong_size));
    Ok(())
}

fn check_from_binary_total<T: RayId>(bytes: &[u8]) -> Result<(), TestCaseError> {
    match T::from_binary(bytes) {
        Ok(id) if bytes.is_empty() => prop_assert!(id.is_nil()),
        Ok(id) => prop_assert_eq!(id.as_bytes(), bytes),
        Err(IdError::InvalidLength {
            expected, actual, ..
        }) => {
            prop_assert_eq!(expected, T::SIZE);
            prop_assert_eq!(actual, bytes.len());
            prop_assert!(actual != 0 && actual != T::SIZE);
        }
        Err(other) => prop_assert!(false, "unexpected error {other:?}"),
    }
    Ok(())
}

proptest! {
    #[test]
    fn from_hex_is_total_on_any_string(s in any::<String>()) {
        check_from_hex_total::<JobId>(&s)?;
        check_from_hex_total::<TaskId>(&s)?;
        check_from_hex_total::<WorkerId>(&s)?;
    }

    #[test]
    fn from_hex_is_total_on_near_hex(s in "[0-9a-fA-FxX +\u{e9}-]{0,10}") {
        check_from_hex_total::<JobId>(&s)?;
        check_from_hex_total::<PlacementGroupId>(&s)?;
    }

    #[test]
    fn from_hex_right_length_mixed(s in "[0-9a-zA-Z]{8}") {
        check_from_hex_total::<JobId>(&s)?;
        check_decode_hex_into::<JobId>(&s)?;
    }

    #[test]
    fn decode_hex_into_matches_from_hex(s in "[0-9a-fA-F]{0,60}", flip in any::<u8>(), at in any::<usize>()) {
        // Every byte value at one position of otherwise valid hex.
        let mut bytes = s.into_bytes();
        if !bytes.is_empty() {
            let i = at % bytes.len();
            bytes[i] = flip;
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        check_decode_hex_into::<JobId>(&text)?;
        check_decode_hex_into::<ActorId>(&text)?;
        check_decode_hex_into::<TaskId>(&text)?;
        check_decode_hex_into::<ObjectId>(&text)?;
        check_decode_hex_into::<PlacementGroupId>(&text)?;
        check_decode_hex_into::<NodeId>(&text)?;
    }

    #[test]
    fn from_binary_is_total(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        check_from_binary_total::<JobId>(&bytes)?;
        check_from_binary_total::<ActorId>(&bytes)?;
        check_from_binary_total::<TaskId>(&bytes)?;
        check_from_binary_total::<ObjectId>(&bytes)?;
        check_from_binary_total::<LeaseId>(&bytes)?;
        check_from_binary_total::<NodeId>(&bytes)?;
    }

    #[test]
    fn murmur_matches_reference(data in proptest::collection::vec(any::<u8>(), 0..300), seed in any::<u32>()) {
        prop_assert_eq!(murmur_hash64a(&data, seed), reference_murmur_hash64a(&data, seed));
    }

    #[test]
    fn unique_bytes_are_prefixes(
        job in any::<u32>(),
        counter in any::<u64>(),
        extra in any::<u64>(),
        len in 0usize..64,
    ) {
        let job = JobId::from_int(job);
        let parent = TaskId::for_driver_task(&job);
        let full = generate_unique_bytes(&job, &parent, counter, extra, 32)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        match generate_unique_bytes(&job, &parent, counter, extra, len) {
            Ok(bytes) => prop_assert_eq!(&bytes[..], &full[..len]),
            Err(e) => {
                prop_assert!(len > 32);
                prop_assert_eq!(e, IdError::UniqueBytesTooLong { requested: len });
            }
        }
    }

    #[test]
    fn execution_attempt_arithmetic(bytes in proptest::collection::vec(any::<u8>(), 24), attempt in any::<u64>()) {
        let task = TaskId::from_binary(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let next = task.for_execution_attempt(attempt);
        let mut low = [0u8; 8];
        low.copy_from_slice(&bytes[..8]);
        let want = (u64::from_le_bytes(low) & !0xff).wrapping_add(attempt);
        prop_assert_eq!(&next.as_bytes()[..8], &want.to_le_bytes()[..]);
        prop_assert_eq!(&next.as_bytes()[8..], &bytes[8..]);
    }

    #[test]
    fn object_index_layout(bytes in proptest::collection::vec(any::<u8>(), 24), index in 1u32..) {
        let task = TaskId::from_binary(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let object = ObjectId::from_index(&task, index).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(object.task_id(), task);
        prop_assert_eq!(object.object_index(), index);
        prop_assert_eq!(&object.as_bytes()[24..], &index.to_le_bytes()[..]);
    }
}

const RANDOM_SAMPLES: usize = 2000;

fn assert_no_ff(bytes: &[u8], what: &str) {
    assert!(
        !bytes.contains(&0xff),
        "{what} has a 0xFF byte: {bytes:02x?}"
    );
}

#[test]
fn random_ids_never_contain_ff() {
    let job = JobId::from_int(7);
    for _ in 0..RANDOM_SAMPLES {
        assert_no_ff(UniqueId::from_random().as_bytes(), "UniqueId");
        assert_no_ff(FunctionId::from_random().as_bytes(), "FunctionId");
        assert_no_ff(ActorClassId::from_random().as_bytes(), "ActorClassId");
        assert_no_ff(WorkerId::from_random().as_bytes(), "WorkerId");
        assert_no_ff(ConfigId::from_random().as_bytes(), "ConfigId");
        assert_no_ff(NodeId::from_random().as_bytes(), "NodeId");
        assert_no_ff(ClusterId::from_random().as_bytes(), "ClusterId");
        assert_no_ff(LeaseId::from_random().as_bytes(), "LeaseId");
        assert_no_ff(ObjectId::from_random().task_id().as_bytes(), "ObjectId");
        assert_no_ff(&TaskId::from_random(&job).as_bytes()[..20], "TaskId");
        assert_no_ff(
            &PlacementGroupId::of(&job).as_bytes()[..14],
            "PlacementGroupId",
        );
    }
}

#[test]
fn random_bytes_cover_0_to_254() {
    let mut seen = [false; 256];
    for _ in 0..RANDOM_SAMPLES {
        for &b in UniqueId::from_random().as_bytes() {
            seen[usize::from(b)] = true;
        }
    }
    assert!(
        seen[..255].iter().all(|&s| s),
        "some byte in 0..=254 never appeared"
    );
    assert!(!seen[255]);
}

#[test]
fn random_bytes_are_uniform_over_0_to_254() {
    // 560,000 bytes: about 2,196 per value with a standard deviation near 47,
    // so a 20% band is nine deviations wide and a skew (say, 0xFF folded
    // onto one value) falls far outside it.
    let mut counts = [0u32; 256];
    for _ in 0..20_000 {
        for &b in UniqueId::from_random().as_bytes() {
            counts[usize::from(b)] += 1;
        }
    }
    let expected = 20_000.0 * 28.0 / 255.0;
    for (value, &count) in counts.iter().enumerate().take(255) {
        let deviation = (f64::from(count) - expected).abs() / expected;
        assert!(
            deviation < 0.2,
            "byte {value}: {count} draws, expected about {expected:.0}"
        );
    }
    assert_eq!(counts[255], 0);
}
