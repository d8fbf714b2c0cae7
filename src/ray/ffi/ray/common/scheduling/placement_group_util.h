// Drop-in for Ray's placement_group_util.h: the parsing of placement-group resource names
// runs in Rust (ray_scheduling::parse_pg_formatted_resource).

#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ray/common/scheduling/scheduling_ids.h"

namespace ray {

using scheduling::ResourceID;

struct PgFormattedResourceData {
  std::string original_resource;
  /// -1 for a wildcard resource.
  int64_t bundle_index;
  std::string group_id;
};

/// CPU itself, or a placement group's CPU resource (wildcard or indexed).
bool IsCPUOrPlacementGroupCPUResource(ResourceID resource_id);

/// The parts of "<resource>_group_<pg>" (wildcard) or "<resource>_group_<index>_<pg>"
/// (indexed), as selected by the two flags; std::nullopt if the name has neither form.
std::optional<PgFormattedResourceData> ParsePgFormattedResource(
    const std::string &resource, bool for_wildcard_resource, bool for_indexed_resource);

}  // namespace ray
