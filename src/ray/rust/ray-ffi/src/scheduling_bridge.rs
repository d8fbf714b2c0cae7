//! The scheduling resource model's interface to C++ (`ray/ffi/scheduling_bridge.rs.h`,
//! namespace `ray::rust::scheduling`).
//!
//! Resource sets are Rust values that C++ holds by value, in storage of its own
//! (a Rust value moves by plain copy; empty storage is the empty set, so
//! default construction and moves make no call). Their entries are
//! contiguous `{id, raw quantity}` pairs, sorted by ID, that C++ reads in
//! place: C++ keeps a view (pointer and length) of them, taken again after
//! every call that changes the set, so lookups, sizes and iteration do not
//! cross the bridge at all. Per-instance
//! values cross as `int64_t` slices: a `FixedPoint` is one `int64_t` on both
//! sides. Calls that Ray turns into a fatal check return `false` with the
//! check's text in `failure`, which C++ logs at FATAL level.

use crate::scheduling::*;

#[cxx::bridge(namespace = "ray::rust::scheduling")]
pub(crate) mod ffi {
    /// One resource and its raw fixed-point quantity (`FixedPoint`'s `int64_t`).
    /// The layout of `ray_scheduling::ResourceEntry`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    struct Entry {
        id: i64,
        value: i64,
    }

    /// Where a set's entries are: the address of the first `Entry` and their
    /// number. Valid until the set changes. Plain integers rather than
    /// `&[Entry]`, whose C++ side reads its pointer and length through calls
    /// into Rust: this is returned by the calls that change a set, so C++
    /// takes its new view with no further crossing.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    struct EntriesView {
        data: usize,
        len: usize,
    }

    extern "Rust" {
        type StringIdMap;
        type ResourceSet;
        type NodeResourceSet;
        type NodeResourceInstanceSet;
        type Allocation;

        // ---- StringIdMap and the scheduling IDs ----

        fn string_id_map_new() -> Box<StringIdMap>;
        /// The process-wide map behind `scheduling::NodeID`.
        fn node_id_map() -> &'static StringIdMap;
        /// The process-wide map behind `scheduling::ResourceID`, predefined
        /// resources included.
        fn resource_id_map() -> &'static StringIdMap;
        /// -1 if `name` was never interned.
        fn string_id_map_get_id(map: &StringIdMap, name: &[u8]) -> i64;
        /// Writes the name of `id`, or "-1" if there is none.
        fn string_id_map_get_name(map: &StringIdMap, id: i64, out: Pin<&mut CxxString>);
        /// `Insert(name, max_id)`; `false` where Ray would loop forever or the
        /// name is not UTF-8.
        fn string_id_map_insert(
            map: &StringIdMap,
            name: &[u8],
            max_id: u8,
            id: &mut i64,
            failure: Pin<&mut CxxString>,
        ) -> bool;
        /// `InsertOrDie(name, id)`; `false` where Ray aborts, with Ray's whole
        /// fatal line (the failing check's text and message) in `failure`.
        fn string_id_map_insert_or_die(
            map: &StringIdMap,
            name: &[u8],
            id: i64,
            failure: Pin<&mut CxxString>,
        ) -> bool;
        fn string_id_map_count(map: &StringIdMap) -> i64;

        fn resource_id_is_implicit(id: i64) -> bool;
        /// The unit-instance IDs Ray builds from the two RayConfig strings, in
        /// `out`; `false` (and nothing in `out`) where Ray aborts.
        fn unit_instance_ids_from_config(
            predefined: &[u8],
            custom: &[u8],
            out: &mut Vec<i64>,
            failure: Pin<&mut CxxString>,
        ) -> bool;
        /// From now on the crate asks the host whether a resource is
        /// unit-instance: Ray's tests edit the C++ set in place, and allocation
        /// must see that. `is_member` is the address of an
        /// `extern "C" bool(int64_t)` that stays valid for the process.
        unsafe fn use_host_unit_instance_set(is_member: usize);

        // ---- placement_group_util ----

        fn is_cpu_or_pg_cpu_resource(id: i64) -> bool;
        /// `ParsePgFormattedResource`: 1 parsed, 0 std::nullopt, -1 where Ray
        /// aborts, -2 where it throws std::out_of_range (text in `failure`).
        fn parse_pg_formatted_resource(
            resource: &[u8],
            for_wildcard_resource: bool,
            for_indexed_resource: bool,
            original_resource: Pin<&mut CxxString>,
            bundle_index: &mut i64,
            group_id: Pin<&mut CxxString>,
            failure: Pin<&mut CxxString>,
        ) -> i32;

        // ---- ResourceSet ----
        //
        // C++ keeps each set in storage of its own (`HeldSet`). The `*_init`,
        // `*_into` and `*_drop` functions are `unsafe`: `out` must be aligned
        // storage for the type holding no live value, and `*_drop` ends the
        // value's life. Each call that places or changes a set returns where its
        // entries are now, which C++ keeps as its view.

        /// The empty set that C++'s empty storage stands for.
        fn set_empty() -> &'static ResourceSet;
        unsafe fn set_init(out: *mut ResourceSet) -> EntriesView;
        /// A set of one entry (none if `value` is 0), as `Set` on the empty set.
        unsafe fn set_init_with(out: *mut ResourceSet, id: i64, value: i64) -> EntriesView;
        unsafe fn set_drop(set: *mut ResourceSet);
        unsafe fn set_clone_into(set: &ResourceSet, out: *mut ResourceSet) -> EntriesView;
        /// `len` entries at `entries`, in any order; zero quantities are dropped, a
        /// later duplicate wins. (A pointer and a length rather than a slice: see
        /// `murmur_hash64a`.)
        unsafe fn set_from_entries_into(
            entries: *const Entry,
            len: usize,
            out: *mut ResourceSet,
        ) -> EntriesView;
        fn set_set(set: &mut ResourceSet, id: i64, value: i64) -> EntriesView;
        fn set_clear(set: &mut ResourceSet) -> EntriesView;
        fn set_eq(a: &ResourceSet, b: &ResourceSet) -> bool;
        unsafe fn set_add_into(
            a: &ResourceSet,
            b: &ResourceSet,
            out: *mut ResourceSet,
        ) -> EntriesView;
        unsafe fn set_sub_into(
            a: &ResourceSet,
            b: &ResourceSet,
            out: *mut ResourceSet,
        ) -> EntriesView;
        fn set_add_assign(a: &mut ResourceSet, b: &ResourceSet) -> EntriesView;
        fn set_sub_assign(a: &mut ResourceSet, b: &ResourceSet) -> EntriesView;
        /// `a <= b`.
        fn set_is_subset_of(a: &ResourceSet, b: &ResourceSet) -> bool;
        fn set_debug_string(set: &ResourceSet, out: Pin<&mut CxxString>);

        // ---- NodeResourceSet ----

        fn node_set_empty() -> &'static NodeResourceSet;
        unsafe fn node_set_init(out: *mut NodeResourceSet) -> EntriesView;
        /// `Set` of one value on the empty set (nothing stored if it is the default).
        unsafe fn node_set_init_with(out: *mut NodeResourceSet, id: i64, value: i64)
            -> EntriesView;
        unsafe fn node_set_drop(set: *mut NodeResourceSet);
        unsafe fn node_set_clone_into(
            set: &NodeResourceSet,
            out: *mut NodeResourceSet,
        ) -> EntriesView;
        /// `len` entries at `entries`, in any order; default values are dropped, a
        /// later duplicate wins.
        unsafe fn node_set_from_entries_into(
            entries: *const Entry,
            len: usize,
            out: *mut NodeResourceSet,
        ) -> EntriesView;
        /// The stored (non-default) entries after the change.
        fn node_set_set(set: &mut NodeResourceSet, id: i64, value: i64) -> EntriesView;
        fn node_set_sub_assign(set: &mut NodeResourceSet, other: &ResourceSet) -> EntriesView;
        fn node_set_is_superset_of(set: &NodeResourceSet, other: &ResourceSet) -> bool;
        fn node_set_eq(a: &NodeResourceSet, b: &NodeResourceSet) -> bool;
        fn node_set_remove_negative(set: &mut NodeResourceSet) -> EntriesView;
        /// The stored resources that are not implicit, ascending.
        fn node_set_explicit_ids(set: &NodeResourceSet, out: &mut Vec<i64>);
        fn node_set_debug_string(set: &NodeResourceSet, out: Pin<&mut CxxString>);
        /// `NodeResourceInstanceSet(total)`; `false` where Ray aborts.
        fn node_set_to_instances(
            total: &NodeResourceSet,
            out: &mut NodeResourceInstanceSet,
            failure: Pin<&mut CxxString>,
        ) -> bool;

        // ---- NodeResourceInstanceSet ----

        fn instances_new() -> Box<NodeResourceInstanceSet>;
        fn instances_empty() -> &'static NodeResourceInstanceSet;
        fn instances_clone(set: &NodeResourceInstanceSet) -> Box<NodeResourceInstanceSet>;
        /// The instances of `id` (an implicit resource not stored has one of 1).
        fn instances_get(set: &NodeResourceInstanceSet, id: i64) -> &[i64];
        /// The stored resources, ascending.
        fn instances_ids(set: &NodeResourceInstanceSet, out: &mut Vec<i64>);
        fn instances_set(
            set: &mut NodeResourceInstanceSet,
            id: i64,
            instances: &[i64],
            failure: Pin<&mut CxxString>,
        ) -> bool;
        fn instances_remove(set: &mut NodeResourceInstanceSet, id: i64);
        /// Whether parsing `id`'s name as a bundle resource makes Ray's `std::stoi`
        /// throw (an index beyond `int`): Ray's `Remove` does so after erasing.
        fn resource_index_overflows(id: i64) -> bool;
        /// Whether Ray's `Set` of `id`, which just stored it, then throws: the
        /// resource is stored (an implicit one back at its default is not, and Ray
        /// returns before parsing) and its bundle index overflows.
        fn instances_set_throws(set: &NodeResourceInstanceSet, id: i64) -> bool;
        fn instances_eq(a: &NodeResourceInstanceSet, b: &NodeResourceInstanceSet) -> bool;
        fn instances_debug_string(set: &NodeResourceInstanceSet, out: Pin<&mut CxxString>);
        /// All-or-nothing allocation: 1 allocated (into `allocation`), 0 not
        /// enough, -1 where Ray aborts, -2 where it throws std::out_of_range
        /// (text in `failure`).
        fn instances_try_allocate(
            set: &mut NodeResourceInstanceSet,
            demands: &ResourceSet,
            allocation: &mut Allocation,
            failure: Pin<&mut CxxString>,
        ) -> i32;
        fn instances_free(
            set: &mut NodeResourceInstanceSet,
            id: i64,
            allocation: &[i64],
            failure: Pin<&mut CxxString>,
        ) -> bool;
        fn instances_add(
            set: &mut NodeResourceInstanceSet,
            id: i64,
            instances: &[i64],
            failure: Pin<&mut CxxString>,
        ) -> bool;
        fn instances_subtract(
            set: &mut NodeResourceInstanceSet,
            id: i64,
            instances: &[i64],
            allow_going_negative: bool,
            underflow: &mut Vec<i64>,
            failure: Pin<&mut CxxString>,
        ) -> bool;
        unsafe fn instances_to_node_set_into(
            set: &NodeResourceInstanceSet,
            out: *mut NodeResourceSet,
        ) -> EntriesView;

        /// An empty allocation to pass to `instances_try_allocate`.
        fn allocation_new() -> Box<Allocation>;
        /// The allocation as `[id, n, v1..vn, id, n, ...]`, ascending by ID.
        fn allocation_into(allocation: &Allocation, out: &mut Vec<i64>);
    }
}
