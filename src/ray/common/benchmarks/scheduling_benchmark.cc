// Google Benchmark of every public operation of Ray's scheduling resource model
// (src/ray/common/scheduling), through the public C++ API only. Like
// common_benchmark.cc, the same source is built once per implementation
// (scheduling_benchmark_cc and scheduling_benchmark_rust).
//
// Names are "Scheduling/<subject>/<operation>[/<resources>]": container
// operations run on sets of 1, 4 and 16 resources (the predefined ones first,
// then a node resource, an accelerator type, unit-instance accelerators and
// custom resources, as Ray's nodes report them). Allocation counts and the
// expect_no_alloc flag come from benchmark_harness.h; expect_no_alloc marks
// reads, comparisons and operations that keep a set's size.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "ray/common/constants.h"
#include "ray/common/scheduling/cluster_resource_data.h"
#include "ray/common/scheduling/fixed_point.h"
#include "ray/common/scheduling/placement_group_util.h"
#include "ray/common/scheduling/resource_instance_set.h"
#include "ray/common/scheduling/resource_set.h"
#include "ray/common/scheduling/scheduling_ids.h"
#include "src/ray/common/benchmarks/benchmark_harness.h"

namespace {

using ray::NodeResourceInstanceSet;
using ray::NodeResources;
using ray::NodeResourceSet;
using ray::ResourceRequest;
using ray::ResourceSet;
using ray::StringIdMap;
using ray::TaskResourceInstances;
using ray::bench::Add;
using ray::bench::Alloc;
using ray::bench::Loop;
using ray::scheduling::NodeID;
using ray::scheduling::ResourceID;

constexpr Alloc kNone = Alloc::kExpectNone;
constexpr Alloc kMay = Alloc::kMayAllocate;

// The set sizes every container operation is measured at.
constexpr int kSizes[] = {1, 4, 16};

// A placement group's ID in hex, as Ray formats it into resource names.
constexpr char kGroup[] = "4e8a1f0c5b3d7e2a9c6f1b0d3e5a7c9f2b4d6e8a";

// Resource names in the order sets take them: a set of n resources uses the first n.
// GPU and TPU are unit-instance resources under RayConfig's defaults.
const std::vector<std::string> &ResourceNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out = {"CPU",
                                    "memory",
                                    "GPU",
                                    "object_store_memory",
                                    "node:10.0.3.7",
                                    "accelerator_type:A100",
                                    "TPU",
                                    std::string(kImplicitResourcePrefix) + "slots"};
    for (int i = 0; out.size() < 16; ++i) {
      out.push_back("custom_resource_" + std::to_string(i));
    }
    return out;
  }();
  return names;
}

// A deterministic quantity for the i-th resource: whole numbers for
// unit-instance resources (their instances are whole), 1 for the implicit
// resource (its node default), fractions elsewhere.
double Quantity(size_t i) {
  const std::string &name = ResourceNames()[i];
  if (name == "GPU" || name == "TPU") {
    return 4.0;
  }
  if (name.rfind(kImplicitResourcePrefix, 0) == 0) {
    return 1.0;
  }
  if (name == "memory" || name == "object_store_memory") {
    return 8.0 * 1024 * 1024 * 1024;
  }
  return 2.5 + static_cast<double>(i);
}

absl::flat_hash_map<std::string, double> NameDoubleMap(int n, double scale = 1.0) {
  absl::flat_hash_map<std::string, double> map;
  for (int i = 0; i < n; ++i) {
    map[ResourceNames()[i]] = Quantity(i) * scale;
  }
  return map;
}

absl::flat_hash_map<std::string, FixedPoint> NameFixedMap(int n) {
  absl::flat_hash_map<std::string, FixedPoint> map;
  for (int i = 0; i < n; ++i) {
    map[ResourceNames()[i]] = FixedPoint(Quantity(i));
  }
  return map;
}

absl::flat_hash_map<ResourceID, double> IdDoubleMap(int n, double scale = 1.0) {
  absl::flat_hash_map<ResourceID, double> map;
  for (int i = 0; i < n; ++i) {
    map[ResourceID(ResourceNames()[i])] = Quantity(i) * scale;
  }
  return map;
}

absl::flat_hash_map<ResourceID, FixedPoint> IdFixedMap(int n, double scale = 1.0) {
  absl::flat_hash_map<ResourceID, FixedPoint> map;
  for (int i = 0; i < n; ++i) {
    map[ResourceID(ResourceNames()[i])] = FixedPoint(Quantity(i) * scale);
  }
  return map;
}

// A demand: the set's resources at `scale` of the node's quantities.
ResourceSet Demand(int n, double scale) { return ResourceSet(IdFixedMap(n, scale)); }

