// Differential fuzzer: a program of NodeResourceInstanceSet operations (construction from
// a NodeResourceSet with unit-instance, implicit and placement-group resources,
// TryAllocate of plain and placement-group demands, Free, Add, Subtract both ways, Set,
// Remove, Sum, Has, Get, ToNodeResourceSet, ==, copies), interpreted by
// scheduling_adapter_body.inc on both implementations. A predicted RAY_CHECK abort is
// compared as "both fatal with the same message" in forked children; the
// std::out_of_range of an oversized bundle index is part of the transcript.

#include <cstddef>
#include <cstdint>
#include <string>

#include "src/ray/common/fuzz/harness.h"
#include "src/ray/common/fuzz/scheduling_adapter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace ray_equiv;
  Case c(data, size);
  const std::string program(reinterpret_cast<const char *>(data), size);
  const std::string reference = SchedulingReference().InstanceSetProgram(program, false);
  Same("NodeResourceInstanceSet program",
       reference,
       SchedulingRustBacked().InstanceSetProgram(program, false));
  if (EndsWithFatalMarker(reference)) {
    SameFatalBySide("NodeResourceInstanceSet program's last operation", [&](Side side) {
      (void)(side == Side::kRust ? SchedulingRustBacked() : SchedulingReference())
          .InstanceSetProgram(program, true);
    });
  }
  return 0;
}
