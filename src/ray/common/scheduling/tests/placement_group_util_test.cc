#include "ray/common/scheduling/placement_group_util.h"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "ray/common/implementation.h"

namespace ray {
namespace {

constexpr char kGroup[] = "4482dec0faaf5ead891ff1659a9501000000";

std::string Wildcard(const std::string &resource) {
  return resource + "_group_" + kGroup;
}

std::string Indexed(const std::string &resource, int index) {
  return resource + "_group_" + std::to_string(index) + "_" + kGroup;
}

// Parsed with both kinds enabled.
std::optional<PgFormattedResourceData> Parse(const std::string &name) {
  return ParsePgFormattedResource(name, true, true);
}

void ExpectParsed(const std::optional<PgFormattedResourceData> &data,
                  const std::string &original,
                  int64_t bundle_index,
                  const std::string &group_id) {
  ASSERT_TRUE(data.has_value());
  EXPECT_EQ(data->original_resource, original);
  EXPECT_EQ(data->bundle_index, bundle_index);
  EXPECT_EQ(data->group_id, group_id);
}

TEST(RayCommonImplementationTest, LinkedImplementationIsTheSelectedOne) {
  EXPECT_STREQ(ray::RayCommonImplementation(), RAY_COMMON_EXPECTED_IMPL);
}

TEST(ParsePgFormattedResourceTest, WildcardResource) {
  ExpectParsed(Parse(Wildcard("CPU")), "CPU", -1, kGroup);
  ExpectParsed(ParsePgFormattedResource(Wildcard("GPU"), true, false), "GPU", -1, kGroup);
  // Only indexed names asked for.
  EXPECT_FALSE(ParsePgFormattedResource(Wildcard("CPU"), false, true).has_value());
  // The group ID is lowercase hex, any length.
  ExpectParsed(Parse("memory_group_0"), "memory", -1, "0");
  ExpectParsed(Parse("CPU_group_123"), "CPU", -1, "123");
  EXPECT_FALSE(Parse("CPU_group_ABC").has_value());
  EXPECT_FALSE(Parse("CPU_group_xyz").has_value());
  EXPECT_FALSE(Parse("CPU_group_").has_value());
}

TEST(ParsePgFormattedResourceTest, IndexedResource) {
  ExpectParsed(Parse(Indexed("CPU", 0)), "CPU", 0, kGroup);
  ExpectParsed(ParsePgFormattedResource(Indexed("GPU", 3), false, true), "GPU", 3, kGroup);
  // Only wildcard names asked for.
  EXPECT_FALSE(ParsePgFormattedResource(Indexed("CPU", 0), true, false).has_value());
  // The group ID of an indexed name may be any alphanumeric string.
  ExpectParsed(Parse("GPU_group_12_abcDEF123"), "GPU", 12, "abcDEF123");
  ExpectParsed(Parse("GPU_group_007_z"), "GPU", 7, "z");
  EXPECT_FALSE(Parse("GPU_group_1_").has_value());
  EXPECT_FALSE(Parse("GPU_group_1_ab-c").has_value());
  EXPECT_FALSE(Parse("GPU_group_x_abc").has_value());
}

TEST(ParsePgFormattedResourceTest, ResourceNamesWithUnderscores) {
  ExpectParsed(Parse(Wildcard("my_custom_resource")), "my_custom_resource", -1, kGroup);
  ExpectParsed(Parse(Indexed("my_custom_resource", 2)), "my_custom_resource", 2, kGroup);
  // The wildcard form is tried first and splits at the last "_group_".
  ExpectParsed(Parse("CPU_group_1_group_abc"), "CPU_group_1", -1, "abc");
  EXPECT_FALSE(ParsePgFormattedResource("CPU_group_1_group_abc", false, true).has_value());
}

TEST(ParsePgFormattedResourceTest, EmptyResourceName) {
  // The wildcard form accepts an empty resource name, the indexed one does not.
  ExpectParsed(Parse("_group_abc"), "", -1, "abc");
  EXPECT_FALSE(Parse("_group_1_abc").has_value());
}

TEST(ParsePgFormattedResourceTest, OtherNames) {
  for (const std::string name : {"CPU",
                                 "GPU",
                                 "",
                                 "bundle",
                                 "group",
                                 "CPU_group",
                                 "CPUgroup_abc",
                                 "CPU_GROUP_abc",
                                 " CPU_group_1_abc x"}) {
    EXPECT_FALSE(Parse(name).has_value()) << name;
  }
}

TEST(ParsePgFormattedResourceTest, IndexBeyondIntThrows) {
  // The index is read with std::stoi.
  EXPECT_THROW(Parse("CPU_group_99999999999_abc"), std::out_of_range);
  ExpectParsed(Parse("CPU_group_2147483647_abc"), "CPU", 2147483647, "abc");
}

TEST(ParsePgFormattedResourceDeathTest, OneKindMustBeRequested) {
  EXPECT_DEATH(ParsePgFormattedResource(Wildcard("CPU"), false, false),
               "Either one of for_wildcard_resource or for_indexed_resource must be true");
  // Ray's whole line: the failed condition, then the message.
  EXPECT_DEATH(ParsePgFormattedResource("CPU", false, false),
               "Check failed: for_wildcard_resource \\|\\| for_indexed_resource Either one");
}

TEST(IsCPUOrPlacementGroupCPUResourceTest, CpuAndItsPlacementGroupResources) {
  EXPECT_TRUE(IsCPUOrPlacementGroupCPUResource(ResourceID::CPU()));
  EXPECT_TRUE(IsCPUOrPlacementGroupCPUResource(ResourceID("CPU")));
  EXPECT_TRUE(IsCPUOrPlacementGroupCPUResource(ResourceID(Wildcard("CPU"))));
  EXPECT_TRUE(IsCPUOrPlacementGroupCPUResource(ResourceID(Indexed("CPU", 0))));
  EXPECT_TRUE(IsCPUOrPlacementGroupCPUResource(ResourceID("CPU_group_5_XYZ")));
}

TEST(IsCPUOrPlacementGroupCPUResourceTest, OtherResources) {
  EXPECT_FALSE(IsCPUOrPlacementGroupCPUResource(ResourceID::GPU()));
  EXPECT_FALSE(IsCPUOrPlacementGroupCPUResource(ResourceID::Memory()));
  EXPECT_FALSE(IsCPUOrPlacementGroupCPUResource(ResourceID::ObjectStoreMemory()));
  EXPECT_FALSE(IsCPUOrPlacementGroupCPUResource(ResourceID(Wildcard("GPU"))));
  EXPECT_FALSE(IsCPUOrPlacementGroupCPUResource(ResourceID(Indexed("GPU", 1))));
  EXPECT_FALSE(IsCPUOrPlacementGroupCPUResource(ResourceID(Wildcard("CPUx"))));
  EXPECT_FALSE(IsCPUOrPlacementGroupCPUResource(ResourceID("cpu")));
  EXPECT_FALSE(IsCPUOrPlacementGroupCPUResource(ResourceID("CPU_group_ABC")));
  EXPECT_FALSE(IsCPUOrPlacementGroupCPUResource(ResourceID(-1)));
}

}  // namespace
}  // namespace ray
