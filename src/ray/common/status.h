// Status: the result of an operation, either OK or an error code with a
// message. Behaviour (codes, strings and formats) follows Ray 2.60.0.

#pragma once

#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "ray/common/source_location.h"
#include "ray/util/logging.h"

namespace ray {

// Values are part of the wire/ABI contract and are not contiguous: 6-8, 26
// and 27 belonged to codes that were removed.
enum class StatusCode : char {
  OK = 0,
  OutOfMemory = 1,
  KeyError = 2,
  TypeError = 3,
  Invalid = 4,
  IOError = 5,
  UnknownError = 9,
  NotImplemented = 10,
  RedisError = 11,
  TimedOut = 12,
  Interrupted = 13,
  IntentionalSystemExit = 14,
  UnexpectedSystemExit = 15,
  CreationTaskError = 16,
  NotFound = 17,
  Disconnected = 18,
  SchedulingCancelled = 19,
  AlreadyExists = 20,
  ObjectExists = 21,
  ObjectNotFound = 22,
  ObjectAlreadySealed = 23,
  ObjectStoreFull = 24,
  TransientObjectStoreFull = 25,
  OutOfDisk = 28,
  ObjectUnknownOwner = 29,
  RpcError = 30,
  OutOfResource = 31,
  ObjectRefEndOfStream = 32,
  Unauthenticated = 33,
  InvalidArgument = 34,
  ChannelError = 35,
  ChannelTimeoutError = 36,
  PermissionDenied = 37,
  GcsPassive = 38,
};

namespace status_internal {

// Appends one value to a message the way absl::StrAppend does: integers
// (including bool and 8-bit integers) as decimal numbers, strings verbatim,
// anything else through its operator<<.
template <typename V>
void AppendToMessage(std::string *out, const V &value) {
  using D = std::decay_t<V>;
  if constexpr (std::is_same_v<D, char>) {
    out->push_back(value);
  } else if constexpr (std::is_integral_v<D>) {
    if constexpr (std::is_signed_v<D>) {
      *out += std::to_string(static_cast<long long>(value));
    } else {
      *out += std::to_string(static_cast<unsigned long long>(value));
    }
  } else if constexpr (std::is_convertible_v<const V &, std::string_view>) {
    out->append(std::string_view(value));
  } else {
    std::ostringstream os;
    os << value;
    *out += os.str();
  }
}

}  // namespace status_internal

class Status {
 public:
  // OK.
  Status() noexcept = default;
  ~Status() = default;

  // `code` should not be OK; if it is, the result is still an error-carrying
  // Status whose code() is OK (this mirrors Ray's release builds).
  Status(StatusCode code, const std::string &msg, int rpc_code = -1);
  Status(StatusCode code,
         const std::string &msg,
         SourceLocation loc,
         int rpc_code = -1);

  Status(const Status &other);
  Status &operator=(const Status &other);
  // Moving leaves the source OK.
  Status(Status &&other) noexcept = default;
  Status &operator=(Status &&other) noexcept = default;

  static Status OK() { return Status(); }

  static Status OutOfMemory(const std::string &msg) {
    return Status(StatusCode::OutOfMemory, msg);
  }

  static Status KeyError(const std::string &msg) {
    return Status(StatusCode::KeyError, msg);
  }

  static Status ObjectRefEndOfStream(const std::string &msg) {
    return Status(StatusCode::ObjectRefEndOfStream, msg);
  }

  static Status TypeError(const std::string &msg) {
    return Status(StatusCode::TypeError, msg);
  }

  static Status UnknownError(const std::string &msg) {
    return Status(StatusCode::UnknownError, msg);
  }

  static Status NotImplemented(const std::string &msg) {
    return Status(StatusCode::NotImplemented, msg);
  }

  static Status Invalid(const std::string &msg) {
    return Status(StatusCode::Invalid, msg);
  }

  static Status IOError(const std::string &msg) {
    return Status(StatusCode::IOError, msg);
  }

  static Status InvalidArgument(const std::string &msg) {
    return Status(StatusCode::InvalidArgument, msg);
  }

  static Status RedisError(const std::string &msg) {
    return Status(StatusCode::RedisError, msg);
  }

