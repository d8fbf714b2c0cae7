//! An invalid configuration: Ray aborts on first use of the unit-instance
//! set; here `try_init` reports it and `is_unit_instance` panics.

use ray_scheduling::unit_instance::{self, PREDEFINED_UNIT_INSTANCE_RESOURCES_ENV};
use ray_scheduling::{ResourceId, UnitInstanceConfigError};

#[test]
fn invalid_predefined_name_is_an_error_then_a_panic() {
    std::env::set_var(PREDEFINED_UNIT_INSTANCE_RESOURCES_ENV, "GPU,custom1");
    assert_eq!(
        unit_instance::try_init(),
        Err(UnitInstanceConfigError::NotPredefined("custom1".into()))
    );
    // Like Ray, the names were interned before the check failed.
    assert_ne!(ResourceId::map().get_id("custom1"), -1);
    let result = std::panic::catch_unwind(|| ResourceId::GPU.is_unit_instance());
    let message = match result {
        Ok(_) => String::from("no panic"),
        Err(payload) => payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default(),
    };
    assert_eq!(message, "custom1 is not a valid predefined resource.");
}
