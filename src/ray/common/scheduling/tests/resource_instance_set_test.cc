#include "ray/common/scheduling/resource_instance_set.h"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "ray/common/constants.h"
#include "ray/common/implementation.h"

namespace ray {
namespace {

// Ray's default configuration: GPU and TPU are unit-instance resources, CPU is not.
using Instances = std::vector<FixedPoint>;
using Allocation = absl::flat_hash_map<ResourceID, Instances>;

const ResourceID kImplicit(std::string(kImplicitResourcePrefix) + "ris");
const std::string kGroup = "9a2bc4d0e1f2";

ResourceID Wildcard(const std::string &resource) {
  return ResourceID(resource + "_group_" + kGroup);
}

ResourceID Bundle(const std::string &resource, int index) {
  return ResourceID(resource + "_group_" + std::to_string(index) + "_" + kGroup);
}

Instances I(std::vector<double> values) { return FixedPointVectorFromDouble(values); }

NodeResourceInstanceSet FromTotal(absl::flat_hash_map<std::string, double> total) {
  return NodeResourceInstanceSet(NodeResourceSet(total));
}

TEST(RayCommonImplementationTest, LinkedImplementationIsTheSelectedOne) {
  EXPECT_STREQ(ray::RayCommonImplementation(), RAY_COMMON_EXPECTED_IMPL);
}

// ---------------------------------------------------------------------------
// Construction and access

TEST(NodeResourceInstanceSetTest, ConstructorSplitsUnitInstanceResources) {
  ASSERT_TRUE(ResourceID::GPU().IsUnitInstanceResource());
  ASSERT_FALSE(ResourceID::CPU().IsUnitInstanceResource());
  auto set = FromTotal({{"CPU", 2.5}, {"GPU", 3}, {"TPU", 2.7}, {"ris_custom", 0.5}});
  EXPECT_EQ(set.Get(ResourceID::CPU()), I({2.5}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({1, 1, 1}));
  // Fractions of a unit-instance resource are dropped.
  EXPECT_EQ(set.Get(ResourceID("TPU")), I({1, 1}));
  EXPECT_EQ(set.Get(ResourceID("ris_custom")), I({0.5}));
  EXPECT_EQ(set.Resources().size(), 4u);
}

TEST(NodeResourceInstanceSetTest, ConstructorLeavesImplicitResourcesAtTheirDefault) {
  NodeResourceSet total(absl::flat_hash_map<std::string, double>{{"CPU", 1}});
  total.Set(kImplicit, 0.5);
  NodeResourceInstanceSet set(total);
  EXPECT_EQ(set.Get(kImplicit), I({1}));
  EXPECT_EQ(set.Resources().size(), 1u);
  EXPECT_TRUE(NodeResourceInstanceSet(NodeResourceSet()).Resources().empty());
}

TEST(NodeResourceInstanceSetDeathTest, UnitInstanceResourceBelowOneHasNoInstance) {
  EXPECT_DEATH(FromTotal({{"GPU", 0.5}}), "Check failed: !instances.empty()");
}

TEST(NodeResourceInstanceSetTest, HasGetSum) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::GPU(), I({1, 0.3, 0.5}));
  set.Set(ResourceID("ris_zero"), I({0}));
  EXPECT_TRUE(set.Has(ResourceID::GPU()));
  // Present with a value of 0 still counts as present.
  EXPECT_TRUE(set.Has(ResourceID("ris_zero")));
  EXPECT_FALSE(set.Has(ResourceID("ris_absent")));
  EXPECT_TRUE(set.Has(kImplicit));

  EXPECT_TRUE(set.Get(ResourceID("ris_absent")).empty());
  EXPECT_EQ(set.Get(kImplicit), I({1}));

  EXPECT_EQ(set.Sum(ResourceID::GPU()), 1.8);
  EXPECT_EQ(set.Sum(ResourceID("ris_zero")), 0);
  EXPECT_EQ(set.Sum(ResourceID("ris_absent")), 0);
  EXPECT_EQ(set.Sum(kImplicit), 1);
  set.Set(kImplicit, I({0.7}));
  EXPECT_EQ(set.Sum(kImplicit), 0.7);
}

TEST(NodeResourceInstanceSetTest, SetReplacesAndChains) {
  NodeResourceInstanceSet set;
  NodeResourceInstanceSet &same =
      set.Set(ResourceID::CPU(), I({1})).Set(ResourceID::GPU(), I({1, 1}));
  EXPECT_EQ(&same, &set);
  set.Set(ResourceID::GPU(), I({0.5}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0.5}));
  set.Set(ResourceID::CPU(), I({-1}));
  EXPECT_EQ(set.Get(ResourceID::CPU()), I({-1}));
}

