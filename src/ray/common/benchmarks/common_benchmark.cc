// Google Benchmark of every public operation of Ray's migrated common types
// (Status, StatusOr, the ID family), through the public C++ API only. The
// same source is built once per implementation (common_benchmark_cc and
// common_benchmark_rust), so the two binaries differ only in what sits behind
// the headers.
//
// Benchmark names are "<component>/<subject>/<operation>" with component one
// of Status, StatusOr and ID. Every benchmark reports the harness's two
// counters (benchmark_harness.h): heap allocations per iteration, counted on
// both sides of the bridge, and whether none are expected (ID construction,
// derivation, hashing, comparison).
// The context field "ray_common_impl" names the linked implementation.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ray/common/id.h"
#include "ray/common/status.h"
#include "ray/common/status_or.h"
#include "src/ray/common/benchmarks/benchmark_harness.h"

namespace {

using ray::ActorID;
using ray::JobID;
using ray::LeaseID;
using ray::ObjectID;
using ray::PlacementGroupID;
using ray::Status;
using ray::StatusCode;
using ray::StatusOr;
using ray::TaskID;
using ray::WorkerID;

using ray::bench::Add;
using ray::bench::Alloc;
using ray::bench::Loop;
using ray::bench::NullBuffer;

// Deterministic, non-nil bytes that vary with `salt`.
std::string SampleBytes(size_t size, uint8_t salt) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<char>(static_cast<uint8_t>((i * 37 + salt * 101 + 11) % 251));
  }
  return bytes;
}

template <typename T>
T SampleId(uint8_t salt) {
  return T::FromBinary(SampleBytes(T::Size(), salt));
}

// ---------------------------------------------------------------------------
// The operations every ID type has (BaseID<T> and the DEFINE_UNIQUE_ID types).

template <typename T>
void AddIdCommon(const std::string &type) {
  const std::string prefix = "ID/" + type + "/";

  Add(prefix + "FromBinary", Alloc::kExpectNone, [](benchmark::State &state) {
    std::string binary = SampleBytes(T::Size(), 1);
    Loop(state, [&] {
      benchmark::DoNotOptimize(binary);
      T id = T::FromBinary(binary);
      benchmark::DoNotOptimize(id);
    });
  });

  Add(prefix + "FromHex", Alloc::kExpectNone, [](benchmark::State &state) {
    std::string hex = SampleId<T>(2).Hex();
    Loop(state, [&] {
      benchmark::DoNotOptimize(hex);
      T id = T::FromHex(hex);
      benchmark::DoNotOptimize(id);
    });
  });

  Add(prefix + "Hex", Alloc::kMayAllocate, [](benchmark::State &state) {
    T id = SampleId<T>(3);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      std::string hex = id.Hex();
      benchmark::DoNotOptimize(hex);
    });
  });

  Add(prefix + "Binary", Alloc::kMayAllocate, [](benchmark::State &state) {
    T id = SampleId<T>(4);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      std::string binary = id.Binary();
      benchmark::DoNotOptimize(binary);
    });
  });

  // A fresh copy of an ID whose hash was never asked for, so every iteration
  // computes MurmurHash64A.
  Add(prefix + "Hash/Uncached", Alloc::kExpectNone, [](benchmark::State &state) {
    const T base = SampleId<T>(5);
    Loop(state, [&] {
      T fresh = base;
      benchmark::DoNotOptimize(fresh);
      benchmark::DoNotOptimize(fresh.Hash());
    });
  });

  Add(prefix + "Hash/Cached", Alloc::kExpectNone, [](benchmark::State &state) {
    T id = SampleId<T>(6);
    benchmark::DoNotOptimize(id.Hash());
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(id.Hash());
    });
  });

  Add(prefix + "IsNil", Alloc::kExpectNone, [](benchmark::State &state) {
    T id = SampleId<T>(7);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(id.IsNil());
    });
  });

  Add(prefix + "Equal", Alloc::kExpectNone, [](benchmark::State &state) {
    T lhs = SampleId<T>(8);
    T rhs = lhs;
    Loop(state, [&] {
      benchmark::DoNotOptimize(lhs);
      benchmark::DoNotOptimize(rhs);
      benchmark::DoNotOptimize(lhs == rhs);
    });
  });

  Add(prefix + "Nil", Alloc::kExpectNone, [](benchmark::State &state) {
    Loop(state, [&] {
      const T &nil = T::Nil();
      benchmark::DoNotOptimize(&nil);
    });
  });

  Add(prefix + "Stream", Alloc::kMayAllocate, [](benchmark::State &state) {
    T id = SampleId<T>(9);
    NullBuffer buffer;
    std::ostream os(&buffer);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      os << id;
    });
  });

  // 64 IDs as they arrive from the wire (hash not yet cached) into a set with
  // room for them, then clear: one iteration is 64 inserts.
  Add(prefix + "UnorderedSet/Insert64", Alloc::kMayAllocate, [](benchmark::State &state) {
    std::vector<T> ids;
    for (int i = 0; i < 64; ++i) {
      ids.push_back(SampleId<T>(static_cast<uint8_t>(i + 16)));
    }
    std::unordered_set<T> set;
    set.reserve(128);
    Loop(state, [&] {
      for (const T &id : ids) {
        T fresh = id;
        benchmark::DoNotOptimize(fresh);
        set.insert(fresh);
      }
      benchmark::ClobberMemory();
      set.clear();
    });
  });

  Add(prefix + "UnorderedSet/Find", Alloc::kExpectNone, [](benchmark::State &state) {
    std::unordered_set<T> set;
    for (int i = 0; i < 64; ++i) {
      set.insert(SampleId<T>(static_cast<uint8_t>(i + 16)));
    }
    const T key = SampleId<T>(16 + 17);
    Loop(state, [&] {
      T fresh = key;
      benchmark::DoNotOptimize(fresh);
      benchmark::DoNotOptimize(set.find(fresh));
    });
  });
}

