//! Scheduling IDs: `ResourceId` and `NodeId`, integers interned from names.
//!
//! Each kind has one process-wide [`StringIdMap`], as in Ray. The resource map
//! starts with the predefined resources at fixed IDs (CPU=0, memory=1, GPU=2,
//! object_store_memory=3); the node map starts empty.

use std::fmt;
use std::sync::LazyLock;

use crate::constants::{
    CPU_RESOURCE_LABEL, GPU_RESOURCE_LABEL, IMPLICIT_RESOURCE_PREFIX, MEMORY_RESOURCE_LABEL,
    OBJECT_STORE_MEMORY_RESOURCE_LABEL,
};
use crate::string_id_map::StringIdMap;
use crate::unit_instance;

/// Ray's `PredefinedResourcesEnum`: the resources with fixed IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(i64)]
pub enum PredefinedResource {
    /// `CPU`.
    Cpu = 0,
    /// `MEM`, named `memory`.
    Mem = 1,
    /// `GPU`.
    Gpu = 2,
    /// `OBJECT_STORE_MEM`, named `object_store_memory`.
    ObjectStoreMem = 3,
}

/// Ray's `PredefinedResourcesEnum_MAX`: predefined IDs are `0..MAX`.
pub const PREDEFINED_RESOURCES_ENUM_MAX: i64 = 4;

impl PredefinedResource {
    /// All predefined resources in ID order.
    pub const ALL: [PredefinedResource; 4] = [
        PredefinedResource::Cpu,
        PredefinedResource::Mem,
        PredefinedResource::Gpu,
        PredefinedResource::ObjectStoreMem,
    ];

    /// The resource's name.
    pub const fn label(self) -> &'static str {
        match self {
            PredefinedResource::Cpu => CPU_RESOURCE_LABEL,
            PredefinedResource::Mem => MEMORY_RESOURCE_LABEL,
            PredefinedResource::Gpu => GPU_RESOURCE_LABEL,
            PredefinedResource::ObjectStoreMem => OBJECT_STORE_MEMORY_RESOURCE_LABEL,
        }
    }
}

/// The process-wide resource name map, with the predefined resources in place.
fn resource_map() -> &'static StringIdMap {
    static MAP: LazyLock<StringIdMap> = LazyLock::new(|| {
        let map = StringIdMap::new();
        // Same order as Ray; the IDs are distinct constants, so this cannot fail.
        for r in [
            PredefinedResource::Cpu,
            PredefinedResource::Gpu,
            PredefinedResource::ObjectStoreMem,
            PredefinedResource::Mem,
        ] {
            map.insert_or_die(r.label(), r as i64);
        }
        map
    });
    &MAP
}

/// The process-wide node name map.
fn node_map() -> &'static StringIdMap {
    static MAP: LazyLock<StringIdMap> = LazyLock::new(StringIdMap::new);
    &MAP
}

macro_rules! scheduling_id_common {
    ($name:ident, $map:ident) => {
        impl $name {
            /// The nil ID (-1).
            pub const NIL: $name = $name(-1);

            /// Ray's constructor from a name: interns `name` in the process-wide map.
            pub fn from_name(name: &str) -> Self {
                $name($map().insert(name))
            }

            /// Ray's constructor from an integer: no lookup, any value is accepted.
            #[inline]
            pub const fn from_int(id: i64) -> Self {
                $name(id)
            }

            /// Ray's `ToInt()`.
            #[inline]
            pub const fn to_int(self) -> i64 {
                self.0
            }

            /// Ray's `Binary()`: the interned name, or `"-1"` if the ID has none.
            pub fn binary(self) -> String {
                $map().get_name(self.0)
            }

            /// Calls `f` with the name (`None` if the ID has none) without copying it.
            pub fn with_name<R>(self, f: impl FnOnce(Option<&str>) -> R) -> R {
                $map().with_name(self.0, f)
            }

            /// Ray's `IsNil()`.
            #[inline]
            pub const fn is_nil(self) -> bool {
                self.0 == -1
            }

            /// Ray's static `Nil()`.
            #[inline]
            pub const fn nil() -> Self {
                Self::NIL
            }

            /// The process-wide map this kind of ID is interned in.
            pub fn map() -> &'static StringIdMap {
                $map()
            }
        }

        impl Default for $name {
            /// Ray's default constructor gives the nil ID.
            fn default() -> Self {
                Self::NIL
            }
        }

        impl From<&str> for $name {
            fn from(name: &str) -> Self {
                Self::from_name(name)
            }
        }
    };
}