TEST(NodeResourceInstanceSetTest, ImplicitResourceWithFirstInstanceOneIsNotStored) {
  NodeResourceInstanceSet set;
  set.Set(kImplicit, I({0.5}));
  EXPECT_EQ(set.Resources().size(), 1u);
  set.Set(kImplicit, I({1}));
  EXPECT_TRUE(set.Resources().empty());
  // Only the first instance is looked at.
  set.Set(kImplicit, I({1, 0.5}));
  EXPECT_TRUE(set.Resources().empty());
  EXPECT_EQ(set.Get(kImplicit), I({1}));
}

TEST(NodeResourceInstanceSetDeathTest, SetRejectsNoInstances) {
  NodeResourceInstanceSet set;
  EXPECT_DEATH(set.Set(ResourceID::CPU(), {}), "Check failed: !instances.empty()");
}

TEST(NodeResourceInstanceSetTest, Remove) {
  auto set = FromTotal({{"CPU", 2}, {"GPU", 2}});
  set.Remove(ResourceID::GPU());
  EXPECT_FALSE(set.Has(ResourceID::GPU()));
  set.Remove(ResourceID("ris_absent"));
  EXPECT_FALSE(set.Has(ResourceID("ris_absent")));
  EXPECT_EQ(set.Resources().size(), 1u);
  set.Set(kImplicit, I({0.2}));
  set.Remove(kImplicit);
  EXPECT_EQ(set.Get(kImplicit), I({1}));
}

TEST(NodeResourceInstanceSetTest, Equality) {
  auto a = FromTotal({{"CPU", 2}, {"GPU", 2}});
  auto b = FromTotal({{"CPU", 2}, {"GPU", 2}});
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == FromTotal({{"CPU", 2}, {"GPU", 1}}));
  b.Set(ResourceID::GPU(), I({1, 1, 0}));
  EXPECT_FALSE(a == b);
  EXPECT_TRUE(NodeResourceInstanceSet() == NodeResourceInstanceSet());
  // An implicit resource at its default is the same as an absent one.
  b = a;
  b.Set(kImplicit, I({1}));
  EXPECT_TRUE(a == b);
}

TEST(NodeResourceInstanceSetTest, DebugStringPrintsRawUnits) {
  EXPECT_EQ(NodeResourceInstanceSet().DebugString(), "{}");
  NodeResourceInstanceSet one;
  one.Set(ResourceID::GPU(), I({1, 0.5}));
  EXPECT_EQ(one.DebugString(), "{GPU: [10000, 5000]}");
  one.Set(ResourceID::CPU(), I({2}));
  std::string text = one.DebugString();
  EXPECT_TRUE(text == "{GPU: [10000, 5000], CPU: [20000]}" ||
              text == "{CPU: [20000], GPU: [10000, 5000]}")
      << text;
}

TEST(NodeResourceInstanceSetTest, ToNodeResourceSet) {
  auto set = FromTotal({{"CPU", 2}, {"GPU", 2}});
  EXPECT_EQ(set.ToNodeResourceSet(),
            NodeResourceSet(absl::flat_hash_map<std::string, double>{{"CPU", 2},
                                                                     {"GPU", 2}}));
  set.Set(ResourceID::GPU(), I({0, 0}));
  set.Set(kImplicit, I({0.25}));
  NodeResourceSet expected(absl::flat_hash_map<std::string, double>{{"CPU", 2}});
  expected.Set(kImplicit, 0.25);
  EXPECT_EQ(set.ToNodeResourceSet(), expected);
}

// ---------------------------------------------------------------------------
// TryAllocate without placement groups

