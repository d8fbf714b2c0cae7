//! Errors for the operations where Ray aborts the process (`RAY_CHECK`) or
//! throws; the panicking wrappers that mirror Ray's contract use their text.

use thiserror::Error;

/// Failures of [`StringIdMap`](crate::StringIdMap) insertion.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StringIdMapError {
    /// `InsertOrDie` with a name or ID that is already present (Ray aborts).
    #[error("{name} or {id} already exist!")]
    AlreadyExists {
        /// The name that was to be inserted.
        name: String,
        /// The ID that was to be inserted.
        id: i64,
        /// Which of Ray's two checks fails: the name's (tried first) or, for a new
        /// name, the ID's. Ray's fatal message names the failing check.
        taken: Taken,
    },
    /// `Insert(name, max_id)` when every reachable ID is taken (Ray loops forever).
    #[error("no free ID for {name} below max_id {max_id}")]
    IdSpaceExhausted {
        /// The name that was to be inserted.
        name: String,
        /// The modulus that restricts the IDs.
        max_id: u8,
    },
}

/// What `InsertOrDie` found already present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// The name (whatever its ID).
    Name,
    /// The ID, under another name.
    Id,
}

/// An invalid unit-instance resource configuration (Ray aborts).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UnitInstanceConfigError {
    /// A name in `predefined_unit_instance_resources` is not a predefined resource.
    #[error("{0} is not a valid predefined resource.")]
    NotPredefined(String),
}

/// A violated precondition of a resource-set operation, where Ray's
/// `RAY_CHECK` aborts the process.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ResourceError {
    /// An instance vector that must not be empty was empty.
    #[error("Check failed: !instances.empty() (resource {0})")]
    EmptyInstances(String),
    /// Two instance vectors that must have the same length did not.
    #[error("Check failed: {left} vs {right} instances (resource {resource})")]
    LengthMismatch {
        /// The resource being operated on.
        resource: String,
        /// The length of the first vector.
        left: usize,
        /// The length of the second vector.
        right: usize,
    },
    /// `Add` on an implicit resource.
    #[error("Check failed: !resource_id.IsImplicitResource() (resource {0})")]
    ImplicitResource(String),
    /// A resource that must exist did not.
    #[error("Resource ID not found {0}")]
    NotFound(String),
    /// A placement-group allocation whose reference exceeds what is available
    /// on a resource that may not go negative.
    #[error(
        "Resource {resource} has less availability than requested. Available: {available}, requested: {requested}"
    )]
    InsufficientForReference {
        /// The wildcard resource.
        resource: String,
        /// Its available instances.
        available: String,
        /// The reference allocation.
        requested: String,
    },
    /// A placement-group demand without the wildcard resource, or with only
    /// wildcard resources, which Ray's allocator cannot handle.
    #[error("malformed placement group demand for {original}")]
    MalformedPlacementGroupDemand {
        /// The original resource of the demand's placement-group resources.
        original: String,
        /// Whether a wildcard resource was demanded: Ray checks for one first,
        /// then for a bundle allocation to mirror.
        has_wildcard: bool,
    },
    /// `ParsePgFormattedResource` with neither kind of resource requested.
    #[error("Either one of for_wildcard_resource or for_indexed_resource must be true")]
    NoPgResourceKind,
    /// A bundle index that does not fit in an `int` (Ray's `stoi` throws).
    #[error("stoi: bundle index {0} out of range")]
    BundleIndexOutOfRange(String),
}
