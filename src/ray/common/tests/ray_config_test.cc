#include "ray/common/ray_config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "ray/common/implementation.h"

// The environment this binary's RayConfig::instance() is first built from; main() sets
// it before any test runs, as Ray's processes get theirs before they start. Entries not
// named here keep their defaults.
namespace {

struct EnvOverride {
  const char *name;
  const char *value;
};

const EnvOverride kEnvOverrides[] = {
    {"RAY_event_stats", "FALSE"},
    {"RAY_support_fork", "1"},
    {"RAY_USE_TLS", "True"},
    {"RAY_worker_niceness", "-3"},
    {"RAY_scheduler_top_k_absolute", " 9"},
    {"RAY_task_retry_delay_ms", "-1"},
    {"RAY_ray_cookie", "-42"},
    {"RAY_task_oom_retries", "3"},
    {"RAY_free_objects_batch_size", "77"},
    {"RAY_memory_usage_threshold", "0.5e0"},
    {"RAY_high_plasma_storage_usage", "-1.25"},
    {"RAY_gcs_storage", " redis "},
    {"RAY_preload_python_modules", " numpy , pandas,"},
    {"RAY_JOB_ID", "01000000"},
    // A default computed from another entry follows its override, in uint32_t.
    {"RAY_gcs_server_rpc_server_thread_num", "50000000"},
    // A default that reads another variable.
    {"RAY_preallocate_plasma_memory", "1"},
};

std::string DeathMessage(const std::string &text) {
  // EXPECT_DEATH takes a POSIX extended regex; escape everything it treats specially.
  std::string escaped;
  for (char c : text) {
    if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) {
      escaped.push_back('\\');
    }
    escaped.push_back(c);
  }
  return escaped;
}

std::string CheckMessage(const std::string &value, const std::string &type) {
  return DeathMessage("Check failed: !value.empty() && stream.eof() Cannot parse \"" +
                      value + "\" to " + type);
}

// Every test starts from the environment and defaults again.
class RayConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { RayConfig::instance().initialize(""); }
  void TearDown() override { RayConfig::instance().initialize(""); }
};

TEST(RayCommonImplementationTest, LinkedImplementationIsTheSelectedOne) {
  EXPECT_STREQ(ray::RayCommonImplementation(), RAY_COMMON_EXPECTED_IMPL);
}

// ---------------------------------------------------------------------------
// ConvertValue: the text of one variable.

TEST(ConvertValueTest, TrimsVectorElements) {
  const std::vector<std::string> expected{"no_spaces", "with spaces"};
  EXPECT_EQ(
      ConvertValue<std::vector<std::string>>("std::vector", "no_spaces, with spaces "),
      expected);
  EXPECT_EQ(ConvertValue<std::vector<std::string>>("v", ""),
            std::vector<std::string>{""});
  const std::vector<std::string> with_empty{"a", "", "b", ""};
  EXPECT_EQ(ConvertValue<std::vector<std::string>>("v", "a,,b,\t"), with_empty);
}

