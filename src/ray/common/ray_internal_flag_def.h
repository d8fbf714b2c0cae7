// Settings that Ray passes to its own processes through the environment only:
// RAY_INTERNAL_FLAG(type, name, default_value), read from RAY_<name> when RayConfig is
// constructed. Unlike ray_config_def.h, RayConfig::initialize(json) neither re-reads nor
// accepts them. Like that file, this one is included under several definitions of the
// macro and is parsed by the generator of the Rust crate src/ray/rust/ray-config.

// The job of the current driver or worker.
RAY_INTERNAL_FLAG(std::string, JOB_ID, "")

// The process ID of the raylet that started this process.
RAY_INTERNAL_FLAG(std::string, RAYLET_PID, "")

// A fixed node ID instead of a random one, for tests.
RAY_INTERNAL_FLAG(std::string, OVERRIDE_NODE_ID_FOR_TESTING, "")
