#include "ray/common/id.h"

#include <cstdlib>
#include <string_view>
#include <tuple>

namespace ray {

namespace id_internal {

struct Bridge {
  template <typename B, typename T>
  static B To(const T &id) {
    static_assert(std::tuple_size<decltype(B::bytes)>::value == T::Size(), "size");
    B out;
    std::memcpy(out.bytes.data(), id.Data(), T::Size());
    return out;
  }

  template <typename T, typename B>
  static T From(const B &bytes) {
    static_assert(std::tuple_size<decltype(B::bytes)>::value == T::Size(), "size");
    T id;
    std::memcpy(id.MutableData(), bytes.bytes.data(), T::Size());
    return id;
  }
};

}  // namespace id_internal

namespace {

using id_internal::Bridge;

::rust::Slice<const uint8_t> Bytes(const std::string &text) {
  return {reinterpret_cast<const uint8_t *>(text.data()), text.size()};
}

std::string_view Text(const ::rust::Vec<uint8_t> &bytes) {
  return std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size());
}

// Logs a failed RAY_CHECK whose text Rust composed.
[[noreturn]] void FailCheck(const std::string &text) {
  RAY_LOG(FATAL) << text;
  std::abort();  // not reached: FATAL aborts
}

// The ID's own bytes, viewed as the bridge struct: no copy, and no store-to-load forwarding
// stall when Rust reads bytes that C++ has just copied with different access widths.
template <typename B, typename T>
const B &View(const T &id) {
  static_assert(sizeof(B) == T::Size() && alignof(B) == 1, "bytes struct layout");
  return *reinterpret_cast<const B *>(id.Data());
}

// Only the 4-byte JobID goes by value (in a register); larger IDs go by reference.
rust::JobIdBytes Of(const JobID &id) { return Bridge::To<rust::JobIdBytes>(id); }
const rust::ActorIdBytes &Of(const ActorID &id) { return View<rust::ActorIdBytes>(id); }
const rust::TaskIdBytes &Of(const TaskID &id) { return View<rust::TaskIdBytes>(id); }
const rust::ObjectIdBytes &Of(const ObjectID &id) { return View<rust::ObjectIdBytes>(id); }
const rust::PlacementGroupIdBytes &Of(const PlacementGroupID &id) {
  return View<rust::PlacementGroupIdBytes>(id);
}
const rust::LeaseIdBytes &Of(const LeaseID &id) { return View<rust::LeaseIdBytes>(id); }
const rust::UniqueIdBytes &Of(const UniqueID &id) { return View<rust::UniqueIdBytes>(id); }

template <typename T>
std::ostream &StreamId(std::ostream &os, const T &id) {
  if (id.IsNil()) {
    const ::rust::Str nil = rust::nil_id_text();
    return os.write(nil.data(), static_cast<std::streamsize>(nil.size()));
  }
  return os << id.Hex();
}

}  // namespace

namespace id_internal {

void FromBinaryInto(rust::IdKind kind, const std::string &binary, uint8_t *out, size_t size) {
  std::string failure;
  if (!rust::id_from_binary(kind, Bytes(binary), ::rust::Slice<uint8_t>(out, size), failure)) {
    FailCheck(failure);
  }
}

void ConstructFromBinary(rust::IdKind kind, const std::string &binary, uint8_t *out, size_t size) {
  std::string failure;
  if (!rust::id_constructor_from_binary(
          kind, Bytes(binary), ::rust::Slice<uint8_t>(out, size), failure)) {
    FailCheck(failure);
  }
}

void HexRejected(rust::IdKind kind, const std::string &hex, size_t size) {
  RAY_LOG(ERROR) << Text(rust::id_hex_error(kind, Bytes(hex), size));
}

void HexSizeMismatch(size_t size) {
  RAY_LOG(FATAL) << "ID of " << size << " bytes does not match its type";
  std::abort();
}

void FillRandom(rust::IdKind kind, uint8_t *out, size_t size) {
  const bool filled = rust::id_from_random(kind, ::rust::Slice<uint8_t>(out, size));
  RAY_CHECK(filled) << "this ID type has no random form";
}

}  // namespace id_internal

uint64_t MurmurHash64A(const void *key, int len, unsigned int seed) {
  // A negative length hashes nothing rather than reading out of bounds.
  const size_t size = len > 0 ? static_cast<size_t>(len) : 0;
  return rust::murmur_hash64a(static_cast<const uint8_t *>(key), size, static_cast<uint32_t>(seed));
}

std::string GenerateUniqueBytes(const JobID &job_id,
                                const TaskID &parent_task_id,
                                size_t parent_task_counter,
                                size_t extra_bytes,
                                size_t length) {
  rust::DigestBytes digest{};
  std::string failure;
  if (!rust::generate_unique_bytes(Of(job_id),
                                   Of(parent_task_id),
                                   parent_task_counter,
                                   extra_bytes,
                                   length,
                                   digest,
                                   failure)) {
    FailCheck(failure);
  }
  return std::string(reinterpret_cast<const char *>(digest.bytes.data()), length);
}

WorkerID ComputeDriverIdFromJob(const JobID &job_id) {
  return Bridge::From<WorkerID>(rust::compute_driver_id_from_job(Of(job_id)));
}

const NodeID kGCSNodeID = Bridge::From<NodeID>(rust::gcs_node_id());

JobID JobID::FromInt(uint32_t value) { return Bridge::From<JobID>(rust::job_id_from_int(value)); }

uint32_t JobID::ToInt() const { return rust::job_id_to_int(Of(*this)); }

