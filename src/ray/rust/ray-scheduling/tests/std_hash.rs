//! libstdc++'s `std::hash<std::string>`, checked against values measured by
//! hashing the same strings with g++ 12 (libstdc++ of Debian 12, x86-64).

use ray_scheduling::std_hash::{hash_bytes, std_string_hash, STD_STRING_HASH_SEED};

#[test]
fn matches_libstdcxx_for_resource_and_node_names() {
    let measured: &[(&str, u64)] = &[
        ("", 6142509188972423790),
        ("a", 4993892634952068459),
        ("CPU", 13256703524887543243),
        ("GPU", 3448771150414936647),
        ("memory", 7304925948352406149),
        ("object_store_memory", 2288741819080354894),
        ("hello", 2762169579135187400),
        ("whaaat", 1756570414832466905),
        ("yes", 11051383617086998818),
        ("custom1", 2970583333020961879),
        ("neuron_cores", 18300697101198011499),
        ("TPU", 1271297650102415246),
        ("NPU", 9198039518259337998),
        ("HPU", 12203821995414447205),
        ("RBLN", 985762848014831421),
        ("abcdefg", 16063891478991045295),
        ("abcdefgh", 8664279048047335611),
        ("abcdefghi", 13036955925923793583),
        ("node:__internal_implicit_resource_a", 5199555438159719420),
        (
            "CPU_group_4482dec0faaf5ead891ff1659a9501000000",
            14560586510342535469,
        ),
        ("0", 2297668033614959926),
        ("custom10", 11177383076679187776),
        ("GPU0", 1042983176203195807),
        ("GPU1", 6388495189368752085),
    ];
    for &(s, h) in measured {
        assert_eq!(std_string_hash(s.as_bytes()), h, "hash of {s:?}");
    }
}

#[test]
fn matches_libstdcxx_for_arbitrary_bytes() {
    assert_eq!(std_string_hash(b"\x00\xff\x80z"), 10131421168793545185);
    assert_eq!(std_string_hash(&[b'x'; 1000]), 8681964282549520334);
    // Bytes >= 0x80 in every tail length and across one full block: the tail
    // is loaded unsigned.
    let measured: [u64; 16] = [
        16301033370959718334,
        3560827313352801042,
        4037407066006999071,
        10153627182356402049,
        8779304868723960554,
        17431024809704777374,
        5040248424294354642,
        12355158552977941703,
        4247315225599668205,
        6745623287104462886,
        392729973746309472,
        12932890145762294544,
        18248499599946648297,
        16033372477222255227,
        4459881924708978607,
        10028245294679179646,
    ];
    for (n, &h) in measured.iter().enumerate() {
        let bytes: Vec<u8> = (0..=n as u8).map(|i| 0xF0 + i).collect();
        assert_eq!(std_string_hash(&bytes), h, "length {}", n + 1);
    }
}

#[test]
fn seed_is_the_std_hash_seed() {
    assert_eq!(STD_STRING_HASH_SEED, 0xc70f6907);
    assert_eq!(
        hash_bytes(b"GPU", STD_STRING_HASH_SEED),
        std_string_hash(b"GPU")
    );
    assert_ne!(hash_bytes(b"GPU", 0), std_string_hash(b"GPU"));
}