template <typename T>
void AddFromRandom(const std::string &type) {
  Add("ID/" + type + "/FromRandom", Alloc::kExpectNone, [](benchmark::State &state) {
    Loop(state, [&] {
      T id = T::FromRandom();
      benchmark::DoNotOptimize(id);
    });
  });
}

template <typename T>
void AddOpaqueId(const std::string &type) {
  AddIdCommon<T>(type);
  AddFromRandom<T>(type);
}

void AddIds() {
  AddOpaqueId<ray::UniqueID>("UniqueID");
#define DEFINE_UNIQUE_ID(type) AddOpaqueId<ray::type>(#type);
#include "ray/common/id_def.h"
#undef DEFINE_UNIQUE_ID
  AddIdCommon<JobID>("JobID");
  AddIdCommon<ActorID>("ActorID");
  AddIdCommon<TaskID>("TaskID");
  AddOpaqueId<ObjectID>("ObjectID");
  AddIdCommon<PlacementGroupID>("PlacementGroupID");
  AddOpaqueId<LeaseID>("LeaseID");
}

// ---------------------------------------------------------------------------
// Derivations: the structured IDs built from other IDs.

struct Family {
  JobID job = JobID::FromInt(0x01020304);
  TaskID driver = TaskID::ForDriverTask(job);
  ActorID actor = ActorID::Of(job, driver, 1);
  TaskID task = TaskID::ForNormalTask(job, driver, 3);
  TaskID actor_task = TaskID::ForActorTask(job, driver, 5, actor);
  ObjectID object = ObjectID::FromIndex(task, 2);
  ObjectID handle = ObjectID::ForActorHandle(actor);
  PlacementGroupID group = PlacementGroupID::Of(job);
  WorkerID worker = SampleId<WorkerID>(40);
  LeaseID lease = LeaseID::FromWorker(worker, 11);
};

// Registers "ID/Derive/<name>": `op(family)` once per iteration, its result
// kept alive.
template <typename Op>
void AddDerivation(const std::string &name, Alloc alloc, Op op) {
  Add("ID/Derive/" + name, alloc, [op](benchmark::State &state) {
    Family family;
    Loop(state, [&] {
      benchmark::DoNotOptimize(family);
      auto result = op(family);
      benchmark::DoNotOptimize(result);
    });
  });
}

