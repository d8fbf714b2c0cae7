// Ray's ID types. Every ID is a fixed number of opaque bytes; the nil ID has
// every byte 0xFF. Drop-in for the C++ reference header with the same API and
// in-memory layout; hex, hashing, parsing, randomness and derivations run in
// Rust (ray-ffi over ray-common). IDs cross the bridge by value as byte
// structs, so building or deriving an ID allocates nothing.

#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "ray/common/constants.h"
#include "ray/ffi/bridge.rs.h"
#include "ray/util/logging.h"

namespace ray {

class ActorID;
class JobID;
class TaskID;
class ObjectID;
class PlacementGroupID;
class LeaseID;
class UniqueID;
class WorkerID;

using ObjectIDIndexType = uint32_t;

// Austin Appleby's MurmurHash64A (64-bit platform variant). IDs hash with
// seed 0.
uint64_t MurmurHash64A(const void *key, int len, unsigned int seed);

namespace id_internal {

// The bridge's name for each ID layout. Every DEFINE_UNIQUE_ID type is a
// UniqueID, so BaseID<T> only ever sees the seven types below.
template <typename T>
struct Kind;
template <>
struct Kind<UniqueID> {
  static constexpr rust::IdKind value = rust::IdKind::Unique;
};
template <>
struct Kind<JobID> {
  static constexpr rust::IdKind value = rust::IdKind::Job;
};
template <>
struct Kind<ActorID> {
  static constexpr rust::IdKind value = rust::IdKind::Actor;
};
template <>
struct Kind<TaskID> {
  static constexpr rust::IdKind value = rust::IdKind::Task;
};
template <>
struct Kind<ObjectID> {
  static constexpr rust::IdKind value = rust::IdKind::Object;
};
template <>
struct Kind<PlacementGroupID> {
  static constexpr rust::IdKind value = rust::IdKind::PlacementGroup;
};
template <>
struct Kind<LeaseID> {
  static constexpr rust::IdKind value = rust::IdKind::Lease;
};

// Shared out-of-line steps (id.cc). FromBinaryInto is fatal on a wrong size
// (callers only reach it with one); HexRejected logs Ray's error for input that
// FromHex refused.
void FromBinaryInto(rust::IdKind kind, const std::string &binary, uint8_t *out, size_t size);
// The same for BaseID's binary constructor, whose fatal text shows the input.
void ConstructFromBinary(rust::IdKind kind, const std::string &binary, uint8_t *out, size_t size);
void HexRejected(rust::IdKind kind, const std::string &hex, size_t size);
[[noreturn]] void HexSizeMismatch(size_t size);

// Hex() of an ID of N bytes: written into a buffer, then the string made in one
// step, without first zero-filling bytes Rust overwrites.
template <size_t N>
std::string HexOfSize(rust::IdKind kind, const uint8_t *data) {
  uint8_t hex[2 * N];
  if (!rust::id_hex(kind, data, N, hex)) {
    HexSizeMismatch(N);
  }
  return std::string(reinterpret_cast<const char *>(hex), 2 * N);
}
void FillRandom(rust::IdKind kind, uint8_t *out, size_t size);

// Hash() of an ID of N bytes, through the Rust function compiled for that size.
template <size_t N>
uint64_t HashOfSize(const uint8_t *data) {
  if constexpr (N == 4) {
    return rust::id_hash_4(data);
  } else if constexpr (N == 16) {
    return rust::id_hash_16(data);
  } else if constexpr (N == 18) {
    return rust::id_hash_18(data);
  } else if constexpr (N == 24) {
    return rust::id_hash_24(data);
  } else if constexpr (N == 28) {
    return rust::id_hash_28(data);
  } else {
    static_assert(N == 32, "no Rust hash for this ID size");
    return rust::id_hash_32(data);
  }
}

// FromHex's decoding of an ID of N bytes, through the Rust function compiled for
// that size.
template <size_t N>
bool ReadHexOfSize(const std::string &hex, uint8_t *out) {
  const auto *digits = reinterpret_cast<const uint8_t *>(hex.data());
  if constexpr (N == 4) {
    return rust::id_read_hex_4(digits, hex.size(), out);
  } else if constexpr (N == 16) {
    return rust::id_read_hex_16(digits, hex.size(), out);
  } else if constexpr (N == 18) {
    return rust::id_read_hex_18(digits, hex.size(), out);
  } else if constexpr (N == 24) {
    return rust::id_read_hex_24(digits, hex.size(), out);
  } else if constexpr (N == 28) {
    return rust::id_read_hex_28(digits, hex.size(), out);
  } else {
    static_assert(N == 32, "no Rust hex decoding for this ID size");
    return rust::id_read_hex_32(digits, hex.size(), out);
  }
}

// Copies IDs to and from the bridge's byte structs (id.cc); befriended by
// BaseID for write access to the bytes.
struct Bridge;

}  // namespace id_internal

// The cached hash is followed directly by the ID bytes, with no padding, so
// that sizeof(ID) == 8 + Size().
#pragma pack(push, 1)

// CRTP base of every ID type. T stores the bytes in `uint8_t id_[T::Size()]`,
// fills them with 0xFF in its default constructor, and befriends BaseID<T>.
template <typename T>
class BaseID {
 public:
  BaseID() = default;

