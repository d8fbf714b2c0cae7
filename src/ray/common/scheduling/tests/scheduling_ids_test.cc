#include "ray/common/scheduling/scheduling_ids.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "ray/common/implementation.h"
#include "ray/common/ray_config.h"

namespace ray {
namespace scheduling {

// Ray's hook for tests that change the unit-instance resources (a friend of
// ResourceID); Ray's own scheduler tests define it the same way.
void SetUnitInstanceResourceIds(absl::flat_hash_set<ResourceID> ids) {
  auto &unit_instance_ids = ResourceID::UnitInstanceResources();
  unit_instance_ids.clear();
  for (const ResourceID &id : ids) {
    unit_instance_ids.insert(id.ToInt());
  }
}

}  // namespace scheduling

namespace {

using scheduling::NodeID;
using scheduling::ResourceID;

constexpr char kUnitInstanceConfig[] = R"({
  "predefined_unit_instance_resources": "CPU,GPU",
  "custom_unit_instance_resources": "neuron_cores,TPU,custom1"
})";

// The unit-instance resources are read from RayConfig once, on first use, so the
// configuration is applied before any test runs.
class UnitInstanceConfigEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { RayConfig::instance().initialize(kUnitInstanceConfig); }
};

const ::testing::Environment *const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new UnitInstanceConfigEnvironment);

// The integer Ray interns a name as when nothing collides: its std::hash.
int64_t HashId(const std::string &name) {
  return static_cast<int64_t>(std::hash<std::string>()(name));
}

template <typename T>
std::string Streamed(const T &value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

TEST(RayCommonImplementationTest, LinkedImplementationIsTheSelectedOne) {
  EXPECT_STREQ(ray::RayCommonImplementation(), RAY_COMMON_EXPECTED_IMPL);
}

// ---------------------------------------------------------------------------
// StringIdMap

TEST(StringIdMapTest, EmptyMapKnowsNothing) {
  StringIdMap map;
  EXPECT_EQ(map.Count(), 0);
  EXPECT_EQ(map.Get("anything"), -1);
  EXPECT_EQ(map.Get(uint64_t{0}), "-1");
  EXPECT_EQ(map.Get(static_cast<uint64_t>(-1)), "-1");
}

TEST(StringIdMapTest, InsertInternsAsTheStringHash) {
  StringIdMap map;
  int64_t hello = map.Insert("hello");
  EXPECT_EQ(hello, HashId("hello"));
  EXPECT_EQ(map.Get("hello"), hello);
  EXPECT_EQ(map.Get(static_cast<uint64_t>(hello)), "hello");
  EXPECT_EQ(map.Count(), 1);

  int64_t empty = map.Insert("");
  EXPECT_EQ(empty, HashId(""));
  EXPECT_EQ(map.Get(""), empty);
  EXPECT_EQ(map.Count(), 2);
}

TEST(StringIdMapTest, InsertingAgainKeepsTheId) {
  StringIdMap map;
  int64_t first = map.Insert("worker");
  EXPECT_EQ(map.Insert("worker"), first);
  EXPECT_EQ(map.Insert("worker", 3), first);
  EXPECT_EQ(map.Count(), 1);
}

// Reference model of Ray's probing: the hash of the name, then of the name followed by
// 0, 1, 2, ..., each taken modulo `num_ids` with C++'s signed remainder.
int64_t ExpectedId(const std::string &name, uint8_t num_ids, std::set<int64_t> &taken) {
  auto candidate = [num_ids](const std::string &key) {
    int64_t id = HashId(key);
    return num_ids == 0 ? id : id % num_ids;
  };
  int64_t id = candidate(name);
  for (size_t i = 0; taken.count(id) != 0; ++i) {
    id = candidate(name + std::to_string(i));
  }
  taken.insert(id);
  return id;
}

TEST(StringIdMapTest, CollisionsProbeSuffixedHashes) {
  // Modulo 3, IDs are in (-3, 3): five values for five names forces collisions.
  StringIdMap map;
  std::set<int64_t> taken;
  std::vector<std::string> names = {"a", "b", "c", "d", "e"};
  std::set<int64_t> ids;
  for (const auto &name : names) {
    int64_t id = map.Insert(name, 3);
    EXPECT_EQ(id, ExpectedId(name, 3, taken)) << name;
    EXPECT_GT(id, -3);
    EXPECT_LT(id, 3);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), names.size());
  EXPECT_EQ(map.Count(), 5);
  for (const auto &name : names) {
    int64_t id = map.Get(name);
    EXPECT_EQ(map.Get(static_cast<uint64_t>(id)), name);
  }
}

