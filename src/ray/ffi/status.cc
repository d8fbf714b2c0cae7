#include "ray/common/status.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "ray/ffi/bridge.rs.h"

namespace ray {

// status.h reads the head of a state through its own mirror of the struct.
static_assert(sizeof(status_internal::StateHead) == sizeof(rust::StatusHead));
static_assert(alignof(status_internal::StateHead) == alignof(rust::StatusHead));
static_assert(offsetof(status_internal::StateHead, code) == offsetof(rust::StatusHead, code));
static_assert(offsetof(status_internal::StateHead, rpc_code) ==
              offsetof(rust::StatusHead, rpc_code));
static_assert(offsetof(status_internal::StateHead, line) == offsetof(rust::StatusHead, line));
static_assert(offsetof(status_internal::StateHead, file_len) ==
              offsetof(rust::StatusHead, file_len));
static_assert(offsetof(status_internal::StateHead, text_len) ==
              offsetof(rust::StatusHead, text_len));
static_assert(offsetof(status_internal::StateHead, capacity) ==
              offsetof(rust::StatusHead, capacity));
static_assert(std::is_same_v<decltype(rust::StatusHead::code), int8_t>);
static_assert(std::is_same_v<decltype(rust::StatusHead::rpc_code), int32_t>);
static_assert(std::is_same_v<decltype(rust::StatusHead::line), int32_t>);
static_assert(std::is_same_v<decltype(rust::StatusHead::file_len), size_t>);
static_assert(std::is_same_v<decltype(rust::StatusHead::text_len), size_t>);
static_assert(std::is_same_v<decltype(rust::StatusHead::capacity), size_t>);

namespace {

::rust::Slice<const uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t *>(text.data()), text.size()};
}

const uint8_t *Data(std::string_view text) {
  return reinterpret_cast<const uint8_t *>(text.data());
}

int8_t RawCode(StatusCode code) { return static_cast<int8_t>(code); }

// The text of a named code, from the one list of codes, at compile time: ToString() of
// the OK status then needs neither a call into Rust nor a guarded static.
constexpr std::string_view ListedText(int value) {
#define RAY_STATUS_CODE(name, code_value, text, shape) \
  if (value == (code_value)) {                        \
    return text;                                      \
  }
#include "ray/common/status_code_list.h"
#undef RAY_STATUS_CODE
  return {};
}

constexpr std::string_view kOkText = ListedText(static_cast<int>(StatusCode::OK));
static_assert(!kOkText.empty(), "status_code_list.h names OK");

std::string_view View(::rust::Str text) { return std::string_view(text.data(), text.size()); }

// CodeAsString is a pure function of an 8-bit code, and Rust's names are
// 'static: ask once per code, then answer without a call.
const std::array<std::string_view, 256> &CodeNames() {
  static const std::array<std::string_view, 256> names = [] {
    std::array<std::string_view, 256> out;
    for (int raw = INT8_MIN; raw <= INT8_MAX; ++raw) {
      out[static_cast<uint8_t>(raw)] = View(rust::status_code_as_string(static_cast<int8_t>(raw)));
    }
    return out;
  }();
  return names;
}

}  // namespace

namespace status_internal {

void AppendBytes(rust::StatusHead *&state, std::string_view text) {
  state = rust::status_append(state, Bytes(text));
}

void AppendSigned(rust::StatusHead *&state, long long value) {
  state = rust::status_append_signed(state, static_cast<int64_t>(value));
}

void AppendUnsigned(rust::StatusHead *&state, unsigned long long value) {
  state = rust::status_append_unsigned(state, static_cast<uint64_t>(value));
}

}  // namespace status_internal

Status::Status(StatusCode code, const std::string &msg, int rpc_code)
    : state_(rust::status_new(RawCode(code), Data(msg), msg.size(), rpc_code, nullptr, 0, 0)) {}

Status::Status(StatusCode code,
               const std::string &msg,
               SourceLocation loc,
               int rpc_code)
    : state_(rust::status_new(RawCode(code),
                              Data(msg),
                              msg.size(),
                              rpc_code,
                              Data(loc.filename),
                              loc.filename.size(),
                              loc.line_no)) {}

Status::Status(const Status &other)
    : state_(other.state_ == nullptr ? nullptr : rust::status_clone(other.state_)) {}

Status &Status::operator=(const Status &other) {
  if (this != &other) {
    rust::StatusHead *copy =
        other.state_ == nullptr ? nullptr : rust::status_clone(other.state_);
    rust::StatusHead *previous = std::exchange(state_, copy);
    if (previous != nullptr) {
      Free(previous);
    }
  }
  return *this;
}

void Status::Free(rust::StatusHead *state) { rust::status_free(state); }

std::string Status::ToString() const {
  if (ok()) {
    return std::string(kOkText);
  }
  std::string text(rust::status_formatted_len(state_), '\0');
  const bool filled = rust::status_format(
      state_, ::rust::Slice<uint8_t>(reinterpret_cast<uint8_t *>(text.data()), text.size()));
  RAY_CHECK(filled) << "Status text changed while being formatted";
  return text;
}

std::string Status::CodeAsString() const {
  return std::string(CodeNames()[static_cast<uint8_t>(code())]);
}

StatusCode Status::StringToCode(const std::string &str) {
  return static_cast<StatusCode>(rust::status_string_to_code(Bytes(str)));
}

std::ostream &operator<<(std::ostream &os, const Status &status) {
  return os << status.ToString();
}

}  // namespace ray
