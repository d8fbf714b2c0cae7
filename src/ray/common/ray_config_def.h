// The entries of RayConfig: RAY_CONFIG(type, name, default_value), one per setting.
//
// This list is included several times, each time under another definition of
// RAY_CONFIG (a field with its accessor, the environment read, the JSON setter), so it
// holds nothing but RAY_CONFIG lines, comments and platform conditionals. The Rust crate
// src/ray/rust/ray-config is generated from this same file (its src/entries.rs), so the
// two implementations cannot disagree on a name, a type or a default.
//
// Every entry can be overridden with the environment variable RAY_<name> and, except
// for the internal flags of ray_internal_flag_def.h, by RayConfig::initialize(json).
// Default values are C++ expressions evaluated when the entry is (re)read: they may use
// earlier entries and std::thread::hardware_concurrency().

// Periodic debug dumps, event-loop statistics and cluster authentication.
RAY_CONFIG(uint64_t, debug_dump_period_milliseconds, 10000)
RAY_CONFIG(uint64_t, gcs_global_gc_interval_milliseconds, 10000)
RAY_CONFIG(bool, event_stats, true)
RAY_CONFIG(bool, emit_main_service_metrics, true)
RAY_CONFIG(bool, enable_cluster_auth, true)
RAY_CONFIG(std::string, auth_mode, "disabled")
RAY_CONFIG(int64_t, event_stats_print_interval_ms, 60000)
RAY_CONFIG(int64_t, ray_cookie, 0x5241590000000000)
RAY_CONFIG(int64_t, handler_warning_timeout_ms, 1000)

// Resource reporting and the raylet memory monitor (OOM killing).
RAY_CONFIG(uint64_t, gcs_pull_resource_loads_period_milliseconds, 1000)
RAY_CONFIG(uint64_t, raylet_report_resources_period_milliseconds, 100)
RAY_CONFIG(uint64_t, raylet_check_gc_period_milliseconds, 100)
RAY_CONFIG(float, memory_usage_threshold, 0.95)
RAY_CONFIG(uint64_t, memory_monitor_refresh_ms, 250)
RAY_CONFIG(int64_t, min_memory_free_bytes, (int64_t)-1)
RAY_CONFIG(uint64_t, task_failure_entry_ttl_ms, 15 * 60 * 1000)
RAY_CONFIG(uint64_t, task_oom_retries, -1)

// Reference counting, lineage and object freeing.
RAY_CONFIG(bool, report_actor_placement_resources, true)
RAY_CONFIG(bool, record_ref_creation_sites, false)
RAY_CONFIG(bool, record_task_actor_creation_sites, false)
RAY_CONFIG(int64_t, free_objects_period_milliseconds, 1000)
RAY_CONFIG(size_t, free_objects_batch_size, 100)
RAY_CONFIG(bool, lineage_pinning_enabled, true)
RAY_CONFIG(int64_t, max_lineage_bytes, 1024 * 1024 * 1024)

// Worker start-up throttling.
RAY_CONFIG(bool, preallocate_plasma_memory, false)
RAY_CONFIG(bool, worker_cap_enabled, true)
RAY_CONFIG(int64_t, worker_cap_initial_backoff_delay_ms, 1000)
RAY_CONFIG(int64_t, worker_cap_max_backoff_delay_ms, 1000 * 10)

// Hybrid scheduling policy.
RAY_CONFIG(float, scheduler_spread_threshold, 0.5)
RAY_CONFIG(float, scheduler_top_k_fraction, 0.2)
RAY_CONFIG(int32_t, scheduler_top_k_absolute, 1)
RAY_CONFIG(bool, scheduler_report_pinned_bytes_only, true)

// Inlined objects and gRPC message limits.
RAY_CONFIG(int64_t, max_direct_call_object_size, 100 * 1024)
RAY_CONFIG(size_t, max_grpc_message_size, 512 * 1024 * 1024)
RAY_CONFIG(int64_t, agent_max_grpc_message_size, 20 * 1024 * 1024)
RAY_CONFIG(int64_t, grpc_server_retry_timeout_milliseconds, 1000)
RAY_CONFIG(bool, grpc_enable_http_proxy, false)

