#include "ray/common/status.h"

#include <cstddef>
#include <type_traits>

#include "ray/ffi/bridge.rs.h"

namespace ray {

// status.h reads the head of a state through its own mirror of the struct.
static_assert(sizeof(status_internal::StateHead) == sizeof(rust::StatusHead));
static_assert(alignof(status_internal::StateHead) == alignof(rust::StatusHead));
static_assert(offsetof(status_internal::StateHead, code) == offsetof(rust::StatusHead, code));
static_assert(offsetof(status_internal::StateHead, rpc_code) ==
              offsetof(rust::StatusHead, rpc_code));
static_assert(std::is_same_v<decltype(rust::StatusHead::code), int8_t>);
static_assert(std::is_same_v<decltype(rust::StatusHead::rpc_code), int32_t>);

namespace {

::rust::Slice<const uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t *>(text.data()), text.size()};
}

int8_t RawCode(StatusCode code) { return static_cast<int8_t>(code); }

std::string ToStdString(::rust::Str text) { return std::string(text.data(), text.size()); }

}  // namespace

namespace status_internal {

void AppendBytes(rust::StatusState *state, std::string_view text) {
  rust::status_append(*state, Bytes(text));
}

void AppendSigned(rust::StatusState *state, long long value) {
  rust::status_append_signed(*state, static_cast<int64_t>(value));
}

void AppendUnsigned(rust::StatusState *state, unsigned long long value) {
  rust::status_append_unsigned(*state, static_cast<uint64_t>(value));
}

}  // namespace status_internal

Status::Status(StatusCode code, const std::string &msg, int rpc_code)
    : state_(rust::status_new(RawCode(code), Bytes(msg), rpc_code, Bytes({}), 0).into_raw()) {}

Status::Status(StatusCode code,
               const std::string &msg,
               SourceLocation loc,
               int rpc_code)
    : state_(rust::status_new(
                 RawCode(code), Bytes(msg), rpc_code, Bytes(loc.filename), loc.line_no)
                 .into_raw()) {}

Status::Status(const Status &other)
    : state_(other.state_ == nullptr ? nullptr
                                     : rust::status_clone(*other.state_).into_raw()) {}

Status &Status::operator=(const Status &other) {
  if (this != &other) {
    rust::StatusState *copy =
        other.state_ == nullptr ? nullptr : rust::status_clone(*other.state_).into_raw();
    rust::StatusState *previous = std::exchange(state_, copy);
    if (previous != nullptr) {
      Free(previous);
    }
  }
  return *this;
}

void Status::Free(rust::StatusState *state) {
  // Re-owning the pointer drops it on the Rust side.
  (void)::rust::Box<rust::StatusState>::from_raw(state);
}

std::string Status::message() const {
  if (ok()) {
    return std::string();
  }
  const ::rust::Slice<const uint8_t> bytes = rust::status_message(*state_);
  return std::string(reinterpret_cast<const char *>(bytes.data()), bytes.size());
}

std::string Status::ToString() const {
  if (ok()) {
    return ToStdString(rust::status_ok_string());
  }
  std::string text;
  rust::status_to_string(*state_, text);
  return text;
}

std::string Status::CodeAsString() const {
  return ToStdString(rust::status_code_as_string(RawCode(code())));
}

StatusCode Status::StringToCode(const std::string &str) {
  return static_cast<StatusCode>(rust::status_string_to_code(Bytes(str)));
}

std::ostream &operator<<(std::ostream &os, const Status &status) {
  return os << status.ToString();
}

}  // namespace ray
