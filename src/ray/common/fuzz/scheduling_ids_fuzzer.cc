// Differential fuzzer: StringIdMap on fresh maps (Insert with and without num_ids
// collisions, Get both ways, InsertOrDie and its abort, Count), ResourceID and NodeID
// from names and integers (the interned integers must be equal on both sides),
// IsImplicitResource, IsPredefinedResource, IsUnitInstanceResource, Binary, operator<<,
// std::hash, and placement_group_util's ParsePgFormattedResource (its abort when neither
// form is asked for, its std::out_of_range) and IsCPUOrPlacementGroupCPUResource on
// arbitrary strings.

#include <cstddef>
#include <cstdint>
#include <string>

#include "src/ray/common/fuzz/harness.h"
#include "src/ray/common/fuzz/scheduling_adapter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace ray_equiv;
  Case c(data, size);
  const std::string program(reinterpret_cast<const char *>(data), size);
  const std::string reference = SchedulingReference().IdsProgram(program, false);
  Same("scheduling IDs program", reference, SchedulingRustBacked().IdsProgram(program, false));
  if (EndsWithFatalMarker(reference)) {
    SameFatalBySide("scheduling IDs program's last operation", [&](Side side) {
      (void)(side == Side::kRust ? SchedulingRustBacked() : SchedulingReference())
          .IdsProgram(program, true);
    });
  }
  return 0;
}
