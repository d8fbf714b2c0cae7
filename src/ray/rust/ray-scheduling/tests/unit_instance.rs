//! The unit-instance resource set: built once from the configuration strings
//! (here the environment, set before first use), validated like Ray, and
//! replaceable through the test hook.

use ray_scheduling::unit_instance::{
    self, build, config_strings, set_unit_instance_resource_ids, UnitInstanceConfig,
    CUSTOM_UNIT_INSTANCE_RESOURCES_ENV, DEFAULT_CUSTOM_UNIT_INSTANCE_RESOURCES,
    DEFAULT_PREDEFINED_UNIT_INSTANCE_RESOURCES, PREDEFINED_UNIT_INSTANCE_RESOURCES_ENV,
};
use ray_scheduling::{ResourceId, UnitInstanceConfigError};

fn config(predefined: &str, custom: &str) -> UnitInstanceConfig {
    UnitInstanceConfig {
        predefined_unit_instance_resources: predefined.into(),
        custom_unit_instance_resources: custom.into(),
    }
}

fn ids(names: &[&str]) -> Vec<ResourceId> {
    let mut v: Vec<ResourceId> = names.iter().map(|n| ResourceId::from_name(n)).collect();
    v.sort();
    v
}

#[test]
fn defaults_are_rays() {
    assert_eq!(DEFAULT_PREDEFINED_UNIT_INSTANCE_RESOURCES, "GPU");
    assert_eq!(
        DEFAULT_CUSTOM_UNIT_INSTANCE_RESOURCES,
        "neuron_cores,TPU,NPU,HPU,RBLN"
    );
    assert_eq!(
        build(&UnitInstanceConfig::default()),
        Ok(ids(&["GPU", "neuron_cores", "TPU", "NPU", "HPU", "RBLN"]))
    );
}

#[test]
fn build_splits_on_commas_and_keeps_empty_tokens() {
    assert_eq!(build(&config("", "")), Ok(vec![]));
    assert_eq!(build(&config("CPU,GPU", "")), Ok(ids(&["CPU", "GPU"])));
    // "a,,b" has an empty middle token, which Ray interns as the name "".
    assert_eq!(build(&config("", "x1,,x2")), Ok(ids(&["x1", "", "x2"])));
}

#[test]
fn build_rejects_non_predefined_names_in_the_predefined_list() {
    assert_eq!(
        build(&config("GPU,custom_not_predefined", "TPU")),
        Err(UnitInstanceConfigError::NotPredefined(
            "custom_not_predefined".into()
        ))
    );
    let text = UnitInstanceConfigError::NotPredefined("FPGA".into()).to_string();
    assert_eq!(text, "FPGA is not a valid predefined resource.");
    // Ray checks only `id < PredefinedResourcesEnum_MAX`: "yes" (and "FPGA") hash to a
    // negative ID and therefore pass.
    assert_eq!(build(&config("yes", "")), Ok(ids(&["yes"])));
}

/// Everything touching the process-wide set runs in this one test, in order.
#[test]
fn process_wide_set_from_environment_and_test_hook() {
    std::env::set_var(PREDEFINED_UNIT_INSTANCE_RESOURCES_ENV, "CPU,GPU");
    std::env::set_var(
        CUSTOM_UNIT_INSTANCE_RESOURCES_ENV,
        "neuron_cores,TPU,custom1",
    );
    assert_eq!(
        config_strings(),
        config("CPU,GPU", "neuron_cores,TPU,custom1")
    );

    assert_eq!(unit_instance::try_init(), Ok(()));
    assert!(ResourceId::CPU.is_unit_instance());
    assert!(ResourceId::GPU.is_unit_instance());
    assert!(ResourceId::from_name("custom1").is_unit_instance());
    assert!(ResourceId::from_name("neuron_cores").is_unit_instance());
    assert!(ResourceId::from_name("TPU").is_unit_instance());
    assert!(!ResourceId::MEMORY.is_unit_instance());
    assert!(!ResourceId::from_name("custom2").is_unit_instance());

    // Built once: later configuration changes are not read.
    std::env::set_var(PREDEFINED_UNIT_INSTANCE_RESOURCES_ENV, "not_predefined");
    assert_eq!(unit_instance::try_init(), Ok(()));
    assert!(ResourceId::CPU.is_unit_instance());

    set_unit_instance_resource_ids([ResourceId::from_name("FPGA")]);
    assert!(ResourceId::from_name("FPGA").is_unit_instance());
    assert!(!ResourceId::GPU.is_unit_instance());
    assert_eq!(
        unit_instance::unit_instance_resource_ids(),
        vec![ResourceId::from_name("FPGA")]
    );

    set_unit_instance_resource_ids([ResourceId::GPU, ResourceId::CPU, ResourceId::GPU]);
    assert_eq!(
        unit_instance::unit_instance_resource_ids(),
        vec![ResourceId::CPU, ResourceId::GPU]
    );
}