// Timeouts of object fetches, leases and the raylet client.
RAY_CONFIG(uint64_t, actor_excess_queueing_warn_threshold, 5000)
RAY_CONFIG(int64_t, object_timeout_milliseconds, 100)
RAY_CONFIG(int64_t, worker_lease_timeout_milliseconds, 500)
RAY_CONFIG(uint64_t, raylet_death_check_interval_milliseconds, 1000)
RAY_CONFIG(int64_t, get_check_signal_interval_milliseconds, 1000)
RAY_CONFIG(int64_t, worker_fetch_request_size, 10000)
RAY_CONFIG(int64_t, fetch_warn_timeout_milliseconds, 60000)
RAY_CONFIG(int64_t, fetch_fail_timeout_milliseconds, 600000)
RAY_CONFIG(bool, yield_plasma_lock_workaround, true)
RAY_CONFIG(int64_t, raylet_client_num_connect_attempts, 10)
RAY_CONFIG(int64_t, raylet_client_connect_timeout_milliseconds, 1000)
RAY_CONFIG(int64_t, raylet_fetch_timeout_milliseconds, 1000)
RAY_CONFIG(int64_t, kill_worker_timeout_milliseconds, 5000)

// Worker processes.
RAY_CONFIG(int64_t, worker_register_timeout_seconds, 60)
RAY_CONFIG(int64_t, worker_maximum_startup_concurrency, 0)
RAY_CONFIG(uint32_t, worker_max_resource_analysis_iteration, 128)
RAY_CONFIG(uint32_t, max_num_generator_returns, 100 * 1000 * 1000)
RAY_CONFIG(int, worker_oom_score_adjustment, 1000)
RAY_CONFIG(int, worker_niceness, 15)

// Redis connection and retries.
RAY_CONFIG(int64_t, redis_db_connect_retries, 120)
RAY_CONFIG(int64_t, redis_db_connect_wait_milliseconds, 500)
RAY_CONFIG(size_t, num_redis_request_retries, 5)
RAY_CONFIG(int64_t, redis_retry_base_ms, 100)
RAY_CONFIG(int64_t, redis_retry_multiplier, 2)
RAY_CONFIG(int64_t, redis_retry_max_ms, 1000)

// Object manager transfers.
RAY_CONFIG(int, object_manager_timer_freq_ms, 100)
RAY_CONFIG(int, object_manager_pull_timeout_ms, 10000)
RAY_CONFIG(int, object_manager_push_timeout_ms, 10000)
RAY_CONFIG(uint64_t, object_manager_default_chunk_size, 5 * 1024 * 1024)
RAY_CONFIG(uint64_t,
           object_manager_max_bytes_in_flight,
           ((uint64_t)2) * 1024 * 1024 * 1024)

// GCS server: batching, threads, retries and caches.
RAY_CONFIG(uint32_t, maximum_gcs_deletion_batch_size, 1000)
RAY_CONFIG(uint32_t, maximum_gcs_storage_operation_batch_size, 1000)
RAY_CONFIG(uint32_t, object_store_get_max_ids_to_print_in_warning, 20)
RAY_CONFIG(uint32_t,
           gcs_server_rpc_server_thread_num,
           std::max(1U, std::thread::hardware_concurrency() / 4U))
RAY_CONFIG(uint32_t,
           gcs_server_rpc_client_thread_num,
           std::max(1U, std::thread::hardware_concurrency() / 4U))
RAY_CONFIG(int64_t, gcs_service_connect_retries, 50)
RAY_CONFIG(int64_t, internal_gcs_service_connect_wait_milliseconds, 100)
RAY_CONFIG(uint64_t, gcs_redis_heartbeat_interval_milliseconds, 100)
RAY_CONFIG(uint32_t, gcs_lease_worker_retry_interval_ms, 200)
RAY_CONFIG(uint32_t, gcs_create_actor_retry_interval_ms, 200)
RAY_CONFIG(uint64_t, gcs_create_placement_group_retry_min_interval_ms, 100)
RAY_CONFIG(uint64_t, gcs_create_placement_group_retry_max_interval_ms, 1000)
RAY_CONFIG(double, gcs_create_placement_group_retry_multiplier, 1.5)
RAY_CONFIG(uint32_t, maximum_gcs_destroyed_actor_cached_count, 100000)
RAY_CONFIG(uint32_t, maximum_gcs_dead_node_cached_count, 1000)
RAY_CONFIG(int, gcs_resource_report_poll_period_ms, 100)
RAY_CONFIG(uint64_t, gcs_max_concurrent_resource_pulls, 100)
RAY_CONFIG(std::string, gcs_storage, "memory")