void AddDerivations() {
  const auto none = Alloc::kExpectNone;
  AddDerivation("JobID::FromInt", none, [](Family &f) {
    uint32_t value = f.lease.Data()[0] + 0x01020300u;
    return JobID::FromInt(value);
  });
  AddDerivation("JobID::ToInt", none, [](Family &f) { return f.job.ToInt(); });
  AddDerivation("ActorID::Of", none, [](Family &f) { return ActorID::Of(f.job, f.driver, 7); });
  AddDerivation(
      "ActorID::NilFromJob", none, [](Family &f) { return ActorID::NilFromJob(f.job); });
  AddDerivation("ActorID::JobId", none, [](Family &f) { return f.actor.JobId(); });
  AddDerivation(
      "TaskID::ForDriverTask", none, [](Family &f) { return TaskID::ForDriverTask(f.job); });
  AddDerivation("TaskID::ComputeDriverTaskId", none, [](Family &f) {
    return TaskID::ComputeDriverTaskId(f.worker);
  });
  AddDerivation(
      "TaskID::FromRandom", none, [](Family &f) { return TaskID::FromRandom(f.job); });
  AddDerivation("TaskID::ForActorCreationTask", none, [](Family &f) {
    return TaskID::ForActorCreationTask(f.actor);
  });
  AddDerivation("TaskID::ForActorTask", none, [](Family &f) {
    return TaskID::ForActorTask(f.job, f.driver, 5, f.actor);
  });
  AddDerivation("TaskID::ForNormalTask", none, [](Family &f) {
    return TaskID::ForNormalTask(f.job, f.driver, 3);
  });
  AddDerivation("TaskID::ForExecutionAttempt", none, [](Family &f) {
    return TaskID::ForExecutionAttempt(f.task, 2);
  });
  AddDerivation("TaskID::ActorId", none, [](Family &f) { return f.actor_task.ActorId(); });
  AddDerivation("TaskID::JobId", none, [](Family &f) { return f.actor_task.JobId(); });
  AddDerivation("TaskID::IsForActorCreationTask", none, [](Family &f) {
    return f.actor_task.IsForActorCreationTask();
  });
  AddDerivation(
      "ObjectID::FromIndex", none, [](Family &f) { return ObjectID::FromIndex(f.task, 2); });
  AddDerivation("ObjectID::TaskId", none, [](Family &f) { return f.object.TaskId(); });
  AddDerivation("ObjectID::ObjectIndex", none, [](Family &f) { return f.object.ObjectIndex(); });
  AddDerivation("ObjectID::ForActorHandle", none, [](Family &f) {
    return ObjectID::ForActorHandle(f.actor);
  });
  AddDerivation(
      "ObjectID::IsActorID", none, [](Family &f) { return ObjectID::IsActorID(f.handle); });
  AddDerivation(
      "ObjectID::ToActorID", none, [](Family &f) { return ObjectID::ToActorID(f.handle); });
  AddDerivation(
      "PlacementGroupID::Of", none, [](Family &f) { return PlacementGroupID::Of(f.job); });
  AddDerivation("PlacementGroupID::JobId", none, [](Family &f) { return f.group.JobId(); });
  AddDerivation("LeaseID::FromWorker", none, [](Family &f) {
    return LeaseID::FromWorker(f.worker, 11);
  });
  AddDerivation("LeaseID::WorkerId", none, [](Family &f) { return f.lease.WorkerId(); });
  AddDerivation("ComputeDriverIdFromJob", none, [](Family &f) {
    return ray::ComputeDriverIdFromJob(f.job);
  });
  // Ray asks for at most 12 bytes (ActorID), which fits std::string's inline
  // buffer: no allocation is needed.
  AddDerivation("GenerateUniqueBytes", none, [](Family &f) {
    return ray::GenerateUniqueBytes(f.job, f.driver, 3, 0, 12);
  });

  for (int size : {28, 64, 1024}) {
    Add("ID/MurmurHash64A/" + std::to_string(size),
        Alloc::kExpectNone,
        [size](benchmark::State &state) {
          std::string data = SampleBytes(static_cast<size_t>(size), 12);
          Loop(state, [&] {
            benchmark::DoNotOptimize(data);
            benchmark::DoNotOptimize(ray::MurmurHash64A(data.data(), size, 0));
          });
        });
  }
}

// ---------------------------------------------------------------------------
// Status.

// Long enough not to fit std::string's inline buffer, as most of Ray's are.
const char kMessage[] = "object 3f9a0c1e77b2 was not found in the local object store";

using Factory = Status (*)(const std::string &);