// The last resource of a set of n: the one a lookup has to go furthest for in
// an ordered layout.
ResourceID LastId(int n) { return ResourceID(ResourceNames()[n - 1]); }

// A resource in no set.
ResourceID MissingId() {
  static const ResourceID id("resource_in_no_set");
  return id;
}

std::string Suffix(int n) { return "/" + std::to_string(n); }

// ---------------------------------------------------------------------------
// scheduling_ids.h

void AddSchedulingIds() {
  const std::string p = "Scheduling/ResourceID/";
  // Interning a name that is already interned: the map lookup under its mutex.
  Add(p + "FromName(predefined)", kNone, [](benchmark::State &state) {
    std::string name = "GPU";
    Loop(state, [&] {
      benchmark::DoNotOptimize(name);
      ResourceID id(name);
      benchmark::DoNotOptimize(id);
    });
  });
  Add(p + "FromName(custom)", kNone, [](benchmark::State &state) {
    std::string name = "custom_resource_with_a_long_name";
    ResourceID warm(name);
    benchmark::DoNotOptimize(warm);
    Loop(state, [&] {
      benchmark::DoNotOptimize(name);
      ResourceID id(name);
      benchmark::DoNotOptimize(id);
    });
  });
  Add(p + "Binary(predefined)", kMay, [](benchmark::State &state) {
    ResourceID id = ResourceID::CPU();
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      std::string name = id.Binary();
      benchmark::DoNotOptimize(name);
    });
  });
  Add(p + "Binary(custom)", kMay, [](benchmark::State &state) {
    ResourceID id("custom_resource_with_a_long_name");
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      std::string name = id.Binary();
      benchmark::DoNotOptimize(name);
    });
  });
  const std::pair<const char *, std::string> implicit_cases[] = {
      {"IsImplicitResource(predefined)", "CPU"},
      {"IsImplicitResource(custom)", "custom_resource_with_a_long_name"},
      {"IsImplicitResource(implicit)", std::string(kImplicitResourcePrefix) + "slots"},
  };
  for (const auto &[label, name] : implicit_cases) {
    Add(p + label, kNone, [name = name](benchmark::State &state) {
      ResourceID id(name);
      Loop(state, [&] {
        benchmark::DoNotOptimize(id);
        benchmark::DoNotOptimize(id.IsImplicitResource());
      });
    });
  }
  const std::pair<const char *, const char *> unit_cases[] = {
      {"IsUnitInstanceResource(GPU)", "GPU"},
      {"IsUnitInstanceResource(CPU)", "CPU"},
  };
  for (const auto &[label, name] : unit_cases) {
    Add(p + label, kNone, [name = name](benchmark::State &state) {
      ResourceID id(name);
      Loop(state, [&] {
        benchmark::DoNotOptimize(id);
        benchmark::DoNotOptimize(id.IsUnitInstanceResource());
      });
    });
  }
  Add("Scheduling/NodeID/FromName", kNone, [](benchmark::State &state) {
    std::string name = "5f2a9c3e1b7d4f6a8e0c2b4d6f8a1c3e5b7d9f0a2c4e6b8d";
    NodeID warm(name);
    benchmark::DoNotOptimize(warm);
    Loop(state, [&] {
      benchmark::DoNotOptimize(name);
      NodeID id(name);
      benchmark::DoNotOptimize(id);
    });
  });

  // A map of its own, holding 16 names.
  const std::string m = "Scheduling/StringIdMap/";
  auto filled = [] {
    auto map = std::make_shared<StringIdMap>();
    for (const auto &name : ResourceNames()) {
      map->Insert(name);
    }
    return map;
  };
  Add(m + "Insert(existing)", kNone, [filled](benchmark::State &state) {
    auto map = filled();
    std::string name = ResourceNames()[9];
    Loop(state, [&] {
      benchmark::DoNotOptimize(name);
      benchmark::DoNotOptimize(map->Insert(name));
    });
  });
  Add(m + "Get(string)", kNone, [filled](benchmark::State &state) {
    auto map = filled();
    std::string name = ResourceNames()[9];
    Loop(state, [&] {
      benchmark::DoNotOptimize(name);
      benchmark::DoNotOptimize(map->Get(name));
    });
  });
  Add(m + "Get(string,miss)", kNone, [filled](benchmark::State &state) {
    auto map = filled();
    std::string name = "resource_in_no_map";
    Loop(state, [&] {
      benchmark::DoNotOptimize(name);
      benchmark::DoNotOptimize(map->Get(name));
    });
  });
  Add(m + "Get(id)", kMay, [filled](benchmark::State &state) {
    auto map = filled();
    uint64_t id = static_cast<uint64_t>(map->Get(ResourceNames()[9]));
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      std::string name = map->Get(id);
      benchmark::DoNotOptimize(name);
    });
  });
  Add(m + "Count", kNone, [filled](benchmark::State &state) {
    auto map = filled();
    Loop(state, [&] { benchmark::DoNotOptimize(map->Count()); });
  });
}