TEST(TryAllocateTest, SingleInstanceResource) {
  auto set = FromTotal({{"CPU", 2}});
  auto allocation = set.TryAllocate(ResourceSet(absl::flat_hash_map<std::string, double>{
      {"CPU", 1.5}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ(*allocation, (Allocation{{ResourceID::CPU(), I({1.5})}}));
  EXPECT_EQ(set.Get(ResourceID::CPU()), I({0.5}));

  EXPECT_FALSE(
      set.TryAllocate(ResourceSet(absl::flat_hash_map<std::string, double>{{"CPU", 0.6}}))
          .has_value());
  EXPECT_EQ(set.Get(ResourceID::CPU()), I({0.5}));

  // Exactly what is left.
  allocation = set.TryAllocate(
      ResourceSet(absl::flat_hash_map<std::string, double>{{"CPU", 0.5}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ(set.Get(ResourceID::CPU()), I({0}));
}

TEST(TryAllocateTest, NegativeDemandOnASingleInstanceAddsCapacity) {
  auto set = FromTotal({{"CPU", 1}});
  auto allocation = set.TryAllocate(
      ResourceSet(absl::flat_hash_map<std::string, double>{{"CPU", -0.5}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ((*allocation)[ResourceID::CPU()], I({-0.5}));
  EXPECT_EQ(set.Get(ResourceID::CPU()), I({1.5}));
}

TEST(TryAllocateTest, AbsentResourceFails) {
  auto set = FromTotal({{"CPU", 2}});
  EXPECT_FALSE(set.TryAllocate(ResourceSet(absl::flat_hash_map<std::string, double>{
                                   {"ris_absent", 0.1}}))
                   .has_value());
}

TEST(TryAllocateTest, EmptyDemandSucceedsWithNothing) {
  auto set = FromTotal({{"CPU", 2}});
  auto allocation = set.TryAllocate(ResourceSet());
  ASSERT_TRUE(allocation.has_value());
  EXPECT_TRUE(allocation->empty());
  EXPECT_EQ(set, FromTotal({{"CPU", 2}}));
}

TEST(TryAllocateTest, ImplicitResourceStartsAtOne) {
  NodeResourceInstanceSet set;
  auto allocation = set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
      {kImplicit, 0.3}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ((*allocation)[kImplicit], I({0.3}));
  EXPECT_EQ(set.Get(kImplicit), I({0.7}));
  EXPECT_FALSE(set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
                                   {kImplicit, 0.8}}))
                   .has_value());
  // Freeing it all returns it to the default.
  set.Free(kImplicit, I({0.3}));
  EXPECT_TRUE(set.Resources().empty());
}

TEST(TryAllocateTest, UnitInstancesWholeInstancesFirstInIndexOrder) {
  auto set = FromTotal({{"GPU", 4}});
  auto allocation = set.TryAllocate(
      ResourceSet(absl::flat_hash_map<std::string, double>{{"GPU", 2}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ((*allocation)[ResourceID::GPU()], I({1, 1, 0, 0}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0, 0, 1, 1}));

  EXPECT_FALSE(set.TryAllocate(
                      ResourceSet(absl::flat_hash_map<std::string, double>{{"GPU", 3}}))
                   .has_value());
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0, 0, 1, 1}));
}

TEST(TryAllocateTest, UnitInstancesFractionGoesToTheTightestFit) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::GPU(), I({1, 1, 0.5, 0.7}));
  // One whole instance, then 0.2 on the instance with the least left over (0.5).
  auto allocation = set.TryAllocate(
      ResourceSet(absl::flat_hash_map<std::string, double>{{"GPU", 1.2}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ((*allocation)[ResourceID::GPU()], I({1, 0, 0.2, 0}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0, 1, 0.3, 0.7}));

  // An exact fit beats a whole free instance.
  allocation = set.TryAllocate(
      ResourceSet(absl::flat_hash_map<std::string, double>{{"GPU", 0.7}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ((*allocation)[ResourceID::GPU()], I({0, 0, 0, 0.7}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0, 1, 0.3, 0}));

  // Only the whole instance fits 0.4.
  allocation = set.TryAllocate(
      ResourceSet(absl::flat_hash_map<std::string, double>{{"GPU", 0.4}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ((*allocation)[ResourceID::GPU()], I({0, 0.4, 0, 0}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0, 0.6, 0.3, 0}));
}

TEST(TryAllocateTest, UnitInstancesTiesGoToTheLowestIndex) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::GPU(), I({0.2, 0.5, 0.5}));
  auto allocation = set.TryAllocate(
      ResourceSet(absl::flat_hash_map<std::string, double>{{"GPU", 0.5}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ((*allocation)[ResourceID::GPU()], I({0, 0.5, 0}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0.2, 0, 0.5}));
}

TEST(TryAllocateTest, UnitInstancesNeedWholeInstancesForWholeUnits) {
  NodeResourceInstanceSet set;
  // 1.5 in total, but no instance is whole.
  set.Set(ResourceID::GPU(), I({0.5, 0.5, 0.5}));
  EXPECT_FALSE(set.TryAllocate(
                      ResourceSet(absl::flat_hash_map<std::string, double>{{"GPU", 1}}))
                   .has_value());
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0.5, 0.5, 0.5}));

  // One whole instance: 1.5 fits (0.5 on a half instance), 2 does not.
  set.Set(ResourceID::GPU(), I({0.9, 1, 0.9}));
  EXPECT_FALSE(set.TryAllocate(
                      ResourceSet(absl::flat_hash_map<std::string, double>{{"GPU", 2}}))
                   .has_value());
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0.9, 1, 0.9}));
  auto allocation = set.TryAllocate(
      ResourceSet(absl::flat_hash_map<std::string, double>{{"GPU", 1.5}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ((*allocation)[ResourceID::GPU()], I({0.5, 1, 0}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0.4, 0, 0.9}));

  // The fraction left over does not fit anywhere: nothing is taken.
  set.Set(ResourceID::GPU(), I({1, 0.1}));
  EXPECT_FALSE(set.TryAllocate(
                      ResourceSet(absl::flat_hash_map<std::string, double>{{"GPU", 1.5}}))
                   .has_value());
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({1, 0.1}));
}

TEST(TryAllocateTest, SeveralResourcesAllOrNothing) {
  auto set = FromTotal({{"CPU", 2}, {"GPU", 2}});
  const auto before = set;
  EXPECT_FALSE(set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
                                   {ResourceID::CPU(), 1},
                                   {ResourceID::GPU(), 3},
                                   {kImplicit, 0.3}}))
                   .has_value());
  EXPECT_TRUE(set == before);

  auto allocation = set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
      {ResourceID::CPU(), 1}, {ResourceID::GPU(), 1}, {kImplicit, 0.3}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ(*allocation,
            (Allocation{{ResourceID::CPU(), I({1})},
                        {ResourceID::GPU(), I({1, 0})},
                        {kImplicit, I({0.3})}}));
  EXPECT_EQ(set.Get(ResourceID::CPU()), I({1}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0, 1}));
  EXPECT_EQ(set.Get(kImplicit), I({0.7}));
}