TEST(ConvertValueTest, IntegersReadLikeAStream) {
  EXPECT_EQ(ConvertValue<int64_t>("int64_t", "42"), 42);
  EXPECT_EQ(ConvertValue<int64_t>("int64_t", "  +42"), 42);
  EXPECT_EQ(ConvertValue<int64_t>("int64_t", "-0042"), -42);
  EXPECT_EQ(ConvertValue<int64_t>("int64_t", "99999999999999999999"),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ConvertValue<int64_t>("int64_t", "-99999999999999999999"),
            std::numeric_limits<int64_t>::min());
  EXPECT_EQ(ConvertValue<int>("int", "3000000000"), std::numeric_limits<int>::max());
  EXPECT_EQ(ConvertValue<int>("int", "-3000000000"), std::numeric_limits<int>::min());
  EXPECT_EQ(ConvertValue<uint64_t>("uint64_t", "-1"),
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(ConvertValue<uint32_t>("uint32_t", "-1"),
            std::numeric_limits<uint32_t>::max());
  EXPECT_EQ(ConvertValue<uint32_t>("uint32_t", "-4294967295"), 1u);
  EXPECT_EQ(ConvertValue<uint32_t>("uint32_t", "4294967296"),
            std::numeric_limits<uint32_t>::max());
  EXPECT_EQ(ConvertValue<size_t>("size_t", "123"), 123u);
  // A sign alone, or only whitespace, reaches the end of the text and reads as 0.
  EXPECT_EQ(ConvertValue<int64_t>("int64_t", "-"), 0);
  EXPECT_EQ(ConvertValue<int64_t>("int64_t", "   "), 0);
}

TEST(ConvertValueTest, FloatsReadLikeAStream) {
  EXPECT_EQ(ConvertValue<double>("double", "1.5"), 1.5);
  EXPECT_EQ(ConvertValue<double>("double", " -2.5e3"), -2500.0);
  EXPECT_EQ(ConvertValue<double>("double", ".5"), 0.5);
  EXPECT_EQ(ConvertValue<double>("double", "5."), 5.0);
  EXPECT_EQ(ConvertValue<double>("double", "1E2"), 100.0);
  EXPECT_EQ(ConvertValue<float>("float", "0.95"), 0.95f);
  EXPECT_EQ(ConvertValue<double>("double", "1e"), 0.0);
  EXPECT_EQ(ConvertValue<double>("double", "1e+"), 0.0);
  EXPECT_EQ(ConvertValue<double>("double", "1e999"), std::numeric_limits<double>::max());
  EXPECT_EQ(ConvertValue<double>("double", "-1e999"),
            -std::numeric_limits<double>::max());
  EXPECT_EQ(ConvertValue<float>("float", "1e39"), std::numeric_limits<float>::max());
  EXPECT_EQ(ConvertValue<double>("double", "1e-999"), 0.0);
}

TEST(ConvertValueTest, BoolsAndStrings) {
  for (const char *text : {"true", "TRUE", "True", "1"}) {
    EXPECT_TRUE(ConvertValue<bool>("bool", text)) << text;
  }
  for (const char *text : {"false", "0", "yes", " true", "2", ""}) {
    EXPECT_FALSE(ConvertValue<bool>("bool", text)) << text;
  }
  EXPECT_EQ(ConvertValue<std::string>("std::string", " as is "), " as is ");
}

TEST(ConvertValueDeathTest, UnparsableTextIsFatalWithRaysMessage) {
  EXPECT_DEATH(ConvertValue<int64_t>("int64_t", "12a"), CheckMessage("12a", "int64_t"));
  EXPECT_DEATH(ConvertValue<int>("int", ""), CheckMessage("", "int"));
  EXPECT_DEATH(ConvertValue<int>("int", "1.5"), CheckMessage("1.5", "int"));
  EXPECT_DEATH(ConvertValue<uint64_t>("uint64_t", "3 "), CheckMessage("3 ", "uint64_t"));
  EXPECT_DEATH(ConvertValue<int64_t>("int64_t", "0x10"), CheckMessage("0x10", "int64_t"));
  EXPECT_DEATH(ConvertValue<size_t>("size_t", "1e3"), CheckMessage("1e3", "size_t"));
  EXPECT_DEATH(ConvertValue<double>("double", "inf"), CheckMessage("inf", "double"));
  EXPECT_DEATH(ConvertValue<double>("double", "nan"), CheckMessage("nan", "double"));
  EXPECT_DEATH(ConvertValue<float>("float", "1.2.3"), CheckMessage("1.2.3", "float"));
}

// ---------------------------------------------------------------------------
// Defaults and the environment.

TEST_F(RayConfigTest, DefaultsOfEveryType) {
  RayConfig &c = RayConfig::instance();
  EXPECT_TRUE(c.emit_main_service_metrics());
  EXPECT_FALSE(c.record_ref_creation_sites());
  EXPECT_EQ(c.max_io_workers(), 4);
  EXPECT_EQ(c.publisher_entity_buffer_max_bytes(), 1 << 30);
  EXPECT_EQ(c.gcs_rpc_server_connect_timeout_s(), 5);
  EXPECT_EQ(c.max_num_generator_returns(), 100u * 1000 * 1000);
  EXPECT_EQ(c.agent_register_timeout_ms(), 30u * 1000);
  EXPECT_EQ(c.min_memory_free_bytes(), -1);
  EXPECT_EQ(c.verbose_spill_logs(), int64_t{2} * 1024 * 1024 * 1024);
  EXPECT_EQ(c.gcs_grpc_max_request_queued_max_bytes(), uint64_t{5} * 1024 * 1024 * 1024);
  EXPECT_EQ(c.object_manager_max_bytes_in_flight(), uint64_t{2} * 1024 * 1024 * 1024);
  EXPECT_EQ(c.task_failure_entry_ttl_ms(), 15u * 60 * 1000);
  EXPECT_EQ(c.max_grpc_message_size(), size_t{512} * 1024 * 1024);
  EXPECT_EQ(c.scheduler_top_k_fraction(), static_cast<float>(0.2));
  EXPECT_EQ(c.object_spilling_threshold(), static_cast<float>(0.8));
  EXPECT_EQ(c.gcs_create_placement_group_retry_multiplier(), 1.5);
  EXPECT_EQ(c.predefined_unit_instance_resources(), "GPU");
  EXPECT_EQ(c.custom_unit_instance_resources(), "neuron_cores,TPU,NPU,HPU,RBLN");
  EXPECT_EQ(c.event_level(), "warning");
  EXPECT_TRUE(c.enable_export_api_write_config().empty());
  EXPECT_EQ(c.RAYLET_PID(), "");
}

TEST_F(RayConfigTest, DefaultsFromTheMachine) {
  RayConfig &c = RayConfig::instance();
  const unsigned quarter = std::max(1U, std::thread::hardware_concurrency() / 4U);
  EXPECT_EQ(c.gcs_server_rpc_client_thread_num(), quarter);
  EXPECT_EQ(c.num_server_call_thread(), static_cast<int64_t>(quarter));
}

TEST_F(RayConfigTest, EnvironmentOverridesOfEveryType) {
  RayConfig &c = RayConfig::instance();
  EXPECT_FALSE(c.event_stats());
  EXPECT_TRUE(c.support_fork());
  EXPECT_TRUE(c.USE_TLS());
  EXPECT_EQ(c.worker_niceness(), -3);
  EXPECT_EQ(c.scheduler_top_k_absolute(), 9);
  EXPECT_EQ(c.task_retry_delay_ms(), std::numeric_limits<uint32_t>::max());
  EXPECT_EQ(c.ray_cookie(), -42);
  EXPECT_EQ(c.task_oom_retries(), 3u);
  EXPECT_EQ(c.free_objects_batch_size(), 77u);
  EXPECT_EQ(c.memory_usage_threshold(), 0.5f);
  EXPECT_EQ(c.high_plasma_storage_usage(), -1.25);
  EXPECT_EQ(c.gcs_storage(), " redis ");
  const std::vector<std::string> modules{"numpy", "pandas", ""};
  EXPECT_EQ(c.preload_python_modules(), modules);
  EXPECT_EQ(c.JOB_ID(), "01000000");
}

TEST_F(RayConfigTest, DefaultsFollowOtherEntriesAndVariables) {
  RayConfig &c = RayConfig::instance();
  EXPECT_EQ(c.gcs_server_rpc_server_thread_num(), 50000000u);
  // 50'000'000 * 100 in uint32_t wraps modulo 2^32.
  EXPECT_EQ(c.gcs_max_active_rpcs_per_handler(),
            int64_t{5000000000} % (int64_t{1} << 32));
  EXPECT_TRUE(c.preallocate_plasma_memory());
  EXPECT_EQ(c.raylet_start_wait_time_s(), 120u);
}

TEST_F(RayConfigTest, AccessorsAreAssignable) {
  RayConfig::instance().worker_niceness() = 2;
  RayConfig::instance().JOB_ID() = "assigned";
  EXPECT_EQ(RayConfig::instance().worker_niceness(), 2);
  EXPECT_EQ(RayConfig::instance().JOB_ID(), "assigned");
  RayConfig::instance().JOB_ID() = "01000000";
}

// ---------------------------------------------------------------------------
// initialize(json).

TEST_F(RayConfigTest, InitializeSetsEveryTypeFromJson) {
  RayConfig &c = RayConfig::instance();
  c.initialize(R"({
      "event_stats": true,
      "worker_niceness": -2,
      "scheduler_top_k_absolute": 4.9,
      "task_retry_delay_ms": true,
      "ray_cookie": -7,
      "task_oom_retries": -1,
      "free_objects_batch_size": 12,
      "memory_usage_threshold": 0.25,
      "high_plasma_storage_usage": 3,
      "gcs_storage": "memory",
      "preload_python_modules": ["a", " b "]
  })");
  EXPECT_TRUE(c.event_stats());
  EXPECT_EQ(c.worker_niceness(), -2);
  EXPECT_EQ(c.scheduler_top_k_absolute(), 4);
  EXPECT_EQ(c.task_retry_delay_ms(), 1u);
  EXPECT_EQ(c.ray_cookie(), -7);
  EXPECT_EQ(c.task_oom_retries(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(c.free_objects_batch_size(), 12u);
  EXPECT_EQ(c.memory_usage_threshold(), 0.25f);
  EXPECT_EQ(c.high_plasma_storage_usage(), 3.0);
  EXPECT_EQ(c.gcs_storage(), "memory");
  const std::vector<std::string> modules{"a", " b "};
  EXPECT_EQ(c.preload_python_modules(), modules);
}

TEST_F(RayConfigTest, FloatsBeyondAnIntegerEntrySaturate) {
  RayConfig &c = RayConfig::instance();
  c.initialize(
      R"({"ray_cookie": 1e300, "task_oom_retries": -2.5, "worker_niceness": -1e20})");
  EXPECT_EQ(c.ray_cookie(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(c.task_oom_retries(), 0u);
  EXPECT_EQ(c.worker_niceness(), std::numeric_limits<int>::min());
}

TEST_F(RayConfigTest, InitializeStartsOverFromTheEnvironment) {
  RayConfig &c = RayConfig::instance();
  c.initialize(R"({"max_io_workers": 9})");
  EXPECT_EQ(c.max_io_workers(), 9);
  c.JOB_ID() = "kept";
  c.initialize(R"({"worker_niceness": 11})");
  EXPECT_EQ(c.max_io_workers(), 4);       // the earlier JSON is undone
  EXPECT_EQ(c.worker_niceness(), 11);     // JSON beats the environment
  EXPECT_EQ(c.gcs_storage(), " redis ");  // the environment is read again
  EXPECT_EQ(c.JOB_ID(), "kept");          // internal flags are not
  c.worker_niceness() = 0;
  c.initialize("");
  EXPECT_EQ(c.worker_niceness(), -3);
  c.JOB_ID() = "01000000";
}

TEST_F(RayConfigTest, EmptyJsonValuesChangeNothing) {
  for (const char *text : {"{}", "null", "[]", " {} "}) {
    RayConfig::instance().max_io_workers() = 1;
    RayConfig::instance().initialize(text);
    EXPECT_EQ(RayConfig::instance().max_io_workers(), 4) << text;
  }
}

using RayConfigDeathTest = RayConfigTest;

TEST_F(RayConfigDeathTest, UnknownNamesAreFatalInKeyOrder) {
  RayConfig &c = RayConfig::instance();
  EXPECT_DEATH(c.initialize(R"({"not_an_entry": 1})"),
               "Received unexpected config parameter not_an_entry");
  // Keys are visited in sorted order, so "aaa" comes first.
  EXPECT_DEATH(c.initialize(R"({"zzz": 1, "aaa": 2, "worker_niceness": "x"})"),
               "Received unexpected config parameter aaa");
  EXPECT_DEATH(c.initialize(R"({"JOB_ID": "x"})"),
               "Received unexpected config parameter JOB_ID");
  EXPECT_DEATH(c.initialize("[1, 2]"), "Received unexpected config parameter 0");
  EXPECT_DEATH(c.initialize("5"), "Received unexpected config parameter \n");
}

TEST_F(RayConfigDeathTest, WrongJsonTypesAreFatalWithNlohmannsMessage) {
  struct Case {
    const char *json;
    const char *expected;
    const char *found;
  };
  const Case cases[] = {
      {R"({"worker_niceness": "3"})", "number", "string"},
      {R"({"ray_cookie": true})", "number", "boolean"},
      {R"({"task_oom_retries": false})", "number", "boolean"},
      {R"({"free_objects_batch_size": true})", "number", "boolean"},
      {R"({"high_plasma_storage_usage": true})", "number", "boolean"},
      {R"({"memory_usage_threshold": null})", "number", "null"},
      {R"({"event_stats": 1})", "boolean", "number"},
      {R"({"gcs_storage": ["redis"]})", "string", "array"},
      {R"({"preload_python_modules": "a,b"})", "array", "string"},
      {R"({"preload_python_modules": ["a", {}]})", "string", "object"},
  };
  for (const Case &test : cases) {
    const std::string message =
        std::string("Failed to initialize RayConfig: [json.exception.type_error.302] "
                    "type must be ") +
        test.expected + ", but is " + test.found + " The config string is: " + test.json;
    EXPECT_DEATH(RayConfig::instance().initialize(test.json), DeathMessage(message))
        << test.json;
  }
}

TEST_F(RayConfigDeathTest, MalformedJsonIsFatal) {
  for (const char *text :
       {"{", "{\"a\": }", "{} {}", "nope", "{\"worker_niceness\": 1e400}", " "}) {
    EXPECT_DEATH(RayConfig::instance().initialize(text),
                 DeathMessage("Failed to initialize RayConfig: [json.exception."))
        << text;
  }
}

TEST_F(RayConfigDeathTest, AnUnparsableVariableIsFatalOnInitialize) {
  EXPECT_DEATH(
      {
        setenv("RAY_worker_niceness", "x", 1);
        RayConfig::instance().initialize("{}");
      },
      CheckMessage("x", "int"));
}

}  // namespace

int main(int argc, char **argv) {
  for (const EnvOverride &entry : kEnvOverrides) {
    setenv(entry.name, entry.value, 1);
  }
  // Built here, from that environment, before any test.
  RayConfig::instance();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
