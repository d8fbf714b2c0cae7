//! Resource and node IDs: interning, the predefined resources, nil, ordering,
//! and the implicit/predefined classification.

use ray_scheduling::constants::{
    CPU_RESOURCE_LABEL, GPU_RESOURCE_LABEL, MEMORY_RESOURCE_LABEL,
    OBJECT_STORE_MEMORY_RESOURCE_LABEL,
};
use ray_scheduling::std_hash::std_string_hash;
use ray_scheduling::{
    NodeId, PredefinedResource, ResourceId, IMPLICIT_RESOURCE_PREFIX, PREDEFINED_RESOURCES_ENUM_MAX,
};

#[test]
fn node_ids_round_trip_names() {
    let names = ["hello", "whaaat", "yes"];
    let ids: Vec<NodeId> = names.iter().map(|n| NodeId::from_name(n)).collect();
    for (id, name) in ids.iter().zip(names) {
        assert_eq!(id.binary(), name);
        assert_eq!(NodeId::from_name(name), *id);
        assert_eq!(NodeId::from_int(id.to_int()), *id);
    }
    // IDs are the (signed) libstdc++ hash of the name: "yes" is negative.
    assert_eq!(ids[2].to_int(), std_string_hash(b"yes") as i64);
    assert_eq!(ids[2].to_int(), -7395360456622552798);
    assert_eq!(ids[0].to_int(), 2762169579135187400);
}

#[test]
fn nil_ids() {
    assert!(NodeId::nil().is_nil());
    assert_eq!(NodeId::NIL.to_int(), -1);
    assert_eq!(NodeId::nil().binary(), "-1");
    assert_eq!(NodeId::default(), NodeId::NIL);
    assert!(ResourceId::nil().is_nil());
    assert_eq!(ResourceId::default().binary(), "-1");
    assert!(!ResourceId::from_int(0).is_nil());
}

#[test]
fn comparisons_use_the_integer() {
    assert_eq!(NodeId::from_int(13), NodeId::from_int(13));
    assert_ne!(NodeId::from_int(1), NodeId::from_int(2));
    assert!(NodeId::from_int(1) < NodeId::from_int(2));
    assert!(ResourceId::from_int(-5) < ResourceId::CPU);
}

#[test]
fn predefined_resources_have_fixed_ids() {
    assert_eq!(ResourceId::CPU.to_int(), 0);
    assert_eq!(ResourceId::MEMORY.to_int(), 1);
    assert_eq!(ResourceId::GPU.to_int(), 2);
    assert_eq!(ResourceId::OBJECT_STORE_MEMORY.to_int(), 3);
    assert_eq!(PREDEFINED_RESOURCES_ENUM_MAX, 4);
    assert_eq!(ResourceId::cpu().binary(), CPU_RESOURCE_LABEL);
    assert_eq!(ResourceId::gpu().binary(), GPU_RESOURCE_LABEL);
    assert_eq!(ResourceId::memory().binary(), MEMORY_RESOURCE_LABEL);
    assert_eq!(
        ResourceId::object_store_memory().binary(),
        OBJECT_STORE_MEMORY_RESOURCE_LABEL
    );
    // Names map to the predefined IDs, not to their hashes.
    assert_eq!(ResourceId::from_name("CPU"), ResourceId::CPU);
    assert_eq!(ResourceId::from_name("object_store_memory").to_int(), 3);
    for r in PredefinedResource::ALL {
        assert_eq!(ResourceId::from(r).binary(), r.label());
        assert!(ResourceId::from(r).is_predefined());
    }
    // The node map is not pre-populated.
    assert_ne!(NodeId::from_int(0).binary(), CPU_RESOURCE_LABEL);
}

#[test]
fn custom_resource_ids_are_hashes() {
    let id = ResourceId::from_name("custom1");
    assert_eq!(id.to_int(), 2970583333020961879);
    assert!(!id.is_predefined());
    assert_eq!(ResourceId::map().get_id("custom1"), id.to_int());
    assert_eq!(ResourceId::map().get_id("never_interned_name"), -1);
    assert_eq!(id.to_string(), "custom1");
    assert_eq!(NodeId::from_int(42).to_string(), "42");
}

#[test]
fn implicit_resources() {
    let implicit = ResourceId::from_name(&format!("{IMPLICIT_RESOURCE_PREFIX}a"));
    assert!(implicit.is_implicit());
    assert!(!ResourceId::from_name("node:__internal_implicit").is_implicit());
    assert!(!ResourceId::CPU.is_implicit());
    assert!(!ResourceId::from_int(987_654_321).is_implicit());
    assert_eq!(
        IMPLICIT_RESOURCE_PREFIX,
        "node:__internal_implicit_resource_"
    );
}

#[test]
fn interning_is_thread_safe() {
    let handles: Vec<_> = (0..4)
        .map(|t| {
            std::thread::spawn(move || {
                (0..200)
                    .map(|i| ResourceId::from_name(&format!("threaded_{}", (i + t * 50) % 300)))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all = Vec::new();
    for h in handles {
        match h.join() {
            Ok(ids) => all.extend(ids),
            Err(_) => panic!("an interning thread panicked"),
        }
    }
    for id in all {
        let name = id.binary();
        assert_eq!(ResourceId::from_name(&name), id);
    }
}