ActorID ActorID::Of(const JobID &job_id,
                    const TaskID &parent_task_id,
                    size_t parent_task_counter) {
  return Bridge::From<ActorID>(rust::actor_id_of(
      ray::Of(job_id), ray::Of(parent_task_id), parent_task_counter));
}

ActorID ActorID::NilFromJob(const JobID &job_id) {
  return Bridge::From<ActorID>(rust::actor_id_nil_from_job(ray::Of(job_id)));
}

JobID ActorID::JobId() const {
  rust::JobIdBytes job{};
  std::string failure;
  if (!rust::actor_id_job_id(ray::Of(*this), job, failure)) {
    FailCheck(failure);
  }
  return Bridge::From<JobID>(job);
}

TaskID TaskID::ComputeDriverTaskId(const WorkerID &driver_id) {
  return Bridge::From<TaskID>(rust::task_id_compute_driver_task_id(Of(driver_id)));
}

TaskID TaskID::ForDriverTask(const JobID &job_id) {
  return Bridge::From<TaskID>(rust::task_id_for_driver_task(Of(job_id)));
}

TaskID TaskID::FromRandom(const JobID &job_id) {
  return Bridge::From<TaskID>(rust::task_id_from_random(Of(job_id)));
}

TaskID TaskID::ForActorCreationTask(const ActorID &actor_id) {
  return Bridge::From<TaskID>(rust::task_id_for_actor_creation_task(Of(actor_id)));
}

TaskID TaskID::ForActorTask(const JobID &job_id,
                            const TaskID &parent_task_id,
                            size_t parent_task_counter,
                            const ActorID &actor_id) {
  return Bridge::From<TaskID>(rust::task_id_for_actor_task(
      Of(job_id), Of(parent_task_id), parent_task_counter, Of(actor_id)));
}

TaskID TaskID::ForNormalTask(const JobID &job_id,
                             const TaskID &parent_task_id,
                             size_t parent_task_counter) {
  return Bridge::From<TaskID>(
      rust::task_id_for_normal_task(Of(job_id), Of(parent_task_id), parent_task_counter));
}

TaskID TaskID::ForExecutionAttempt(const TaskID &task_id, uint64_t attempt_number) {
  return Bridge::From<TaskID>(rust::task_id_for_execution_attempt(Of(task_id), attempt_number));
}

ActorID TaskID::ActorId() const {
  return Bridge::From<ActorID>(rust::task_id_actor_id(Of(*this)));
}

bool TaskID::IsForActorCreationTask() const {
  return rust::task_id_is_for_actor_creation_task(Of(*this));
}

JobID TaskID::JobId() const {
  rust::JobIdBytes job{};
  std::string failure;
  if (!rust::task_id_job_id(Of(*this), job, failure)) {
    FailCheck(failure);
  }
  return Bridge::From<JobID>(job);
}

ObjectIDIndexType ObjectID::ObjectIndex() const { return rust::object_id_index(Of(*this)); }

TaskID ObjectID::TaskId() const {
  return Bridge::From<TaskID>(rust::object_id_task_id(Of(*this)));
}

ObjectID ObjectID::FromIndex(const TaskID &task_id, ObjectIDIndexType index) {
  rust::ObjectIdBytes object{};
  std::string failure;
  if (!rust::object_id_from_index(Of(task_id), index, object, failure)) {
    FailCheck(failure);
  }
  return Bridge::From<ObjectID>(object);
}

ObjectID ObjectID::FromRandom() { return Bridge::From<ObjectID>(rust::object_id_from_random()); }

ObjectID ObjectID::ForActorHandle(const ActorID &actor_id) {
  return Bridge::From<ObjectID>(rust::object_id_for_actor_handle(Of(actor_id)));
}

bool ObjectID::IsActorID(const ObjectID &object_id) {
  return rust::object_id_is_actor_id(Of(object_id));
}

ActorID ObjectID::ToActorID(const ObjectID &object_id) {
  return Bridge::From<ActorID>(rust::object_id_to_actor_id(Of(object_id)));
}

PlacementGroupID PlacementGroupID::Of(const JobID &job_id) {
  return Bridge::From<PlacementGroupID>(rust::placement_group_id_of(ray::Of(job_id)));
}

JobID PlacementGroupID::JobId() const {
  rust::JobIdBytes job{};
  std::string failure;
  if (!rust::placement_group_id_job_id(ray::Of(*this), job, failure)) {
    FailCheck(failure);
  }
  return Bridge::From<JobID>(job);
}

LeaseID LeaseID::FromWorker(const WorkerID &worker_id, uint32_t counter) {
  return Bridge::From<LeaseID>(rust::lease_id_from_worker(Of(worker_id), counter));
}

LeaseID LeaseID::FromRandom() { return Bridge::From<LeaseID>(rust::lease_id_from_random()); }

WorkerID LeaseID::WorkerId() const {
  return Bridge::From<WorkerID>(rust::lease_id_worker_id(Of(*this)));
}

std::ostream &operator<<(std::ostream &os, const UniqueID &id) { return StreamId(os, id); }
std::ostream &operator<<(std::ostream &os, const JobID &id) { return StreamId(os, id); }
std::ostream &operator<<(std::ostream &os, const ActorID &id) { return StreamId(os, id); }
std::ostream &operator<<(std::ostream &os, const TaskID &id) { return StreamId(os, id); }
std::ostream &operator<<(std::ostream &os, const ObjectID &id) { return StreamId(os, id); }
std::ostream &operator<<(std::ostream &os, const PlacementGroupID &id) {
  return StreamId(os, id);
}
std::ostream &operator<<(std::ostream &os, const LeaseID &id) { return StreamId(os, id); }

}  // namespace ray