void AddStatusFactories() {
  const std::pair<const char *, Factory> factories[] = {
      {"OutOfMemory", &Status::OutOfMemory},
      {"KeyError", &Status::KeyError},
      {"ObjectRefEndOfStream", &Status::ObjectRefEndOfStream},
      {"TypeError", &Status::TypeError},
      {"UnknownError", &Status::UnknownError},
      {"NotImplemented", &Status::NotImplemented},
      {"Invalid", &Status::Invalid},
      {"IOError", &Status::IOError},
      {"InvalidArgument", &Status::InvalidArgument},
      {"RedisError", &Status::RedisError},
      {"TimedOut", &Status::TimedOut},
      {"Interrupted", &Status::Interrupted},
      {"IntentionalSystemExit", &Status::IntentionalSystemExit},
      {"UnexpectedSystemExit", &Status::UnexpectedSystemExit},
      {"CreationTaskError", &Status::CreationTaskError},
      {"NotFound", &Status::NotFound},
      {"Disconnected", &Status::Disconnected},
      {"SchedulingCancelled", &Status::SchedulingCancelled},
      {"AlreadyExists", &Status::AlreadyExists},
      {"ObjectExists", &Status::ObjectExists},
      {"ObjectNotFound", &Status::ObjectNotFound},
      {"ObjectUnknownOwner", &Status::ObjectUnknownOwner},
      {"ObjectAlreadySealed", &Status::ObjectAlreadySealed},
      {"ObjectStoreFull", &Status::ObjectStoreFull},
      {"TransientObjectStoreFull", &Status::TransientObjectStoreFull},
      {"OutOfDisk", &Status::OutOfDisk},
      {"OutOfResource", &Status::OutOfResource},
      {"Unauthenticated", &Status::Unauthenticated},
      {"ChannelError", &Status::ChannelError},
      {"ChannelTimeoutError", &Status::ChannelTimeoutError},
      {"PermissionDenied", &Status::PermissionDenied},
      {"GcsPassive", &Status::GcsPassive},
  };
  for (const auto &[name, factory] : factories) {
    // Construction and destruction of an error Status.
    Add(std::string("Status/Factory/") + name,
        Alloc::kMayAllocate,
        [factory = factory](benchmark::State &state) {
          std::string message = kMessage;
          Loop(state, [&] {
            benchmark::DoNotOptimize(message);
            Status status = factory(message);
            benchmark::DoNotOptimize(status);
          });
        });
  }
  Add("Status/Factory/RpcError", Alloc::kMayAllocate, [](benchmark::State &state) {
    std::string message = kMessage;
    Loop(state, [&] {
      benchmark::DoNotOptimize(message);
      Status status = Status::RpcError(message, 14);
      benchmark::DoNotOptimize(status);
    });
  });
  Add("Status/Factory/NotFound(short message)",
      Alloc::kMayAllocate,
      [](benchmark::State &state) {
        std::string message = "no such key";
        Loop(state, [&] {
          benchmark::DoNotOptimize(message);
          Status status = Status::NotFound(message);
          benchmark::DoNotOptimize(status);
        });
      });
  Add("Status/Construct/WithLocation", Alloc::kMayAllocate, [](benchmark::State &state) {
    std::string message = kMessage;
    Loop(state, [&] {
      benchmark::DoNotOptimize(message);
      Status status(StatusCode::IOError, message, RAY_LOC());
      benchmark::DoNotOptimize(status);
    });
  });
}

