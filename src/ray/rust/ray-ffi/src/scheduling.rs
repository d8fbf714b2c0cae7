//! The scheduling bridge's functions, on top of `ray_scheduling`.
//!
//! The bridge's opaque types are newtypes over the crate's, so the crate stays
//! free of cxx. Every entry point runs under [`guard`]: a panic becomes a
//! FATAL line and an abort, never an unwind into C++.

use std::pin::Pin;
use std::sync::{LazyLock, OnceLock};

use cxx::CxxString;
use ray_scheduling as rs;
use rs::{FixedPoint, NodeId, ResourceEntry, ResourceId};

use crate::guard::guard;
use crate::scheduling_bridge::ffi::{EntriesView, Entry};

#[repr(transparent)]
pub(crate) struct StringIdMap(rs::StringIdMap);
#[derive(Default)]
pub(crate) struct ResourceSet(rs::ResourceSet);
#[derive(Default)]
pub(crate) struct NodeResourceSet(rs::NodeResourceSet);
pub(crate) struct NodeResourceInstanceSet(rs::NodeResourceInstanceSet);
pub(crate) struct Allocation(Option<rs::ResourceAllocation>);

// `Entry` and `ResourceEntry` are both two `int64_t`s; `FixedPoint` is one.
// C++ holds a set by value in storage of `kRustSetSize` (24) bytes, aligned to 8
// (`scheduling_bridge::HeldSet`). 24 bytes are exactly the set's entries (a SmallVec
// with one inline), so a set whose entries are inline owns no other memory, and C++
// skips dropping it: a field added to the sets must fail these checks.
const _: () = {
    assert!(std::mem::size_of::<ResourceSet>() == 24);
    assert!(std::mem::align_of::<ResourceSet>() == 8);
    assert!(std::mem::size_of::<NodeResourceSet>() == 24);
    assert!(std::mem::align_of::<NodeResourceSet>() == 8);
    assert!(std::mem::size_of::<Entry>() == std::mem::size_of::<ResourceEntry>());
    assert!(std::mem::align_of::<Entry>() == std::mem::align_of::<ResourceEntry>());
    assert!(std::mem::size_of::<FixedPoint>() == std::mem::size_of::<i64>());
    assert!(std::mem::align_of::<FixedPoint>() == std::mem::align_of::<i64>());
};

/// The address and length of `entries`, for C++ to read in place as `Entry`s:
/// both are `#[repr(C)]` pairs of `i64` newtypes (`#[repr(transparent)]`), of
/// equal size and alignment (checked above), valid for every bit pattern.
fn view(entries: &[ResourceEntry]) -> EntriesView {
    EntriesView {
        data: entries.as_ptr() as usize,
        len: entries.len(),
    }
}

fn as_resource_entries(entries: &[Entry]) -> &[ResourceEntry] {
    // SAFETY: both are `#[repr(C)]` pairs of `i64` (newtypes), of equal size and
    // alignment (checked above), valid for every bit pattern.
    unsafe { std::slice::from_raw_parts(entries.as_ptr().cast::<ResourceEntry>(), entries.len()) }
}

fn as_raw(values: &[FixedPoint]) -> &[i64] {
    // SAFETY: `FixedPoint` is a `#[repr(transparent)]` `i64`.
    unsafe { std::slice::from_raw_parts(values.as_ptr().cast::<i64>(), values.len()) }
}

fn from_raw(values: &[i64]) -> Vec<FixedPoint> {
    values.iter().copied().map(FixedPoint::from_raw).collect()
}

fn text(out: Pin<&mut CxxString>, s: &str) {
    let mut out = out;
    out.as_mut().clear();
    out.push_str(s);
}

fn fail(failure: Pin<&mut CxxString>, message: impl std::fmt::Display) -> bool {
    text(failure, &message.to_string());
    false
}

/// The operation whose check failed: Ray's `RAY_CHECK` lines name the condition
/// as written at each call site.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CheckSite {
    Parse,
    Set,
    Free,
    Add,
    Subtract,
    TryAllocate,
}