// ---------------------------------------------------------------------------
// TryAllocate with placement groups

TEST(TryAllocatePlacementGroupTest, IndexedCpuBundle) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::CPU(), I({1}));
  set.Set(Wildcard("CPU"), I({4}));
  set.Set(Bundle("CPU", 0), I({2}));
  set.Set(Bundle("CPU", 1), I({2}));

  auto allocation = set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
      {Wildcard("CPU"), 1.5}, {Bundle("CPU", 1), 1.5}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ(*allocation,
            (Allocation{{Wildcard("CPU"), I({1.5})}, {Bundle("CPU", 1), I({1.5})}}));
  EXPECT_EQ(set.Get(ResourceID::CPU()), I({1}));
  EXPECT_EQ(set.Get(Wildcard("CPU")), I({2.5}));
  EXPECT_EQ(set.Get(Bundle("CPU", 0)), I({2}));
  EXPECT_EQ(set.Get(Bundle("CPU", 1)), I({0.5}));

  // The group has enough, the named bundle does not.
  const auto before = set;
  EXPECT_FALSE(set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
                                   {Wildcard("CPU"), 1}, {Bundle("CPU", 1), 1}}))
                   .has_value());
  EXPECT_TRUE(set == before);
}

TEST(TryAllocatePlacementGroupTest, IndexedGpuBundleTakesTheSameInstances) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::GPU(), I({0, 0, 0, 0, 1}));
  set.Set(Wildcard("GPU"), I({1, 1, 1, 1, 0}));
  set.Set(Bundle("GPU", 0), I({1, 1, 0, 0, 0}));
  set.Set(Bundle("GPU", 1), I({0, 0, 1, 1, 0}));

  auto allocation = set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
      {Wildcard("GPU"), 1.5}, {Bundle("GPU", 1), 1.5}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ(allocation->size(), 2u);
  EXPECT_EQ((*allocation)[Bundle("GPU", 1)], I({0, 0, 1, 0.5, 0}));
  EXPECT_EQ((*allocation)[Wildcard("GPU")], (*allocation)[Bundle("GPU", 1)]);
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0, 0, 0, 0, 1}));
  EXPECT_EQ(set.Get(Wildcard("GPU")), I({1, 1, 0, 0.5, 0}));
  EXPECT_EQ(set.Get(Bundle("GPU", 0)), I({1, 1, 0, 0, 0}));
  EXPECT_EQ(set.Get(Bundle("GPU", 1)), I({0, 0, 0, 0.5, 0}));

  const auto before = set;
  EXPECT_FALSE(set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
                                   {Wildcard("GPU"), 1}, {Bundle("GPU", 1), 1}}))
                   .has_value());
  EXPECT_TRUE(set == before);
}

