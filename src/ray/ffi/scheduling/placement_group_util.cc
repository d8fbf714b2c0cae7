#include "ray/common/scheduling/placement_group_util.h"

#include <string>

#include "scheduling/bridge_util.h"

namespace ray {

namespace bridge = ::ray::rust::scheduling;

bool IsCPUOrPlacementGroupCPUResource(ResourceID resource_id) {
  return bridge::is_cpu_or_pg_cpu_resource(resource_id.ToInt());
}

std::optional<PgFormattedResourceData> ParsePgFormattedResource(
    const std::string &resource, bool for_wildcard_resource, bool for_indexed_resource) {
  PgFormattedResourceData data{"", -1, ""};
  std::string failure;
  const int code = bridge::parse_pg_formatted_resource(scheduling_bridge::Bytes(resource),
                                              for_wildcard_resource,
                                              for_indexed_resource,
                                              data.original_resource,
                                              data.bundle_index,
                                              data.group_id,
                                              failure);
  if (code == 0) {
    return std::nullopt;
  }
  if (code != 1) {
    scheduling_bridge::Fail(code, failure);
  }
  return data;
}

}  // namespace ray
