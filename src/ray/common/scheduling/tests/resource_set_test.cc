#include "ray/common/scheduling/resource_set.h"

#include <gtest/gtest.h>

#include <functional>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "ray/common/constants.h"
#include "ray/common/implementation.h"

namespace ray {
namespace {

const std::string kImplicitA = std::string(kImplicitResourcePrefix) + "a";
const std::string kImplicitB = std::string(kImplicitResourcePrefix) + "b";

// The entries of a "{x, y, ...}" debug string, whatever their order.
std::multiset<std::string> Entries(const std::string &debug_string) {
  std::multiset<std::string> entries;
  EXPECT_GE(debug_string.size(), 2u);
  EXPECT_EQ(debug_string.front(), '{');
  EXPECT_EQ(debug_string.back(), '}');
  std::string body = debug_string.substr(1, debug_string.size() - 2);
  size_t start = 0;
  while (!body.empty()) {
    size_t comma = body.find(", ", start);
    entries.insert(body.substr(start, comma - start));
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 2;
  }
  return entries;
}

TEST(RayCommonImplementationTest, LinkedImplementationIsTheSelectedOne) {
  EXPECT_STREQ(ray::RayCommonImplementation(), RAY_COMMON_EXPECTED_IMPL);
}

// ---------------------------------------------------------------------------
// ResourceSet

TEST(ResourceSetTest, EmptySet) {
  ResourceSet empty;
  EXPECT_TRUE(empty.IsEmpty());
  EXPECT_EQ(empty.Size(), 0u);
  EXPECT_EQ(empty.Get(ResourceID::CPU()), 0);
  EXPECT_FALSE(empty.Has(ResourceID::CPU()));
  EXPECT_TRUE(empty.Resources().empty());
  EXPECT_TRUE(empty.GetResourceMap().empty());
  EXPECT_TRUE(empty.GetResourceUnorderedMap().empty());
  EXPECT_EQ(empty.DebugString(), "{}");
}

TEST(ResourceSetTest, NilIsOneSharedEmptySet) {
  std::shared_ptr<ResourceSet> nil = ResourceSet::Nil();
  ASSERT_NE(nil, nullptr);
  EXPECT_TRUE(nil->IsEmpty());
  EXPECT_EQ(nil.get(), ResourceSet::Nil().get());
}

TEST(ResourceSetTest, ConstructorsDropZeros) {
  ResourceID cpu = ResourceID::CPU();
  ResourceID custom("rs_custom");
  ResourceSet from_names_fp(absl::flat_hash_map<std::string, FixedPoint>{
      {"CPU", FixedPoint(2)},
      {"rs_custom", FixedPoint(0.5)},
      {"rs_zero", FixedPoint(0)}});
  ResourceSet from_names_double(absl::flat_hash_map<std::string, double>{
      {"CPU", 2}, {"rs_custom", 0.5}, {"rs_zero", 0.00001}});
  ResourceSet from_ids_fp(absl::flat_hash_map<ResourceID, FixedPoint>{
      {cpu, FixedPoint(2)}, {custom, FixedPoint(0.5)}, {ResourceID("rs_zero"), 0}});
  ResourceSet from_ids_double(absl::flat_hash_map<ResourceID, double>{
      {cpu, 2}, {custom, 0.5}, {ResourceID("rs_zero"), 0.0}});
  for (const ResourceSet *set :
       {&from_names_fp, &from_names_double, &from_ids_fp, &from_ids_double}) {
    EXPECT_EQ(set->Size(), 2u);
    EXPECT_EQ(set->Get(cpu), 2);
    EXPECT_EQ(set->Get(custom), 0.5);
    EXPECT_FALSE(set->Has(ResourceID("rs_zero")));
    EXPECT_EQ(*set, from_names_fp);
  }
}

TEST(ResourceSetTest, DoubleQuantitiesAreTruncatedToUnits) {
  ResourceSet set(absl::flat_hash_map<std::string, double>{{"CPU", 0.57}});
  EXPECT_EQ(set.Get(ResourceID::CPU()), FixedPoint(0.5699));
  absl::flat_hash_map<std::string, double> expected{{"CPU", 0.5699}};
  EXPECT_EQ(set.GetResourceMap(), expected);
}

TEST(ResourceSetTest, SetGetHas) {
  ResourceSet set;
  ResourceID gpu = ResourceID::GPU();
  ResourceSet &same = set.Set(gpu, 1.5);
  EXPECT_EQ(&same, &set);
  EXPECT_TRUE(set.Has(gpu));
  EXPECT_EQ(set.Get(gpu), 1.5);
  set.Set(gpu, 3);
  EXPECT_EQ(set.Get(gpu), 3);
  EXPECT_EQ(set.Size(), 1u);
  // Negative quantities are kept.
  set.Set(ResourceID("rs_negative"), -2);
  EXPECT_TRUE(set.Has(ResourceID("rs_negative")));
  EXPECT_EQ(set.Get(ResourceID("rs_negative")), -2);
  // Zero removes, also for an absent resource.
  set.Set(gpu, 0).Set(ResourceID("rs_never_set"), 0);
  EXPECT_FALSE(set.Has(gpu));
  EXPECT_FALSE(set.Has(ResourceID("rs_never_set")));
  EXPECT_EQ(set.Size(), 1u);
  // A quantity below one unit is zero.
  set.Set(ResourceID("rs_negative"), 0.00001);
  EXPECT_TRUE(set.IsEmpty());
}

TEST(ResourceSetTest, ImplicitResourcesAreOrdinaryHere) {
  ResourceSet set;
  EXPECT_EQ(set.Get(ResourceID(kImplicitA)), 0);
  EXPECT_FALSE(set.Has(ResourceID(kImplicitA)));
  set.Set(ResourceID(kImplicitA), 1);
  EXPECT_TRUE(set.Has(ResourceID(kImplicitA)));
  EXPECT_EQ(set.Get(ResourceID(kImplicitA)), 1);
}

TEST(ResourceSetTest, Clear) {
  ResourceSet set(absl::flat_hash_map<std::string, double>{{"CPU", 1}, {"GPU", 2}});
  set.Clear();
  EXPECT_TRUE(set.IsEmpty());
  EXPECT_EQ(set, ResourceSet());
}

TEST(ResourceSetTest, Equality) {
  ResourceSet a(absl::flat_hash_map<std::string, double>{{"CPU", 1}, {"GPU", 2}});
  ResourceSet b;
  b.Set(ResourceID::GPU(), 2).Set(ResourceID::CPU(), 1);
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a != b);
  b.Set(ResourceID::GPU(), 2.0001);
  EXPECT_FALSE(a == b);
  EXPECT_TRUE(a != b);
  b.Set(ResourceID::GPU(), 2).Set(ResourceID("rs_extra"), 1);
  EXPECT_TRUE(a != b);
  // A resource set to 0 is the same as an absent one.
  b.Set(ResourceID("rs_extra"), 0);
  EXPECT_TRUE(a == b);
}

TEST(ResourceSetTest, Addition) {
  ResourceID cpu = ResourceID::CPU();
  ResourceID c1("rs_c1");
  ResourceID c2("rs_c2");
  ResourceSet a(absl::flat_hash_map<ResourceID, double>{{cpu, 1}, {c1, 2}});
  ResourceSet b(absl::flat_hash_map<ResourceID, double>{{cpu, -1}, {c2, 0.5}});
  ResourceSet sum = a + b;
  // CPU cancels out and is removed.
  EXPECT_EQ(sum,
            ResourceSet(absl::flat_hash_map<ResourceID, double>{{c1, 2}, {c2, 0.5}}));
  EXPECT_FALSE(sum.Has(cpu));
  // Operands are unchanged.
  EXPECT_EQ(a.Get(cpu), 1);
  EXPECT_EQ(b.Get(cpu), -1);

  ResourceSet c = a;
  ResourceSet &same = (c += b);
  EXPECT_EQ(&same, &c);
  EXPECT_EQ(c, sum);
  c += ResourceSet();
  EXPECT_EQ(c, sum);
  c += c;
  EXPECT_EQ(c.Get(c1), 4);
  EXPECT_EQ(c.Get(c2), 1);
}

TEST(ResourceSetTest, Subtraction) {
  ResourceID cpu = ResourceID::CPU();
  ResourceID c1("rs_c1");
  ResourceID c2("rs_c2");
  ResourceSet a(absl::flat_hash_map<ResourceID, double>{{cpu, 1}, {c1, 2}});
  ResourceSet b(absl::flat_hash_map<ResourceID, double>{{cpu, -1}, {c2, 2}});
  // Resources only in the right operand become negative.
  ResourceSet difference = a - b;
  EXPECT_EQ(difference,
            ResourceSet(absl::flat_hash_map<ResourceID, double>{
                {cpu, 2}, {c1, 2}, {c2, -2}}));
  ResourceSet c = a;
  ResourceSet &same = (c -= b);
  EXPECT_EQ(&same, &c);
  EXPECT_EQ(c, difference);
  // Subtracting a set from itself leaves nothing.
  EXPECT_TRUE((a - a).IsEmpty());
  ResourceSet d = a;
  d -= ResourceSet(absl::flat_hash_map<ResourceID, double>{{c1, 2}});
  EXPECT_FALSE(d.Has(c1));
  EXPECT_EQ(d.Size(), 1u);
}

TEST(ResourceSetTest, SubsetAndSuperset) {
  ResourceID cpu = ResourceID::CPU();
  ResourceID c1("rs_c1");
  ResourceID c2("rs_c2");
  auto make = [](absl::flat_hash_map<ResourceID, double> map) {
    return ResourceSet(map);
  };
  ResourceSet r1 = make({{cpu, 1}, {c1, 2}});
  ResourceSet r2 = r1;
  EXPECT_TRUE(r1 <= r2);
  EXPECT_TRUE(r2 <= r1);
  EXPECT_TRUE(r1 >= r2);
  EXPECT_TRUE(r2 >= r1);

  r2.Set(cpu, 2);
  EXPECT_TRUE(r1 <= r2);
  EXPECT_FALSE(r2 <= r1);
  EXPECT_TRUE(r2 >= r1);
  EXPECT_FALSE(r1 >= r2);

  r2.Set(c2, 2);
  EXPECT_TRUE(r1 <= r2);
  EXPECT_TRUE(r2 >= r1);

  r2.Set(c1, 1);
  EXPECT_FALSE(r1 <= r2);
  EXPECT_FALSE(r2 >= r1);

  // Absent resources count as 0 on either side.
  EXPECT_TRUE(make({{c1, -2}}) <= ResourceSet());
  EXPECT_TRUE(ResourceSet() >= make({{c1, -2}}));
  EXPECT_FALSE(ResourceSet() <= make({{c1, -2}}));
  EXPECT_FALSE(make({{c1, -2}}) >= ResourceSet());
  EXPECT_TRUE(ResourceSet() <= make({{c1, 2}}));
  EXPECT_FALSE(make({{c1, 2}}) <= ResourceSet());
  EXPECT_TRUE(ResourceSet() <= ResourceSet());
  EXPECT_TRUE(make({{c1, -3}}) <= make({{c1, -2}}));
  EXPECT_FALSE(make({{c1, -2}}) <= make({{c1, -3}}));
}

TEST(ResourceSetTest, ResourceIdsIsAKeyRange) {
  using Range = ResourceSet::ResourceIdIterator;
  using Iterator = decltype(std::declval<Range>().begin());
  static_assert(
      std::is_same_v<typename std::iterator_traits<Iterator>::value_type, ResourceID>);
  static_assert(std::is_same_v<decltype(*std::declval<Iterator>()), const ResourceID &>);

  ResourceSet empty;
  EXPECT_TRUE(empty.ResourceIds().begin() == empty.ResourceIds().end());
  EXPECT_TRUE(empty.ResourceIds().empty());

  ResourceSet set(absl::flat_hash_map<std::string, double>{
      {"CPU", 1}, {"GPU", 2}, {"rs_c1", 3}});
  Range ids = set.ResourceIds();
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_FALSE(ids.empty());
  absl::flat_hash_set<ResourceID> collected(ids.begin(), ids.end());
  absl::flat_hash_set<ResourceID> expected{
      ResourceID::CPU(), ResourceID::GPU(), ResourceID("rs_c1")};
  EXPECT_EQ(collected, expected);
  std::set<ResourceID> in_loop;
  for (const ResourceID &id : set.ResourceIds()) {
    in_loop.insert(id);
  }
  EXPECT_EQ(in_loop, std::set<ResourceID>(expected.begin(), expected.end()));
  EXPECT_EQ(std::distance(ids.begin(), ids.end()), 3);
}

TEST(ResourceSetTest, ResourcesIsTheMap) {
  ResourceSet set(absl::flat_hash_map<std::string, double>{{"CPU", 1}, {"rs_c1", -0.5}});
  absl::flat_hash_map<ResourceID, FixedPoint> expected{
      {ResourceID::CPU(), FixedPoint(1)}, {ResourceID("rs_c1"), FixedPoint(-0.5)}};
  EXPECT_EQ(set.Resources(), expected);
}

TEST(ResourceSetTest, ResourceMapsByName) {
  ResourceSet set(absl::flat_hash_map<std::string, double>{
      {"CPU", 1.5}, {"rs_c1", -2}, {"memory", 0.0001}});
  absl::flat_hash_map<std::string, double> expected{
      {"CPU", 1.5}, {"rs_c1", -2}, {"memory", 0.0001}};
  EXPECT_EQ(set.GetResourceMap(), expected);
  std::unordered_map<std::string, double> expected_unordered{
      {"CPU", 1.5}, {"rs_c1", -2}, {"memory", 0.0001}};
  EXPECT_EQ(set.GetResourceUnorderedMap(), expected_unordered);
}

TEST(ResourceSetTest, DebugStringPrintsQuantitiesInUnits) {
  ResourceSet one(absl::flat_hash_map<std::string, double>{{"CPU", 1.5}});
  EXPECT_EQ(one.DebugString(), "{CPU: 1.5}");
  static_assert(std::is_same_v<decltype(one.DebugString()), const std::string>);

  ResourceSet several(absl::flat_hash_map<std::string, double>{
      {"CPU", 2}, {"GPU", 0.5699}, {"rs_c1", -1}, {"rs_big", 1234567.5}});
  // Default stream formatting: six significant digits.
  EXPECT_EQ(Entries(several.DebugString()),
            (std::multiset<std::string>{
                "CPU: 2", "GPU: 0.5699", "rs_c1: -1", "rs_big: 1.23457e+06"}));
}

TEST(ResourceSetTest, HashIgnoresOrderAndFollowsRaysFormula) {
  ResourceSet a(absl::flat_hash_map<std::string, double>{{"CPU", 1}, {"rs_c1", 0.5}});
  ResourceSet b;
  b.Set(ResourceID("rs_c1"), 0.5).Set(ResourceID::CPU(), 1);
  std::hash<ResourceSet> hash;
  EXPECT_EQ(hash(a), hash(b));
  size_t expected = 2;
  expected ^= std::hash<std::string>()("CPU");
  expected ^= std::hash<double>()(1.0);
  expected ^= std::hash<std::string>()("rs_c1");
  expected ^= std::hash<double>()(0.5);
  EXPECT_EQ(hash(a), expected);
  EXPECT_EQ(hash(ResourceSet()), 0u);
}

// ---------------------------------------------------------------------------
// NodeResourceSet

TEST(NodeResourceSetTest, DefaultsAreZeroOrOneForImplicit) {
  NodeResourceSet set;
  EXPECT_EQ(set.Get(ResourceID("nrs_absent")), 0);
  EXPECT_EQ(set.Get(ResourceID::CPU()), 0);
  EXPECT_EQ(set.Get(ResourceID(kImplicitA)), 1);
  EXPECT_FALSE(set.Has(ResourceID("nrs_absent")));
  // Every node has every implicit resource.
  EXPECT_TRUE(set.Has(ResourceID(kImplicitA)));
  EXPECT_TRUE(set.GetResourceMap().empty());
  EXPECT_TRUE(set.ExplicitResourceIds().empty());
  EXPECT_EQ(set.DebugString(), "{}");
}

TEST(NodeResourceSetTest, SettingTheDefaultRemoves) {
  NodeResourceSet set;
  NodeResourceSet &same = set.Set(ResourceID("nrs_exist"), 1);
  EXPECT_EQ(&same, &set);
  EXPECT_EQ(set.Get(ResourceID("nrs_exist")), 1);
  set.Set(ResourceID(kImplicitB), 0.5);
  EXPECT_EQ(set.Get(ResourceID(kImplicitB)), 0.5);
  EXPECT_EQ(set.GetResourceMap().size(), 2u);

  set.Set(ResourceID("nrs_exist"), 0);
  set.Set(ResourceID(kImplicitB), 1);
  EXPECT_TRUE(set.GetResourceMap().empty());
  EXPECT_EQ(set, NodeResourceSet());
}

TEST(NodeResourceSetTest, ImplicitResourceAtZeroIsStoredAndAbsent) {
  NodeResourceSet set;
  set.Set(ResourceID(kImplicitA), 0);
  EXPECT_FALSE(set.Has(ResourceID(kImplicitA)));
  EXPECT_EQ(set.Get(ResourceID(kImplicitA)), 0);
  absl::flat_hash_map<std::string, double> expected{{kImplicitA, 0}};
  EXPECT_EQ(set.GetResourceMap(), expected);
}

TEST(NodeResourceSetTest, Constructors) {
  ResourceID cpu = ResourceID::CPU();
  NodeResourceSet from_names(absl::flat_hash_map<std::string, double>{
      {"CPU", 4}, {"nrs_zero", 0}, {kImplicitA, 1}, {kImplicitB, 0.25}});
  NodeResourceSet from_ids(absl::flat_hash_map<ResourceID, double>{
      {cpu, 4}, {ResourceID("nrs_zero"), 0}, {ResourceID(kImplicitB), 0.25}});
  NodeResourceSet from_fixed(absl::flat_hash_map<ResourceID, FixedPoint>{
      {cpu, FixedPoint(4)}, {ResourceID(kImplicitA), FixedPoint(1)},
      {ResourceID(kImplicitB), FixedPoint(0.25)}});
  EXPECT_EQ(from_names, from_ids);
  EXPECT_EQ(from_ids, from_fixed);
  absl::flat_hash_map<std::string, double> expected{{"CPU", 4}, {kImplicitB, 0.25}};
  EXPECT_EQ(from_names.GetResourceMap(), expected);
}

TEST(NodeResourceSetTest, HasMeansNonZero) {
  NodeResourceSet set(absl::flat_hash_map<std::string, double>{{"nrs_neg", -1}});
  EXPECT_TRUE(set.Has(ResourceID("nrs_neg")));
  set.Set(ResourceID("nrs_exist"), 1);
  EXPECT_TRUE(set.Has(ResourceID("nrs_exist")));
  EXPECT_FALSE(set.Has(ResourceID("nrs_other")));
}

TEST(NodeResourceSetTest, SubtractAResourceSet) {
  NodeResourceSet node(absl::flat_hash_map<std::string, double>{
      {"CPU", 1}, {"nrs_c1", 2}, {"nrs_c2", 2}});
  ResourceSet used(absl::flat_hash_map<std::string, FixedPoint>{
      {"nrs_c1", FixedPoint(1)}, {"nrs_c2", FixedPoint(2)}});
  NodeResourceSet &same = (node -= used);
  EXPECT_EQ(&same, &node);
  EXPECT_EQ(node,
            NodeResourceSet(absl::flat_hash_map<std::string, double>{{"CPU", 1},
                                                                     {"nrs_c1", 1}}));
  // Going below zero and below an implicit resource's 1.
  node -= ResourceSet(absl::flat_hash_map<std::string, double>{
      {"CPU", 3}, {"nrs_absent", 0.5}, {kImplicitA, 0.25}});
  EXPECT_EQ(node.Get(ResourceID::CPU()), -2);
  EXPECT_EQ(node.Get(ResourceID("nrs_absent")), -0.5);
  EXPECT_EQ(node.Get(ResourceID(kImplicitA)), 0.75);
  // Subtracting a negative quantity adds; reaching the default removes.
  node -= ResourceSet(absl::flat_hash_map<std::string, double>{{kImplicitA, -0.25}});
  EXPECT_EQ(node.Get(ResourceID(kImplicitA)), 1);
  EXPECT_EQ(node.GetResourceMap().count(kImplicitA), 0u);
}

TEST(NodeResourceSetTest, SupersetOfAResourceSet) {
  NodeResourceSet node(absl::flat_hash_map<std::string, double>{
      {"CPU", 1}, {"nrs_c1", 2}, {"nrs_c2", 2}});
  ResourceSet fits(absl::flat_hash_map<std::string, FixedPoint>{
      {"CPU", FixedPoint(1)},
      {"nrs_c1", FixedPoint(1)},
      {"nrs_c3", FixedPoint(0)},
      {kImplicitA, FixedPoint(0.5)}});
  ResourceSet too_much(absl::flat_hash_map<std::string, FixedPoint>{
      {"CPU", FixedPoint(1)}, {"nrs_c1", FixedPoint(1)}, {"nrs_c3", FixedPoint(0.5)}});
  EXPECT_TRUE(node >= fits);
  EXPECT_FALSE(node >= too_much);
  EXPECT_TRUE(node >= ResourceSet());
  EXPECT_TRUE(NodeResourceSet() >= ResourceSet());
  // A whole implicit resource fits on any node; more does not.
  EXPECT_TRUE(NodeResourceSet() >=
              ResourceSet(absl::flat_hash_map<std::string, double>{{kImplicitA, 1}}));
  EXPECT_FALSE(NodeResourceSet() >=
               ResourceSet(absl::flat_hash_map<std::string, double>{{kImplicitA, 1.5}}));
  // Negative demands fit anywhere.
  EXPECT_TRUE(NodeResourceSet() >=
              ResourceSet(absl::flat_hash_map<std::string, double>{{"nrs_c1", -1}}));
}

TEST(NodeResourceSetTest, Equality) {
  NodeResourceSet a(absl::flat_hash_map<std::string, double>{{"CPU", 1}, {"GPU", 2}});
  NodeResourceSet b;
  b.Set(ResourceID::GPU(), 2).Set(ResourceID::CPU(), 1).Set(ResourceID(kImplicitA), 1);
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a != b);
  b.Set(ResourceID(kImplicitA), 0.5);
  EXPECT_FALSE(a == b);
  EXPECT_TRUE(a != b);
}

