#include "ray/common/scheduling/placement_group_util.h"

#include <regex>
#include <string>

#include "ray/util/logging.h"

namespace ray {

bool IsCPUOrPlacementGroupCPUResource(ResourceID resource_id) {
  if (resource_id == ResourceID::CPU()) {
    return true;
  }
  auto parsed = ParsePgFormattedResource(resource_id.Binary(),
                                         /*for_wildcard_resource=*/true,
                                         /*for_indexed_resource=*/true);
  return parsed.has_value() && parsed->original_resource == kCPU_ResourceLabel;
}

std::optional<PgFormattedResourceData> ParsePgFormattedResource(
    const std::string &resource, bool for_wildcard_resource, bool for_indexed_resource) {
  RAY_CHECK(for_wildcard_resource || for_indexed_resource)
      << "Either one of for_wildcard_resource or for_indexed_resource must be true";

  // Whole-string matches; the resource part is greedy, so the last "_group_" splits.
  static const std::regex kWildcard("(.*)_group_([0-9a-f]+)");
  static const std::regex kIndexed("(.+)_group_([0-9]+)_([0-9a-zA-Z]+)");

  std::smatch parts;
  if (for_wildcard_resource && std::regex_match(resource, parts, kWildcard)) {
    return PgFormattedResourceData{parts[1].str(), -1, parts[2].str()};
  }
  if (for_indexed_resource && std::regex_match(resource, parts, kIndexed)) {
    // std::stoi, as in Ray: an index beyond int's range throws std::out_of_range.
    return PgFormattedResourceData{
        parts[1].str(), std::stoi(parts[2].str()), parts[3].str()};
  }
  return std::nullopt;
}

}  // namespace ray