/// Ray's `scheduling::ResourceID`: a resource name interned as an integer.
///
/// Ordering and hashing are by the integer, as in Ray (`operator<`).
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceId(i64);

/// Ray's `scheduling::NodeID`: a node name interned as an integer.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(i64);

scheduling_id_common!(ResourceId, resource_map);
scheduling_id_common!(NodeId, node_map);

impl ResourceId {
    /// Ray's `ResourceID::CPU()`.
    pub const CPU: ResourceId = ResourceId(PredefinedResource::Cpu as i64);
    /// Ray's `ResourceID::Memory()`.
    pub const MEMORY: ResourceId = ResourceId(PredefinedResource::Mem as i64);
    /// Ray's `ResourceID::GPU()`.
    pub const GPU: ResourceId = ResourceId(PredefinedResource::Gpu as i64);
    /// Ray's `ResourceID::ObjectStoreMemory()`.
    pub const OBJECT_STORE_MEMORY: ResourceId =
        ResourceId(PredefinedResource::ObjectStoreMem as i64);

    /// Ray's `ResourceID::CPU()`.
    pub const fn cpu() -> Self {
        Self::CPU
    }

    /// Ray's `ResourceID::Memory()`.
    pub const fn memory() -> Self {
        Self::MEMORY
    }

    /// Ray's `ResourceID::GPU()`.
    pub const fn gpu() -> Self {
        Self::GPU
    }

    /// Ray's `ResourceID::ObjectStoreMemory()`.
    pub const fn object_store_memory() -> Self {
        Self::OBJECT_STORE_MEMORY
    }

    /// Ray's `IsPredefinedResource()`: the ID is in `0..PredefinedResourcesEnum_MAX`.
    #[inline]
    pub const fn is_predefined(self) -> bool {
        self.0 >= 0 && self.0 < PREDEFINED_RESOURCES_ENUM_MAX
    }

    /// Ray's `IsImplicitResource()`: not predefined, and the name starts with
    /// [`IMPLICIT_RESOURCE_PREFIX`]. An ID without a name has the name `"-1"`,
    /// which is not implicit.
    pub fn is_implicit(self) -> bool {
        !self.is_predefined()
            && self.with_name(|name| name.is_some_and(|n| n.starts_with(IMPLICIT_RESOURCE_PREFIX)))
    }

    /// Ray's `IsUnitInstanceResource()`: whether the resource is allocated in
    /// whole instances (GPUs, TPUs, ...).
    ///
    /// # Panics
    ///
    /// On first use the unit-instance set is built from the configuration
    /// (see [`unit_instance`]); if that configuration names a predefined
    /// resource that is not predefined, this panics where Ray aborts. Call
    /// [`unit_instance::try_init`] first to get that as an error instead.
    pub fn is_unit_instance(self) -> bool {
        unit_instance::contains(self)
    }
}

impl From<PredefinedResource> for ResourceId {
    fn from(r: PredefinedResource) -> Self {
        ResourceId(r as i64)
    }
}

/// Ray streams a `ResourceID` as its name.
impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with_name(|name| f.write_str(name.unwrap_or(crate::string_id_map::UNKNOWN_ID_NAME)))
    }
}

impl fmt::Debug for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResourceId({} = {})", self.0, self)
    }
}

/// Ray streams a `NodeID` as its integer.
impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NodeId({})", self.0)
    }
}
