// Differential fuzzer: every ID derivation (task, actor, object, lease, placement group,
// driver IDs), chained so that derived IDs feed the next derivation.
//
// Input: a shape byte choosing, per input ID, between fuzzed bytes and structured values
// (nil, driver task, nil-from-job actor), then the fuzzed bytes and integers.

#include <cstddef>
#include <cstdint>
#include <string>

#include "src/ray/common/fuzz/harness.h"
#include "src/ray/common/fuzz/input.h"

namespace ray_equiv {
namespace {

bool AllFF(const std::string &bytes, size_t from = 0) {
  return bytes.find_first_not_of('\xff', from) == std::string::npos;
}

std::string Ff(size_t n) { return std::string(n, '\xff'); }

// The IDs one derivation step works on.
struct Ids {
  std::string job, task, actor, object, worker, pg, lease;
};

// Every single-ID observation and derivation of `ids`; derived IDs come back in `next`.
void CheckAll(const Ids &ids, uint64_t counter, uint64_t attempt, uint32_t index,
              uint64_t time, uint64_t length, Ids *next) {
  const Impl &r = Ref();
  const Impl &s = Rust();

  Same("JobID::ToInt", r.JobToInt(ids.job), s.JobToInt(ids.job));
  Same("JobID::FromInt(ToInt)", r.JobFromInt(r.JobToInt(ids.job)),
       s.JobFromInt(s.JobToInt(ids.job)));
  Same("ActorID::NilFromJob", r.ActorNilFromJob(ids.job), s.ActorNilFromJob(ids.job));
  Same("TaskID::ForDriverTask", r.TaskForDriver(ids.job), s.TaskForDriver(ids.job));
  Same("ComputeDriverIdFromJob", r.ComputeDriverIdFromJob(ids.job),
       s.ComputeDriverIdFromJob(ids.job));

  if (length <= 32) {
    Same("GenerateUniqueBytes", r.GenerateUniqueBytes(ids.job, ids.task, counter, time, length),
         s.GenerateUniqueBytes(ids.job, ids.task, counter, time, length));
  } else {
    SameFatal("GenerateUniqueBytes length " + std::to_string(length), [&](const Impl &impl) {
      impl.GenerateUniqueBytes(ids.job, ids.task, counter, time, length);
    });
  }
  const IdView actor_at = r.ActorAtTime(ids.job, ids.task, counter, time);
  Same("ActorID::Of at a fixed time", actor_at, s.ActorAtTime(ids.job, ids.task, counter, time));
  // ActorID::Of reads the clock: same job suffix, and the same observations of its bytes.
  for (const Impl *impl : {&r, &s}) {
    const IdView actor_of = impl->ActorOf(ids.job, ids.task, counter);
    if (actor_of.binary.size() != 16 || actor_of.binary.compare(12, 4, ids.job) != 0) {
      Diverge(std::string("ActorID::Of shape from ") + impl->Name(), "16 bytes ending in job " +
              Hex(ids.job), Hex(actor_of.binary));
    }
    Same("ActorID::Of observations", r.IdFromBinary(IdKind::kActor, actor_of.binary),
         s.IdFromBinary(IdKind::kActor, actor_of.binary));
  }

  const IdView normal = r.TaskForNormalTask(ids.job, ids.task, counter);
  Same("TaskID::ForNormalTask", normal, s.TaskForNormalTask(ids.job, ids.task, counter));
  const IdView actor_task = r.TaskForActorTask(ids.job, ids.task, counter, ids.actor);
  Same("TaskID::ForActorTask", actor_task,
       s.TaskForActorTask(ids.job, ids.task, counter, ids.actor));
  const IdView creation = r.TaskForActorCreation(ids.actor);
  Same("TaskID::ForActorCreationTask", creation, s.TaskForActorCreation(ids.actor));
  const IdView attempt_task = r.TaskForExecutionAttempt(ids.task, attempt);
  Same("TaskID::ForExecutionAttempt", attempt_task, s.TaskForExecutionAttempt(ids.task, attempt));
  Same("TaskID::ComputeDriverTaskId", r.TaskComputeDriverTaskId(ids.worker),
       s.TaskComputeDriverTaskId(ids.worker));

  const std::string *const tasks[] = {
      &ids.task, &normal.binary, &actor_task.binary, &creation.binary, &attempt_task.binary};
  for (const std::string *task : tasks) {
    Same("TaskID::ActorId", r.TaskActorId(*task), s.TaskActorId(*task));
    Same("TaskID::IsForActorCreationTask", r.TaskIsForActorCreation(*task),
         s.TaskIsForActorCreation(*task));
    if (AllFF(task->substr(8))) {
      SameFatal("TaskID::JobId of a task with a nil actor part",
                [&](const Impl &impl) { impl.TaskJobId(*task); });
    } else {
      Same("TaskID::JobId", r.TaskJobId(*task), s.TaskJobId(*task));
    }
  }

  if (!AllFF(ids.actor)) {
    Same("ActorID::JobId", r.ActorJobId(ids.actor), s.ActorJobId(ids.actor));
  } else {
    SameFatal("ActorID::JobId of nil", [&](const Impl &impl) { impl.ActorJobId(ids.actor); });
  }
  if (!AllFF(ids.pg)) {
    Same("PlacementGroupID::JobId", r.PlacementGroupJobId(ids.pg), s.PlacementGroupJobId(ids.pg));
  } else {
    SameFatal("PlacementGroupID::JobId of nil",
              [&](const Impl &impl) { impl.PlacementGroupJobId(ids.pg); });
  }

  IdView from_index;
  if (index != 0) {
    from_index = r.ObjectFromIndex(ids.task, index);
    Same("ObjectID::FromIndex", from_index, s.ObjectFromIndex(ids.task, index));
  } else {
    SameFatal("ObjectID::FromIndex(0)",
              [&](const Impl &impl) { impl.ObjectFromIndex(ids.task, index); });
    from_index = r.ObjectFromIndex(normal.binary, 1);
  }
  const IdView handle = r.ObjectForActorHandle(ids.actor);
  Same("ObjectID::ForActorHandle", handle, s.ObjectForActorHandle(ids.actor));
  const std::string *const objects[] = {&ids.object, &from_index.binary, &handle.binary};
  for (const std::string *object : objects) {
    Same("ObjectID::ObjectIndex", r.ObjectIndex(*object), s.ObjectIndex(*object));
    Same("ObjectID::TaskId", r.ObjectTaskId(*object), s.ObjectTaskId(*object));
    Same("ObjectID::IsActorID", r.ObjectIsActorId(*object), s.ObjectIsActorId(*object));
    Same("ObjectID::ToActorID", r.ObjectToActorId(*object), s.ObjectToActorId(*object));
  }

  const IdView lease = r.LeaseFromWorker(ids.worker, static_cast<uint32_t>(counter));
  Same("LeaseID::FromWorker", lease,
       s.LeaseFromWorker(ids.worker, static_cast<uint32_t>(counter)));
  const std::string *const leases[] = {&ids.lease, &lease.binary};
  for (const std::string *l : leases) {
    Same("LeaseID::WorkerId", r.LeaseWorkerId(*l), s.LeaseWorkerId(*l));
  }

  next->job = ids.job;
  next->task = (counter & 1) ? normal.binary : actor_task.binary;
  next->actor = actor_at.binary;
  next->object = from_index.binary;
  next->worker = r.ComputeDriverIdFromJob(ids.job).binary;
  next->pg = ids.pg;
  next->lease = lease.binary;
}

}  // namespace
}  // namespace ray_equiv

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace ray_equiv;
  Case c(data, size);
  Input in(data, size);
  const uint8_t shape = in.U8();
  const uint8_t shape2 = in.U8();
  Ids ids;
  const uint32_t job_int = in.U32();
  Same("JobID::FromInt", Ref().JobFromInt(job_int), Rust().JobFromInt(job_int));
  ids.job = (shape & 1) ? Ff(4) : Ref().JobFromInt(job_int).binary;
  switch ((shape >> 1) & 3) {
  case 0:
    ids.task = in.Exact(24);
    break;
  case 1:
    ids.task = Ref().TaskForDriver(ids.job).binary;
    break;
  case 2:
    ids.task = Ff(24);
    break;
  default:
    ids.task = Ff(8) + in.Exact(16);
    break;
  }
  switch ((shape >> 3) & 3) {
  case 0:
    ids.actor = in.Exact(16);
    break;
  case 1:
    ids.actor = Ref().ActorNilFromJob(ids.job).binary;
    break;
  case 2:
    ids.actor = Ff(16);
    break;
  default:
    ids.actor = Ff(12) + in.Exact(4);
    break;
  }
  ids.object = (shape & 0x20) ? Ff(8) + in.Exact(20) : in.Exact(28);
  ids.worker = (shape & 0x40) ? Ref().ComputeDriverIdFromJob(ids.job).binary : in.Exact(28);
  ids.pg = (shape & 0x80) ? Ff(18) : in.Exact(18);
  ids.lease = in.Exact(32);
  const uint64_t counter = in.U64();
  const uint64_t attempt = (shape2 & 1) ? in.U8() : in.U64();
  const uint32_t index = (shape2 & 2) ? in.U8() % 3 : in.U32();
  const uint64_t time = (shape2 & 4) ? in.U8() : in.U64();
  const uint64_t length = in.U8() % 40;
  if (shape2 & 8) {
    Same("kGCSNodeID", Ref().GcsNodeId(), Rust().GcsNodeId());
  }

  // Two rounds: the second starts from what the first derived.
  Ids next;
  CheckAll(ids, counter, attempt, index, time, length, &next);
  if (shape2 & 0x10) {
    Ids last;
    CheckAll(next, counter + 1, attempt >> 1, index + 1, time + 1, length, &last);
  }
  return 0;
}