void AddStatus() {
  Add("Status/OK", Alloc::kExpectNone, [](benchmark::State &state) {
    Loop(state, [&] {
      Status status = Status::OK();
      benchmark::DoNotOptimize(status);
    });
  });
  AddStatusFactories();

  Add("Status/Copy", Alloc::kMayAllocate, [](benchmark::State &state) {
    Status source = Status::NotFound(kMessage);
    Loop(state, [&] {
      benchmark::DoNotOptimize(source);
      Status copy(source);
      benchmark::DoNotOptimize(copy);
    });
  });
  Add("Status/Copy(OK)", Alloc::kExpectNone, [](benchmark::State &state) {
    Status source = Status::OK();
    Loop(state, [&] {
      benchmark::DoNotOptimize(source);
      Status copy(source);
      benchmark::DoNotOptimize(copy);
    });
  });
  Add("Status/CopyAssign", Alloc::kMayAllocate, [](benchmark::State &state) {
    Status source = Status::NotFound(kMessage);
    Status target = Status::Invalid(kMessage);
    Loop(state, [&] {
      benchmark::DoNotOptimize(source);
      target = source;
      benchmark::DoNotOptimize(target);
    });
  });
  // Two moves per iteration: there and back.
  Add("Status/Move(x2)", Alloc::kExpectNone, [](benchmark::State &state) {
    Status status = Status::NotFound(kMessage);
    Loop(state, [&] {
      Status moved(std::move(status));
      benchmark::DoNotOptimize(moved);
      status = std::move(moved);
      benchmark::DoNotOptimize(status);
    });
  });

  const std::pair<const char *, Status (*)()> to_string_cases[] = {
      {"ToString", [] { return Status::NotFound(kMessage); }},
      {"ToString(OK)", [] { return Status::OK(); }},
      {"ToString(rpc)", [] { return Status::RpcError(kMessage, 14); }},
      {"ToString(location)",
       [] { return Status(StatusCode::IOError, kMessage, RAY_LOC()); }},
  };
  for (const auto &[name, make] : to_string_cases) {
    Add(std::string("Status/") + name, Alloc::kMayAllocate, [make = make](benchmark::State &state) {
      Status status = make();
      Loop(state, [&] {
        benchmark::DoNotOptimize(status);
        std::string text = status.ToString();
        benchmark::DoNotOptimize(text);
      });
    });
  }

  Add("Status/CodeAsString", Alloc::kMayAllocate, [](benchmark::State &state) {
    Status status = Status::ObjectNotFound(kMessage);
    Loop(state, [&] {
      benchmark::DoNotOptimize(status);
      std::string text = status.CodeAsString();
      benchmark::DoNotOptimize(text);
    });
  });
  const std::pair<const char *, const char *> lookups[] = {
      {"StringToCode(hit)", "ObjectNotFound"},
      {"StringToCode(miss)", "NoSuchStatusCode"},
  };
  for (const auto &[name, text] : lookups) {
    Add(std::string("Status/") + name, Alloc::kExpectNone, [text = text](benchmark::State &state) {
      std::string input = text;
      Loop(state, [&] {
        benchmark::DoNotOptimize(input);
        benchmark::DoNotOptimize(Status::StringToCode(input));
      });
    });
  }

  Add("Status/message", Alloc::kMayAllocate, [](benchmark::State &state) {
    Status status = Status::NotFound(kMessage);
    Loop(state, [&] {
      benchmark::DoNotOptimize(status);
      std::string message = status.message();
      benchmark::DoNotOptimize(message);
    });
  });
  Add("Status/code", Alloc::kExpectNone, [](benchmark::State &state) {
    Status status = Status::NotFound(kMessage);
    Loop(state, [&] {
      benchmark::DoNotOptimize(status);
      benchmark::DoNotOptimize(status.code());
    });
  });
  Add("Status/rpc_code", Alloc::kExpectNone, [](benchmark::State &state) {
    Status status = Status::RpcError(kMessage, 14);
    Loop(state, [&] {
      benchmark::DoNotOptimize(status);
      benchmark::DoNotOptimize(status.rpc_code());
    });
  });
  Add("Status/ok", Alloc::kExpectNone, [](benchmark::State &state) {
    Status status = Status::NotFound(kMessage);
    Loop(state, [&] {
      benchmark::DoNotOptimize(status);
      benchmark::DoNotOptimize(status.ok());
    });
  });
  Add("Status/IsNotFound", Alloc::kExpectNone, [](benchmark::State &state) {
    Status status = Status::NotFound(kMessage);
    Loop(state, [&] {
      benchmark::DoNotOptimize(status);
      benchmark::DoNotOptimize(status.IsNotFound());
    });
  });

  // operator<< appends to the message; each iteration builds a fresh Status
  // (as `return Status::IOError(...) << ...` does), so the message does not
  // grow across iterations.
  Add("Status/Append(string)", Alloc::kMayAllocate, [](benchmark::State &state) {
    std::string message = kMessage;
    std::string detail = " while pinning the object's primary copy";
    Loop(state, [&] {
      benchmark::DoNotOptimize(message);
      benchmark::DoNotOptimize(detail);
      Status status = Status::IOError(message);
      status << detail;
      benchmark::DoNotOptimize(status);
    });
  });
  Add("Status/Append(int)", Alloc::kMayAllocate, [](benchmark::State &state) {
    std::string message = kMessage;
    int64_t value = -1234567;
    Loop(state, [&] {
      benchmark::DoNotOptimize(message);
      benchmark::DoNotOptimize(value);
      Status status = Status::IOError(message);
      status << value;
      benchmark::DoNotOptimize(status);
    });
  });
  Add("Status/Stream", Alloc::kMayAllocate, [](benchmark::State &state) {
    Status status = Status::NotFound(kMessage);
    NullBuffer buffer;
    std::ostream os(&buffer);
    Loop(state, [&] {
      benchmark::DoNotOptimize(status);
      os << status;
    });
  });
}

// ---------------------------------------------------------------------------
// StatusOr.