/// Ray's whole fatal line for a failed check, `Check failed: <condition> <message>`,
/// as the C++ drop-in logs it (the crate's own error text is for Rust callers).
fn ray_check_line(site: CheckSite, e: &rs::ResourceError) -> String {
    use rs::ResourceError as E;
    let condition = match (site, e) {
        (_, E::NoPgResourceKind) => {
            return format!("Check failed: for_wildcard_resource || for_indexed_resource {e}")
        }
        (_, E::InsufficientForReference { .. }) => {
            return format!("Check failed: IsCPUOrPlacementGroupCPUResource(resource_id) {e}")
        }
        (_, E::ImplicitResource(_)) => "!resource_id.IsImplicitResource()",
        // AllocateWithReference's own checks; a Set inside any operation is Set's.
        (CheckSite::TryAllocate, E::EmptyInstances(_)) => "!available.empty()",
        (_, E::EmptyInstances(_)) => "!instances.empty()",
        (CheckSite::TryAllocate, E::LengthMismatch { .. }) => {
            "(available.size()) == (ref_allocation.size())"
        }
        (CheckSite::Free, E::LengthMismatch { .. }) => "(allocation.size()) == (available.size())",
        (_, E::LengthMismatch { .. }) => "(available.size()) == (instances.size())",
        (
            _,
            E::MalformedPlacementGroupDemand {
                has_wildcard: false,
                ..
            },
        ) => "wildcard_resource_id != nullptr",
        (_, E::MalformedPlacementGroupDemand { .. }) => "!(*wildcard_allocation).empty()",
        (_, E::NotFound(_) | E::BundleIndexOutOfRange(_)) => return e.to_string(),
    };
    format!("Check failed: {condition} ")
}

/// -2 where Ray's `std::stoi` of a bundle index throws `std::out_of_range` (C++
/// rethrows it), else -1 for a fatal check, with Ray's line in `failure`.
fn error_code(site: CheckSite, failure: Pin<&mut CxxString>, e: rs::ResourceError) -> i32 {
    let code = match e {
        rs::ResourceError::BundleIndexOutOfRange(_) => -2,
        _ => -1,
    };
    fail(failure, ray_check_line(site, &e));
    code
}

fn rid(id: i64) -> ResourceId {
    ResourceId::from_int(id)
}

const NOT_UTF8: &str = "scheduling names must be UTF-8";

// ---- StringIdMap and the scheduling IDs ----

pub(crate) fn string_id_map_new() -> Box<StringIdMap> {
    guard("string_id_map_new", || {
        Box::new(StringIdMap(rs::StringIdMap::new()))
    })
}

/// The crate keeps the process-wide maps itself; the bridge hands out views of
/// them with the opaque type's layout.
fn global(map: &'static rs::StringIdMap) -> &'static StringIdMap {
    // SAFETY: `StringIdMap` is a newtype with the same layout (`#[repr(transparent)]`).
    unsafe { &*(map as *const rs::StringIdMap).cast::<StringIdMap>() }
}

pub(crate) fn node_id_map() -> &'static StringIdMap {
    guard("node_id_map", || global(NodeId::map()))
}

pub(crate) fn resource_id_map() -> &'static StringIdMap {
    guard("resource_id_map", || global(ResourceId::map()))
}

pub(crate) fn string_id_map_get_id(map: &StringIdMap, name: &[u8]) -> i64 {
    guard("string_id_map_get_id", || match std::str::from_utf8(name) {
        Ok(name) => map.0.get_id(name),
        // A name that is not UTF-8 was never inserted.
        Err(_) => -1,
    })
}

pub(crate) fn string_id_map_get_name(map: &StringIdMap, id: i64, out: Pin<&mut CxxString>) {
    guard("string_id_map_get_name", || {
        map.0.with_name(id, |name| {
            text(out, name.unwrap_or(rs::UNKNOWN_ID_NAME));
        })
    })
}

pub(crate) fn string_id_map_insert(
    map: &StringIdMap,
    name: &[u8],
    max_id: u8,
    id: &mut i64,
    failure: Pin<&mut CxxString>,
) -> bool {
    guard("string_id_map_insert", || {
        let Ok(name) = std::str::from_utf8(name) else {
            return fail(failure, NOT_UTF8);
        };
        match map.0.insert_with_max_id(name, max_id) {
            Ok(new_id) => {
                *id = new_id;
                true
            }
            Err(e) => fail(failure, e),
        }
    })
}

