//! RayConfig's behaviour against Ray's: defaults, RAY_<name> overrides, initialize(json)
//! and name-based access, with variables from an in-memory environment.

use std::collections::HashMap;

use ray_config::{
    hardware_concurrency, ConfigError, ConfigValue, ConfigValueRef, EntryKind, RayConfig, ENTRIES,
};

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn with_env(pairs: &[(&str, &str)]) -> Result<RayConfig, ConfigError> {
    RayConfig::from_env_source(&env(pairs))
}

fn defaults() -> RayConfig {
    with_env(&[]).expect("defaults need no environment")
}

#[test]
fn defaults_of_every_type() {
    let c = defaults();
    assert!(c.event_stats);
    assert!(!c.support_fork);
    assert_eq!(c.worker_niceness, 15);
    assert_eq!(c.scheduler_top_k_absolute, 1);
    assert_eq!(c.publisher_entity_buffer_max_bytes, 1 << 30);
    assert_eq!(c.max_num_generator_returns, 100_000_000);
    assert_eq!(c.agent_register_timeout_ms, 30_000);
    assert_eq!(c.ray_cookie, 0x5241_5900_0000_0000);
    assert_eq!(c.min_memory_free_bytes, -1);
    assert_eq!(c.verbose_spill_logs, 2 * 1024 * 1024 * 1024);
    assert_eq!(c.task_oom_retries, u64::MAX);
    assert_eq!(c.task_failure_entry_ttl_ms, 15 * 60 * 1000);
    assert_eq!(
        c.gcs_grpc_max_request_queued_max_bytes,
        5 * 1024 * 1024 * 1024
    );
    assert_eq!(c.object_manager_max_bytes_in_flight, 2 * 1024 * 1024 * 1024);
    assert_eq!(c.max_grpc_message_size, 512 * 1024 * 1024);
    assert_eq!(c.memory_usage_threshold, 0.95f64 as f32);
    assert_eq!(c.scheduler_top_k_fraction, 0.2f64 as f32);
    assert_eq!(c.gcs_create_placement_group_retry_multiplier, 1.5);
    assert_eq!(c.high_plasma_storage_usage, 0.7);
    assert_eq!(c.predefined_unit_instance_resources, "GPU");
    assert_eq!(
        c.custom_unit_instance_resources,
        "neuron_cores,TPU,NPU,HPU,RBLN"
    );
    assert_eq!(c.enable_grpc_metrics_collection_for, "");
    assert!(c.preload_python_modules.is_empty());
    assert!(!c.use_tls);
    assert_eq!(c.job_id, "");
    assert_eq!(c.raylet_start_wait_time_s, 30);
}

#[test]
fn defaults_from_the_machine_and_other_entries() {
    let c = defaults();
    let quarter = (hardware_concurrency() / 4).max(1);
    assert_eq!(c.gcs_server_rpc_server_thread_num, quarter);
    assert_eq!(c.gcs_server_rpc_client_thread_num, quarter);
    assert_eq!(c.num_server_call_thread, i64::from(quarter));
    assert_eq!(c.gcs_max_active_rpcs_per_handler, i64::from(quarter) * 100);
}

#[test]
fn a_default_follows_the_overridden_entry_it_uses_with_unsigned_wrap() {
    let c = with_env(&[("RAY_gcs_server_rpc_server_thread_num", "7")]).unwrap();
    assert_eq!(c.gcs_max_active_rpcs_per_handler, 700);
    // uint32_t * int is computed in uint32_t: 50'000'000 * 100 wraps modulo 2^32.
    let c = with_env(&[("RAY_gcs_server_rpc_server_thread_num", "50000000")]).unwrap();
    assert_eq!(c.gcs_max_active_rpcs_per_handler, 5_000_000_000 % (1 << 32));
}

#[test]
fn a_default_reads_another_variable() {
    let c = with_env(&[("RAY_preallocate_plasma_memory", "1")]).unwrap();
    assert_eq!(c.raylet_start_wait_time_s, 120);
    assert!(c.preallocate_plasma_memory);
    // The default compares the text with "1"; the entry itself also accepts "true".
    let c = with_env(&[("RAY_preallocate_plasma_memory", "true")]).unwrap();
    assert_eq!(c.raylet_start_wait_time_s, 30);
    assert!(c.preallocate_plasma_memory);
}