TEST(TryAllocatePlacementGroupTest, WithoutIndexTheBundleThatFitsIsUsed) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::GPU(), I({0, 0, 0, 0, 0, 1}));
  set.Set(Wildcard("GPU"), I({1, 1, 1, 1, 1, 0}));
  set.Set(Bundle("GPU", 0), I({1, 0, 0, 0, 0, 0}));
  set.Set(Bundle("GPU", 1), I({0, 1, 1, 1, 1, 0}));

  // Only bundle 1 has three GPUs.
  auto allocation = set.TryAllocate(
      ResourceSet(absl::flat_hash_map<ResourceID, double>{{Wildcard("GPU"), 3}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ(*allocation,
            (Allocation{{Wildcard("GPU"), I({0, 1, 1, 1, 0, 0})},
                        {Bundle("GPU", 1), I({0, 1, 1, 1, 0, 0})}}));
  EXPECT_EQ(set.Get(Wildcard("GPU")), I({1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(set.Get(Bundle("GPU", 0)), I({1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(set.Get(Bundle("GPU", 1)), I({0, 0, 0, 0, 1, 0}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0, 0, 0, 0, 0, 1}));

  // Two GPUs are left in the group, one per bundle: a demand of 2 is not split.
  const auto before = set;
  EXPECT_FALSE(set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
                                   {Wildcard("GPU"), 2}}))
                   .has_value());
  EXPECT_TRUE(set == before);
}

TEST(TryAllocatePlacementGroupTest, WithoutIndexEitherFittingBundleIsConsistent) {
  NodeResourceInstanceSet set;
  set.Set(Wildcard("CPU"), I({5}));
  set.Set(Bundle("CPU", 0), I({1}));
  set.Set(Bundle("CPU", 1), I({2}));
  set.Set(Bundle("CPU", 2), I({2}));

  auto allocation = set.TryAllocate(
      ResourceSet(absl::flat_hash_map<ResourceID, double>{{Wildcard("CPU"), 2}}));
  ASSERT_TRUE(allocation.has_value());
  ASSERT_EQ(allocation->size(), 2u);
  // Bundle 0 is too small; bundles 1 and 2 both fit, and which is tried first is
  // unspecified.
  ResourceID used = allocation->contains(Bundle("CPU", 1)) ? Bundle("CPU", 1)
                                                           : Bundle("CPU", 2);
  ResourceID unused = used == Bundle("CPU", 1) ? Bundle("CPU", 2) : Bundle("CPU", 1);
  EXPECT_EQ((*allocation)[used], I({2}));
  EXPECT_EQ((*allocation)[Wildcard("CPU")], I({2}));
  EXPECT_EQ(set.Get(used), I({0}));
  EXPECT_EQ(set.Get(unused), I({2}));
  EXPECT_EQ(set.Get(Bundle("CPU", 0)), I({1}));
  EXPECT_EQ(set.Get(Wildcard("CPU")), I({3}));
}

TEST(TryAllocatePlacementGroupTest, WithoutIndexRemovedBundlesAreNotUsed) {
  NodeResourceInstanceSet set;
  set.Set(Wildcard("CPU"), I({4}));
  set.Set(Bundle("CPU", 0), I({1}));
  set.Set(Bundle("CPU", 1), I({3}));
  set.Remove(Bundle("CPU", 1));
  EXPECT_FALSE(set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
                                   {Wildcard("CPU"), 2}}))
                   .has_value());
  // A bundle set again is found again.
  set.Set(Bundle("CPU", 1), I({3}));
  EXPECT_TRUE(set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
                                  {Wildcard("CPU"), 2}}))
                  .has_value());
  EXPECT_EQ(set.Get(Bundle("CPU", 1)), I({1}));
}

