#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/time/clock.h"
#include "ray/common/constants.h"
#include "ray/common/implementation.h"
#include "ray/common/scheduling/cluster_resource_data.h"

namespace ray {
namespace {

// Ray's default configuration: GPU is a unit-instance resource, CPU is not.
using Instances = std::vector<FixedPoint>;

Instances I(std::vector<double> values) { return FixedPointVectorFromDouble(values); }

ResourceSet Set(absl::flat_hash_map<std::string, double> map) { return ResourceSet(map); }

NodeResourceSet NodeSet(absl::flat_hash_map<std::string, double> map) {
  return NodeResourceSet(map);
}

TEST(RayCommonImplementationTest, LinkedImplementationIsTheSelectedOne) {
  EXPECT_STREQ(ray::RayCommonImplementation(), RAY_COMMON_EXPECTED_IMPL);
}

// ---------------------------------------------------------------------------
// ResourceRequest

TEST(ResourceRequestTest, Constructors) {
  ResourceRequest empty;
  EXPECT_TRUE(empty.IsEmpty());
  EXPECT_EQ(empty.Size(), 0u);
  EXPECT_FALSE(empty.RequiresObjectStoreMemory());

  ResourceID custom("rr_custom");
  ResourceRequest from_map({{ResourceID::CPU(), 1}, {custom, 2}, {ResourceID::GPU(), 0}});
  EXPECT_EQ(from_map.Size(), 2u);
  EXPECT_FALSE(from_map.Has(ResourceID::GPU()));
  EXPECT_FALSE(from_map.RequiresObjectStoreMemory());

  ResourceRequest with_flag({{ResourceID::CPU(), 1}}, true);
  EXPECT_TRUE(with_flag.RequiresObjectStoreMemory());
  EXPECT_EQ(with_flag.GetResourceSet(), Set({{"CPU", 1}}));
  static_assert(!std::is_convertible_v<absl::flat_hash_map<ResourceID, FixedPoint>,
                                       ResourceRequest>,
                "the one-map constructor is explicit");
}

TEST(ResourceRequestTest, GetSetHasClear) {
  ResourceID cpu = ResourceID::CPU();
  ResourceID gpu = ResourceID::GPU();
  ResourceID c1("rr_c1");
  ResourceID c2("rr_c2");
  ResourceRequest request({{cpu, 1}, {c1, 2}});
  EXPECT_TRUE(request.Has(cpu));
  EXPECT_TRUE(request.Has(c1));
  EXPECT_FALSE(request.Has(gpu));
  EXPECT_EQ(request.Get(cpu), 1);
  EXPECT_EQ(request.Get(c1), 2);
  EXPECT_EQ(request.Get(gpu), 0);
  EXPECT_EQ(request.Get(c2), 0);

  request.Set(gpu, 0.5);
  request.Set(c2, -1);
  EXPECT_EQ(request.Get(gpu), 0.5);
  EXPECT_EQ(request.Get(c2), -1);
  EXPECT_EQ(request.Size(), 4u);
  // Zero removes.
  request.Set(cpu, 0);
  request.Set(c1, 0);
  EXPECT_FALSE(request.Has(cpu));
  EXPECT_FALSE(request.Has(c1));
  EXPECT_EQ(request.Size(), 2u);

  request.Clear();
  EXPECT_TRUE(request.IsEmpty());
  EXPECT_EQ(request.Size(), 0u);
}

TEST(ResourceRequestTest, ResourceIdsAndMaps) {
  ResourceRequest request({{ResourceID::CPU(), 1}, {ResourceID("rr_c1"), 2.5}});
  auto ids = request.ResourceIds();
  EXPECT_EQ(absl::flat_hash_set<ResourceID>(ids.begin(), ids.end()),
            (absl::flat_hash_set<ResourceID>{ResourceID::CPU(), ResourceID("rr_c1")}));
  absl::flat_hash_map<std::string, double> expected{{"CPU", 1}, {"rr_c1", 2.5}};
  EXPECT_EQ(request.ToResourceMap(), expected);
  EXPECT_EQ(request.GetResourceSet().GetResourceMap(), expected);
}

TEST(ResourceRequestTest, Comparisons) {
  ResourceID cpu = ResourceID::CPU();
  ResourceID c1("rr_c1");
  ResourceID c2("rr_c2");
  ResourceRequest r1({{cpu, 1}, {c1, 2}});
  ResourceRequest r2 = r1;
  EXPECT_TRUE(r1 == r2);
  EXPECT_FALSE(r1 != r2);
  EXPECT_TRUE(r1 <= r2);
  EXPECT_TRUE(r1 >= r2);

  r2.Set(cpu, 2);
  EXPECT_TRUE(r1 != r2);
  EXPECT_TRUE(r1 <= r2);
  EXPECT_FALSE(r1 >= r2);
  EXPECT_TRUE(r2 >= r1);

  r2.Set(c2, 2);
  r2.Set(c1, 1);
  EXPECT_FALSE(r1 <= r2);
  EXPECT_FALSE(r2 >= r1);

  // Negative quantities against absent ones.
  ResourceRequest negative({{c1, -2}});
  EXPECT_TRUE(negative <= ResourceRequest());
  EXPECT_FALSE(ResourceRequest() <= negative);
  EXPECT_TRUE(ResourceRequest() >= negative);

  // The object-store flag is not compared.
  EXPECT_TRUE(ResourceRequest({{cpu, 1}}, true) == ResourceRequest({{cpu, 1}}, false));
}

TEST(ResourceRequestTest, Arithmetic) {
  ResourceID cpu = ResourceID::CPU();
  ResourceID c1("rr_c1");
  ResourceID c2("rr_c2");
  ResourceRequest r1({{cpu, 1}, {c1, 2}}, true);
  ResourceRequest r2({{cpu, -1}, {c2, 2}});

  ResourceRequest sum = r1 + r2;
  absl::flat_hash_map<std::string, double> expected{{"rr_c1", 2}, {"rr_c2", 2}};
  EXPECT_EQ(sum.ToResourceMap(), expected);
  // The left operand's flag is kept.
  EXPECT_TRUE(sum.RequiresObjectStoreMemory());
  EXPECT_FALSE((r2 + r1).RequiresObjectStoreMemory());
  ResourceRequest accumulated = r1;
  ResourceRequest &same = (accumulated += r2);
  EXPECT_EQ(&same, &accumulated);
  EXPECT_EQ(accumulated, sum);

  ResourceRequest difference = r1 - r2;
  expected = {{"CPU", 2}, {"rr_c1", 2}, {"rr_c2", -2}};
  EXPECT_EQ(difference.ToResourceMap(), expected);
  ResourceRequest reduced = r1;
  ResourceRequest &also_same = (reduced -= r2);
  EXPECT_EQ(&also_same, &reduced);
  EXPECT_EQ(reduced, difference);
  EXPECT_TRUE((r1 - r1).IsEmpty());
}

TEST(ResourceRequestTest, DebugString) {
  EXPECT_EQ(ResourceRequest().DebugString(), "{}");
  EXPECT_EQ(ResourceRequest({{ResourceID::GPU(), 0.5}}).DebugString(), "{GPU: 0.5}");
}

TEST(ResourceRequestTest, FromResourceMaps) {
  ResourceRequest by_name = ResourceMapToResourceRequest(
      absl::flat_hash_map<std::string, double>{{"CPU", 1}, {"rr_c1", 0.5}, {"GPU", 0}},
      true);
  EXPECT_TRUE(by_name.RequiresObjectStoreMemory());
  EXPECT_EQ(by_name.Size(), 2u);
  EXPECT_EQ(by_name.Get(ResourceID("rr_c1")), 0.5);

  ResourceRequest by_id = ResourceMapToResourceRequest(
      absl::flat_hash_map<ResourceID, double>{{ResourceID::CPU(), 1},
                                              {ResourceID("rr_c1"), 0.5},
                                              {ResourceID::GPU(), 0}},
      false);
  EXPECT_FALSE(by_id.RequiresObjectStoreMemory());
  EXPECT_EQ(by_id, by_name);
}

// ---------------------------------------------------------------------------
// TaskResourceInstances

TEST(TaskResourceInstancesTest, FromResourceSet) {
  ASSERT_TRUE(ResourceID::GPU().IsUnitInstanceResource());
  TaskResourceInstances instances(
      Set({{"CPU", 5}, {"GPU", 2.5}, {"rr_c1", 0.5}, {"TPU", 0.5}}));
  EXPECT_EQ(instances.Get(ResourceID::CPU()), I({5}));
  // Whole units of a unit-instance resource become instances.
  EXPECT_EQ(instances.Get(ResourceID::GPU()), I({1, 1}));
  EXPECT_EQ(instances.Get(ResourceID("rr_c1")), I({0.5}));
  // No whole unit: no instance, so the resource is left out.
  EXPECT_FALSE(instances.Has(ResourceID("TPU")));
  EXPECT_EQ(instances.Size(), 3u);
  EXPECT_TRUE(TaskResourceInstances(ResourceSet()).IsEmpty());
}

TEST(TaskResourceInstancesTest, FromMapKeepsEverything) {
  TaskResourceInstances instances(absl::flat_hash_map<ResourceID, Instances>{
      {ResourceID::CPU(), I({0})}, {ResourceID::GPU(), I({0, 0.5})}});
  EXPECT_EQ(instances.Size(), 2u);
  EXPECT_EQ(instances.Get(ResourceID::CPU()), I({0}));
  EXPECT_EQ(instances.Sum(ResourceID::GPU()), 0.5);
}

TEST(TaskResourceInstancesTest, AccessAndMutation) {
  ResourceID cpu = ResourceID::CPU();
  ResourceID gpu = ResourceID::GPU();
  ResourceID c1("rr_c1");
  TaskResourceInstances instances(Set({{"CPU", 5}, {"GPU", 3}}));
  EXPECT_TRUE(instances.Has(cpu));
  EXPECT_FALSE(instances.Has(c1));
  EXPECT_EQ(instances.GetDouble(gpu), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(instances.Sum(cpu), 5);
  EXPECT_EQ(instances.Sum(gpu), 3);
  EXPECT_EQ(instances.Sum(c1), 0);

  TaskResourceInstances &same = instances.Set(c1, I({1}));
  EXPECT_EQ(&same, &instances);
  EXPECT_EQ(instances.Get(c1), I({1}));
  instances.Set(c1, I({2, 0}));
  EXPECT_EQ(instances.Get(c1), I({2, 0}));
  // Zero-valued instances are kept.
  instances.Set(c1, I({0}));
  EXPECT_TRUE(instances.Has(c1));
  // No instances removes.
  instances.Set(c1, {});
  EXPECT_FALSE(instances.Has(c1));

  instances.GetMutable(gpu)[1] = 0.25;
  EXPECT_EQ(instances.Get(gpu), I({1, 0.25, 1}));
  instances.Remove(gpu);
  instances.Remove(c1);
  EXPECT_FALSE(instances.Has(gpu));
  EXPECT_EQ(instances.Size(), 1u);
  EXPECT_FALSE(instances.IsEmpty());
  auto ids = instances.ResourceIds();
  EXPECT_EQ(absl::flat_hash_set<ResourceID>(ids.begin(), ids.end()),
            absl::flat_hash_set<ResourceID>{cpu});
}

TEST(TaskResourceInstancesDeathTest, GetOfAnAbsentResourceAborts) {
  TaskResourceInstances instances;
  EXPECT_DEATH(instances.Get(ResourceID("rr_absent")), "Resource ID not found rr_absent");
  EXPECT_DEATH(instances.GetDouble(ResourceID("rr_absent")),
               "Resource ID not found rr_absent");
  EXPECT_DEATH(instances.GetMutable(ResourceID("rr_absent")),
               "Resource ID not found rr_absent");
}

TEST(TaskResourceInstancesTest, EqualityAndToResourceSet) {
  TaskResourceInstances a(Set({{"CPU", 2}, {"GPU", 2}}));
  TaskResourceInstances b(Set({{"CPU", 2}, {"GPU", 2}}));
  EXPECT_TRUE(a == b);
  b.Set(ResourceID::GPU(), I({1, 1, 0}));
  EXPECT_FALSE(a == b);
  // Same sums, but a different number of instances.
  EXPECT_EQ(a.ToResourceSet(), b.ToResourceSet());
  EXPECT_EQ(a.ToResourceSet(), Set({{"CPU", 2}, {"GPU", 2}}));
  b.Set(ResourceID("rr_c1"), I({0, 0}));
  // Resources summing to 0 are dropped.
  EXPECT_FALSE(b.ToResourceSet().Has(ResourceID("rr_c1")));
}

TEST(TaskResourceInstancesTest, DebugString) {
  EXPECT_EQ(TaskResourceInstances().DebugString(), "{}");
  TaskResourceInstances one(Set({{"GPU", 2}}));
  EXPECT_EQ(one.DebugString(), "{GPU: [10000, 10000]}");
  one.Set(ResourceID::CPU(), I({0.5}));
  std::string text = one.DebugString();
  EXPECT_TRUE(text == "{GPU: [10000, 10000], CPU: [5000]}" ||
              text == "{CPU: [5000], GPU: [10000, 10000]}")
      << text;
}

TEST(TaskResourceInstancesTest, SerializeAsJsonListsPredefinedResourcesInEnumOrder) {
  EXPECT_EQ(TaskResourceInstances().SerializeAsJson(), "{}");
  TaskResourceInstances instances(Set({{"object_store_memory", 100},
                                       {"GPU", 2},
                                       {"memory", 1.5},
                                       {"CPU", 2},
                                       {"rr_custom", 7}}));
  EXPECT_EQ(instances.SerializeAsJson(),
            "{\"CPU\":20000,\"memory\":15000,\"GPU\":[10000, 10000],"
            "\"object_store_memory\":1000000}");
  TaskResourceInstances gpu_only(Set({{"GPU", 1}}));
  EXPECT_EQ(gpu_only.SerializeAsJson(), "{\"GPU\":[10000]}");
  TaskResourceInstances custom_only(Set({{"rr_custom", 1}}));
  EXPECT_EQ(custom_only.SerializeAsJson(), "{}");
}

// ---------------------------------------------------------------------------
// NodeResources

TEST(NodeResourcesTest, Defaults) {
  NodeResources node;
  EXPECT_EQ(node.total, NodeResourceSet());
  EXPECT_EQ(node.available, NodeResourceSet());
  EXPECT_TRUE(node.load.IsEmpty());
  EXPECT_TRUE(node.normal_task_resources.IsEmpty());
  EXPECT_TRUE(node.labels.empty());
  EXPECT_EQ(node.idle_resource_duration_ms, 0);
  EXPECT_FALSE(node.is_draining);
  EXPECT_EQ(node.draining_deadline_timestamp_ms, -1);
  EXPECT_FALSE(node.last_resource_update_time.has_value());
  EXPECT_EQ(node.latest_resources_normal_task_timestamp, 0);
  EXPECT_FALSE(node.object_pulls_queued);

  NodeResources from_set(NodeSet({{"CPU", 4}}));
  EXPECT_EQ(from_set.total, NodeSet({{"CPU", 4}}));
  EXPECT_EQ(from_set.available, NodeSet({{"CPU", 4}}));
}

TEST(NodeResourcesTest, CriticalResourceUtilization) {
  NodeResources node;
  EXPECT_EQ(node.CalculateCriticalResourceUtilization(), 0);

  node.total = NodeSet({{"CPU", 4}, {"memory", 10}, {"object_store_memory", 100},
                        {"GPU", 1}});
  node.available = NodeSet({{"CPU", 3}, {"memory", 5}, {"object_store_memory", 90}});
  // GPU (fully used) does not count; memory is the most used.
  EXPECT_FLOAT_EQ(node.CalculateCriticalResourceUtilization(), 0.5f);

  // Resources held by normal tasks count as used, down to 0 available.
  node.normal_task_resources = Set({{"CPU", 2}});
  EXPECT_FLOAT_EQ(node.CalculateCriticalResourceUtilization(), 0.75f);
  node.normal_task_resources = Set({{"object_store_memory", 200}});
  EXPECT_FLOAT_EQ(node.CalculateCriticalResourceUtilization(), 1.0f);

  // Available above total gives a negative utilisation, which never wins over 0.
  NodeResources over;
  over.total = NodeSet({{"CPU", 1}});
  over.available = NodeSet({{"CPU", 2}});
  EXPECT_EQ(over.CalculateCriticalResourceUtilization(), 0);
}

TEST(NodeResourcesTest, IsAvailable) {
  NodeResources node(NodeSet({{"CPU", 4}, {"GPU", 2}}));
  node.available = NodeSet({{"CPU", 1}, {"GPU", 2}});
  ResourceRequest small({{ResourceID::CPU(), 1}, {ResourceID::GPU(), 2}});
  ResourceRequest big({{ResourceID::CPU(), 2}});
  EXPECT_TRUE(node.IsAvailable(small));
  EXPECT_FALSE(node.IsAvailable(big));
  EXPECT_TRUE(node.IsAvailable(ResourceRequest()));
  // Implicit resources are available on every node.
  ResourceID implicit_id(std::string(kImplicitResourcePrefix) + "rr");
  ResourceRequest implicit({{implicit_id, 1}});
  EXPECT_TRUE(node.IsAvailable(implicit));

  // Queued object pulls block requests that need object store memory.
  node.object_pulls_queued = true;
  ResourceRequest needs_store({{ResourceID::CPU(), 1}}, true);
  EXPECT_FALSE(node.IsAvailable(needs_store));
  EXPECT_TRUE(node.IsAvailable(needs_store, /*ignore_at_capacity=*/true));
  EXPECT_TRUE(node.IsAvailable(small));
  node.object_pulls_queued = false;
  EXPECT_TRUE(node.IsAvailable(needs_store));

  // Normal tasks' resources are taken off what is available.
  node.normal_task_resources = Set({{"GPU", 1}});
  EXPECT_FALSE(node.IsAvailable(small));
  EXPECT_TRUE(node.IsAvailable(ResourceRequest({{ResourceID::GPU(), 1}})));
}

TEST(NodeResourcesTest, IsFeasible) {
  NodeResources node(NodeSet({{"CPU", 4}}));
  node.available = NodeSet({{"CPU", 0}});
  EXPECT_TRUE(node.IsFeasible(ResourceRequest({{ResourceID::CPU(), 4}})));
  EXPECT_FALSE(node.IsFeasible(ResourceRequest({{ResourceID::CPU(), 5}})));
  EXPECT_FALSE(node.IsFeasible(ResourceRequest({{ResourceID::GPU(), 1}})));
  EXPECT_TRUE(node.IsFeasible(ResourceRequest()));
  node.object_pulls_queued = true;
  EXPECT_TRUE(node.IsFeasible(ResourceRequest({{ResourceID::CPU(), 1}}, true)));
}

TEST(NodeResourcesTest, Equality) {
  NodeResources a(NodeSet({{"CPU", 4}}));
  NodeResources b(NodeSet({{"CPU", 4}}));
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a != b);
  // Only total, available and labels are compared.
  b.load = Set({{"CPU", 1}});
  b.normal_task_resources = Set({{"CPU", 1}});
  b.is_draining = true;
  b.draining_deadline_timestamp_ms = 5;
  b.object_pulls_queued = true;
  EXPECT_TRUE(a == b);
  b.labels["zone"] = "a";
  EXPECT_FALSE(a == b);
  EXPECT_TRUE(a != b);
  b.labels.clear();
  b.available = NodeSet({{"CPU", 3}});
  EXPECT_TRUE(a != b);
  b.available = a.available;
  b.total = NodeSet({{"CPU", 5}});
  EXPECT_TRUE(a != b);
}

TEST(NodeResourcesTest, DebugString) {
  NodeResources node(NodeSet({{"CPU", 1}}));
  EXPECT_EQ(node.DebugString(),
            "{\"total\":{CPU: 10000}}, \"available\": {CPU: 10000}}, \"labels\":{}, "
            "\"is_draining\": 0, \"draining_deadline_timestamp_ms\": -1}");
  node.available = NodeSet({});
  node.labels["zone"] = "us-west";
  node.is_draining = true;
  node.draining_deadline_timestamp_ms = 1234;
  EXPECT_EQ(node.DebugString(),
            "{\"total\":{CPU: 10000}}, \"available\": {}}, "
            "\"labels\":{\"zone\":\"us-west\",}, \"is_draining\": 1, "
            "\"draining_deadline_timestamp_ms\": 1234}");
  EXPECT_EQ(node.DictString(), node.DebugString());
}

TEST(NodeResourcesTest, FromResourceMaps) {
  NodeResources node = ResourceMapToNodeResources(
      {{"CPU", 4}, {"GPU", 0}}, {{"CPU", 2}}, {{"zone", "a"}, {"rack", "7"}});
  EXPECT_EQ(node.total, NodeSet({{"CPU", 4}}));
  EXPECT_EQ(node.available, NodeSet({{"CPU", 2}}));
  EXPECT_EQ(node.labels,
            (absl::flat_hash_map<std::string, std::string>{{"zone", "a"},
                                                           {"rack", "7"}}));
  NodeResources no_labels = ResourceMapToNodeResources({{"CPU", 1}}, {});
  EXPECT_TRUE(no_labels.labels.empty());
  EXPECT_EQ(no_labels.available, NodeResourceSet());
}

// ---------------------------------------------------------------------------
// NodeResourceInstances and Node

TEST(NodeResourceInstancesTest, AccessorsEqualityAndDebugString) {
  NodeResourceInstances a;
  a.total = NodeResourceInstanceSet(NodeSet({{"GPU", 2}}));
  a.available = NodeResourceInstanceSet(NodeSet({{"GPU", 1}}));
  EXPECT_EQ(&a.GetTotalResourceInstances(), &a.total);
  EXPECT_EQ(&a.GetAvailableResourceInstances(), &a.available);

  NodeResourceInstances b = a;
  // Labels are not compared.
  b.labels["zone"] = "a";
  EXPECT_TRUE(a == b);
  b.available = a.total;
  EXPECT_FALSE(a == b);

  EXPECT_EQ(a.DebugString(),
            "{\"total\":{GPU: [10000, 10000]}}, \"available\": {GPU: [10000]}}, "
            "\"labels\":{}");
  a.labels["zone"] = "a";
  EXPECT_EQ(a.DebugString(),
            "{\"total\":{GPU: [10000, 10000]}}, \"available\": {GPU: [10000]}}, "
            "\"labels\":{\"zone\":\"a\",}");
}

TEST(NodeTest, MutableViewRecordsTheModificationTime) {
  NodeResources resources(NodeSet({{"CPU", 2}}));
  Node node(resources);
  EXPECT_FALSE(node.GetViewModifiedTs().has_value());
  EXPECT_EQ(node.GetLocalView(), resources);

  absl::Time before = absl::Now();
  NodeResources *view = node.GetMutableLocalView();
  absl::Time after = absl::Now();
  ASSERT_TRUE(node.GetViewModifiedTs().has_value());
  EXPECT_GE(*node.GetViewModifiedTs(), before);
  EXPECT_LE(*node.GetViewModifiedTs(), after);
  view->available = NodeSet({{"CPU", 1}});
  EXPECT_EQ(node.GetLocalView().available, NodeSet({{"CPU", 1}}));
  EXPECT_EQ(&node.GetLocalView(), view);
}

}  // namespace
}  // namespace ray