#[test]
fn env_overrides_of_every_type() {
    let c = with_env(&[
        ("RAY_event_stats", "FALSE"),
        ("RAY_support_fork", "1"),
        ("RAY_worker_niceness", "-3"),
        ("RAY_scheduler_top_k_absolute", " 9"),
        ("RAY_task_retry_delay_ms", "-1"),
        ("RAY_ray_cookie", "-42"),
        ("RAY_task_oom_retries", "3"),
        ("RAY_free_objects_batch_size", "77"),
        ("RAY_memory_usage_threshold", "0.5e0"),
        ("RAY_high_plasma_storage_usage", "-1.25"),
        ("RAY_gcs_storage", " redis "),
        ("RAY_preload_python_modules", " numpy , pandas,"),
        ("RAY_USE_TLS", "True"),
        ("RAY_JOB_ID", "01000000"),
    ])
    .unwrap();
    assert!(!c.event_stats);
    assert!(c.support_fork);
    assert_eq!(c.worker_niceness, -3);
    assert_eq!(c.scheduler_top_k_absolute, 9);
    assert_eq!(c.task_retry_delay_ms, u32::MAX);
    assert_eq!(c.ray_cookie, -42);
    assert_eq!(c.task_oom_retries, 3);
    assert_eq!(c.free_objects_batch_size, 77);
    assert_eq!(c.memory_usage_threshold, 0.5);
    assert_eq!(c.high_plasma_storage_usage, -1.25);
    assert_eq!(c.gcs_storage, " redis ");
    assert_eq!(c.preload_python_modules, ["numpy", "pandas", ""]);
    assert!(c.use_tls);
    assert_eq!(c.job_id, "01000000");
}

#[test]
fn unparsable_variables_fail_with_rays_message() {
    for (variable, value, type_name) in [
        ("RAY_worker_niceness", "1.5", "int"),
        ("RAY_scheduler_top_k_absolute", "", "int32_t"),
        ("RAY_task_retry_delay_ms", "ten", "uint32_t"),
        ("RAY_ray_cookie", "0x10", "int64_t"),
        ("RAY_task_oom_retries", "3 ", "uint64_t"),
        ("RAY_free_objects_batch_size", "1e3", "size_t"),
        ("RAY_memory_usage_threshold", "high", "float"),
        ("RAY_high_plasma_storage_usage", "inf", "double"),
    ] {
        let err = with_env(&[(variable, value)]).unwrap_err();
        assert_eq!(
            err,
            ConfigError::UnparsableValue {
                variable: variable.to_string(),
                value: value.to_string(),
                type_name,
            }
        );
        assert_eq!(
            err.fatal_message(),
            format!("Check failed: !value.empty() && stream.eof() Cannot parse \"{value}\" to {type_name}")
        );
    }
}

#[test]
fn the_first_bad_variable_in_declaration_order_is_reported() {
    let err = with_env(&[
        ("RAY_worker_niceness", "x"),
        ("RAY_debug_dump_period_milliseconds", "y"),
    ])
    .unwrap_err();
    assert!(matches!(err, ConfigError::UnparsableValue { ref value, .. } if value == "y"));
}

#[test]
fn initialize_sets_every_type_from_json() {
    let mut c = defaults();
    c.initialize_with_env(
        r#"{
            "event_stats": false,
            "worker_niceness": -2,
            "scheduler_top_k_absolute": 4.9,
            "task_retry_delay_ms": true,
            "ray_cookie": -7,
            "task_oom_retries": -1,
            "free_objects_batch_size": 12,
            "memory_usage_threshold": 0.25,
            "high_plasma_storage_usage": 3,
            "gcs_storage": "redis",
            "preload_python_modules": ["a", " b "]
        }"#,
        &env(&[]),
    )
    .unwrap();
    assert!(!c.event_stats);
    assert_eq!(c.worker_niceness, -2);
    assert_eq!(c.scheduler_top_k_absolute, 4);
    assert_eq!(c.task_retry_delay_ms, 1);
    assert_eq!(c.ray_cookie, -7);
    assert_eq!(c.task_oom_retries, u64::MAX);
    assert_eq!(c.free_objects_batch_size, 12);
    assert_eq!(c.memory_usage_threshold, 0.25);
    assert_eq!(c.high_plasma_storage_usage, 3.0);
    assert_eq!(c.gcs_storage, "redis");
    assert_eq!(c.preload_python_modules, ["a", " b "]);
}