  static T FromRandom();
  // Empty input gives nil; otherwise the size must be exactly Size() (fatal
  // otherwise).
  static T FromBinary(const std::string &binary);
  // Expects exactly 2 * Size() hex characters; logs an error and returns nil
  // otherwise.
  static T FromHex(const std::string &hex_str);
  static const T &Nil();
  static constexpr size_t Size() { return T::Size(); }

  size_t Hash() const;
  bool IsNil() const;
  // IDs compare by their bytes only; the cached hash is ignored.
  bool operator==(const BaseID &rhs) const {
    return std::memcmp(Data(), rhs.Data(), T::Size()) == 0;
  }
  bool operator!=(const BaseID &rhs) const { return !(*this == rhs); }
  const uint8_t *Data() const { return static_cast<const T *>(this)->id_; }
  std::string Binary() const {
    return std::string(reinterpret_cast<const char *>(Data()), T::Size());
  }
  std::string Hex() const {
    return id_internal::HexOfSize<T::Size()>(id_internal::Kind<T>::value, Data());
  }

 protected:
  // For ID types built from bytes: empty input gives nil, and any other size
  // than Size() is fatal (the message shows the raw input).
  BaseID(const std::string &binary);

  uint8_t *MutableData() { return static_cast<T *>(this)->id_; }

  // MurmurHash64A of the bytes, computed on first use; 0 means not yet known.
  mutable size_t hash_ = 0;

 private:
  friend struct id_internal::Bridge;
};

class UniqueID : public BaseID<UniqueID> {
 public:
  static constexpr size_t Size() { return kUniqueIDSize; }

  UniqueID() { std::memset(id_, 0xff, sizeof(id_)); }

 protected:
  // BaseID's binary constructor, for the types derived from UniqueID.
  UniqueID(const std::string &binary) : BaseID(binary) {}

  friend class BaseID<UniqueID>;
  uint8_t id_[kUniqueIDSize];
};

// Distinct 28-byte ID types with UniqueID's layout (listed in id_def.h). Nil()
// returns a fresh value, and the binary constructor is private: callers go
// through FromBinary, whose size check here reports the offending bytes.
#define DEFINE_UNIQUE_ID(type)                                                 \
  class type : public UniqueID {                                               \
   public:                                                                     \
    explicit type(const UniqueID &from) : UniqueID(from) {}                    \
    type() = default;                                                          \
    static type FromRandom() { return type(UniqueID::FromRandom()); }          \
    static type FromBinary(const std::string &binary) { return type(binary); } \
    static type FromHex(const std::string &hex_str) {                          \
      return type(UniqueID::FromHex(hex_str));                                 \
    }                                                                          \
    static type Nil() { return type(); }                                       \
    static constexpr size_t Size() { return kUniqueIDSize; }                   \
                                                                               \
   private:                                                                    \
    /* Empty input gives nil; any other size than Size() is fatal. */          \
    explicit type(const std::string &binary) : UniqueID(binary) {}             \
  };

#include "ray/common/id_def.h"

#undef DEFINE_UNIQUE_ID

class JobID : public BaseID<JobID> {
 public:
  static constexpr int64_t kLength = 4;
  static constexpr size_t Size() { return kLength; }

  JobID() { std::memset(id_, 0xff, sizeof(id_)); }

  // The 4 bytes of `value` in host byte order.
  static JobID FromInt(uint32_t value);
  uint32_t ToInt() const;