TEST(TryAllocatePlacementGroupTest, WithoutIndexAGroupWithNoBundlesFails) {
  NodeResourceInstanceSet set;
  set.Set(Wildcard("CPU"), I({4}));
  const auto before = set;
  EXPECT_FALSE(set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
                                   {Wildcard("CPU"), 1}}))
                   .has_value());
  EXPECT_TRUE(set == before);
  // Bundles of another group do not count.
  set.Set(ResourceID("CPU_group_0_ffff"), I({4}));
  EXPECT_FALSE(set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
                                   {Wildcard("CPU"), 1}}))
                   .has_value());
}

TEST(TryAllocatePlacementGroupTest, SeveralResourcesRollBackTogether) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::CPU(), I({1}));
  set.Set(Wildcard("CPU"), I({3}));
  set.Set(Bundle("CPU", 0), I({3}));
  set.Set(Wildcard("GPU"), I({1, 1}));
  set.Set(Bundle("GPU", 0), I({1, 1}));
  const auto before = set;

  // CPU fits, GPU does not: nothing is taken.
  EXPECT_FALSE(set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
                                   {ResourceID::CPU(), 1},
                                   {Wildcard("CPU"), 2},
                                   {Wildcard("GPU"), 3}}))
                   .has_value());
  EXPECT_TRUE(set == before);

  auto allocation = set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
      {ResourceID::CPU(), 1}, {Wildcard("CPU"), 2}, {Wildcard("GPU"), 1}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ(*allocation,
            (Allocation{{ResourceID::CPU(), I({1})},
                        {Wildcard("CPU"), I({2})},
                        {Bundle("CPU", 0), I({2})},
                        {Wildcard("GPU"), I({1, 0})},
                        {Bundle("GPU", 0), I({1, 0})}}));
  EXPECT_EQ(set.Get(ResourceID::CPU()), I({0}));
  EXPECT_EQ(set.Get(Wildcard("CPU")), I({1}));
  EXPECT_EQ(set.Get(Bundle("CPU", 0)), I({1}));
  EXPECT_EQ(set.Get(Wildcard("GPU")), I({0, 1}));
  EXPECT_EQ(set.Get(Bundle("GPU", 0)), I({0, 1}));
}

TEST(TryAllocatePlacementGroupTest, CpuWildcardMayGoNegative) {
  NodeResourceInstanceSet set;
  set.Set(Wildcard("CPU"), I({1}));
  set.Set(Bundle("CPU", 0), I({2}));
  auto allocation = set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
      {Wildcard("CPU"), 2}, {Bundle("CPU", 0), 2}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ(set.Get(Wildcard("CPU")), I({-1}));
  EXPECT_EQ(set.Get(Bundle("CPU", 0)), I({0}));
}

TEST(TryAllocatePlacementGroupDeathTest, OtherWildcardsMayNotGoNegative) {
  NodeResourceInstanceSet set;
  set.Set(Wildcard("GPU"), I({0, 1}));
  set.Set(Bundle("GPU", 0), I({1, 1}));
  EXPECT_DEATH(
      set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
          {Wildcard("GPU"), 1}, {Bundle("GPU", 0), 1}})),
      "Resource GPU_group_" + kGroup +
          " has less availability than requested. Available: \\[0, 10000\\], "
          "requested: \\[10000, 0\\]");
}

// ---------------------------------------------------------------------------
// Free, Add, Subtract

TEST(NodeResourceInstanceSetTest, Free) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::GPU(), I({1, 0.3}));
  set.Set(kImplicit, I({0.4}));
  set.Free(ResourceID::GPU(), I({0, 0.7}));
  set.Free(kImplicit, I({0.6}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({1, 1}));
  EXPECT_EQ(set.Resources().size(), 1u);
  // Freeing more than was taken is not checked.
  set.Free(ResourceID::GPU(), I({1, 0}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({2, 1}));
}

TEST(NodeResourceInstanceSetDeathTest, FreeNeedsMatchingInstances) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::GPU(), I({1, 0.3}));
  EXPECT_DEATH(set.Free(ResourceID::GPU(), I({1})), "Check failed");
  EXPECT_DEATH(set.Free(ResourceID("ris_absent"), I({1})), "Check failed");
}

