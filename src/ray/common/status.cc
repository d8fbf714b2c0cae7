#include "ray/common/status.h"

#include <unordered_map>

namespace ray {

namespace {

// Returns nullptr for values that have no name.
const char *CodeName(StatusCode code) {
  switch (code) {
  case StatusCode::OK:
    return "OK";
  case StatusCode::OutOfMemory:
    return "Out of memory";
  case StatusCode::KeyError:
    return "Key error";
  case StatusCode::TypeError:
    return "Type error";
  case StatusCode::Invalid:
    return "Invalid";
  case StatusCode::IOError:
    return "IOError";
  case StatusCode::UnknownError:
    return "Unknown error";
  case StatusCode::NotImplemented:
    return "NotImplemented";
  case StatusCode::RedisError:
    return "RedisError";
  case StatusCode::TimedOut:
    return "TimedOut";
  case StatusCode::Interrupted:
    return "Interrupted";
  case StatusCode::IntentionalSystemExit:
    return "IntentionalSystemExit";
  case StatusCode::UnexpectedSystemExit:
    return "UnexpectedSystemExit";
  case StatusCode::CreationTaskError:
    return "CreationTaskError";
  case StatusCode::NotFound:
    return "NotFound";
  case StatusCode::Disconnected:
    return "Disconnected";
  case StatusCode::SchedulingCancelled:
    return "SchedulingCancelled";
  case StatusCode::AlreadyExists:
    return "AlreadyExists";
  case StatusCode::ObjectExists:
    return "ObjectExists";
  case StatusCode::ObjectNotFound:
    return "ObjectNotFound";
  case StatusCode::ObjectAlreadySealed:
    return "ObjectAlreadySealed";
  case StatusCode::ObjectStoreFull:
    return "ObjectStoreFull";
  case StatusCode::TransientObjectStoreFull:
    return "TransientObjectStoreFull";
  case StatusCode::OutOfDisk:
    return "OutOfDisk";
  case StatusCode::ObjectUnknownOwner:
    return "ObjectUnknownOwner";
  case StatusCode::RpcError:
    return "RpcError";
  case StatusCode::OutOfResource:
    return "OutOfResource";
  case StatusCode::ObjectRefEndOfStream:
    return "ObjectRefEndOfStream";
  case StatusCode::Unauthenticated:
    return "Unauthenticated";
  case StatusCode::InvalidArgument:
    return "InvalidArgument";
  case StatusCode::ChannelError:
    return "ChannelError";
  case StatusCode::ChannelTimeoutError:
    return "ChannelTimeoutError";
  case StatusCode::PermissionDenied:
    return "PermissionDenied";
  case StatusCode::GcsPassive:
    return "GcsPassive";
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
      {"OK", StatusCode::OK},
      {"Out of memory", StatusCode::OutOfMemory},
      {"Key error", StatusCode::KeyError},
      {"Type error", StatusCode::TypeError},
      {"Invalid", StatusCode::Invalid},
      {"IOError", StatusCode::IOError},
      {"Unknown error", StatusCode::UnknownError},
      {"NotImplemented", StatusCode::NotImplemented},
      {"RedisError", StatusCode::RedisError},
      {"TimedOut", StatusCode::TimedOut},
      {"Interrupted", StatusCode::Interrupted},
      {"IntentionalSystemExit", StatusCode::IntentionalSystemExit},
      {"UnexpectedSystemExit", StatusCode::UnexpectedSystemExit},
      {"CreationTaskError", StatusCode::CreationTaskError},
      {"NotFound", StatusCode::NotFound},
      {"Disconnected", StatusCode::Disconnected},
      {"SchedulingCancelled", StatusCode::SchedulingCancelled},
      {"AlreadyExists", StatusCode::AlreadyExists},
      {"ObjectExists", StatusCode::ObjectExists},
      {"ObjectNotFound", StatusCode::ObjectNotFound},
      {"ObjectAlreadySealed", StatusCode::ObjectAlreadySealed},
      {"ObjectStoreFull", StatusCode::ObjectStoreFull},
      {"TransientObjectStoreFull", StatusCode::TransientObjectStoreFull},
      {"OutOfDisk", StatusCode::OutOfDisk},
      {"ObjectUnknownOwner", StatusCode::ObjectUnknownOwner},
      {"RpcError", StatusCode::RpcError},
      {"OutOfResource", StatusCode::OutOfResource},
      {"ObjectRefEndOfStream", StatusCode::ObjectRefEndOfStream},
      {"Unauthenticated", StatusCode::Unauthenticated},
      {"InvalidArgument", StatusCode::InvalidArgument},
      {"ChannelError", StatusCode::ChannelError},
      {"ChannelTimeoutError", StatusCode::ChannelTimeoutError},
      {"PermissionDenied", StatusCode::PermissionDenied},
      {"GcsPassive", StatusCode::GcsPassive},
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