// ---------------------------------------------------------------------------
// resource_set.h: ResourceSet

void AddResourceSet(int n) {
  const std::string p = "Scheduling/ResourceSet/";
  const std::string s = Suffix(n);

  Add(p + "FromNameFixedPointMap" + s, kMay, [n](benchmark::State &state) {
    const auto map = NameFixedMap(n);
    Loop(state, [&] {
      ResourceSet set(map);
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "FromNameDoubleMap" + s, kMay, [n](benchmark::State &state) {
    const auto map = NameDoubleMap(n);
    Loop(state, [&] {
      ResourceSet set(map);
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "FromIdFixedPointMap" + s, kMay, [n](benchmark::State &state) {
    const auto map = IdFixedMap(n);
    Loop(state, [&] {
      ResourceSet set(map);
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "FromIdDoubleMap" + s, kMay, [n](benchmark::State &state) {
    const auto map = IdDoubleMap(n);
    Loop(state, [&] {
      ResourceSet set(map);
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "Copy" + s, kMay, [n](benchmark::State &state) {
    ResourceSet source = Demand(n, 1.0);
    Loop(state, [&] {
      ResourceSet copy(source);
      benchmark::DoNotOptimize(copy);
    });
  });
  Add(p + "CopyAssign" + s, kMay, [n](benchmark::State &state) {
    ResourceSet source = Demand(n, 1.0);
    ResourceSet target = Demand(n, 2.0);
    Loop(state, [&] {
      target = source;
      benchmark::DoNotOptimize(target);
    });
  });
  // Two moves per iteration: there and back.
  Add(p + "Move(x2)" + s, kNone, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    Loop(state, [&] {
      ResourceSet moved(std::move(set));
      benchmark::DoNotOptimize(moved);
      set = std::move(moved);
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "Get" + s, kNone, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    ResourceID id = LastId(n);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(set.Get(id));
    });
  });
  Add(p + "Get(miss)" + s, kNone, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    ResourceID id = MissingId();
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(set.Get(id));
    });
  });
  Add(p + "Has" + s, kNone, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    ResourceID id = LastId(n);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(set.Has(id));
    });
  });
  // Overwrites an existing quantity (the set keeps its size).
  Add(p + "Set" + s, kNone, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    ResourceID id = LastId(n);
    FixedPoint values[2] = {FixedPoint(1.5), FixedPoint(3.0)};
    size_t k = 0;
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      set.Set(id, values[k ^= 1]);
      benchmark::DoNotOptimize(set);
    });
  });
  // Removes a resource (Set to 0) and adds it back.
  Add(p + "Set(remove+insert)" + s, kMay, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    ResourceID id = LastId(n);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      set.Set(id, FixedPoint(0));
      benchmark::DoNotOptimize(set);
      set.Set(id, FixedPoint(2.0));
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "Size" + s, kNone, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    Loop(state, [&] {
      benchmark::DoNotOptimize(set);
      benchmark::DoNotOptimize(set.Size());
    });
  });
  Add(p + "IsEmpty" + s, kNone, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    Loop(state, [&] {
      benchmark::DoNotOptimize(set);
      benchmark::DoNotOptimize(set.IsEmpty());
    });
  });
  // Clear needs a full set each time: a copy, then Clear.
  Add(p + "Copy+Clear" + s, kMay, [n](benchmark::State &state) {
    ResourceSet source = Demand(n, 1.0);
    Loop(state, [&] {
      ResourceSet copy(source);
      copy.Clear();
      benchmark::DoNotOptimize(copy);
    });
  });
  Add(p + "Plus" + s, kMay, [n](benchmark::State &state) {
    ResourceSet a = Demand(n, 1.0);
    ResourceSet b = Demand(n, 0.5);
    Loop(state, [&] {
      ResourceSet sum = a + b;
      benchmark::DoNotOptimize(sum);
    });
  });
  Add(p + "Minus" + s, kMay, [n](benchmark::State &state) {
    ResourceSet a = Demand(n, 1.0);
    ResourceSet b = Demand(n, 0.5);
    Loop(state, [&] {
      ResourceSet difference = a - b;
      benchmark::DoNotOptimize(difference);
    });
  });
  // += then -= of the same set: the set returns to where it was.
  Add(p + "PlusAssign+MinusAssign" + s, kNone, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    ResourceSet delta = Demand(n, 0.5);
    Loop(state, [&] {
      set += delta;
      benchmark::DoNotOptimize(set);
      set -= delta;
      benchmark::DoNotOptimize(set);
    });
  });
  // Every resource has to be compared: the demand fits.
  Add(p + "LessEqual" + s, kNone, [n](benchmark::State &state) {
    ResourceSet demand = Demand(n, 0.5);
    ResourceSet available = Demand(n, 1.0);
    Loop(state, [&] {
      benchmark::DoNotOptimize(demand);
      benchmark::DoNotOptimize(demand <= available);
    });
  });
  Add(p + "GreaterEqual" + s, kNone, [n](benchmark::State &state) {
    ResourceSet demand = Demand(n, 0.5);
    ResourceSet available = Demand(n, 1.0);
    Loop(state, [&] {
      benchmark::DoNotOptimize(available);
      benchmark::DoNotOptimize(available >= demand);
    });
  });
  Add(p + "Equal" + s, kNone, [n](benchmark::State &state) {
    ResourceSet a = Demand(n, 1.0);
    ResourceSet b = Demand(n, 1.0);
    Loop(state, [&] {
      benchmark::DoNotOptimize(a);
      benchmark::DoNotOptimize(a == b);
    });
  });
  Add(p + "ResourceIds" + s, kNone, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    Loop(state, [&] {
      benchmark::DoNotOptimize(set);
      int64_t sum = 0;
      for (const auto &id : set.ResourceIds()) {
        sum += id.ToInt();
      }
      benchmark::DoNotOptimize(sum);
    });
  });
  Add(p + "Resources" + s, kMay, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    Loop(state, [&] {
      benchmark::DoNotOptimize(set);
      int64_t sum = 0;
      for (const auto &[id, value] : set.Resources()) {
        sum += id.ToInt() ^ static_cast<int64_t>(value.Double());
      }
      benchmark::DoNotOptimize(sum);
    });
  });
  Add(p + "GetResourceMap" + s, kMay, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    Loop(state, [&] {
      auto map = set.GetResourceMap();
      benchmark::DoNotOptimize(map);
    });
  });
  Add(p + "GetResourceUnorderedMap" + s, kMay, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    Loop(state, [&] {
      auto map = set.GetResourceUnorderedMap();
      benchmark::DoNotOptimize(map);
    });
  });
  Add(p + "DebugString" + s, kMay, [n](benchmark::State &state) {
    ResourceSet set = Demand(n, 1.0);
    Loop(state, [&] {
      std::string text = set.DebugString();
      benchmark::DoNotOptimize(text);
    });
  });
}