// Each RAY_CHECK's line is "Check failed: <condition as written in Ray> <message>", with
// nothing appended (the Rust-backed side once named the resource after the condition).
TEST(NodeResourceInstanceSetDeathTest, FatalLinesNameRaysConditions) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::GPU(), I({1, 0.5}));
  EXPECT_DEATH(set.Set(ResourceID::CPU(), {}), "Check failed: !instances\\.empty\\(\\) \n");
  EXPECT_DEATH(set.Free(ResourceID::GPU(), I({1})),
               "Check failed: \\(allocation\\.size\\(\\)\\) == "
               "\\(available\\.size\\(\\)\\) \n");
  EXPECT_DEATH(set.Subtract(ResourceID::GPU(), I({1}), true),
               "Check failed: \\(available\\.size\\(\\)\\) == "
               "\\(instances\\.size\\(\\)\\) \n");
  EXPECT_DEATH(set.Add(kImplicit, I({1})),
               "Check failed: !resource_id\\.IsImplicitResource\\(\\) \n");
  // Two bundles and no wildcard resource.
  set.Set(Bundle("GPU", 0), I({1}));
  set.Set(Bundle("GPU", 1), I({1}));
  EXPECT_DEATH(set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
                   {Bundle("GPU", 0), 1}, {Bundle("GPU", 1), 1}})),
               "Check failed: wildcard_resource_id != nullptr \n");
  // A wildcard resource whose instances do not match the bundle's.
  set.Set(Wildcard("GPU"), I({1, 1}));
  EXPECT_DEATH(set.TryAllocate(ResourceSet(absl::flat_hash_map<ResourceID, double>{
                   {Wildcard("GPU"), 1}, {Bundle("GPU", 0), 1}})),
               "Check failed: \\(available\\.size\\(\\)\\) == "
               "\\(ref_allocation\\.size\\(\\)\\) \n");
}

// A bundle index beyond int makes Ray's std::stoi throw wherever the name is parsed: Set
// and the operations that end in it throw after storing the resource, Remove after
// erasing it, and Add only for a resource it creates.
TEST(NodeResourceInstanceSetTest, OversizedBundleIndexThrowsAfterStoring) {
  const ResourceID oversized("CPU_group_2147483648_abc");
  NodeResourceInstanceSet set;
  EXPECT_THROW(set.Set(oversized, I({2})), std::out_of_range);
  EXPECT_EQ(set.Get(oversized), I({2}));
  EXPECT_NO_THROW(set.Add(oversized, I({1})));
  EXPECT_EQ(set.Get(oversized), I({3}));
  EXPECT_THROW(set.Free(oversized, I({1})), std::out_of_range);
  EXPECT_THROW(set.Subtract(oversized, I({0.5}), false), std::out_of_range);
  EXPECT_EQ(set.Get(oversized), I({3.5}));
  EXPECT_THROW(set.Remove(oversized), std::out_of_range);
  EXPECT_FALSE(set.Has(oversized));
  EXPECT_THROW(set.Add(oversized, I({1})), std::out_of_range);
  EXPECT_EQ(set.Get(oversized), I({1}));
  NodeResourceSet total;
  total.Set(oversized, 1);
  EXPECT_THROW(NodeResourceInstanceSet{total}, std::out_of_range);
}

TEST(NodeResourceInstanceSetTest, AllocateThenFreeRestores) {
  auto set = FromTotal({{"CPU", 3}, {"GPU", 3}});
  const auto before = set;
  auto allocation = set.TryAllocate(ResourceSet(absl::flat_hash_map<std::string, double>{
      {"CPU", 1.25}, {"GPU", 1.5}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_FALSE(set == before);
  for (const auto &[id, instances] : *allocation) {
    set.Free(id, instances);
  }
  EXPECT_TRUE(set == before);
}

TEST(NodeResourceInstanceSetTest, Add) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::GPU(), I({1, 0.3}));
  set.Add(ResourceID::GPU(), I({0, 0.3}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({1, 0.6}));
  // More instances than present: the resource grows.
  set.Add(ResourceID::GPU(), I({0.5, 0, 1}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({1.5, 0.6, 1}));
  // Fewer: the first ones are added to.
  set.Add(ResourceID::GPU(), I({-1}));
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0.5, 0.6, 1}));
  // Absent resources are created.
  set.Add(ResourceID("ris_new"), I({2}));
  EXPECT_EQ(set.Get(ResourceID("ris_new")), I({2}));
}

