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

// Ray's codes, listed once in status_code_list.h.
enum class StatusCode : char {
#define RAY_STATUS_CODE(name, value, text, shape) name = value,
#include "ray/common/status_code_list.h"
#undef RAY_STATUS_CODE
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

  // A factory and a predicate per code (see status_code_list.h).
#define RAY_STATUS_FACTORY_OK(name)
#define RAY_STATUS_FACTORY_PLAIN(name) \
  static Status name(const std::string &msg) { return Status(StatusCode::name, msg); }
#define RAY_STATUS_FACTORY_WITH_RPC_CODE(name)                   \
  static Status name(const std::string &msg, int rpc_code) { \
    return Status(StatusCode::name, msg, rpc_code);              \
  }
#define RAY_STATUS_PREDICATE_OK(name)
#define RAY_STATUS_PREDICATE_PLAIN(name) \
  bool Is##name() const { return code() == StatusCode::name; }
#define RAY_STATUS_PREDICATE_WITH_RPC_CODE(name) RAY_STATUS_PREDICATE_PLAIN(name)
#define RAY_STATUS_CODE(name, value, text, shape) \
  RAY_STATUS_FACTORY_##shape(name) RAY_STATUS_PREDICATE_##shape(name)
#include "ray/common/status_code_list.h"
#undef RAY_STATUS_CODE
#undef RAY_STATUS_FACTORY_OK
#undef RAY_STATUS_FACTORY_PLAIN
#undef RAY_STATUS_FACTORY_WITH_RPC_CODE
#undef RAY_STATUS_PREDICATE_OK
#undef RAY_STATUS_PREDICATE_PLAIN
#undef RAY_STATUS_PREDICATE_WITH_RPC_CODE

  bool ok() const { return state_ == nullptr; }

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