pub(crate) fn string_id_map_insert_or_die(
    map: &StringIdMap,
    name: &[u8],
    id: i64,
    failure: Pin<&mut CxxString>,
) -> bool {
    guard("string_id_map_insert_or_die", || {
        let Ok(name) = std::str::from_utf8(name) else {
            return fail(failure, NOT_UTF8);
        };
        match map.0.try_insert_or_die(name, id) {
            Ok(_) => true,
            Err(e) => fail(failure, insert_or_die_message(&e)),
        }
    })
}

/// Ray's whole fatal line for a failed `InsertOrDie`: the text of the check that
/// failed (the name's, or for a new name the ID's), then the streamed message.
fn insert_or_die_message(e: &rs::StringIdMapError) -> String {
    let check = match e {
        rs::StringIdMapError::AlreadyExists {
            taken: rs::Taken::Id,
            ..
        } => "int_to_string_.emplace(value, string_id).second",
        _ => "string_to_int_.emplace(string_id, value).second",
    };
    format!("Check failed: {check} {e}")
}

pub(crate) fn string_id_map_count(map: &StringIdMap) -> i64 {
    guard("string_id_map_count", || {
        i64::try_from(map.0.count()).unwrap_or(i64::MAX)
    })
}

pub(crate) fn resource_id_is_implicit(id: i64) -> bool {
    guard("resource_id_is_implicit", || rid(id).is_implicit())
}

pub(crate) fn unit_instance_ids_from_config(
    predefined: &[u8],
    custom: &[u8],
    out: &mut Vec<i64>,
    failure: Pin<&mut CxxString>,
) -> bool {
    guard("unit_instance_ids_from_config", || {
        let (Ok(predefined), Ok(custom)) =
            (std::str::from_utf8(predefined), std::str::from_utf8(custom))
        else {
            return fail(failure, NOT_UTF8);
        };
        let config = rs::unit_instance::UnitInstanceConfig {
            predefined_unit_instance_resources: predefined.to_owned(),
            custom_unit_instance_resources: custom.to_owned(),
        };
        match rs::unit_instance::build(&config) {
            Ok(ids) => {
                out.clear();
                out.extend(ids.into_iter().map(ResourceId::to_int));
                true
            }
            Err(e) => fail(failure, e),
        }
    })
}

/// The host's membership test, once installed.
static HOST_IS_UNIT_INSTANCE: OnceLock<extern "C" fn(i64) -> bool> = OnceLock::new();

fn host_is_unit_instance(id: ResourceId) -> bool {
    HOST_IS_UNIT_INSTANCE
        .get()
        .is_some_and(|is_member| is_member(id.to_int()))
}

/// # Safety
///
/// `is_member` must be the address of an `extern "C" fn(i64) -> bool` that is
/// valid for the rest of the process and safe to call from any thread.
pub(crate) unsafe fn use_host_unit_instance_set(is_member: usize) {
    guard("use_host_unit_instance_set", || {
        // SAFETY: the caller passes the address of such a function (see above).
        let is_member =
            unsafe { std::mem::transmute::<usize, extern "C" fn(i64) -> bool>(is_member) };
        if HOST_IS_UNIT_INSTANCE.set(is_member).is_ok() {
            rs::unit_instance::set_membership_source(host_is_unit_instance);
        }
    })
}

// ---- placement_group_util ----

pub(crate) fn is_cpu_or_pg_cpu_resource(id: i64) -> bool {
    guard("is_cpu_or_pg_cpu_resource", || {
        rs::is_cpu_or_placement_group_cpu_resource(rid(id))
    })
}

pub(crate) fn parse_pg_formatted_resource(
    resource: &[u8],
    for_wildcard_resource: bool,
    for_indexed_resource: bool,
    original_resource: Pin<&mut CxxString>,
    bundle_index: &mut i64,
    group_id: Pin<&mut CxxString>,
    failure: Pin<&mut CxxString>,
) -> i32 {
    guard("parse_pg_formatted_resource", || {
        // A name that is not UTF-8 has no placement-group format.
        let resource = std::str::from_utf8(resource).unwrap_or("");
        match rs::try_parse_pg_formatted_resource(
            resource,
            for_wildcard_resource,
            for_indexed_resource,
        ) {
            Ok(Some(data)) => {
                text(original_resource, &data.original_resource);
                *bundle_index = data.bundle_index;
                text(group_id, &data.group_id);
                1
            }
            Ok(None) => 0,
            Err(e) => error_code(CheckSite::Parse, failure, e),
        }
    })
}

