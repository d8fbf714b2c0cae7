// Google Benchmark of RayConfig's public operations (src/ray/common/ray_config.h),
// built once per implementation like the other benchmark sources.
//
// Names are "RayConfig/<operation>". Reading an entry is an inline field access in
// both implementations (the Rust-backed one copies the values into the C++ fields),
// so the interesting costs are initialize(): re-reading all entries from the
// environment, and applying a JSON object on top.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "ray/common/ray_config.h"
#include "src/ray/common/benchmarks/benchmark_harness.h"

namespace {

// Reads clobber memory first, or the compiler hoists the field load out of the loop.

using ray::bench::Add;
using ray::bench::Alloc;
using ray::bench::Loop;

void AddReads() {
  Add("RayConfig/Read(bool)", Alloc::kExpectNone, [](benchmark::State &state) {
    RayConfig &config = RayConfig::instance();
    Loop(state, [&] {
      benchmark::ClobberMemory();
      benchmark::DoNotOptimize(config.event_stats());
    });
  });
  Add("RayConfig/Read(uint64_t)", Alloc::kExpectNone, [](benchmark::State &state) {
    RayConfig &config = RayConfig::instance();
    Loop(state, [&] {
      benchmark::ClobberMemory();
      benchmark::DoNotOptimize(config.debug_dump_period_milliseconds());
    });
  });
  Add("RayConfig/Read(std::string)", Alloc::kExpectNone, [](benchmark::State &state) {
    RayConfig &config = RayConfig::instance();
    Loop(state, [&] {
      benchmark::ClobberMemory();
      benchmark::DoNotOptimize(config.auth_mode().size());
    });
  });
  Add("RayConfig/Instance", Alloc::kExpectNone, [](benchmark::State &state) {
    Loop(state, [&] { benchmark::DoNotOptimize(&RayConfig::instance()); });
  });
}

void AddInitialize() {
  // Every entry from the environment (none set) or its default.
  Add("RayConfig/initialize(empty)", Alloc::kMayAllocate, [](benchmark::State &state) {
    RayConfig &config = RayConfig::instance();
    Loop(state, [&] { config.initialize(""); });
  });
  // The shape a raylet receives from the GCS: a handful of overrides of each type.
  const std::string overrides =
      R"({"debug_dump_period_milliseconds": 5000, "event_stats": false,)"
      R"( "auth_mode": "token", "event_stats_print_interval_ms": 30000})";
  Add("RayConfig/initialize(4 entries)", Alloc::kMayAllocate,
      [overrides](benchmark::State &state) {
        RayConfig &config = RayConfig::instance();
        Loop(state, [&] { config.initialize(overrides); });
        config.initialize("");
      });
}

}  // namespace

int main(int argc, char **argv) {
  AddReads();
  AddInitialize();
  return ray::bench::RunRegistered(argc, argv);
}