TEST(NodeResourceSetTest, RemoveNegative) {
  NodeResourceSet set(absl::flat_hash_map<std::string, double>{
      {"CPU", -1}, {"nrs_c1", 2}, {"nrs_c2", -2}, {kImplicitA, -0.5}, {kImplicitB, 0.5}});
  set.RemoveNegative();
  absl::flat_hash_map<std::string, double> expected{{"nrs_c1", 2}, {kImplicitB, 0.5}};
  EXPECT_EQ(set.GetResourceMap(), expected);
  // Removed implicit resources are back at their default.
  EXPECT_EQ(set.Get(ResourceID(kImplicitA)), 1);
  EXPECT_EQ(set.Get(ResourceID::CPU()), 0);
  NodeResourceSet empty;
  empty.RemoveNegative();
  EXPECT_EQ(empty, NodeResourceSet());
}

TEST(NodeResourceSetTest, ExplicitResourceIds) {
  NodeResourceSet set(absl::flat_hash_map<std::string, double>{
      {"CPU", 1}, {"nrs_c1", 2}, {kImplicitA, 0.5}, {"nrs_neg", -1}});
  EXPECT_EQ(set.ExplicitResourceIds(),
            std::set<ResourceID>(
                {ResourceID::CPU(), ResourceID("nrs_c1"), ResourceID("nrs_neg")}));
}

TEST(NodeResourceSetTest, DebugStringPrintsRawUnits) {
  NodeResourceSet one(absl::flat_hash_map<std::string, double>{{"CPU", 1.5}});
  EXPECT_EQ(one.DebugString(), "{CPU: 15000}");
  NodeResourceSet several(absl::flat_hash_map<std::string, double>{
      {"CPU", 2}, {"nrs_c1", -0.25}, {kImplicitA, 0.5}});
  EXPECT_EQ(Entries(several.DebugString()),
            (std::multiset<std::string>{
                "CPU: 20000", "nrs_c1: -2500", kImplicitA + ": 5000"}));
}

}  // namespace
}  // namespace ray