// Object store pressure and garbage collection.
RAY_CONFIG(uint32_t, object_store_full_delay_ms, 10)
RAY_CONFIG(double, high_plasma_storage_usage, 0.7)
RAY_CONFIG(uint64_t, local_gc_interval_s, 90 * 60)
RAY_CONFIG(uint64_t, local_gc_min_interval_s, 10)
RAY_CONFIG(uint64_t, global_gc_min_interval_s, 30)

// Task retries and cancellation.
RAY_CONFIG(uint32_t, task_retry_delay_ms, 0)
RAY_CONFIG(uint32_t, task_oom_retry_delay_base_ms, 1000)
RAY_CONFIG(uint32_t, cancellation_retry_ms, 2000)

// gRPC client reconnection to the GCS.
RAY_CONFIG(bool, support_fork, false)
RAY_CONFIG(uint32_t, gcs_rpc_server_reconnect_timeout_s, 60)
RAY_CONFIG(int32_t, gcs_rpc_server_connect_timeout_s, 5)
RAY_CONFIG(int32_t, minimum_gcs_reconnect_interval_milliseconds, 5000)
RAY_CONFIG(int32_t, gcs_grpc_max_reconnect_backoff_ms, 2000)
RAY_CONFIG(int32_t, gcs_grpc_min_reconnect_backoff_ms, 1000)
RAY_CONFIG(int32_t, gcs_grpc_initial_reconnect_backoff_ms, 100)
RAY_CONFIG(uint64_t, gcs_grpc_max_request_queued_max_bytes, 1024UL * 1024 * 1024 * 5)
RAY_CONFIG(int32_t, grpc_client_check_connection_status_interval_milliseconds, 1000)

// Metrics and task events.
RAY_CONFIG(int64_t, ray_syncer_message_refresh_interval_ms, 3000)
RAY_CONFIG(int64_t, metrics_report_batch_size, 10000)
RAY_CONFIG(bool, task_events_skip_driver_for_test, false)
RAY_CONFIG(int64_t, task_events_report_interval_ms, 1000)
RAY_CONFIG(int64_t, ray_events_report_interval_ms, 1000)
RAY_CONFIG(int64_t, task_events_max_num_task_in_gcs, 100000)
RAY_CONFIG(int64_t,
           task_events_max_dropped_task_attempts_tracked_per_job_in_gcs,
           1 * 1000 * 1000)
RAY_CONFIG(uint64_t, task_events_max_num_status_events_buffer_on_worker, 100 * 1000)
RAY_CONFIG(uint64_t,
           task_events_max_num_export_status_events_buffer_on_worker,
           1000 * 1000)
RAY_CONFIG(uint64_t, task_events_send_batch_size, 10 * 1000)
RAY_CONFIG(uint64_t, export_task_events_write_batch_size, 10 * 1000)
RAY_CONFIG(int64_t, task_events_max_num_profile_events_per_task, 1000)
RAY_CONFIG(uint64_t, task_events_max_num_profile_events_buffer_on_worker, 10 * 1000)
RAY_CONFIG(int64_t, task_events_dropped_task_attempt_batch_size, 10 * 1000)
RAY_CONFIG(uint64_t, gcs_mark_task_failed_on_job_done_delay_ms, 1000 * 15)
RAY_CONFIG(uint64_t, gcs_mark_task_failed_on_worker_dead_delay_ms, 1000 * 1)
RAY_CONFIG(bool, enable_metrics_collection, true)
RAY_CONFIG(std::string, metric_cardinality_level, "legacy")
RAY_CONFIG(bool, enable_open_telemetry, false)
RAY_CONFIG(bool, enable_ray_event, false)
RAY_CONFIG(uint64_t, ray_event_recorder_max_queued_events, 10000)
RAY_CONFIG(std::string, enable_grpc_metrics_collection_for, "")

// Leasing and the dashboard agent (Linux value where Ray differs per platform).
RAY_CONFIG(int64_t, io_context_event_loop_lag_collection_interval_ms, 10000)
RAY_CONFIG(int64_t, task_rpc_inlined_bytes_limit, 10 * 1024 * 1024)
RAY_CONFIG(int64_t, max_pending_lease_requests_per_scheduling_category, -1)
#ifdef _WIN32
RAY_CONFIG(uint32_t, agent_register_timeout_ms, 100 * 1000)
#else
RAY_CONFIG(uint32_t, agent_register_timeout_ms, 30 * 1000)
#endif
RAY_CONFIG(bool, enable_pipe_based_agent_to_parent_health_check, true)
RAY_CONFIG(uint32_t, agent_manager_retry_interval_ms, 1000)