TEST(StringIdMapTest, InsertOrDieChainsAndIsFound) {
  StringIdMap map;
  StringIdMap &same = map.InsertOrDie("zero", 0).InsertOrDie("minus", -7);
  EXPECT_EQ(&same, &map);
  EXPECT_EQ(map.Get("zero"), 0);
  EXPECT_EQ(map.Get("minus"), -7);
  EXPECT_EQ(map.Get(static_cast<uint64_t>(-7)), "minus");
  EXPECT_EQ(map.Count(), 2);
  // Insert() of an existing string returns the fixed ID.
  EXPECT_EQ(map.Insert("zero"), 0);
}

TEST(StringIdMapDeathTest, InsertOrDieRejectsAKnownStringOrId) {
  StringIdMap map;
  map.InsertOrDie("taken", 5);
  EXPECT_DEATH(map.InsertOrDie("taken", 6), "taken or 6 already exist!");
  EXPECT_DEATH(map.InsertOrDie("other", 5), "other or 5 already exist!");
  // The fatal line names the check that failed: the string's, or for a new string the
  // ID's (differential fuzzing found the Rust-backed side naming the string's for both).
  EXPECT_DEATH(map.InsertOrDie("taken", 5),
               "Check failed: string_to_int_.emplace\\(string_id, value\\).second "
               "taken or 5 already exist!");
  EXPECT_DEATH(map.InsertOrDie("other", 5),
               "Check failed: int_to_string_.emplace\\(value, string_id\\).second "
               "other or 5 already exist!");
}

TEST(StringIdMapTest, ConcurrentInsertsAgree) {
  StringIdMap map;
  constexpr int kThreads = 4;
  constexpr int kNames = 200;
  std::vector<std::vector<int64_t>> seen(kThreads, std::vector<int64_t>(kNames));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&map, &seen, t] {
      for (int i = 0; i < kNames; ++i) {
        // Each thread starts at a different name and goes round all of them.
        int n = (i + t * 53) % kNames;
        seen[t][n] = map.Insert("name" + std::to_string(n));
        EXPECT_EQ(map.Get("name" + std::to_string(n)), seen[t][n]);
      }
    });
  }
  for (auto &thread : threads) {
    thread.join();
  }
  EXPECT_EQ(map.Count(), kNames);
  for (int n = 0; n < kNames; ++n) {
    for (int t = 1; t < kThreads; ++t) {
      EXPECT_EQ(seen[t][n], seen[0][n]);
    }
    EXPECT_EQ(map.Get(static_cast<uint64_t>(seen[0][n])), "name" + std::to_string(n));
  }
}

// ---------------------------------------------------------------------------
// BaseSchedulingID / NodeID

TEST(NodeIDTest, NamesRoundTrip) {
  for (const std::string name : {"hello", "whaaat", "yes", ""}) {
    NodeID id(name);
    EXPECT_EQ(id.Binary(), name);
    EXPECT_EQ(id, NodeID(name));
    EXPECT_EQ(id, NodeID(id.ToInt()));
    EXPECT_FALSE(id.IsNil());
  }
  EXPECT_EQ(NodeID("hello").ToInt(), HashId("hello"));
}

TEST(NodeIDTest, NilAndDefault) {
  EXPECT_TRUE(NodeID::Nil().IsNil());
  EXPECT_EQ(NodeID::Nil().ToInt(), -1);
  EXPECT_EQ(NodeID::Nil().Binary(), "-1");
  NodeID unset;
  EXPECT_TRUE(unset.IsNil());
  EXPECT_EQ(unset, NodeID::Nil());
  EXPECT_TRUE(NodeID(-1).IsNil());
  EXPECT_FALSE(NodeID(0).IsNil());
}

