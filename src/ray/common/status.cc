#include "ray/common/status.h"

#include <unordered_map>

namespace ray {

namespace {

// Returns nullptr for values that have no name.
const char *CodeName(StatusCode code) {
  switch (code) {
#define RAY_STATUS_CODE(name, value, text, shape) \
  case StatusCode::name:                          \
    return text;
#include "ray/common/status_code_list.h"
#undef RAY_STATUS_CODE
  }
  return nullptr;
}

}  // namespace

Status::Status(StatusCode code, const std::string &msg, int rpc_code)
    : Status(code, msg, SourceLocation(), rpc_code) {}

Status::Status(StatusCode code,
               const std::string &msg,
               SourceLocation loc,
               int rpc_code)
    : state_(new State{code, msg, loc, rpc_code}) {}

Status::Status(const Status &other)
    : state_(other.state_ == nullptr ? nullptr : new State(*other.state_)) {}

Status &Status::operator=(const Status &other) {
  if (this != &other) {
    state_.reset(other.state_ == nullptr ? nullptr : new State(*other.state_));
  }
  return *this;
}

std::string Status::CodeAsString() const {
  if (ok()) {
    return "OK";
  }
  const char *name = CodeName(state_->code);
  return name == nullptr ? "Unknown" : name;
}

StatusCode Status::StringToCode(const std::string &str) {
  static const auto *const kCodes = new std::unordered_map<std::string, StatusCode>{
#define RAY_STATUS_CODE(name, value, text, shape) {text, StatusCode::name},
#include "ray/common/status_code_list.h"
#undef RAY_STATUS_CODE
  };
  auto it = kCodes->find(str);
  return it == kCodes->end() ? StatusCode::IOError : it->second;
}

std::string Status::ToString() const {
  if (ok()) {
    return "OK";
  }
  std::string result = CodeAsString();
  result += ": ";
  result += state_->msg;
  if (state_->code == StatusCode::RpcError) {
    result += " rpc_code: ";
    result += std::to_string(state_->rpc_code);
  }
  if (state_->loc.IsValid()) {
    result += " at ";
    result.append(state_->loc.filename.data(), state_->loc.filename.size());
    result += ':';
    result += std::to_string(state_->loc.line_no);
  }
  return result;
}

std::ostream &operator<<(std::ostream &os, const Status &status) {
  return os << status.ToString();
}

}  // namespace ray