// ---- ResourceSet ----

static EMPTY_SET: LazyLock<ResourceSet> = LazyLock::new(|| ResourceSet(rs::ResourceSet::default()));
static EMPTY_NODE_SET: LazyLock<NodeResourceSet> =
    LazyLock::new(|| NodeResourceSet(rs::NodeResourceSet::default()));
static EMPTY_INSTANCES: LazyLock<NodeResourceInstanceSet> =
    LazyLock::new(|| NodeResourceInstanceSet(rs::NodeResourceInstanceSet::default()));

/// Places an empty set in the C++ object's storage at `out`, lets `fill` build
/// it there, and returns where its entries are. Built in place rather than
/// built elsewhere and moved: the move would be a copy that C++ then reads back
/// at once, in wider loads than the copy's stores (store forwarding fails).
///
/// # Safety
///
/// `out` must be valid for writes of a `T`, aligned, and hold no live value.
unsafe fn emplace<T: Default>(
    out: *mut T,
    fill: impl FnOnce(&mut T),
    entries: impl FnOnce(&T) -> &[ResourceEntry],
) -> EntriesView {
    // SAFETY: the caller's contract; `out` holds a live `T` after the write.
    let set = unsafe {
        out.write(T::default());
        &mut *out
    };
    fill(set);
    view(entries(set))
}

pub(crate) fn set_empty() -> &'static ResourceSet {
    guard("set_empty", || &*EMPTY_SET)
}

pub(crate) unsafe fn set_init(out: *mut ResourceSet) -> EntriesView {
    guard("set_init", || {
        // SAFETY: the bridge's contract for `out`.
        unsafe { emplace(out, |_: &mut ResourceSet| {}, |s| s.0.entries()) }
    })
}

pub(crate) unsafe fn set_init_with(out: *mut ResourceSet, id: i64, value: i64) -> EntriesView {
    guard("set_init_with", || {
        // SAFETY: the bridge's contract for `out`.
        unsafe {
            emplace(
                out,
                |s: &mut ResourceSet| {
                    s.0.set(rid(id), FixedPoint::from_raw(value));
                },
                |s| s.0.entries(),
            )
        }
    })
}

pub(crate) unsafe fn set_drop(set: *mut ResourceSet) {
    // SAFETY: `set` holds a live value that C++ gives up.
    guard("set_drop", || unsafe { std::ptr::drop_in_place(set) })
}

pub(crate) unsafe fn set_clone_into(set: &ResourceSet, out: *mut ResourceSet) -> EntriesView {
    guard("set_clone_into", || {
        // SAFETY: the bridge's contract for `out`.
        unsafe {
            emplace(
                out,
                |s: &mut ResourceSet| s.0 = set.0.clone(),
                |s| s.0.entries(),
            )
        }
    })
}

/// # Safety
///
/// `entries` must point to `len` entries (or be anything if `len` is 0).
unsafe fn entries_at<'a>(entries: *const Entry, len: usize) -> &'a [Entry] {
    if len == 0 {
        &[]
    } else {
        // SAFETY: the caller's contract.
        unsafe { std::slice::from_raw_parts(entries, len) }
    }
}

pub(crate) unsafe fn set_from_entries_into(
    entries: *const Entry,
    len: usize,
    out: *mut ResourceSet,
) -> EntriesView {
    guard("set_from_entries_into", || {
        // SAFETY: the bridge's contract for `entries`.
        let entries = unsafe { entries_at(entries, len) };
        // SAFETY: the bridge's contract for `out`.
        unsafe {
            emplace(
                out,
                |s: &mut ResourceSet| s.0.assign_entries(as_resource_entries(entries)),
                |s| s.0.entries(),
            )
        }
    })
}

