// Placement-group resource names.
//
// A placement group's resources are named after the original resource:
//   wildcard (the whole group):   <resource>_group_<group id in lowercase hex>
//   indexed (one bundle):         <resource>_group_<bundle index>_<group id>

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

/// Whether the resource is CPU, or CPU of a placement group (wildcard or indexed).
bool IsCPUOrPlacementGroupCPUResource(ResourceID resource_id);

/// Splits a placement-group resource name into its parts. Wildcard names are
/// recognised when `for_wildcard_resource`, indexed ones when `for_indexed_resource`
/// (at least one must be set, or the process aborts); wildcard is tried first.
/// Returns nullopt for any other name.
std::optional<PgFormattedResourceData> ParsePgFormattedResource(
    const std::string &resource, bool for_wildcard_resource, bool for_indexed_resource);

}  // namespace ray