  static JobID FromRandom() = delete;

 private:
  friend class BaseID<JobID>;
  uint8_t id_[kLength];
};

class ActorID : public BaseID<ActorID> {
 public:
  static constexpr size_t kUniqueBytesLength = 12;
  static constexpr size_t kLength = kUniqueBytesLength + JobID::kLength;
  static constexpr size_t Size() { return kLength; }

  ActorID() { std::memset(id_, 0xff, sizeof(id_)); }

  // 12 bytes hashed from the job, parent task, counter and the current
  // wall-clock time (so not deterministic), followed by the job ID.
  static ActorID Of(const JobID &job_id,
                    const TaskID &parent_task_id,
                    size_t parent_task_counter);
  // 12 bytes of 0xFF followed by the job ID.
  static ActorID NilFromJob(const JobID &job_id);

  static ActorID FromRandom() = delete;

  // Fatal for the nil ActorID.
  JobID JobId() const;

 private:
  friend class BaseID<ActorID>;
  uint8_t id_[kLength];
};

class TaskID : public BaseID<TaskID> {
 public:
  static constexpr size_t kUniqueBytesLength = 8;
  static constexpr size_t kLength = kUniqueBytesLength + ActorID::kLength;
  static constexpr size_t Size() { return kLength; }

  TaskID() { std::memset(id_, 0xff, sizeof(id_)); }

  // The first 24 bytes of the worker ID.
  static TaskID ComputeDriverTaskId(const WorkerID &driver_id);
  static TaskID ForDriverTask(const JobID &job_id);
  static TaskID FromRandom() = delete;
  // 20 random bytes followed by the job ID.
  static TaskID FromRandom(const JobID &job_id);
  static TaskID ForActorCreationTask(const ActorID &actor_id);
  static TaskID ForActorTask(const JobID &job_id,
                             const TaskID &parent_task_id,
                             size_t parent_task_counter,
                             const ActorID &actor_id);
  static TaskID ForNormalTask(const JobID &job_id,
                              const TaskID &parent_task_id,
                              size_t parent_task_counter);
  // Replaces the low byte of the first 8 bytes (as a host-order uint64) by
  // `attempt_number`, carrying into the higher bytes.
  static TaskID ForExecutionAttempt(const TaskID &task_id, uint64_t attempt_number);

  ActorID ActorId() const;
  // True when the unique bytes are all 0xFF and the actor part is not nil;
  // driver task IDs therefore also qualify.
  bool IsForActorCreationTask() const;
  // Fatal when the actor part is nil.
  JobID JobId() const;

 private:
  friend class BaseID<TaskID>;
  uint8_t id_[kLength];
};

class ObjectID : public BaseID<ObjectID> {
 public:
  static constexpr size_t kIndexBytesLength = sizeof(ObjectIDIndexType);
  static constexpr int64_t kMaxObjectIndex = (int64_t{1} << kObjectIdIndexSize) - 1;
  static constexpr size_t kLength = TaskID::kLength + kIndexBytesLength;
  static constexpr size_t Size() { return kLength; }

  ObjectID() { std::memset(id_, 0xff, sizeof(id_)); }

  static uint64_t MaxObjectIndex() { return static_cast<uint64_t>(kMaxObjectIndex); }

  ObjectIDIndexType ObjectIndex() const;
  TaskID TaskId() const;

  // The task ID followed by `index` in host byte order; index 0 is fatal.
  static ObjectID FromIndex(const TaskID &task_id, ObjectIDIndexType index);
  // 24 random bytes followed by index 0.
  static ObjectID FromRandom();
  static ObjectID ForActorHandle(const ActorID &actor_id);
  // True when the task's unique bytes are all 0xFF (also true for objects of
  // driver tasks).
  static bool IsActorID(const ObjectID &object_id);
  static ActorID ToActorID(const ObjectID &object_id);

 private:
  friend class BaseID<ObjectID>;
  uint8_t id_[kLength];
};

class PlacementGroupID : public BaseID<PlacementGroupID> {
 public:
  static constexpr size_t kUniqueBytesLength = 14;
  static constexpr size_t kLength = kUniqueBytesLength + JobID::kLength;
  static constexpr size_t Size() { return kLength; }

  PlacementGroupID() { std::memset(id_, 0xff, sizeof(id_)); }

