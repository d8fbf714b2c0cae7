// The shared harness of the C++-vs-Rust benchmarks: allocation counting, the
// measured loop and registration. Every benchmark binary links
// :allocation_counter, which replaces operator new and wraps the C allocator
// (the binary passes -Wl,--wrap=<fn> for each, see BUILD.bazel), so heap
// allocations made on either side of the bridge are counted.
//
// Every registered benchmark reports two counters:
//   allocs_per_iter   heap allocations per iteration;
//   expect_no_alloc   1 where the operation has no reason to allocate.

#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <ostream>
#include <streambuf>
#include <string>

#include "ray/common/implementation.h"

namespace ray {
namespace bench {

/// Heap allocations made by this process so far (operator new and the C
/// allocator). Benchmarks run on one thread.
uint64_t Allocations();

/// Runs `op` once per iteration and reports the heap allocations it made.
template <typename Op>
void Loop(benchmark::State &state, Op &&op) {
  const uint64_t before = Allocations();
  for (auto _ : state) {
    op();
  }
  const uint64_t made = Allocations() - before;
  state.counters["allocs_per_iter"] =
      static_cast<double>(made) / static_cast<double>(state.iterations());
}

enum class Alloc { kExpectNone, kMayAllocate };

/// Registers `body` (which calls Loop) under `name`.
template <typename Body>
void Add(const std::string &name, Alloc alloc, Body body) {
  const double expect_no_alloc = alloc == Alloc::kExpectNone ? 1.0 : 0.0;
  benchmark::RegisterBenchmark(name, [body, expect_no_alloc](benchmark::State &state) {
    body(state);
    state.counters["expect_no_alloc"] = expect_no_alloc;
  });
}

/// main()'s body once the benchmarks are registered: runs them (Google
/// Benchmark's flags apply) with the linked implementation in the context.
inline int RunRegistered(int argc, char **argv) {
  benchmark::AddCustomContext("ray_common_impl", ::ray::RayCommonImplementation());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

/// An ostream buffer that discards what it is given, so streaming costs only
/// the formatting.
class NullBuffer : public std::streambuf {
 protected:
  int_type overflow(int_type c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char *, std::streamsize n) override { return n; }
};

}  // namespace bench
}  // namespace ray
