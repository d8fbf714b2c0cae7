// Status: the result of an operation, either OK or an error code with a
// message. Drop-in for the C++ reference header with the same API; the state
// of a non-OK Status is one Rust allocation (ray-ffi's StatusState), and
// codes, strings and formats come from the Rust ray-common crate.

#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "ray/common/source_location.h"
#include "ray/util/logging.h"

namespace ray {

namespace rust {
// Declared by the bridge (ray/ffi/bridge.rs.h); a forward declaration keeps
// cxx out of every includer of this header.
struct StatusHead;
}  // namespace rust

namespace status_internal {
// Layout of rust::StatusHead (checked against the bridge in status.cc). The
// text follows the head: the file name, then the message. Reading it here
// keeps code(), rpc_code() and message() free of calls.
struct StateHead {
  int8_t code;
  int32_t rpc_code;
  int32_t line;
  size_t file_len;
  size_t text_len;
  size_t capacity;
};
}  // namespace status_internal

// Ray's codes, listed once in status_code_list.h.
enum class StatusCode : char {
#define RAY_STATUS_CODE(name, value, text, shape) name = value,
#include "ray/common/status_code_list.h"
#undef RAY_STATUS_CODE
};

namespace status_internal {

// Appending may move the state: each call updates `state`.
void AppendBytes(rust::StatusHead *&state, std::string_view text);
void AppendSigned(rust::StatusHead *&state, long long value);
void AppendUnsigned(rust::StatusHead *&state, unsigned long long value);

// Appends one value the way absl::StrAppend does: integers (including bool
// and 8-bit integers other than char) in decimal, strings verbatim, anything
// else through its operator<<.
template <typename V>
void AppendToMessage(rust::StatusHead *&state, const V &value) {
  using D = std::decay_t<V>;
  if constexpr (std::is_same_v<D, char>) {
    AppendBytes(state, std::string_view(&value, 1));
  } else if constexpr (std::is_integral_v<D>) {
    if constexpr (std::is_signed_v<D>) {
      AppendSigned(state, static_cast<long long>(value));
    } else {
      AppendUnsigned(state, static_cast<unsigned long long>(value));
    }
  } else if constexpr (std::is_convertible_v<const V &, std::string_view>) {
    AppendBytes(state, std::string_view(value));
  } else {
    std::ostringstream os;
    os << value;
    AppendBytes(state, os.str());
  }
}

}  // namespace status_internal

class Status {
 public:
  // OK.
  Status() noexcept = default;
  ~Status() {
    if (state_ != nullptr) {
      Free(state_);
    }
  }

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
  Status(Status &&other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
  Status &operator=(Status &&other) noexcept {
    if (this != &other) {
      rust::StatusHead *previous = std::exchange(state_, std::exchange(other.state_, nullptr));
      if (previous != nullptr) {
        Free(previous);
      }
    }
    return *this;
  }

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

  StatusCode code() const { return ok() ? StatusCode::OK : static_cast<StatusCode>(Head().code); }
  std::string message() const {
    if (ok()) {
      return std::string();
    }
    const char *text = reinterpret_cast<const char *>(state_) + sizeof(status_internal::StateHead);
    return std::string(text + Head().file_len, Head().text_len - Head().file_len);
  }
  // -1 when OK or when no rpc code was given.
  int rpc_code() const { return ok() ? -1 : Head().rpc_code; }

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
    (status_internal::AppendToMessage(state_, args), ...);
    return *this;
  }

 private:
  // Returns a state to Rust.
  static void Free(rust::StatusHead *state);

  // Only valid on a non-OK Status.
  const status_internal::StateHead &Head() const {
    return *reinterpret_cast<const status_internal::StateHead *>(state_);
  }

  // nullptr means OK, so OK statuses cost no allocation.
  rust::StatusHead *state_ = nullptr;
};

static_assert(sizeof(Status) == sizeof(void *), "Status is one pointer, as in Ray");

std::ostream &operator<<(std::ostream &os, const Status &status);

}  // namespace ray

#define RAY_RETURN_NOT_OK(s)                     \
  do {                                           \
    const ::ray::Status &_ray_status_ = (s);     \
    if (RAY_PREDICT_FALSE(!_ray_status_.ok())) { \
      return _ray_status_;                       \
    }                                            \
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