TEST(NodeIDTest, IntegerIdsWithoutANameHaveBinaryMinusOne) {
  // Integers are not interned: an ID never inserted resolves to "-1".
  EXPECT_EQ(NodeID(4242).ToInt(), 4242);
  EXPECT_EQ(NodeID(4242).Binary(), "-1");
}

TEST(NodeIDTest, ComparesByInteger) {
  EXPECT_EQ(NodeID(13), NodeID(13));
  EXPECT_NE(NodeID(1), NodeID(2));
  EXPECT_FALSE(NodeID(1) != NodeID(1));
  EXPECT_TRUE(NodeID(1) < NodeID(2));
  EXPECT_FALSE(NodeID(2) < NodeID(1));
  EXPECT_FALSE(NodeID(2) < NodeID(2));
  EXPECT_TRUE(NodeID(-5) < NodeID(0));
}

TEST(NodeIDTest, NodeNamesAreSeparateFromResourceNames) {
  // The node map has no predefined entries: ID 0 is not "CPU" there.
  EXPECT_NE(NodeID(static_cast<int64_t>(CPU)).Binary(), kCPU_ResourceLabel);
  EXPECT_EQ(NodeID(kCPU_ResourceLabel).ToInt(), HashId(kCPU_ResourceLabel));
  NodeID node("node-only-name");
  EXPECT_EQ(ResourceID(node.ToInt()).Binary(), "-1");
}

TEST(NodeIDTest, StreamsTheInteger) {
  EXPECT_EQ(Streamed(NodeID(17)), "17");
  EXPECT_EQ(Streamed(NodeID::Nil()), "-1");
  NodeID named("streamed-node");
  EXPECT_EQ(Streamed(named), std::to_string(named.ToInt()));
}

TEST(NodeIDTest, HashIsTheIntegerHash) {
  NodeID id("hashed-node");
  EXPECT_EQ(std::hash<NodeID>()(id), std::hash<int64_t>()(id.ToInt()));
  std::unordered_set<NodeID> ids = {NodeID(1), NodeID(2), NodeID(1)};
  EXPECT_EQ(ids.size(), 2u);
  absl::flat_hash_set<NodeID> absl_ids = {NodeID(3), NodeID(3), NodeID("x")};
  EXPECT_EQ(absl_ids.size(), 2u);
  EXPECT_TRUE(absl_ids.contains(NodeID("x")));
}

// ---------------------------------------------------------------------------
// ResourceID

TEST(ResourceIDTest, PredefinedResourcesHaveTheirEnumValues) {
  EXPECT_EQ(CPU, 0);
  EXPECT_EQ(MEM, 1);
  EXPECT_EQ(GPU, 2);
  EXPECT_EQ(OBJECT_STORE_MEM, 3);
  EXPECT_EQ(PredefinedResourcesEnum_MAX, 4);

  EXPECT_EQ(ResourceID::CPU().ToInt(), CPU);
  EXPECT_EQ(ResourceID::Memory().ToInt(), MEM);
  EXPECT_EQ(ResourceID::GPU().ToInt(), GPU);
  EXPECT_EQ(ResourceID::ObjectStoreMemory().ToInt(), OBJECT_STORE_MEM);

  EXPECT_EQ(ResourceID(CPU).Binary(), kCPU_ResourceLabel);
  EXPECT_EQ(ResourceID(MEM).Binary(), kMemory_ResourceLabel);
  EXPECT_EQ(ResourceID(GPU).Binary(), kGPU_ResourceLabel);
  EXPECT_EQ(ResourceID(OBJECT_STORE_MEM).Binary(), kObjectStoreMemory_ResourceLabel);

  EXPECT_EQ(ResourceID("CPU"), ResourceID::CPU());
  EXPECT_EQ(ResourceID("memory"), ResourceID::Memory());
  EXPECT_EQ(ResourceID("GPU"), ResourceID::GPU());
  EXPECT_EQ(ResourceID("object_store_memory"), ResourceID::ObjectStoreMemory());
}