  static Status TimedOut(const std::string &msg) {
    return Status(StatusCode::TimedOut, msg);
  }

  static Status Interrupted(const std::string &msg) {
    return Status(StatusCode::Interrupted, msg);
  }

  static Status IntentionalSystemExit(const std::string &msg) {
    return Status(StatusCode::IntentionalSystemExit, msg);
  }

  static Status UnexpectedSystemExit(const std::string &msg) {
    return Status(StatusCode::UnexpectedSystemExit, msg);
  }

  static Status CreationTaskError(const std::string &msg) {
    return Status(StatusCode::CreationTaskError, msg);
  }

  static Status NotFound(const std::string &msg) {
    return Status(StatusCode::NotFound, msg);
  }

  static Status Disconnected(const std::string &msg) {
    return Status(StatusCode::Disconnected, msg);
  }

  static Status SchedulingCancelled(const std::string &msg) {
    return Status(StatusCode::SchedulingCancelled, msg);
  }

  static Status AlreadyExists(const std::string &msg) {
    return Status(StatusCode::AlreadyExists, msg);
  }

  static Status ObjectExists(const std::string &msg) {
    return Status(StatusCode::ObjectExists, msg);
  }

  static Status ObjectNotFound(const std::string &msg) {
    return Status(StatusCode::ObjectNotFound, msg);
  }

  static Status ObjectUnknownOwner(const std::string &msg) {
    return Status(StatusCode::ObjectUnknownOwner, msg);
  }

  static Status ObjectAlreadySealed(const std::string &msg) {
    return Status(StatusCode::ObjectAlreadySealed, msg);
  }

  static Status ObjectStoreFull(const std::string &msg) {
    return Status(StatusCode::ObjectStoreFull, msg);
  }

  static Status TransientObjectStoreFull(const std::string &msg) {
    return Status(StatusCode::TransientObjectStoreFull, msg);
  }

  static Status OutOfDisk(const std::string &msg) {
    return Status(StatusCode::OutOfDisk, msg);
  }

  static Status RpcError(const std::string &msg, int rpc_code) {
    return Status(StatusCode::RpcError, msg, rpc_code);
  }

  static Status OutOfResource(const std::string &msg) {
    return Status(StatusCode::OutOfResource, msg);
  }

  static Status Unauthenticated(const std::string &msg) {
    return Status(StatusCode::Unauthenticated, msg);
  }

  static Status ChannelError(const std::string &msg) {
    return Status(StatusCode::ChannelError, msg);
  }

  static Status ChannelTimeoutError(const std::string &msg) {
    return Status(StatusCode::ChannelTimeoutError, msg);
  }

  static Status PermissionDenied(const std::string &msg) {
    return Status(StatusCode::PermissionDenied, msg);
  }

  static Status GcsPassive(const std::string &msg) {
    return Status(StatusCode::GcsPassive, msg);
  }

  bool ok() const { return state_ == nullptr; }

