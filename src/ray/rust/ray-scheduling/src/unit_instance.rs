//! The set of unit-instance resources: resources allocated in whole instances
//! (each GPU is an instance of capacity 1) rather than as one pooled quantity.
//!
//! Ray builds the set once, on first use, from two `RayConfig` strings:
//! `predefined_unit_instance_resources` (default `"GPU"`) and
//! `custom_unit_instance_resources` (default `"neuron_cores,TPU,NPU,HPU,RBLN"`).
//! [`config_strings`] is the one place this crate reads them; for now it reads
//! the environment variables `RayConfig` itself reads.

use std::sync::OnceLock;

use parking_lot::RwLock;

use crate::error::UnitInstanceConfigError;
use crate::scheduling_ids::{ResourceId, PREDEFINED_RESOURCES_ENUM_MAX};

/// Environment variable overriding `predefined_unit_instance_resources`.
pub const PREDEFINED_UNIT_INSTANCE_RESOURCES_ENV: &str = "RAY_predefined_unit_instance_resources";
/// Environment variable overriding `custom_unit_instance_resources`.
pub const CUSTOM_UNIT_INSTANCE_RESOURCES_ENV: &str = "RAY_custom_unit_instance_resources";
/// Ray's default `predefined_unit_instance_resources`.
pub const DEFAULT_PREDEFINED_UNIT_INSTANCE_RESOURCES: &str = "GPU";
/// Ray's default `custom_unit_instance_resources`.
pub const DEFAULT_CUSTOM_UNIT_INSTANCE_RESOURCES: &str = "neuron_cores,TPU,NPU,HPU,RBLN";

/// The two comma-separated configuration strings the set is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitInstanceConfig {
    /// Names of predefined resources (CPU, GPU, ...) to treat as unit-instance.
    pub predefined_unit_instance_resources: String,
    /// Names of custom resources to treat as unit-instance.
    pub custom_unit_instance_resources: String,
}

impl Default for UnitInstanceConfig {
    /// Ray's defaults.
    fn default() -> Self {
        UnitInstanceConfig {
            predefined_unit_instance_resources: DEFAULT_PREDEFINED_UNIT_INSTANCE_RESOURCES.into(),
            custom_unit_instance_resources: DEFAULT_CUSTOM_UNIT_INSTANCE_RESOURCES.into(),
        }
    }
}

/// The configuration strings, from the environment as `RayConfig` reads them:
/// a set variable is taken verbatim (even when empty), an unset one gives the
/// default.
pub fn config_strings() -> UnitInstanceConfig {
    let read = |var: &str, default: &str| {
        std::env::var_os(var)
            .map(|v| v.to_string_lossy().into_owned())
            .unwrap_or_else(|| default.to_owned())
    };
    UnitInstanceConfig {
        predefined_unit_instance_resources: read(
            PREDEFINED_UNIT_INSTANCE_RESOURCES_ENV,
            DEFAULT_PREDEFINED_UNIT_INSTANCE_RESOURCES,
        ),
        custom_unit_instance_resources: read(
            CUSTOM_UNIT_INSTANCE_RESOURCES_ENV,
            DEFAULT_CUSTOM_UNIT_INSTANCE_RESOURCES,
        ),
    }
}

/// Builds the set of IDs from `config` the way Ray does: every comma-separated
/// token (empty tokens included) is interned as a resource name; a predefined
/// token must have an ID below `PredefinedResourcesEnum_MAX`.
///
/// Names are interned even when the configuration is then rejected, as in Ray.
pub fn build(config: &UnitInstanceConfig) -> Result<Vec<ResourceId>, UnitInstanceConfigError> {
    let mut ids = Vec::new();
    if !config.predefined_unit_instance_resources.is_empty() {
        for name in config.predefined_unit_instance_resources.split(',') {
            let id = ResourceId::from_name(name);
            // Ray only checks the upper bound, so a name whose hash is negative passes.
            if id.to_int() >= PREDEFINED_RESOURCES_ENUM_MAX {
                return Err(UnitInstanceConfigError::NotPredefined(name.to_owned()));
            }
            ids.push(id);
        }
    }
    if !config.custom_unit_instance_resources.is_empty() {
        ids.extend(
            config
                .custom_unit_instance_resources
                .split(',')
                .map(ResourceId::from_name),
        );
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The process-wide set, sorted; `None` until first use.
static UNIT_INSTANCE_IDS: RwLock<Option<Vec<ResourceId>>> = RwLock::new(None);

/// Builds the process-wide set from [`config_strings`] unless it already
/// exists. Returns the configuration error where Ray would abort.
pub fn try_init() -> Result<(), UnitInstanceConfigError> {
    if UNIT_INSTANCE_IDS.read().is_some() {
        return Ok(());
    }
    // Build outside the lock: building interns names in the resource map.
    let ids = build(&config_strings())?;
    let mut slot = UNIT_INSTANCE_IDS.write();
    if slot.is_none() {
        *slot = Some(ids);
    }
    Ok(())
}

fn init_or_panic() {
    if let Err(e) = try_init() {
        panic!("{e}");
    }
}

/// Where membership is decided when the set lives elsewhere; see
/// [`set_membership_source`].
static MEMBERSHIP_SOURCE: OnceLock<fn(ResourceId) -> bool> = OnceLock::new();

/// Makes `source` decide membership from now on, for a host that owns the set
/// itself: behind Ray's C++ API the set is the C++ `UnitInstanceResources()`,
/// which Ray's tests edit in place, and every allocation here must see those
/// edits. Only the first call takes effect; it returns whether this one did.
pub fn set_membership_source(source: fn(ResourceId) -> bool) -> bool {
    MEMBERSHIP_SOURCE.set(source).is_ok()
}

/// Whether `id` is in the process-wide set, building it first if needed.
pub(crate) fn contains(id: ResourceId) -> bool {
    if let Some(source) = MEMBERSHIP_SOURCE.get() {
        return source(id);
    }
    loop {
        if let Some(ids) = UNIT_INSTANCE_IDS.read().as_ref() {
            return ids.binary_search(&id).is_ok();
        }
        init_or_panic();
    }
}

/// The process-wide set as a sorted list.
///
/// # Panics
///
/// Like [`ResourceId::is_unit_instance`], on an invalid configuration.
pub fn unit_instance_resource_ids() -> Vec<ResourceId> {
    loop {
        if let Some(ids) = UNIT_INSTANCE_IDS.read().as_ref() {
            return ids.clone();
        }
        init_or_panic();
    }
}

/// Ray's test hook `SetUnitInstanceResourceIds`: replaces the set.
///
/// Like Ray, it first builds the set from the configuration (interning its
/// names) and then clears it.
///
/// # Panics
///
/// On an invalid configuration, where Ray aborts.
pub fn set_unit_instance_resource_ids(ids: impl IntoIterator<Item = ResourceId>) {
    init_or_panic();
    let mut ids: Vec<ResourceId> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    *UNIT_INSTANCE_IDS.write() = Some(ids);
}