// Worker pool and autoscaler reports.
RAY_CONFIG(int64_t, max_resource_shapes_per_load_report, 100)
RAY_CONFIG(int64_t, gcs_server_request_timeout_seconds, 60)
RAY_CONFIG(bool, enable_worker_prestart, false)
RAY_CONFIG(bool, prestart_worker_first_driver, true)
RAY_CONFIG(uint64_t, kill_idle_workers_interval_ms, 200)
RAY_CONFIG(int64_t, idle_worker_killing_time_threshold_ms, 1000)
RAY_CONFIG(int64_t, num_workers_soft_limit, -1)
RAY_CONFIG(uint64_t, metrics_report_interval_ms, 10000)
RAY_CONFIG(bool, enable_timeline, true)
RAY_CONFIG(int64_t, max_placement_group_load_report_size, 1000)

// Object spilling.
RAY_CONFIG(std::string, object_spilling_config, "")
RAY_CONFIG(std::string, object_spilling_directory, "")
RAY_CONFIG(int64_t, verbose_spill_logs, 2L * 1024 * 1024 * 1024)
RAY_CONFIG(bool, automatic_object_spilling_enabled, true)
RAY_CONFIG(int, max_io_workers, 4)
RAY_CONFIG(int64_t, min_spilling_size, 100 * 1024 * 1024)
RAY_CONFIG(float, object_spilling_threshold, 0.8)
RAY_CONFIG(int64_t, max_fused_object_count, 2000)
RAY_CONFIG(int64_t, oom_grace_period_s, 2)
RAY_CONFIG(bool, is_external_storage_type_fs, true)
RAY_CONFIG(float, local_fs_capacity_threshold, 0.95)
RAY_CONFIG(uint64_t, local_fs_monitor_interval_ms, 100)

// Locality-aware leasing.
RAY_CONFIG(bool, locality_aware_leasing_enabled, true)

// Log rotation and core worker liveness.
RAY_CONFIG(int64_t, log_rotation_max_bytes, 100 * 1024 * 1024)
RAY_CONFIG(int64_t, log_rotation_backup_count, 5)
RAY_CONFIG(int64_t, timeout_ms_task_wait_for_death_info, 1000)
RAY_CONFIG(int64_t, core_worker_internal_heartbeat_ms, 1000)
RAY_CONFIG(uint32_t, core_worker_rpc_server_reconnect_timeout_base_s, 1)
RAY_CONFIG(uint32_t, core_worker_rpc_server_reconnect_timeout_max_s, 60)
RAY_CONFIG(float, max_task_args_memory_fraction, 0.7)

// Pub/sub batching.
RAY_CONFIG(int, publish_batch_size, 5000)
RAY_CONFIG(int, publisher_entity_buffer_max_bytes, 1 << 30)
RAY_CONFIG(int64_t, max_command_batch_size, 2000)
RAY_CONFIG(int64_t, max_object_report_batch_size, 2000)
RAY_CONFIG(uint64_t, subscriber_timeout_ms, 300 * 1000)
RAY_CONFIG(uint64_t, gcs_actor_table_min_duration_ms, 60 * 1000 * 5)
RAY_CONFIG(bool, gcs_actor_scheduling_enabled, false)

// Raylet start-up and resources with unit instances.
RAY_CONFIG(uint32_t, max_error_msg_size_bytes, 512 * 1024)
RAY_CONFIG(uint32_t,
           raylet_start_wait_time_s,
           std::getenv("RAY_preallocate_plasma_memory") != nullptr &&
                   std::getenv("RAY_preallocate_plasma_memory") == std::string("1")
               ? 120
               : 30)
RAY_CONFIG(std::string, predefined_unit_instance_resources, "GPU")
RAY_CONFIG(std::string, custom_unit_instance_resources, "neuron_cores,TPU,NPU,HPU,RBLN")
RAY_CONFIG(std::string, system_concurrency_group_name, "_ray_system")
RAY_CONFIG(int64_t,
           gcs_max_active_rpcs_per_handler,
           gcs_server_rpc_server_thread_num() * 100)