  // 14 random bytes followed by the job ID.
  static PlacementGroupID Of(const JobID &job_id);
  static PlacementGroupID FromRandom() = delete;

  // Fatal for the nil PlacementGroupID.
  JobID JobId() const;

 private:
  friend class BaseID<PlacementGroupID>;
  uint8_t id_[kLength];
};

// One bundle of a placement group: the group and the bundle's index in it.
typedef std::pair<PlacementGroupID, int64_t> BundleID;

class LeaseID : public BaseID<LeaseID> {
 public:
  static constexpr size_t kUniqueBytesLength = 4;
  static constexpr size_t kLength = kUniqueBytesLength + kUniqueIDSize;
  static constexpr size_t Size() { return kLength; }

  LeaseID() { std::memset(id_, 0xff, sizeof(id_)); }

  // `counter` in host byte order followed by the worker ID.
  static LeaseID FromWorker(const WorkerID &worker_id, uint32_t counter);
  static LeaseID FromRandom();

  WorkerID WorkerId() const;

 private:
  friend class BaseID<LeaseID>;
  uint8_t id_[kLength];
};

#pragma pack(pop)

static_assert(sizeof(JobID) == 12, "JobID layout");
static_assert(sizeof(ActorID) == 24, "ActorID layout");
static_assert(sizeof(TaskID) == 32, "TaskID layout");
static_assert(sizeof(ObjectID) == 36, "ObjectID layout");
static_assert(sizeof(UniqueID) == 36, "UniqueID layout");
static_assert(sizeof(PlacementGroupID) == PlacementGroupID::kLength + sizeof(size_t),
              "PlacementGroupID layout");
static_assert(sizeof(LeaseID) == LeaseID::kLength + sizeof(size_t), "LeaseID layout");
static_assert(sizeof(WorkerID) == sizeof(UniqueID), "WorkerID layout");
static_assert(JobID::Size() == 4 && ActorID::Size() == 16 && TaskID::Size() == 24 &&
                  ObjectID::Size() == 28 && PlacementGroupID::Size() == 18 &&
                  LeaseID::Size() == 32,
              "ID sizes are fixed by Ray's wire format");

// SHA-256 of job_id || parent_task_id || parent_task_counter (8 bytes, host
// order) || extra_bytes (8 bytes, host order, only when non-zero), truncated to
// the first `length` bytes (at most 32).
std::string GenerateUniqueBytes(const JobID &job_id,
                                const TaskID &parent_task_id,
                                size_t parent_task_counter,
                                size_t extra_bytes,
                                size_t length);

// The job ID followed by 24 bytes of 0xFF.
WorkerID ComputeDriverIdFromJob(const JobID &job_id);

// The NodeID of the GCS: 28 zero bytes.
extern const NodeID kGCSNodeID;

// Each prints "NIL_ID" for a nil ID and Hex() otherwise.
std::ostream &operator<<(std::ostream &os, const UniqueID &id);
std::ostream &operator<<(std::ostream &os, const JobID &id);
std::ostream &operator<<(std::ostream &os, const ActorID &id);
std::ostream &operator<<(std::ostream &os, const TaskID &id);
std::ostream &operator<<(std::ostream &os, const ObjectID &id);
std::ostream &operator<<(std::ostream &os, const PlacementGroupID &id);
std::ostream &operator<<(std::ostream &os, const LeaseID &id);

// The field keys RAY_LOG(...).WithField(id) uses for the ID types that Ray's
// log lines carry.
template <>
struct DefaultLogKey<ClusterID> {
  static constexpr std::string_view key = kLogKeyClusterID;
};
template <>
struct DefaultLogKey<JobID> {
  static constexpr std::string_view key = kLogKeyJobID;
};
template <>
struct DefaultLogKey<WorkerID> {
  static constexpr std::string_view key = kLogKeyWorkerID;
};
template <>
struct DefaultLogKey<NodeID> {
  static constexpr std::string_view key = kLogKeyNodeID;
};
template <>
struct DefaultLogKey<ActorID> {
  static constexpr std::string_view key = kLogKeyActorID;
};
template <>
struct DefaultLogKey<TaskID> {
  static constexpr std::string_view key = kLogKeyTaskID;
};
template <>
struct DefaultLogKey<ObjectID> {
  static constexpr std::string_view key = kLogKeyObjectID;
};
template <>
struct DefaultLogKey<PlacementGroupID> {
  static constexpr std::string_view key = kLogKeyPlacementGroupID;
};
template <>
struct DefaultLogKey<LeaseID> {
  static constexpr std::string_view key = kLogKeyLeaseID;
};

template <typename T>
BaseID<T>::BaseID(const std::string &binary) {
  // Plain storage, as in FromBinary: Rust only sees the fatal case.
  if (binary.size() == T::Size()) {
    std::memcpy(MutableData(), binary.data(), T::Size());
  } else if (binary.empty()) {
    std::memset(MutableData(), 0xff, T::Size());
  } else {
    id_internal::ConstructFromBinary(
        id_internal::Kind<T>::value, binary, MutableData(), T::Size());
  }
}

// The value of one hex digit (either case). Any other character sets `err`
// and gives 0; `err` is never cleared, so one flag can cover a whole string.
// A plain character test, kept inline: parsing IDs goes through Rust.
inline unsigned char hex_to_uchar(const char c, bool &err) {
  if (c >= '0' && c <= '9') {
    return static_cast<unsigned char>(c - '0');
  }
  if (c >= 'a' && c <= 'f') {
    return static_cast<unsigned char>(c - 'a' + 10);
  }
  if (c >= 'A' && c <= 'F') {
    return static_cast<unsigned char>(c - 'A' + 10);
  }
  err = true;
  return 0;
}

template <typename T>
T BaseID<T>::FromRandom() {
  T id;
  id_internal::FillRandom(id_internal::Kind<T>::value, id.MutableData(), T::Size());
  return id;
}

template <typename T>
T BaseID<T>::FromBinary(const std::string &binary) {
  T id;
  // Plain storage, so the valid sizes are handled here; Rust is only asked
  // for Ray's fatal text.
  if (binary.size() == T::Size()) {
    std::memcpy(id.MutableData(), binary.data(), T::Size());
  } else if (!binary.empty()) {
    id_internal::FromBinaryInto(id_internal::Kind<T>::value, binary, id.MutableData(), T::Size());
  }
  return id;
}

template <typename T>
T BaseID<T>::FromHex(const std::string &hex_str) {
  // Inline, with the size known here, so that the decoding inlines too.
  T id;
  if (!id_internal::ReadHexOfSize<T::Size()>(hex_str, id.MutableData())) {
    id_internal::HexRejected(id_internal::Kind<T>::value, hex_str, T::Size());
    return T::Nil();
  }
  return id;
}

template <typename T>
const T &BaseID<T>::Nil() {
  static const T nil_id;
  return nil_id;
}

template <typename T>
size_t BaseID<T>::Hash() const {
  // Racing threads compute the same value, so the unsynchronised cache only
  // ever holds 0 or the final hash.
  if (hash_ == 0) {
    hash_ = static_cast<size_t>(id_internal::HashOfSize<T::Size()>(Data()));
  }
  return hash_;
}

template <typename T>
bool BaseID<T>::IsNil() const {
  const uint8_t *data = Data();
  for (size_t i = 0; i < T::Size(); ++i) {
    if (data[i] != 0xff) {
      return false;
    }
  }
  return true;
}

}  // namespace ray

#define RAY_DEFINE_ID_HASH(type)                                         \
  template <>                                                            \
  struct hash<::ray::type> {                                             \
    size_t operator()(const ::ray::type &id) const { return id.Hash(); } \
  };                                                                     \
  template <>                                                            \
  struct hash<const ::ray::type> {                                       \
    size_t operator()(const ::ray::type &id) const { return id.Hash(); } \
  };

namespace std {

#define DEFINE_UNIQUE_ID(type) RAY_DEFINE_ID_HASH(type)
#include "ray/common/id_def.h"
#undef DEFINE_UNIQUE_ID

RAY_DEFINE_ID_HASH(UniqueID)
RAY_DEFINE_ID_HASH(JobID)
RAY_DEFINE_ID_HASH(ActorID)
RAY_DEFINE_ID_HASH(TaskID)
RAY_DEFINE_ID_HASH(ObjectID)
RAY_DEFINE_ID_HASH(PlacementGroupID)
RAY_DEFINE_ID_HASH(LeaseID)

}  // namespace std

#undef RAY_DEFINE_ID_HASH