void AddStatusOr() {
  Add("StatusOr/FromValue(int)", Alloc::kExpectNone, [](benchmark::State &state) {
    int value = 42;
    Loop(state, [&] {
      benchmark::DoNotOptimize(value);
      StatusOr<int> result(value);
      benchmark::DoNotOptimize(result);
    });
  });
  Add("StatusOr/FromValue(string)", Alloc::kMayAllocate, [](benchmark::State &state) {
    std::string value = kMessage;
    Loop(state, [&] {
      benchmark::DoNotOptimize(value);
      StatusOr<std::string> result(value);
      benchmark::DoNotOptimize(result);
    });
  });
  Add("StatusOr/FromValue(ObjectID)", Alloc::kExpectNone, [](benchmark::State &state) {
    ObjectID id = SampleId<ObjectID>(50);
    Loop(state, [&] {
      benchmark::DoNotOptimize(id);
      StatusOr<ObjectID> result(id);
      benchmark::DoNotOptimize(result);
    });
  });
  Add("StatusOr/FromError", Alloc::kMayAllocate, [](benchmark::State &state) {
    std::string message = kMessage;
    Loop(state, [&] {
      benchmark::DoNotOptimize(message);
      StatusOr<int> result(Status::NotFound(message));
      benchmark::DoNotOptimize(result);
    });
  });
  Add("StatusOr/value", Alloc::kExpectNone, [](benchmark::State &state) {
    StatusOr<int> result(42);
    Loop(state, [&] {
      benchmark::DoNotOptimize(result);
      benchmark::DoNotOptimize(result.value());
    });
  });
  Add("StatusOr/value_or(ok)", Alloc::kExpectNone, [](benchmark::State &state) {
    StatusOr<int> result(42);
    Loop(state, [&] {
      benchmark::DoNotOptimize(result);
      benchmark::DoNotOptimize(result.value_or(7));
    });
  });
  Add("StatusOr/value_or(error)", Alloc::kExpectNone, [](benchmark::State &state) {
    StatusOr<int> result(Status::NotFound(kMessage));
    Loop(state, [&] {
      benchmark::DoNotOptimize(result);
      benchmark::DoNotOptimize(result.value_or(7));
    });
  });
  Add("StatusOr/ok", Alloc::kExpectNone, [](benchmark::State &state) {
    StatusOr<int> result(Status::NotFound(kMessage));
    Loop(state, [&] {
      benchmark::DoNotOptimize(result);
      benchmark::DoNotOptimize(result.ok());
    });
  });
  Add("StatusOr/status", Alloc::kExpectNone, [](benchmark::State &state) {
    StatusOr<int> result(Status::NotFound(kMessage));
    Loop(state, [&] {
      benchmark::DoNotOptimize(result);
      const Status &status = result.status();
      benchmark::DoNotOptimize(&status);
    });
  });
  Add("StatusOr/Copy(value)", Alloc::kMayAllocate, [](benchmark::State &state) {
    StatusOr<std::string> source{std::string(kMessage)};
    Loop(state, [&] {
      benchmark::DoNotOptimize(source);
      StatusOr<std::string> copy(source);
      benchmark::DoNotOptimize(copy);
    });
  });
  Add("StatusOr/Copy(error)", Alloc::kMayAllocate, [](benchmark::State &state) {
    StatusOr<std::string> source(Status::NotFound(kMessage));
    Loop(state, [&] {
      benchmark::DoNotOptimize(source);
      StatusOr<std::string> copy(source);
      benchmark::DoNotOptimize(copy);
    });
  });
  // Two moves per iteration: there and back.
  Add("StatusOr/Move(value,x2)", Alloc::kExpectNone, [](benchmark::State &state) {
    StatusOr<std::string> result{std::string(kMessage)};
    Loop(state, [&] {
      StatusOr<std::string> moved(std::move(result));
      benchmark::DoNotOptimize(moved);
      result = std::move(moved);
      benchmark::DoNotOptimize(result);
    });
  });
  // Moving keeps the source's status, so an error StatusOr is copied.
  Add("StatusOr/Move(error,x2)", Alloc::kMayAllocate, [](benchmark::State &state) {
    StatusOr<std::string> result(Status::NotFound(kMessage));
    Loop(state, [&] {
      StatusOr<std::string> moved(std::move(result));
      benchmark::DoNotOptimize(moved);
      result = std::move(moved);
      benchmark::DoNotOptimize(result);
    });
  });
}

}  // namespace

int main(int argc, char **argv) {
  AddIds();
  AddDerivations();
  AddStatus();
  AddStatusOr();
  return ray::bench::RunRegistered(argc, argv);
}