  bool IsOutOfMemory() const { return code() == StatusCode::OutOfMemory; }
  bool IsOutOfDisk() const { return code() == StatusCode::OutOfDisk; }
  bool IsKeyError() const { return code() == StatusCode::KeyError; }
  bool IsObjectRefEndOfStream() const { return code() == StatusCode::ObjectRefEndOfStream; }
  bool IsInvalid() const { return code() == StatusCode::Invalid; }
  bool IsIOError() const { return code() == StatusCode::IOError; }
  bool IsInvalidArgument() const { return code() == StatusCode::InvalidArgument; }
  bool IsTypeError() const { return code() == StatusCode::TypeError; }
  bool IsUnknownError() const { return code() == StatusCode::UnknownError; }
  bool IsNotImplemented() const { return code() == StatusCode::NotImplemented; }
  bool IsRedisError() const { return code() == StatusCode::RedisError; }
  bool IsTimedOut() const { return code() == StatusCode::TimedOut; }
  bool IsInterrupted() const { return code() == StatusCode::Interrupted; }
  bool IsIntentionalSystemExit() const { return code() == StatusCode::IntentionalSystemExit; }
  bool IsCreationTaskError() const { return code() == StatusCode::CreationTaskError; }
  bool IsUnexpectedSystemExit() const { return code() == StatusCode::UnexpectedSystemExit; }
  bool IsNotFound() const { return code() == StatusCode::NotFound; }
  bool IsDisconnected() const { return code() == StatusCode::Disconnected; }
  bool IsSchedulingCancelled() const { return code() == StatusCode::SchedulingCancelled; }
  bool IsAlreadyExists() const { return code() == StatusCode::AlreadyExists; }
  bool IsObjectExists() const { return code() == StatusCode::ObjectExists; }
  bool IsObjectNotFound() const { return code() == StatusCode::ObjectNotFound; }
  bool IsObjectUnknownOwner() const { return code() == StatusCode::ObjectUnknownOwner; }
  bool IsObjectAlreadySealed() const { return code() == StatusCode::ObjectAlreadySealed; }
  bool IsObjectStoreFull() const { return code() == StatusCode::ObjectStoreFull; }
  bool IsTransientObjectStoreFull() const { return code() == StatusCode::TransientObjectStoreFull; }
  bool IsRpcError() const { return code() == StatusCode::RpcError; }
  bool IsOutOfResource() const { return code() == StatusCode::OutOfResource; }
  bool IsUnauthenticated() const { return code() == StatusCode::Unauthenticated; }
  bool IsChannelError() const { return code() == StatusCode::ChannelError; }
  bool IsChannelTimeoutError() const { return code() == StatusCode::ChannelTimeoutError; }
  bool IsPermissionDenied() const { return code() == StatusCode::PermissionDenied; }
  bool IsGcsPassive() const { return code() == StatusCode::GcsPassive; }

  StatusCode code() const { return ok() ? StatusCode::OK : state_->code; }
  std::string message() const { return ok() ? std::string() : state_->msg; }
  // -1 when OK or when no rpc code was given.
  int rpc_code() const { return ok() ? -1 : state_->rpc_code; }

  // "<code string>: <message>[ rpc_code: N][ at file:line]", or "OK".
  std::string ToString() const;
  std::string StatusString() const { return ToString(); }
  // The fixed name of code(), or "Unknown" for values without one.
  std::string CodeAsString() const;

  // Inverse of CodeAsString() for the named codes; any other string maps to
  // IOError.
  static StatusCode StringToCode(const std::string &str);

  // Appends to the message. Only valid on a non-OK Status.
  template <typename... T>
  Status &operator<<(T &&...args) {
    RAY_CHECK(state_ != nullptr) << "cannot append to the message of an OK Status";
    (status_internal::AppendToMessage(&state_->msg, args), ...);
    return *this;
  }

 private:
  struct State {
    StatusCode code;
    std::string msg;
    SourceLocation loc;
    int rpc_code;
  };
  // nullptr means OK, so OK statuses cost no allocation.
  std::unique_ptr<State> state_;
};

std::ostream &operator<<(std::ostream &os, const Status &status);

}  // namespace ray

#define RAY_RETURN_NOT_OK(s)                 \
  do {                                       \
    const ::ray::Status &_ray_status_ = (s); \
    if (RAY_PREDICT_FALSE(!_ray_status_.ok())) { \
      return _ray_status_;                   \
    }                                        \
  } while (0)

#define RAY_RETURN_NOT_OK_ELSE(s, else_)     \
  do {                                       \
    const ::ray::Status &_ray_status_ = (s); \
    if (!_ray_status_.ok()) {                \
      else_;                                 \
      return _ray_status_;                   \
    }                                        \
  } while (0)

// Fatal unless `s` is OK. More text can be streamed after it:
//   RAY_CHECK_OK(Flush()) << "while closing " << path;
// The message reads "Check failed: <s as written> Status not OK: <ToString()> "
// followed by the streamed text, as Ray prints it. `s` is evaluated once, and
// the streamed operands only when it is not OK.
#define RAY_CHECK_OK(s)                                                             \
  if (const ::ray::Status &_ray_check_status_ = (s);                                \
      RAY_PREDICT_TRUE(_ray_check_status_.ok())) {                                  \
  } else                                                                            \
    RAY_LOG_INTERNAL(::ray::RayLogLevel::FATAL)                                     \
        << "Check failed: " #s " " << "Status not OK: " << _ray_check_status_.ToString() \
        << " "

#include "ray/common/status_set.h"
