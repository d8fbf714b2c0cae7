// Differential fuzzer: a program of ResourceSet and NodeResourceSet operations
// (construction from the four map kinds, Set/Get/Has/Size/Clear/IsEmpty, + - += -=,
// <= >= == !=, ResourceIds, Resources, GetResourceMap, DebugString, std::hash; node sets'
// -=, >=, ==, RemoveNegative, ExplicitResourceIds), interpreted by
// scheduling_adapter_body.inc on both implementations; the transcripts must be equal.

#include <cstddef>
#include <cstdint>
#include <string>

#include "src/ray/common/fuzz/harness.h"
#include "src/ray/common/fuzz/scheduling_adapter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace ray_equiv;
  Case c(data, size);
  const std::string program(reinterpret_cast<const char *>(data), size);
  Same("ResourceSet program",
       SchedulingReference().ResourceSetProgram(program),
       SchedulingRustBacked().ResourceSetProgram(program));
  return 0;
}