pub(crate) fn set_set(set: &mut ResourceSet, id: i64, value: i64) -> EntriesView {
    guard("set_set", || {
        view(set.0.set(rid(id), FixedPoint::from_raw(value)).entries())
    })
}

pub(crate) fn set_clear(set: &mut ResourceSet) -> EntriesView {
    guard("set_clear", || {
        set.0.clear();
        view(set.0.entries())
    })
}

pub(crate) fn set_eq(a: &ResourceSet, b: &ResourceSet) -> bool {
    guard("set_eq", || a.0 == b.0)
}

pub(crate) unsafe fn set_add_into(
    a: &ResourceSet,
    b: &ResourceSet,
    out: *mut ResourceSet,
) -> EntriesView {
    guard("set_add_into", || {
        // SAFETY: the bridge's contract for `out`.
        unsafe {
            emplace(
                out,
                |s: &mut ResourceSet| {
                    s.0.clone_from(&a.0);
                    s.0 += &b.0
                },
                |s| s.0.entries(),
            )
        }
    })
}

pub(crate) unsafe fn set_sub_into(
    a: &ResourceSet,
    b: &ResourceSet,
    out: *mut ResourceSet,
) -> EntriesView {
    guard("set_sub_into", || {
        // SAFETY: the bridge's contract for `out`.
        unsafe {
            emplace(
                out,
                |s: &mut ResourceSet| {
                    s.0.clone_from(&a.0);
                    s.0 -= &b.0
                },
                |s| s.0.entries(),
            )
        }
    })
}

pub(crate) fn set_add_assign(a: &mut ResourceSet, b: &ResourceSet) -> EntriesView {
    guard("set_add_assign", || {
        a.0 += &b.0;
        view(a.0.entries())
    })
}

pub(crate) fn set_sub_assign(a: &mut ResourceSet, b: &ResourceSet) -> EntriesView {
    guard("set_sub_assign", || {
        a.0 -= &b.0;
        view(a.0.entries())
    })
}

pub(crate) fn set_is_subset_of(a: &ResourceSet, b: &ResourceSet) -> bool {
    guard("set_is_subset_of", || a.0.is_subset_of(&b.0))
}

pub(crate) fn set_debug_string(set: &ResourceSet, out: Pin<&mut CxxString>) {
    guard("set_debug_string", || text(out, &set.0.debug_string()))
}

// ---- NodeResourceSet ----

pub(crate) fn node_set_empty() -> &'static NodeResourceSet {
    guard("node_set_empty", || &*EMPTY_NODE_SET)
}

pub(crate) unsafe fn node_set_init(out: *mut NodeResourceSet) -> EntriesView {
    guard("node_set_init", || {
        // SAFETY: the bridge's contract for `out`.
        unsafe { emplace(out, |_: &mut NodeResourceSet| {}, |s| s.0.entries()) }
    })
}

pub(crate) unsafe fn node_set_init_with(
    out: *mut NodeResourceSet,
    id: i64,
    value: i64,
) -> EntriesView {
    guard("node_set_init_with", || {
        // SAFETY: the bridge's contract for `out`.
        unsafe {
            emplace(
                out,
                |s: &mut NodeResourceSet| {
                    s.0.set(rid(id), FixedPoint::from_raw(value));
                },
                |s| s.0.entries(),
            )
        }
    })
}

pub(crate) unsafe fn node_set_drop(set: *mut NodeResourceSet) {
    // SAFETY: `set` holds a live value that C++ gives up.
    guard("node_set_drop", || unsafe { std::ptr::drop_in_place(set) })
}

pub(crate) unsafe fn node_set_clone_into(
    set: &NodeResourceSet,
    out: *mut NodeResourceSet,
) -> EntriesView {
    guard("node_set_clone_into", || {
        // SAFETY: the bridge's contract for `out`.
        unsafe {
            emplace(
                out,
                |s: &mut NodeResourceSet| s.0 = set.0.clone(),
                |s| s.0.entries(),
            )
        }
    })
}

