// One plain interface over an implementation of ray/common/scheduling (scheduling IDs,
// ResourceSet, NodeResourceSet, NodeResourceInstanceSet, placement_group_util), so that
// the scheduling fuzzers drive the C++ reference and the Rust-backed drop-in side by side.
//
// scheduling_adapter_body.inc implements it against Ray's API and is compiled twice, like
// adapter_body.inc: once over the reference headers with `ray` renamed to `ray_ref`
// (scheduling_adapter_reference.cc) and once over the drop-in headers of //src/ray/ffi
// (scheduling_adapter_rust.cc). FixedPoint and RayConfig are shared by both sides. This
// header must not mention the token `ray`.
//
// Each entry point interprets a program (the fuzzer's bytes) and returns a transcript of
// everything it observed. Iteration orders that Ray leaves unspecified (absl hash maps)
// are canonicalised before rendering, so equal transcripts mean equal behaviour.
//
// Fatal paths: an operation that Ray would end with RAY_CHECK is predicted from the state
// (with the side's own API) before it runs. With `run_fatal` false the program stops
// there and the transcript ends with kFatalMarker; with `run_fatal` true the same program
// runs that operation, which must abort (the harness does this in a forked child).

#pragma once

#include <string>

namespace ray_equiv {

// Ends a transcript whose program stopped before a predicted-fatal operation.
inline constexpr char kFatalMarker[] = "\n<fatal predicted>";

inline bool EndsWithFatalMarker(const std::string &transcript) {
  const std::string marker = kFatalMarker;
  return transcript.size() >= marker.size() &&
         transcript.compare(transcript.size() - marker.size(), marker.size(), marker) == 0;
}

class SchedulingImpl {
 public:
  virtual ~SchedulingImpl() = default;
  virtual const char *Name() const = 0;

  // ResourceSet and NodeResourceSet operations (resource_set_fuzzer). Never fatal.
  virtual std::string ResourceSetProgram(const std::string &program) const = 0;

  // NodeResourceInstanceSet operations (resource_instance_set_fuzzer).
  virtual std::string InstanceSetProgram(const std::string &program, bool run_fatal) const = 0;

  // StringIdMap, ResourceID/NodeID and placement_group_util (scheduling_ids_fuzzer).
  virtual std::string IdsProgram(const std::string &program, bool run_fatal) const = 0;
};

const SchedulingImpl &SchedulingReference();
const SchedulingImpl &SchedulingRustBacked();

}  // namespace ray_equiv