#[test]
fn initialize_rereads_the_environment_first_and_json_wins() {
    let vars = env(&[
        ("RAY_worker_niceness", "3"),
        ("RAY_JOB_ID", "new"),
        ("RAY_gcs_storage", "redis"),
    ]);
    let mut c = defaults();
    c.initialize_with_env(r#"{"max_io_workers": 9}"#, &env(&[]))
        .unwrap();
    c.job_id = "kept".to_string();
    c.initialize_with_env(r#"{"worker_niceness": 11}"#, &vars)
        .unwrap();
    // The earlier JSON value is gone, the environment is read again, JSON beats it.
    assert_eq!(c.max_io_workers, 4);
    assert_eq!(c.worker_niceness, 11);
    assert_eq!(c.gcs_storage, "redis");
    // Internal flags are not re-read.
    assert_eq!(c.job_id, "kept");
    // An empty config list only re-reads the environment.
    c.worker_niceness = 0;
    c.initialize_with_env("", &vars).unwrap();
    assert_eq!(c.worker_niceness, 3);
}

#[test]
fn initialize_accepts_empty_json_values() {
    for text in ["{}", "null", "[]", " {} "] {
        let mut c = defaults();
        c.initialize_with_env(text, &env(&[])).unwrap();
        assert_eq!(c, defaults(), "{text}");
    }
}

#[test]
fn unknown_names_are_fatal_in_nlohmanns_order() {
    let mut c = defaults();
    let cases = [
        (r#"{"not_an_entry": 1}"#, "not_an_entry"),
        (r#"{"zzz": 1, "aaa": 2, "worker_niceness": "x"}"#, "aaa"),
        (r#"{"JOB_ID": "x"}"#, "JOB_ID"),
        ("[1, 2]", "0"),
        ("5", ""),
        ("\"text\"", ""),
    ];
    for (text, key) in cases {
        let err = c.initialize_with_env(text, &env(&[])).unwrap_err();
        assert_eq!(
            err,
            ConfigError::UnexpectedParameter(key.to_string()),
            "{text}"
        );
        assert_eq!(
            err.fatal_message(),
            format!("Received unexpected config parameter {key}")
        );
    }
    assert_eq!(c, defaults(), "a failed initialize changes nothing");
}

#[test]
fn wrong_json_types_are_fatal_with_nlohmanns_message() {
    let cases = [
        (r#"{"worker_niceness": "3"}"#, "number", "string"),
        (r#"{"ray_cookie": true}"#, "number", "boolean"),
        (r#"{"task_oom_retries": false}"#, "number", "boolean"),
        (r#"{"free_objects_batch_size": true}"#, "number", "boolean"),
        (
            r#"{"high_plasma_storage_usage": true}"#,
            "number",
            "boolean",
        ),
        (r#"{"memory_usage_threshold": null}"#, "number", "null"),
        (r#"{"event_stats": 1}"#, "boolean", "number"),
        (r#"{"gcs_storage": ["redis"]}"#, "string", "array"),
        (r#"{"preload_python_modules": "a,b"}"#, "array", "string"),
        (
            r#"{"preload_python_modules": ["a", {}]}"#,
            "string",
            "object",
        ),
    ];
    for (text, expected, found) in cases {
        let err = defaults().initialize_with_env(text, &env(&[])).unwrap_err();
        assert_eq!(
            err.fatal_message(),
            format!(
                "Failed to initialize RayConfig: [json.exception.type_error.302] type must be \
                 {expected}, but is {found} The config string is: {text}"
            )
        );
    }
}

#[test]
fn malformed_json_is_fatal() {
    for text in [
        "{",
        "{\"a\": }",
        "{} {}",
        "nope",
        "{\"worker_niceness\": 1e400}",
        " ",
    ] {
        let err = defaults().initialize_with_env(text, &env(&[])).unwrap_err();
        match &err {
            ConfigError::InvalidJson {
                detail,
                config_list,
            } => {
                assert!(
                    detail.starts_with("[json.exception.parse_error.101] parse error"),
                    "{detail}"
                );
                assert_eq!(config_list, text);
            }
            other => panic!("{text}: {other:?}"),
        }
        assert!(err
            .fatal_message()
            .starts_with("Failed to initialize RayConfig: [json.exception."));
    }
}

#[test]
fn a_bad_variable_fails_initialize_too() {
    let err = defaults()
        .initialize_with_env("{}", &env(&[("RAY_worker_niceness", "x")]))
        .unwrap_err();
    assert!(matches!(err, ConfigError::UnparsableValue { .. }));
    // Internal flags are only read at construction.
    defaults()
        .initialize_with_env("{}", &env(&[("RAY_JOB_ID", "anything")]))
        .unwrap();
}

#[test]
fn entries_are_listed_once_in_order() {
    assert_eq!(ENTRIES.len(), 230);
    assert_eq!(
        ENTRIES
            .iter()
            .filter(|e| e.kind == EntryKind::InternalFlag)
            .count(),
        3
    );
    assert_eq!(ENTRIES[0].name, "debug_dump_period_milliseconds");
    assert_eq!(
        ENTRIES[ENTRIES.len() - 1].name,
        "OVERRIDE_NODE_ID_FOR_TESTING"
    );
    let mut names: Vec<&str> = ENTRIES.iter().map(|e| e.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ENTRIES.len());
    let c = defaults();
    for entry in ENTRIES {
        assert!(c.get(entry.name).is_some(), "{}", entry.name);
    }
    let task_oom = ENTRIES
        .iter()
        .find(|e| e.name == "task_oom_retries")
        .unwrap();
    assert_eq!((task_oom.cpp_type, task_oom.default), ("uint64_t", "-1"));
}

#[test]
fn entries_by_name() {
    let mut c = defaults();
    assert_eq!(c.get("USE_TLS"), Some(ConfigValue::Bool(false)));
    assert_eq!(c.get("use_tls"), None);
    assert_eq!(
        c.get("max_grpc_message_size"),
        Some(ConfigValue::Usize(512 << 20))
    );
    assert_eq!(
        c.get("preload_python_modules"),
        Some(ConfigValue::StringList(Vec::new()))
    );
    c.set("worker_niceness", ConfigValue::I32(1)).unwrap();
    c.set("JOB_ID", ConfigValue::String("j".into())).unwrap();
    c.set("memory_usage_threshold", 0.5f32.into()).unwrap();
    assert_eq!(
        (
            c.worker_niceness,
            c.job_id.as_str(),
            c.memory_usage_threshold
        ),
        (1, "j", 0.5)
    );
    assert_eq!(
        c.set("worker_niceness", ConfigValue::I64(1)),
        Err(ConfigError::WrongValueType {
            name: "worker_niceness".into(),
            expected: "int",
            found: "i64"
        })
    );
    assert_eq!(
        c.set("nope", ConfigValue::Bool(true)),
        Err(ConfigError::UnknownEntry("nope".into()))
    );
    assert_eq!(c.worker_niceness, 1);
}

#[test]
fn value_at_reads_every_entry_by_its_position() {
    let mut c = defaults();
    c.set("JOB_ID", ConfigValue::String("j".into())).unwrap();
    c.set(
        "preload_python_modules",
        ConfigValue::StringList(vec!["a".into(), "b".into()]),
    )
    .unwrap();
    for (index, entry) in ENTRIES.iter().enumerate() {
        let owned = c.value_at(index).map(ConfigValueRef::into_owned);
        assert_eq!(c.get(entry.name), owned, "{}", entry.name);
        assert!(owned.is_some(), "no value at {index}");
    }
    assert_eq!(c.value_at(ENTRIES.len()), None);
    assert_eq!(
        c.value_at(ENTRIES.iter().position(|e| e.name == "JOB_ID").unwrap()),
        Some(ConfigValueRef::String("j"))
    );
}

#[test]
fn convert_value_trims_vector_elements() {
    let parsed: Vec<String> =
        ray_config::convert_value("std::vector", "no_spaces, with spaces ").unwrap();
    assert_eq!(parsed, ["no_spaces", "with spaces"]);
}