pub(crate) unsafe fn node_set_from_entries_into(
    entries: *const Entry,
    len: usize,
    out: *mut NodeResourceSet,
) -> EntriesView {
    guard("node_set_from_entries_into", || {
        // SAFETY: the bridge's contract for `entries`.
        let entries = unsafe { entries_at(entries, len) };
        // SAFETY: the bridge's contract for `out`.
        unsafe {
            emplace(
                out,
                |s: &mut NodeResourceSet| s.0.assign_entries(as_resource_entries(entries)),
                |s| s.0.entries(),
            )
        }
    })
}

pub(crate) fn node_set_set(set: &mut NodeResourceSet, id: i64, value: i64) -> EntriesView {
    guard("node_set_set", || {
        view(set.0.set(rid(id), FixedPoint::from_raw(value)).entries())
    })
}

pub(crate) fn node_set_sub_assign(set: &mut NodeResourceSet, other: &ResourceSet) -> EntriesView {
    guard("node_set_sub_assign", || {
        set.0 -= &other.0;
        view(set.0.entries())
    })
}

pub(crate) fn node_set_is_superset_of(set: &NodeResourceSet, other: &ResourceSet) -> bool {
    guard("node_set_is_superset_of", || set.0.is_superset_of(&other.0))
}

pub(crate) fn node_set_eq(a: &NodeResourceSet, b: &NodeResourceSet) -> bool {
    guard("node_set_eq", || a.0 == b.0)
}

pub(crate) fn node_set_remove_negative(set: &mut NodeResourceSet) -> EntriesView {
    guard("node_set_remove_negative", || {
        set.0.remove_negative();
        view(set.0.entries())
    })
}

pub(crate) fn node_set_explicit_ids(set: &NodeResourceSet, out: &mut Vec<i64>) {
    guard("node_set_explicit_ids", || {
        out.clear();
        out.extend(
            set.0
                .explicit_resource_ids()
                .into_iter()
                .map(ResourceId::to_int),
        );
    })
}

pub(crate) fn node_set_debug_string(set: &NodeResourceSet, out: Pin<&mut CxxString>) {
    guard("node_set_debug_string", || text(out, &set.0.debug_string()))
}

pub(crate) fn node_set_to_instances(
    total: &NodeResourceSet,
    out: &mut NodeResourceInstanceSet,
    failure: Pin<&mut CxxString>,
) -> bool {
    guard(
        "node_set_to_instances",
        || match rs::NodeResourceInstanceSet::try_from_total(&total.0) {
            Ok(set) => {
                out.0 = set;
                true
            }
            Err(e) => fail(failure, ray_check_line(CheckSite::Set, &e)),
        },
    )
}

// ---- NodeResourceInstanceSet ----

pub(crate) fn instances_new() -> Box<NodeResourceInstanceSet> {
    guard("instances_new", || {
        Box::new(NodeResourceInstanceSet(
            rs::NodeResourceInstanceSet::default(),
        ))
    })
}

pub(crate) fn instances_empty() -> &'static NodeResourceInstanceSet {
    guard("instances_empty", || &*EMPTY_INSTANCES)
}

pub(crate) fn instances_clone(set: &NodeResourceInstanceSet) -> Box<NodeResourceInstanceSet> {
    guard("instances_clone", || {
        Box::new(NodeResourceInstanceSet(set.0.clone()))
    })
}

pub(crate) fn instances_get(set: &NodeResourceInstanceSet, id: i64) -> &[i64] {
    guard("instances_get", || as_raw(set.0.get(rid(id))))
}

pub(crate) fn instances_ids(set: &NodeResourceInstanceSet, out: &mut Vec<i64>) {
    guard("instances_ids", || {
        out.clear();
        out.extend(set.0.resources().keys().map(ResourceId::to_int));
    })
}

pub(crate) fn instances_set(
    set: &mut NodeResourceInstanceSet,
    id: i64,
    instances: &[i64],
    failure: Pin<&mut CxxString>,
) -> bool {
    guard("instances_set", || {
        match set.0.try_set(rid(id), from_raw(instances)) {
            Ok(_) => true,
            Err(e) => fail(failure, ray_check_line(CheckSite::Set, &e)),
        }
    })
}

pub(crate) fn instances_remove(set: &mut NodeResourceInstanceSet, id: i64) {
    guard("instances_remove", || set.0.remove(rid(id)))
}