TEST(ResourceIDTest, LabelConstants) {
  EXPECT_STREQ(kCPU_ResourceLabel, "CPU");
  EXPECT_STREQ(kGPU_ResourceLabel, "GPU");
  EXPECT_STREQ(kObjectStoreMemory_ResourceLabel, "object_store_memory");
  EXPECT_STREQ(kMemory_ResourceLabel, "memory");
  EXPECT_STREQ(kBundle_ResourceLabel, "bundle");
  EXPECT_STREQ(kImplicitResourcePrefix, "node:__internal_implicit_resource_");
}

TEST(ResourceIDTest, CustomResourcesAreInternedByName) {
  ResourceID custom("custom_resource");
  EXPECT_EQ(custom.ToInt(), HashId("custom_resource"));
  EXPECT_EQ(custom.Binary(), "custom_resource");
  EXPECT_EQ(custom, ResourceID("custom_resource"));
  EXPECT_EQ(custom, ResourceID(custom.ToInt()));
  EXPECT_NE(custom, ResourceID("other_resource"));
  // Names are case-sensitive.
  EXPECT_NE(ResourceID("cpu"), ResourceID::CPU());
}

TEST(ResourceIDTest, Nil) {
  auto nil = ResourceID::Nil();
  EXPECT_TRUE(nil.IsNil());
  EXPECT_EQ(nil.ToInt(), -1);
  EXPECT_EQ(nil.Binary(), "-1");
  EXPECT_FALSE(ResourceID::CPU().IsNil());
  EXPECT_TRUE(ResourceID(-1).IsNil());
}

TEST(ResourceIDTest, IsPredefinedResource) {
  EXPECT_TRUE(ResourceID::CPU().IsPredefinedResource());
  EXPECT_TRUE(ResourceID::Memory().IsPredefinedResource());
  EXPECT_TRUE(ResourceID::GPU().IsPredefinedResource());
  EXPECT_TRUE(ResourceID::ObjectStoreMemory().IsPredefinedResource());
  EXPECT_FALSE(ResourceID(PredefinedResourcesEnum_MAX).IsPredefinedResource());
  EXPECT_FALSE(ResourceID(-1).IsPredefinedResource());
  // A custom name never gets 0..3: those are taken, so a colliding hash is probed.
  EXPECT_FALSE(ResourceID("custom_predef").IsPredefinedResource());
  EXPECT_FALSE(ResourceID("TPU").IsPredefinedResource());
}

TEST(ResourceIDTest, IsImplicitResource) {
  const std::string prefix = kImplicitResourcePrefix;
  EXPECT_TRUE(ResourceID(prefix + "a").IsImplicitResource());
  EXPECT_TRUE(ResourceID(prefix + "node_id_123").IsImplicitResource());
  // The prefix alone is an implicit resource name too.
  EXPECT_TRUE(ResourceID(prefix).IsImplicitResource());
  EXPECT_FALSE(ResourceID("x" + prefix).IsImplicitResource());
  EXPECT_FALSE(ResourceID(prefix.substr(0, prefix.size() - 1)).IsImplicitResource());
  EXPECT_FALSE(ResourceID("node:10.0.0.1").IsImplicitResource());
  EXPECT_FALSE(ResourceID::CPU().IsImplicitResource());
  EXPECT_FALSE(ResourceID(-1).IsImplicitResource());
}

TEST(ResourceIDTest, StreamsTheName) {
  EXPECT_EQ(Streamed(ResourceID::CPU()), "CPU");
  EXPECT_EQ(Streamed(ResourceID("streamed_resource")), "streamed_resource");
  EXPECT_EQ(Streamed(ResourceID::Nil()), "-1");
  EXPECT_EQ(Streamed(ResourceID(123456789)), "-1");
}

