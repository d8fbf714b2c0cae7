#include "ray/common/id.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "ray/thirdparty/sha256.h"

namespace ray {

uint64_t MurmurHash64A(const void *key, int len, unsigned int seed) {
  constexpr uint64_t m = 0xc6a4a7935bd1e995ULL;
  constexpr int r = 47;

  const uint8_t *data = static_cast<const uint8_t *>(key);
  const size_t length = len > 0 ? static_cast<size_t>(len) : 0;
  uint64_t h = static_cast<uint64_t>(seed) ^ (static_cast<uint64_t>(len) * m);

  const size_t full_blocks = length / 8;
  for (size_t i = 0; i < full_blocks; ++i) {
    uint64_t k;
    // Blocks are read in native byte order, as the reference algorithm does.
    std::memcpy(&k, data + 8 * i, sizeof(k));
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
  }

  const uint8_t *tail = data + 8 * full_blocks;
  const size_t tail_len = length & 7;
  if (tail_len > 0) {
    for (size_t i = 0; i < tail_len; ++i) {
      h ^= static_cast<uint64_t>(tail[i]) << (8 * i);
    }
    h *= m;
  }

  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

namespace id_internal {

namespace {

std::mt19937_64 &ThreadLocalEngine() {
  thread_local std::mt19937_64 engine([] {
    std::random_device device;
    std::seed_seq seed{device(),
                       device(),
                       device(),
                       device(),
                       static_cast<unsigned int>(
                           std::chrono::steady_clock::now().time_since_epoch().count())};
    return std::mt19937_64(seed);
  }());
  return engine;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

void FillRandomBytes(uint8_t *data, size_t len) {
  std::mt19937_64 &engine = ThreadLocalEngine();
  std::uniform_int_distribution<int> byte_dist(0, 254);
  for (size_t i = 0; i < len; ++i) {
    data[i] = static_cast<uint8_t>(byte_dist(engine));
  }
}

bool DecodeHex(const std::string &hex, uint8_t *out, size_t len) {
  if (hex.size() != 2 * len) {
    return false;
  }
  for (size_t i = 0; i < len; ++i) {
    const int high = HexValue(hex[2 * i]);
    const int low = HexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return false;
    }
    out[i] = static_cast<uint8_t>((high << 4) | low);
  }
  return true;
}

std::string EncodeHex(const uint8_t *data, size_t len) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string result(2 * len, '0');
  for (size_t i = 0; i < len; ++i) {
    result[2 * i] = kDigits[data[i] >> 4];
    result[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return result;
}

}  // namespace id_internal

namespace {

std::string Bytes(const uint8_t *data, size_t len) {
  return std::string(reinterpret_cast<const char *>(data), len);
}

std::string RandomBytes(size_t len) {
  std::string bytes(len, '\0');
  id_internal::FillRandomBytes(reinterpret_cast<uint8_t *>(&bytes[0]), len);
  return bytes;
}

template <typename Int>
std::string HostOrderBytes(Int value) {
  std::string bytes(sizeof(value), '\0');
  std::memcpy(&bytes[0], &value, sizeof(value));
  return bytes;
}

}  // namespace

std::string GenerateUniqueBytes(const JobID &job_id,
                                const TaskID &parent_task_id,
                                size_t parent_task_counter,
                                size_t extra_bytes,
                                size_t length) {
  RAY_CHECK(length <= kSha256DigestSize)
      << "length " << length << " exceeds the SHA-256 digest size";
  Sha256Context context;
  context.Update(job_id.Data(), JobID::Size());
  context.Update(parent_task_id.Data(), TaskID::Size());
  context.Update(&parent_task_counter, sizeof(parent_task_counter));
  if (extra_bytes != 0) {
    context.Update(&extra_bytes, sizeof(extra_bytes));
  }
  uint8_t digest[kSha256DigestSize];
  context.Final(digest);
  return Bytes(digest, length);
}

WorkerID ComputeDriverIdFromJob(const JobID &job_id) {
  std::string data = job_id.Binary();
  data.append(kUniqueIDSize - JobID::Size(), '\xff');
  return WorkerID::FromBinary(data);
}

const NodeID kGCSNodeID = NodeID::FromBinary(std::string(kUniqueIDSize, '\0'));

JobID JobID::FromInt(uint32_t value) {
  return JobID::FromBinary(HostOrderBytes(value));
}

uint32_t JobID::ToInt() const {
  uint32_t value;
  std::memcpy(&value, Data(), sizeof(value));
  return value;
}

ActorID ActorID::Of(const JobID &job_id,
                    const TaskID &parent_task_id,
                    size_t parent_task_counter) {
  // Mixing in the time makes repeated calls with equal inputs differ.
  const auto now_nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  std::string data = GenerateUniqueBytes(job_id,
                                         parent_task_id,
                                         parent_task_counter,
                                         static_cast<size_t>(now_nanos),
                                         kUniqueBytesLength);
  data += job_id.Binary();
  return ActorID::FromBinary(data);
}

ActorID ActorID::NilFromJob(const JobID &job_id) {
  std::string data(kUniqueBytesLength, '\xff');
  data += job_id.Binary();
  return ActorID::FromBinary(data);
}

JobID ActorID::JobId() const {
  RAY_CHECK(!IsNil());
  return JobID::FromBinary(Bytes(Data() + kUniqueBytesLength, JobID::kLength));
}

TaskID TaskID::ComputeDriverTaskId(const WorkerID &driver_id) {
  return TaskID::FromBinary(Bytes(driver_id.Data(), TaskID::Size()));
}

TaskID TaskID::ForDriverTask(const JobID &job_id) {
  std::string data(kUniqueBytesLength, '\xff');
  data += ActorID::NilFromJob(job_id).Binary();
  return TaskID::FromBinary(data);
}

TaskID TaskID::FromRandom(const JobID &job_id) {
  std::string data = RandomBytes(TaskID::Size() - JobID::Size());
  data += job_id.Binary();
  return TaskID::FromBinary(data);
}

TaskID TaskID::ForActorCreationTask(const ActorID &actor_id) {
  std::string data(kUniqueBytesLength, '\xff');
  data += actor_id.Binary();
  return TaskID::FromBinary(data);
}

TaskID TaskID::ForActorTask(const JobID &job_id,
                            const TaskID &parent_task_id,
                            size_t parent_task_counter,
                            const ActorID &actor_id) {
  std::string data = GenerateUniqueBytes(
      job_id, parent_task_id, parent_task_counter, 0, kUniqueBytesLength);
  data += actor_id.Binary();
  return TaskID::FromBinary(data);
}

TaskID TaskID::ForNormalTask(const JobID &job_id,
                             const TaskID &parent_task_id,
                             size_t parent_task_counter) {
  std::string data = GenerateUniqueBytes(
      job_id, parent_task_id, parent_task_counter, 0, kUniqueBytesLength);
  data += ActorID::NilFromJob(job_id).Binary();
  return TaskID::FromBinary(data);
}

TaskID TaskID::ForExecutionAttempt(const TaskID &task_id, uint64_t attempt_number) {
  uint64_t unique;
  static_assert(sizeof(unique) == kUniqueBytesLength, "unique bytes are one uint64");
  std::memcpy(&unique, task_id.Data(), sizeof(unique));
  unique = (unique & ~uint64_t{0xff}) + attempt_number;
  std::string data = HostOrderBytes(unique);
  data.append(reinterpret_cast<const char *>(task_id.Data()) + kUniqueBytesLength,
              ActorID::kLength);
  return TaskID::FromBinary(data);
}

ActorID TaskID::ActorId() const {
  return ActorID::FromBinary(Bytes(Data() + kUniqueBytesLength, ActorID::kLength));
}

bool TaskID::IsForActorCreationTask() const {
  const uint8_t *data = Data();
  const bool unique_all_ff =
      std::all_of(data, data + kUniqueBytesLength, [](uint8_t b) { return b == 0xff; });
  return unique_all_ff && !ActorId().IsNil();
}

JobID TaskID::JobId() const { return ActorId().JobId(); }

ObjectIDIndexType ObjectID::ObjectIndex() const {
  ObjectIDIndexType index;
  std::memcpy(&index, Data() + TaskID::kLength, sizeof(index));
  return index;
}

TaskID ObjectID::TaskId() const {
  return TaskID::FromBinary(Bytes(Data(), TaskID::kLength));
}

ObjectID ObjectID::FromIndex(const TaskID &task_id, ObjectIDIndexType index) {
  RAY_CHECK(index >= 1 && index <= kMaxObjectIndex) << "index=" << index;
  std::string data = task_id.Binary();
  data += HostOrderBytes(index);
  return ObjectID::FromBinary(data);
}

ObjectID ObjectID::FromRandom() {
  std::string data = RandomBytes(TaskID::kLength);
  data += HostOrderBytes(ObjectIDIndexType{0});
  return ObjectID::FromBinary(data);
}

ObjectID ObjectID::ForActorHandle(const ActorID &actor_id) {
  return ObjectID::FromIndex(TaskID::ForActorCreationTask(actor_id), 1);
}

bool ObjectID::IsActorID(const ObjectID &object_id) {
  const uint8_t *data = object_id.Data();
  return std::all_of(
      data, data + TaskID::kUniqueBytesLength, [](uint8_t b) { return b == 0xff; });
}

ActorID ObjectID::ToActorID(const ObjectID &object_id) {
  return ActorID::FromBinary(
      Bytes(object_id.Data() + TaskID::kUniqueBytesLength, ActorID::kLength));
}

PlacementGroupID PlacementGroupID::Of(const JobID &job_id) {
  std::string data = RandomBytes(kUniqueBytesLength);
  data += job_id.Binary();
  return PlacementGroupID::FromBinary(data);
}

JobID PlacementGroupID::JobId() const {
  RAY_CHECK(!IsNil());
  return JobID::FromBinary(Bytes(Data() + kUniqueBytesLength, JobID::kLength));
}

LeaseID LeaseID::FromWorker(const WorkerID &worker_id, uint32_t counter) {
  std::string data = HostOrderBytes(counter);
  data += worker_id.Binary();
  return LeaseID::FromBinary(data);
}

LeaseID LeaseID::FromRandom() { return BaseID<LeaseID>::FromRandom(); }

WorkerID LeaseID::WorkerId() const {
  return WorkerID::FromBinary(Bytes(Data() + kUniqueBytesLength, kUniqueIDSize));
}

namespace {

template <typename T>
std::ostream &StreamId(std::ostream &os, const T &id) {
  if (id.IsNil()) {
    return os << "NIL_ID";
  }
  return os << id.Hex();
}

}  // namespace

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