pub(crate) fn resource_index_overflows(id: i64) -> bool {
    guard("resource_index_overflows", || index_overflows(rid(id)))
}

pub(crate) fn instances_set_throws(set: &NodeResourceInstanceSet, id: i64) -> bool {
    guard("instances_set_throws", || {
        set.0.resources().contains(rid(id)) && index_overflows(rid(id))
    })
}

/// Whether Ray's indexed placement-group parse of the name throws `out_of_range`.
fn index_overflows(id: ResourceId) -> bool {
    id.with_name(|name| {
        matches!(
            rs::try_parse_pg_formatted_resource(name.unwrap_or(rs::UNKNOWN_ID_NAME), false, true),
            Err(rs::ResourceError::BundleIndexOutOfRange(_))
        )
    })
}

pub(crate) fn instances_eq(a: &NodeResourceInstanceSet, b: &NodeResourceInstanceSet) -> bool {
    guard("instances_eq", || a.0 == b.0)
}

pub(crate) fn instances_debug_string(set: &NodeResourceInstanceSet, out: Pin<&mut CxxString>) {
    guard("instances_debug_string", || {
        text(out, &set.0.debug_string())
    })
}

pub(crate) fn instances_try_allocate(
    set: &mut NodeResourceInstanceSet,
    demands: &ResourceSet,
    allocation: &mut Allocation,
    failure: Pin<&mut CxxString>,
) -> i32 {
    guard("instances_try_allocate", || {
        match set.0.allocate(&demands.0) {
            Ok(Some(taken)) => {
                allocation.0 = Some(taken);
                1
            }
            Ok(None) => {
                allocation.0 = None;
                0
            }
            Err(e) => error_code(CheckSite::TryAllocate, failure, e),
        }
    })
}

pub(crate) fn instances_free(
    set: &mut NodeResourceInstanceSet,
    id: i64,
    allocation: &[i64],
    failure: Pin<&mut CxxString>,
) -> bool {
    guard("instances_free", || {
        match set.0.try_free(rid(id), &from_raw(allocation)) {
            Ok(()) => true,
            Err(e) => fail(failure, ray_check_line(CheckSite::Free, &e)),
        }
    })
}

pub(crate) fn instances_add(
    set: &mut NodeResourceInstanceSet,
    id: i64,
    instances: &[i64],
    failure: Pin<&mut CxxString>,
) -> bool {
    guard("instances_add", || {
        match set.0.try_add(rid(id), &from_raw(instances)) {
            Ok(()) => true,
            Err(e) => fail(failure, ray_check_line(CheckSite::Add, &e)),
        }
    })
}

pub(crate) fn instances_subtract(
    set: &mut NodeResourceInstanceSet,
    id: i64,
    instances: &[i64],
    allow_going_negative: bool,
    underflow: &mut Vec<i64>,
    failure: Pin<&mut CxxString>,
) -> bool {
    guard("instances_subtract", || {
        match set
            .0
            .try_subtract(rid(id), &from_raw(instances), allow_going_negative)
        {
            Ok(values) => {
                underflow.clear();
                underflow.extend_from_slice(as_raw(&values));
                true
            }
            Err(e) => fail(failure, ray_check_line(CheckSite::Subtract, &e)),
        }
    })
}

pub(crate) unsafe fn instances_to_node_set_into(
    set: &NodeResourceInstanceSet,
    out: *mut NodeResourceSet,
) -> EntriesView {
    guard("instances_to_node_set_into", || {
        // SAFETY: the bridge's contract for `out`.
        unsafe {
            emplace(
                out,
                |s: &mut NodeResourceSet| s.0 = set.0.to_node_resource_set(),
                |s| s.0.entries(),
            )
        }
    })
}

pub(crate) fn allocation_new() -> Box<Allocation> {
    guard("allocation_new", || Box::new(Allocation(None)))
}

pub(crate) fn allocation_into(allocation: &Allocation, out: &mut Vec<i64>) {
    guard("allocation_into", || {
        out.clear();
        for (id, values) in allocation.0.iter().flat_map(|a| a.iter()) {
            out.push(id.to_int());
            out.push(i64::try_from(values.len()).unwrap_or(i64::MAX));
            out.extend_from_slice(as_raw(values));
        }
    })
}