// gRPC keepalive, events and miscellaneous scheduling options.
RAY_CONFIG(int64_t, grpc_keepalive_time_ms, 10000)
RAY_CONFIG(int64_t, grpc_keepalive_timeout_ms, 20000)
RAY_CONFIG(int64_t, grpc_client_keepalive_time_ms, 300000)
RAY_CONFIG(int64_t, grpc_client_keepalive_timeout_ms, 120000)
RAY_CONFIG(int64_t, grpc_client_idle_timeout_ms, 1800000)
RAY_CONFIG(int64_t, grpc_stream_buffer_size, 512 * 1024)
RAY_CONFIG(bool, event_log_reporter_enabled, true)
RAY_CONFIG(bool, emit_event_to_log_file, false)
RAY_CONFIG(std::string, event_level, "warning")
RAY_CONFIG(bool, scheduler_avoid_gpu_nodes, true)
RAY_CONFIG(bool, runtime_env_skip_local_gc, false)
RAY_CONFIG(std::string, external_storage_namespace, "default")

// TLS for gRPC and Redis.
RAY_CONFIG(bool, USE_TLS, false)
RAY_CONFIG(std::string, TLS_SERVER_CERT, "")
RAY_CONFIG(std::string, TLS_SERVER_KEY, "")
RAY_CONFIG(std::string, TLS_CA_CERT, "")
RAY_CONFIG(std::string, REDIS_CA_CERT, "")
RAY_CONFIG(std::string, REDIS_CA_PATH, "")
RAY_CONFIG(std::string, REDIS_CLIENT_CERT, "")
RAY_CONFIG(std::string, REDIS_CLIENT_KEY, "")
RAY_CONFIG(std::string, REDIS_SERVER_NAME, "")

// Fault injection for tests.
RAY_CONFIG(std::string, testing_asio_delay_us, "")
RAY_CONFIG(std::string, testing_rpc_failure, "")
RAY_CONFIG(bool, testing_rpc_failure_avoid_intra_node_failures, false)

// GCS health checks of raylets.
RAY_CONFIG(int64_t, health_check_initial_delay_ms, 5000)
RAY_CONFIG(int64_t, health_check_period_ms, 3000)
RAY_CONFIG(int64_t, health_check_timeout_ms, 10000)
RAY_CONFIG(int64_t, health_check_failure_threshold, 5)
RAY_CONFIG(int64_t,
           num_server_call_thread,
           std::max((int64_t)1, (int64_t)(std::thread::hardware_concurrency() / 4U)))

// Process management and Python workers.
RAY_CONFIG(bool, worker_core_dump_exclude_plasma_store, true)
RAY_CONFIG(bool, raylet_core_dump_exclude_plasma_store, true)
RAY_CONFIG(std::vector<std::string>, preload_python_modules, {})
RAY_CONFIG(int64_t, raylet_liveness_self_check_interval_ms, 60000)
RAY_CONFIG(bool, kill_child_processes_on_worker_exit, true)
RAY_CONFIG(bool, kill_child_processes_on_worker_exit_with_raylet_subreaper, false)
RAY_CONFIG(bool, process_group_cleanup_enabled, false)
RAY_CONFIG(bool, enable_autoscaler_v2, false)
RAY_CONFIG(int64_t, nums_py_gcs_reconnect_retry, 5)
RAY_CONFIG(int64_t, py_gcs_connect_timeout_s, 30)
RAY_CONFIG(int, object_manager_client_connection_num, 4)
RAY_CONFIG(int, object_manager_rpc_threads_num, 0)

// Export API, event pipelines and remaining options.
RAY_CONFIG(bool, enable_export_api_write, false)
RAY_CONFIG(std::vector<std::string>, enable_export_api_write_config, {})
RAY_CONFIG(bool, enable_core_worker_task_event_to_gcs, true)
RAY_CONFIG(bool, enable_core_worker_ray_event_to_aggregator, false)
RAY_CONFIG(uint64_t, pipe_logger_read_buf_size, 1024)
RAY_CONFIG(bool, enable_infeasible_task_early_exit, false)
RAY_CONFIG(int64_t, raylet_check_for_unexpected_worker_disconnect_interval_ms, 1000)
RAY_CONFIG(int64_t, actor_scheduling_queue_max_reorder_wait_seconds, 30)
RAY_CONFIG(uint32_t, raylet_rpc_server_reconnect_timeout_base_s, 1)
RAY_CONFIG(uint32_t, raylet_rpc_server_reconnect_timeout_max_s, 60)
RAY_CONFIG(int64_t, worker_num_grpc_internal_threads, 0)
RAY_CONFIG(bool, start_python_gc_manager_thread, true)
RAY_CONFIG(bool, enable_output_error_log_if_still_retry, true)