TEST(ResourceIDTest, HashIsTheIntegerHash) {
  ResourceID id("hashed_resource");
  EXPECT_EQ(std::hash<ResourceID>()(id), std::hash<int64_t>()(id.ToInt()));
  EXPECT_EQ(std::hash<BaseSchedulingID<SchedulingIDTag::Resource>>()(id),
            std::hash<int64_t>()(id.ToInt()));
  absl::flat_hash_set<ResourceID> ids = {
      ResourceID::CPU(), ResourceID("CPU"), ResourceID("hashed_resource")};
  EXPECT_EQ(ids.size(), 2u);
  std::set<ResourceID> ordered = {ResourceID::GPU(), ResourceID::CPU()};
  EXPECT_EQ(*ordered.begin(), ResourceID::CPU());
}

TEST(ResourceIDTest, UnitInstanceResourcesComeFromRayConfig) {
  // Configured by UnitInstanceConfigEnvironment.
  EXPECT_TRUE(ResourceID::CPU().IsUnitInstanceResource());
  EXPECT_TRUE(ResourceID::GPU().IsUnitInstanceResource());
  EXPECT_TRUE(ResourceID("neuron_cores").IsUnitInstanceResource());
  EXPECT_TRUE(ResourceID("TPU").IsUnitInstanceResource());
  EXPECT_TRUE(ResourceID("custom1").IsUnitInstanceResource());

  EXPECT_FALSE(ResourceID::Memory().IsUnitInstanceResource());
  EXPECT_FALSE(ResourceID::ObjectStoreMemory().IsUnitInstanceResource());
  EXPECT_FALSE(ResourceID("custom2").IsUnitInstanceResource());
  // In Ray's default list, but replaced by the configuration.
  EXPECT_FALSE(ResourceID("NPU").IsUnitInstanceResource());
  // Read once: a later configuration change has no effect.
  RayConfig::instance().initialize(
      R"({"predefined_unit_instance_resources": "GPU",
          "custom_unit_instance_resources": "custom2"})");
  EXPECT_TRUE(ResourceID::CPU().IsUnitInstanceResource());
  EXPECT_FALSE(ResourceID("custom2").IsUnitInstanceResource());
  RayConfig::instance().initialize(kUnitInstanceConfig);
}

TEST(ResourceIDTest, SetUnitInstanceResourceIdsReplacesTheSet) {
  EXPECT_TRUE(ResourceID::GPU().IsUnitInstanceResource());
  scheduling::SetUnitInstanceResourceIds({ResourceID("FPGA")});
  EXPECT_TRUE(ResourceID("FPGA").IsUnitInstanceResource());
  EXPECT_FALSE(ResourceID::GPU().IsUnitInstanceResource());
  EXPECT_FALSE(ResourceID::CPU().IsUnitInstanceResource());
  scheduling::SetUnitInstanceResourceIds({ResourceID::CPU(),
                                          ResourceID::GPU(),
                                          ResourceID("neuron_cores"),
                                          ResourceID("TPU"),
                                          ResourceID("custom1")});
  EXPECT_FALSE(ResourceID("FPGA").IsUnitInstanceResource());
  EXPECT_TRUE(ResourceID::GPU().IsUnitInstanceResource());
}

TEST(ResourceIDDeathTest, UnknownPredefinedUnitInstanceResourceAborts) {
  // The unit-instance set is built once per process: the statement must run in a
  // freshly started process, before anything has built it.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // Ray's check is `id < PredefinedResourcesEnum_MAX`, so use a name whose interned ID
  // is not below it.
  std::string bogus;
  for (int i = 0; bogus.empty(); ++i) {
    std::string candidate = "not_predefined_" + std::to_string(i);
    if (ResourceID(candidate).ToInt() >= PredefinedResourcesEnum_MAX) {
      bogus = candidate;
    }
  }
  EXPECT_DEATH(
      {
        RayConfig::instance().initialize(
            R"({"predefined_unit_instance_resources": "GPU,)" + bogus + R"("})");
        ResourceID::GPU().IsUnitInstanceResource();
      },
      bogus + " is not a valid predefined resource.");
}

}  // namespace
}  // namespace ray