TEST(NodeResourceInstanceSetTest, AddedBundlesAreFoundByAllocation) {
  NodeResourceInstanceSet set;
  set.Set(Wildcard("CPU"), I({2}));
  set.Add(Bundle("CPU", 3), I({2}));
  auto allocation = set.TryAllocate(
      ResourceSet(absl::flat_hash_map<ResourceID, double>{{Wildcard("CPU"), 1}}));
  ASSERT_TRUE(allocation.has_value());
  EXPECT_EQ((*allocation)[Bundle("CPU", 3)], I({1}));
}

TEST(NodeResourceInstanceSetDeathTest, AddRejectsImplicitResources) {
  NodeResourceInstanceSet set;
  EXPECT_DEATH(set.Add(kImplicit, I({0.5})), "IsImplicitResource");
}

TEST(NodeResourceInstanceSetTest, SubtractWithoutGoingNegative) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::GPU(), I({1, 1, 0.2}));
  auto underflow = set.Subtract(ResourceID::GPU(), I({0.5, 0, 0.5}), false);
  // The third instance stops at 0; the 0.3 it lacked is the underflow.
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0.5, 1, 0}));
  EXPECT_EQ(underflow, I({0, 0, 0.3}));

  set.Set(ResourceID::GPU(), I({-0.5, 1}));
  underflow = set.Subtract(ResourceID::GPU(), I({0.25, 1}), false);
  // An instance already negative is left alone and the whole amount is underflow.
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({-0.5, 0}));
  EXPECT_EQ(underflow, I({0.25, 0}));
}

TEST(NodeResourceInstanceSetTest, SubtractGoingNegative) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::GPU(), I({1, 1}));
  auto underflow = set.Subtract(ResourceID::GPU(), I({0.5, 0}), true);
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({0.5, 1}));
  EXPECT_EQ(underflow, I({0, 0}));

  underflow = set.Subtract(ResourceID::GPU(), I({1, 0}), true);
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({-0.5, 1}));
  EXPECT_EQ(underflow, I({0, 0}));

  underflow = set.Subtract(ResourceID::GPU(), I({1, 2}), true);
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({-1.5, -1}));
  EXPECT_EQ(underflow, I({0, 0}));
}

TEST(NodeResourceInstanceSetTest, SubtractFromAnImplicitResource) {
  NodeResourceInstanceSet set;
  auto underflow = set.Subtract(kImplicit, I({0.4}), false);
  EXPECT_EQ(set.Get(kImplicit), I({0.6}));
  EXPECT_EQ(underflow, I({0}));
  underflow = set.Subtract(kImplicit, I({1}), false);
  EXPECT_EQ(set.Get(kImplicit), I({0}));
  EXPECT_EQ(underflow, I({0.4}));
}

TEST(NodeResourceInstanceSetDeathTest, SubtractNeedsMatchingInstances) {
  NodeResourceInstanceSet set;
  set.Set(ResourceID::GPU(), I({1, 1}));
  EXPECT_DEATH(set.Subtract(ResourceID::GPU(), I({1}), false), "Check failed");
}

TEST(NodeResourceInstanceSetTest, AssignmentReplacesWhatGetReturns) {
  NodeResourceInstanceSet set = FromTotal({{"GPU", 2}});
  NodeResourceInstanceSet empty;
  // Read first, so that any cached view of the old contents exists.
  ASSERT_EQ(set.Get(ResourceID::GPU()), I({1, 1}));
  set = empty;
  EXPECT_FALSE(set.Has(ResourceID::GPU()));
  EXPECT_TRUE(set.Get(ResourceID::GPU()).empty());
  EXPECT_EQ(set.Sum(ResourceID::GPU()), 0);
  set = FromTotal({{"GPU", 3}});
  EXPECT_EQ(set.Get(ResourceID::GPU()), I({1, 1, 1}));
  NodeResourceInstanceSet other = FromTotal({{"GPU", 1}});
  ASSERT_EQ(other.Get(ResourceID::GPU()), I({1}));
  other = set;
  EXPECT_EQ(other.Get(ResourceID::GPU()), I({1, 1, 1}));
}

}  // namespace
}  // namespace ray