// ---------------------------------------------------------------------------
// resource_set.h: NodeResourceSet

NodeResourceSet NodeTotal(int n) { return NodeResourceSet(IdFixedMap(n)); }

void AddNodeResourceSet(int n) {
  const std::string p = "Scheduling/NodeResourceSet/";
  const std::string s = Suffix(n);

  Add(p + "FromNameDoubleMap" + s, kMay, [n](benchmark::State &state) {
    const auto map = NameDoubleMap(n);
    Loop(state, [&] {
      NodeResourceSet set(map);
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "FromIdDoubleMap" + s, kMay, [n](benchmark::State &state) {
    const auto map = IdDoubleMap(n);
    Loop(state, [&] {
      NodeResourceSet set(map);
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "FromIdFixedPointMap" + s, kMay, [n](benchmark::State &state) {
    const auto map = IdFixedMap(n);
    Loop(state, [&] {
      NodeResourceSet set(map);
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "Copy" + s, kMay, [n](benchmark::State &state) {
    NodeResourceSet source = NodeTotal(n);
    Loop(state, [&] {
      NodeResourceSet copy(source);
      benchmark::DoNotOptimize(copy);
    });
  });
  Add(p + "Move(x2)" + s, kNone, [n](benchmark::State &state) {
    NodeResourceSet set = NodeTotal(n);
    Loop(state, [&] {
      NodeResourceSet moved(std::move(set));
      benchmark::DoNotOptimize(moved);
      set = std::move(moved);
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "Get" + s, kNone, [n](benchmark::State &state) {
    NodeResourceSet set = NodeTotal(n);
    ResourceID id = LastId(n);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(set.Get(id));
    });
  });
  Add(p + "Get(miss)" + s, kNone, [n](benchmark::State &state) {
    NodeResourceSet set = NodeTotal(n);
    ResourceID id = MissingId();
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(set.Get(id));
    });
  });
  Add(p + "Has" + s, kNone, [n](benchmark::State &state) {
    NodeResourceSet set = NodeTotal(n);
    ResourceID id = LastId(n);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(set.Has(id));
    });
  });
  Add(p + "Set" + s, kNone, [n](benchmark::State &state) {
    NodeResourceSet set = NodeTotal(n);
    ResourceID id = LastId(n);
    FixedPoint values[2] = {FixedPoint(1.5), FixedPoint(3.0)};
    size_t k = 0;
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      set.Set(id, values[k ^= 1]);
      benchmark::DoNotOptimize(set);
    });
  });
  // -= of a demand and then of its negation: the set returns to where it was.
  Add(p + "MinusAssign(x2)" + s, kNone, [n](benchmark::State &state) {
    NodeResourceSet set = NodeTotal(n);
    ResourceSet demand = Demand(n, 0.5);
    ResourceSet negated = Demand(n, -0.5);
    Loop(state, [&] {
      set -= demand;
      benchmark::DoNotOptimize(set);
      set -= negated;
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "GreaterEqual" + s, kNone, [n](benchmark::State &state) {
    NodeResourceSet set = NodeTotal(n);
    ResourceSet demand = Demand(n, 0.5);
    Loop(state, [&] {
      benchmark::DoNotOptimize(set);
      benchmark::DoNotOptimize(set >= demand);
    });
  });
  Add(p + "Equal" + s, kNone, [n](benchmark::State &state) {
    NodeResourceSet a = NodeTotal(n);
    NodeResourceSet b = NodeTotal(n);
    Loop(state, [&] {
      benchmark::DoNotOptimize(a);
      benchmark::DoNotOptimize(a == b);
    });
  });
  // Nothing negative: a scan that changes nothing.
  Add(p + "RemoveNegative" + s, kNone, [n](benchmark::State &state) {
    NodeResourceSet set = NodeTotal(n);
    Loop(state, [&] {
      set.RemoveNegative();
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "GetResourceMap" + s, kMay, [n](benchmark::State &state) {
    NodeResourceSet set = NodeTotal(n);
    Loop(state, [&] {
      auto map = set.GetResourceMap();
      benchmark::DoNotOptimize(map);
    });
  });
  Add(p + "ExplicitResourceIds" + s, kMay, [n](benchmark::State &state) {
    NodeResourceSet set = NodeTotal(n);
    Loop(state, [&] {
      auto ids = set.ExplicitResourceIds();
      benchmark::DoNotOptimize(ids);
    });
  });
  Add(p + "DebugString" + s, kMay, [n](benchmark::State &state) {
    NodeResourceSet set = NodeTotal(n);
    Loop(state, [&] {
      std::string text = set.DebugString();
      benchmark::DoNotOptimize(text);
    });
  });
}

// ---------------------------------------------------------------------------
// resource_instance_set.h

// A node's instances: n resources (GPU and TPU as 4 unit instances each).
NodeResourceInstanceSet NodeInstances(int n) {
  return NodeResourceInstanceSet(NodeTotal(n));
}

// The CPU resources of a placement group with two bundles of 4 CPUs each.
NodeResourceInstanceSet WithGroup(NodeResourceInstanceSet set) {
  const std::string group = kGroup;
  set.Set(ResourceID("CPU_group_" + group), {FixedPoint(8)});
  set.Set(ResourceID("CPU_group_0_" + group), {FixedPoint(4)});
  set.Set(ResourceID("CPU_group_1_" + group), {FixedPoint(4)});
  return set;
}

// Gives every allocated instance back.
template <typename Allocation>
void FreeAll(NodeResourceInstanceSet &set, const Allocation &allocation) {
  for (const auto &[id, instances] : allocation) {
    set.Free(id, instances);
  }
}

void AddTryAllocate(const std::string &name,
                    int n,
                    std::function<NodeResourceInstanceSet()> make_set,
                    std::function<ResourceSet()> make_demand) {
  Add("Scheduling/NodeResourceInstanceSet/" + name + Suffix(n),
      kMay,
      [make_set, make_demand](benchmark::State &state) {
        NodeResourceInstanceSet set = make_set();
        ResourceSet demand = make_demand();
        if (!set.TryAllocate(demand)) {
          state.SkipWithError("the demand does not fit");
          return;
        }
        set = make_set();
        Loop(state, [&] {
          auto allocation = set.TryAllocate(demand);
          benchmark::DoNotOptimize(allocation);
          FreeAll(set, *allocation);
        });
      });
}

void AddResourceInstanceSet(int n) {
  const std::string p = "Scheduling/NodeResourceInstanceSet/";
  const std::string s = Suffix(n);

  Add(p + "FromTotal" + s, kMay, [n](benchmark::State &state) {
    NodeResourceSet total = NodeTotal(n);
    Loop(state, [&] {
      NodeResourceInstanceSet set(total);
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "Copy" + s, kMay, [n](benchmark::State &state) {
    NodeResourceInstanceSet source = NodeInstances(n);
    Loop(state, [&] {
      NodeResourceInstanceSet copy(source);
      benchmark::DoNotOptimize(copy);
    });
  });
  Add(p + "Has" + s, kNone, [n](benchmark::State &state) {
    NodeResourceInstanceSet set = NodeInstances(n);
    ResourceID id = LastId(n);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(set.Has(id));
    });
  });
  Add(p + "Get" + s, kNone, [n](benchmark::State &state) {
    NodeResourceInstanceSet set = NodeInstances(n);
    ResourceID id = LastId(n);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      const auto &instances = set.Get(id);
      benchmark::DoNotOptimize(instances.data());
    });
  });
  // The unit-instance resource: four instances.
  if (n >= 4) {
    Add(p + "Get(GPU)" + s, kNone, [n](benchmark::State &state) {
      NodeResourceInstanceSet set = NodeInstances(n);
      ResourceID id = ResourceID::GPU();
      Loop(state, [&] {
        benchmark::DoNotOptimize(id);
        const auto &instances = set.Get(id);
        benchmark::DoNotOptimize(instances.data());
      });
    });
  }
  Add(p + "Set" + s, kMay, [n](benchmark::State &state) {
    NodeResourceInstanceSet set = NodeInstances(n);
    ResourceID id = LastId(n);
    const std::vector<FixedPoint> values = set.Get(id);
    Loop(state, [&] {
      set.Set(id, values);
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "Remove+Set" + s, kMay, [n](benchmark::State &state) {
    NodeResourceInstanceSet set = NodeInstances(n);
    ResourceID id = LastId(n);
    const std::vector<FixedPoint> values = set.Get(id);
    Loop(state, [&] {
      set.Remove(id);
      benchmark::DoNotOptimize(set);
      set.Set(id, values);
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "Sum" + s, kNone, [n](benchmark::State &state) {
    NodeResourceInstanceSet set = NodeInstances(n);
    ResourceID id = n >= 4 ? ResourceID::GPU() : LastId(n);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(set.Sum(id));
    });
  });
  Add(p + "Equal" + s, kNone, [n](benchmark::State &state) {
    NodeResourceInstanceSet a = NodeInstances(n);
    NodeResourceInstanceSet b = NodeInstances(n);
    Loop(state, [&] {
      benchmark::DoNotOptimize(a);
      benchmark::DoNotOptimize(a == b);
    });
  });

  // TryAllocate + Free: a task demanding a share of every resource of the node.
  AddTryAllocate(
      "TryAllocate+Free", n, [n] { return NodeInstances(n); }, [n] { return Demand(n, 0.25); });
  if (n >= 4) {
    // Two whole GPUs and a fraction of one more, from four unit instances.
    AddTryAllocate(
        "TryAllocate+Free(unit-instance)",
        n,
        [n] { return NodeInstances(n); },
        [] {
          ResourceSet demand;
          demand.Set(ResourceID::CPU(), FixedPoint(1));
          demand.Set(ResourceID::GPU(), FixedPoint(2.5));
          return demand;
        });
  }
  // Bundle 1 of a placement group, named explicitly (indexed and wildcard resources).
  AddTryAllocate(
      "TryAllocate+Free(placement group)",
      n,
      [n] { return WithGroup(NodeInstances(n)); },
      [] {
        const std::string group = kGroup;
        ResourceSet demand;
        demand.Set(ResourceID("CPU_group_1_" + group), FixedPoint(2));
        demand.Set(ResourceID("CPU_group_" + group), FixedPoint(2));
        return demand;
      });
  // Any bundle of the group: only the wildcard resource is named.
  AddTryAllocate(
      "TryAllocate+Free(placement group, any bundle)",
      n,
      [n] { return WithGroup(NodeInstances(n)); },
      [] {
        ResourceSet demand;
        demand.Set(ResourceID("CPU_group_" + std::string(kGroup)), FixedPoint(2));
        return demand;
      });
  // A demand that does not fit: the set is left as it was.
  Add(p + "TryAllocate(infeasible)" + s, kMay, [n](benchmark::State &state) {
    NodeResourceInstanceSet set = NodeInstances(n);
    ResourceSet demand = Demand(n, 2.0);
    Loop(state, [&] {
      auto allocation = set.TryAllocate(demand);
      benchmark::DoNotOptimize(allocation);
    });
  });
  // Add then Subtract the same instances: the set returns to where it was.
  Add(p + "Add+Subtract" + s, kMay, [n](benchmark::State &state) {
    NodeResourceInstanceSet set = NodeInstances(n);
    ResourceID id = LastId(n);
    const std::vector<FixedPoint> delta(set.Get(id).size(), FixedPoint(0.5));
    Loop(state, [&] {
      set.Add(id, delta);
      benchmark::DoNotOptimize(set);
      auto underflow = set.Subtract(id, delta, /*allow_going_negative=*/false);
      benchmark::DoNotOptimize(underflow);
    });
  });
  Add(p + "Subtract(allow negative)+Add" + s, kMay, [n](benchmark::State &state) {
    NodeResourceInstanceSet set = NodeInstances(n);
    ResourceID id = LastId(n);
    const std::vector<FixedPoint> delta(set.Get(id).size(), FixedPoint(0.5));
    Loop(state, [&] {
      auto underflow = set.Subtract(id, delta, /*allow_going_negative=*/true);
      benchmark::DoNotOptimize(underflow);
      set.Add(id, delta);
      benchmark::DoNotOptimize(set);
    });
  });
  Add(p + "ToNodeResourceSet" + s, kMay, [n](benchmark::State &state) {
    NodeResourceInstanceSet set = NodeInstances(n);
    Loop(state, [&] {
      NodeResourceSet total = set.ToNodeResourceSet();
      benchmark::DoNotOptimize(total);
    });
  });
  Add(p + "DebugString" + s, kMay, [n](benchmark::State &state) {
    NodeResourceInstanceSet set = NodeInstances(n);
    Loop(state, [&] {
      std::string text = set.DebugString();
      benchmark::DoNotOptimize(text);
    });
  });
}

// ---------------------------------------------------------------------------
// placement_group_util.h

void AddPlacementGroupUtil() {
  const std::string p = "Scheduling/PlacementGroupUtil/";
  const std::string group = kGroup;
  const std::pair<const char *, std::string> cpu_cases[] = {
      {"IsCPUOrPlacementGroupCPUResource(CPU)", "CPU"},
      {"IsCPUOrPlacementGroupCPUResource(group CPU)", "CPU_group_0_" + group},
      {"IsCPUOrPlacementGroupCPUResource(GPU)", "GPU"},
  };
  for (const auto &[label, name] : cpu_cases) {
    Add(p + label, kMay, [name = name](benchmark::State &state) {
      ResourceID id(name);
      Loop(state, [&] {
        benchmark::DoNotOptimize(id);
        benchmark::DoNotOptimize(ray::IsCPUOrPlacementGroupCPUResource(id));
      });
    });
  }
  const std::pair<const char *, std::string> parse_cases[] = {
      {"ParsePgFormattedResource(wildcard)", "GPU_group_" + group},
      {"ParsePgFormattedResource(indexed)", "GPU_group_3_" + group},
      {"ParsePgFormattedResource(not a group)", "accelerator_type:A100"},
  };
  for (const auto &[label, name] : parse_cases) {
    Add(p + label, kMay, [name = name](benchmark::State &state) {
      std::string resource = name;
      Loop(state, [&] {
        benchmark::DoNotOptimize(resource);
        auto parsed = ray::ParsePgFormattedResource(resource, true, true);
        benchmark::DoNotOptimize(parsed);
      });
    });
  }
}

// ---------------------------------------------------------------------------
// cluster_resource_data.h

void AddClusterResourceData(int n) {
  const std::string s = Suffix(n);
  const std::string r = "Scheduling/ResourceRequest/";
  Add(r + "FromIdFixedPointMap" + s, kMay, [n](benchmark::State &state) {
    const auto map = IdFixedMap(n, 0.5);
    Loop(state, [&] {
      ResourceRequest request(map);
      benchmark::DoNotOptimize(request);
    });
  });
  Add(r + "ResourceMapToResourceRequest" + s, kMay, [n](benchmark::State &state) {
    const auto map = NameDoubleMap(n, 0.5);
    Loop(state, [&] {
      ResourceRequest request = ray::ResourceMapToResourceRequest(map, false);
      benchmark::DoNotOptimize(request);
    });
  });
  Add(r + "Get" + s, kNone, [n](benchmark::State &state) {
    ResourceRequest request(IdFixedMap(n, 0.5));
    ResourceID id = LastId(n);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(request.Get(id));
    });
  });
  Add(r + "LessEqual" + s, kNone, [n](benchmark::State &state) {
    ResourceRequest a(IdFixedMap(n, 0.5));
    ResourceRequest b(IdFixedMap(n, 1.0));
    Loop(state, [&] {
      benchmark::DoNotOptimize(a);
      benchmark::DoNotOptimize(a <= b);
    });
  });
  Add(r + "Plus" + s, kMay, [n](benchmark::State &state) {
    ResourceRequest a(IdFixedMap(n, 0.5));
    ResourceRequest b(IdFixedMap(n, 1.0));
    Loop(state, [&] {
      ResourceRequest sum = a + b;
      benchmark::DoNotOptimize(sum);
    });
  });
  Add(r + "ToResourceMap" + s, kMay, [n](benchmark::State &state) {
    ResourceRequest request(IdFixedMap(n, 0.5));
    Loop(state, [&] {
      auto map = request.ToResourceMap();
      benchmark::DoNotOptimize(map);
    });
  });

  const std::string nr = "Scheduling/NodeResources/";
  Add(nr + "ResourceMapToNodeResources" + s, kMay, [n](benchmark::State &state) {
    const auto total = NameDoubleMap(n);
    const auto available = NameDoubleMap(n, 0.5);
    Loop(state, [&] {
      NodeResources node = ray::ResourceMapToNodeResources(total, available);
      benchmark::DoNotOptimize(node);
    });
  });
  Add(nr + "IsAvailable" + s, kNone, [n](benchmark::State &state) {
    NodeResources node(NodeTotal(n));
    ResourceRequest request(IdFixedMap(n, 0.5));
    Loop(state, [&] {
      benchmark::DoNotOptimize(node);
      benchmark::DoNotOptimize(node.IsAvailable(request));
    });
  });
  // With resources held by normal tasks: a copy of `available` is made and reduced.
  Add(nr + "IsAvailable(normal task resources)" + s, kMay, [n](benchmark::State &state) {
    NodeResources node(NodeTotal(n));
    node.normal_task_resources = Demand(n, 0.25);
    ResourceRequest request(IdFixedMap(n, 0.5));
    Loop(state, [&] {
      benchmark::DoNotOptimize(node);
      benchmark::DoNotOptimize(node.IsAvailable(request));
    });
  });
  Add(nr + "IsFeasible" + s, kNone, [n](benchmark::State &state) {
    NodeResources node(NodeTotal(n));
    ResourceRequest request(IdFixedMap(n, 0.5));
    Loop(state, [&] {
      benchmark::DoNotOptimize(node);
      benchmark::DoNotOptimize(node.IsFeasible(request));
    });
  });
  Add(nr + "CalculateCriticalResourceUtilization" + s, kNone, [n](benchmark::State &state) {
    NodeResources node(NodeTotal(n));
    node.available = NodeResourceSet(IdFixedMap(n, 0.5));
    Loop(state, [&] {
      benchmark::DoNotOptimize(node);
      benchmark::DoNotOptimize(node.CalculateCriticalResourceUtilization());
    });
  });
  Add(nr + "Equal" + s, kNone, [n](benchmark::State &state) {
    NodeResources a(NodeTotal(n));
    NodeResources b(NodeTotal(n));
    Loop(state, [&] {
      benchmark::DoNotOptimize(a);
      benchmark::DoNotOptimize(a == b);
    });
  });
  Add(nr + "DebugString" + s, kMay, [n](benchmark::State &state) {
    NodeResources node(NodeTotal(n));
    Loop(state, [&] {
      std::string text = node.DebugString();
      benchmark::DoNotOptimize(text);
    });
  });

  const std::string t = "Scheduling/TaskResourceInstances/";
  Add(t + "FromResourceSet" + s, kMay, [n](benchmark::State &state) {
    ResourceSet demand = Demand(n, 0.5);
    Loop(state, [&] {
      TaskResourceInstances instances(demand);
      benchmark::DoNotOptimize(instances);
    });
  });
  Add(t + "Get" + s, kNone, [n](benchmark::State &state) {
    TaskResourceInstances instances(Demand(n, 0.5));
    ResourceID id = LastId(n);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(instances.Get(id).data());
    });
  });
  Add(t + "Sum" + s, kNone, [n](benchmark::State &state) {
    TaskResourceInstances instances(Demand(n, 0.5));
    ResourceID id = LastId(n);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(instances.Sum(id));
    });
  });
  Add(t + "ToResourceSet" + s, kMay, [n](benchmark::State &state) {
    TaskResourceInstances instances(Demand(n, 0.5));
    Loop(state, [&] {
      ResourceSet set = instances.ToResourceSet();
      benchmark::DoNotOptimize(set);
    });
  });
  Add(t + "SerializeAsJson" + s, kMay, [n](benchmark::State &state) {
    TaskResourceInstances instances(Demand(n, 0.5));
    Loop(state, [&] {
      std::string json = instances.SerializeAsJson();
      benchmark::DoNotOptimize(json);
    });
  });
  Add(t + "DebugString" + s, kMay, [n](benchmark::State &state) {
    TaskResourceInstances instances(Demand(n, 0.5));
    Loop(state, [&] {
      std::string text = instances.DebugString();
      benchmark::DoNotOptimize(text);
    });
  });
}

}  // namespace

int main(int argc, char **argv) {
  AddSchedulingIds();
  for (int n : kSizes) {
    AddResourceSet(n);
  }
  for (int n : kSizes) {
    AddNodeResourceSet(n);
  }
  for (int n : kSizes) {
    AddResourceInstanceSet(n);
  }
  AddPlacementGroupUtil();
  for (int n : kSizes) {
    AddClusterResourceData(n);
  }
  return ray::bench::RunRegistered(argc, argv);
}
