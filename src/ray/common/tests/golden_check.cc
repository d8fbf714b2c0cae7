// golden_check: checks golden vector files (schema_version 1) against the
// linked implementation of Ray's common types, using only the public C++ API.
//
// Usage: golden_check [--verbose] FILE.json...
//
// Prints one line per failing case:
//   FAIL <section>[<index>] <what>: expected <x>, got <y>
// and ends with exactly "N passed, M failed".
// Exit status: 0 all passed, 1 some case failed, 2 unreadable input.

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "ray/common/id.h"
#include "ray/common/implementation.h"
#include "ray/common/source_location.h"
#include "ray/common/status.h"
#include "ray/util/logging.h"

namespace {

using json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------
// Small helpers.

std::string Quote(const std::string &s) {
  return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string BoolStr(bool b) { return b ? "true" : "false"; }

std::string BytesToHex(const std::string &bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool HexToBytes(const std::string &hex, std::string *out) {
  if (hex.size() % 2 != 0) return false;
  out->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexDigit(hex[i]);
    int lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>((hi << 4) | lo));
  }
  return true;
}

std::string U64Hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "0x%016llx", static_cast<unsigned long long>(v));
  return buf;
}

const char *LevelName(ray::RayLogLevel level) {
  switch (level) {
  case ray::RayLogLevel::DEBUG:
    return "DEBUG";
  case ray::RayLogLevel::INFO:
    return "INFO";
  case ray::RayLogLevel::WARNING:
    return "WARNING";
  case ray::RayLogLevel::ERROR:
    return "ERROR";
  case ray::RayLogLevel::FATAL:
    return "FATAL";
  default:
    return "LOG";
  }
}

std::vector<std::string> *g_captured_logs = nullptr;

void CapturingSink(ray::RayLogLevel level, const std::string &message) {
  if (g_captured_logs != nullptr) {
    g_captured_logs->push_back(std::string("[") + LevelName(level) + "] " + message);
  }
}

// Runs `fn` with log capture; returns the captured lines joined by '\n'.
template <typename F>
std::string CaptureLogs(F &&fn) {
  std::vector<std::string> lines;
  g_captured_logs = &lines;
  ray::RayLog::Sink previous = ray::RayLog::SetSink(&CapturingSink);
  fn();
  ray::RayLog::SetSink(previous);
  g_captured_logs = nullptr;
  std::string joined;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) joined += "\n";
    joined += lines[i];
  }
  return joined;
}

struct ChildOutcome {
  bool started = false;
  bool abnormal = false;
  std::string description;  // how the child ended
  std::string stderr_text;
};

// Runs `fn` in a forked child whose stderr goes to a pipe read by the parent.
ChildOutcome RunInChild(const std::function<void()> &fn) {
  ChildOutcome outcome;
  std::fflush(stdout);
  std::fflush(stderr);
  std::cout.flush();
  std::cerr.flush();
  int fds[2];
  if (pipe(fds) != 0) {
    outcome.description = std::string("pipe() failed: ") + std::strerror(errno);
    return outcome;
  }
  pid_t pid = fork();
  if (pid < 0) {
    outcome.description = std::string("fork() failed: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return outcome;
  }
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDERR_FILENO);
    close(fds[1]);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
      dup2(devnull, STDOUT_FILENO);
      close(devnull);
    }
    struct rlimit no_core;
    no_core.rlim_cur = 0;
    no_core.rlim_max = 0;
    setrlimit(RLIMIT_CORE, &no_core);
    ray::RayLog::SetSink(nullptr);
    fn();
    std::fflush(stderr);
    _exit(0);
  }
  close(fds[1]);
  outcome.started = true;
  char buf[4096];
  while (true) {
    ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n > 0) {
      outcome.stderr_text.append(buf, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      outcome.description = std::string("waitpid() failed: ") + std::strerror(errno);
      return outcome;
    }
  }
  if (WIFSIGNALED(status)) {
    outcome.abnormal = true;
    outcome.description = "killed by signal " + std::to_string(WTERMSIG(status));
  } else if (WIFEXITED(status)) {
    outcome.abnormal = WEXITSTATUS(status) != 0;
    outcome.description = "exited with status " + std::to_string(WEXITSTATUS(status));
  } else {
    outcome.description = "ended in an unexpected way";
  }
  return outcome;
}

// ---------------------------------------------------------------------------
// Result bookkeeping.

struct Counts {
  long passed = 0;
  long failed = 0;
};

class Report {
 public:
  explicit Report(bool verbose) : verbose_(verbose) {}

  void Record(const std::string &section, bool ok) {
    Counts &c = SectionCounts(section);
    if (ok) {
      ++c.passed;
      ++total_.passed;
    } else {
      ++c.failed;
      ++total_.failed;
    }
  }

  void Skip(const std::string &section, long cases, const std::string &why) {
    std::cout << "SKIP " << section << ": " << cases << " case(s), " << why << "\n";
  }

  void Unknown(const std::string &what) {
    std::cout << "UNKNOWN section " << what << "\n";
    Record(what, false);
  }

  void StartFile(const std::string &path) {
    order_.clear();
    sections_.clear();
    file_ = path;
    if (verbose_) std::cout << "== " << file_ << "\n";
  }

  void EndFile() {
    if (!verbose_) return;
    std::cout << "-- per-section counts for " << file_ << "\n";
    for (const std::string &name : order_) {
      const Counts &c = sections_[name];
      std::cout << "  " << name << ": " << c.passed << " passed, " << c.failed
                << " failed\n";
    }
  }

  const Counts &total() const { return total_; }

 private:
  Counts &SectionCounts(const std::string &section) {
    auto it = sections_.find(section);
    if (it == sections_.end()) {
      order_.push_back(section);
      it = sections_.emplace(section, Counts()).first;
    }
    return it->second;
  }

  bool verbose_;
  std::string file_;
  Counts total_;
  std::vector<std::string> order_;
  std::map<std::string, Counts> sections_;
};

// State of one case; shared by the object views of its nested objects.
struct CaseState {
  std::string section;
  std::string index;
  bool failed = false;

  void Fail(const std::string &what, const std::string &expected, const std::string &got) {
    failed = true;
    std::cout << "FAIL " << section << "[" << index << "] " << what << ": expected "
              << expected << ", got " << got << "\n";
  }

  void UnknownKey(const std::string &path) {
    failed = true;
    std::cout << "UNKNOWN key " << section << "[" << index << "]." << path << "\n";
  }

  // For cases whose index already names the key.
  void UnknownEntry() {
    failed = true;
    std::cout << "UNKNOWN key " << section << "." << index << "\n";
  }
};

// A view on one JSON object of a case. Every key read is marked as used;
// Done() reports the keys nobody read.
class Obj {
 public:
  Obj(CaseState *state, const json *value, std::string prefix)
      : state_(state), value_(value), prefix_(std::move(prefix)) {}

  bool valid() const { return value_ != nullptr && value_->is_object(); }
  CaseState &state() { return *state_; }

  std::string Path(const std::string &key) const { return prefix_ + key; }

  void Fail(const std::string &what, const std::string &expected, const std::string &got) {
    state_->Fail(what, expected, got);
  }

  bool Has(const std::string &key) const {
    return valid() && value_->find(key) != value_->end();
  }

  // Marks the key as used and returns it; a missing key is a failure.
  const json *Get(const std::string &key) {
    used_.insert(key);
    if (!valid()) return nullptr;
    auto it = value_->find(key);
    if (it == value_->end()) {
      Fail(Path(key), "key present", "missing key");
      return nullptr;
    }
    return &*it;
  }

  // Marks the key as used; absence is not a failure.
  const json *GetOptional(const std::string &key) {
    used_.insert(key);
    if (!valid()) return nullptr;
    auto it = value_->find(key);
    return it == value_->end() ? nullptr : &*it;
  }

  void Ignore(const std::string &key) { used_.insert(key); }

  bool Str(const std::string &key, std::string *out) {
    const json *v = Get(key);
    if (v == nullptr) return false;
    if (!v->is_string()) {
      Fail(Path(key), "a string", v->dump());
      return false;
    }
    *out = v->get<std::string>();
    return true;
  }

  bool Bool(const std::string &key, bool *out) {
    const json *v = Get(key);
    if (v == nullptr) return false;
    if (!v->is_boolean()) {
      Fail(Path(key), "a boolean", v->dump());
      return false;
    }
    *out = v->get<bool>();
    return true;
  }

  bool U64(const std::string &key, uint64_t *out) {
    const json *v = Get(key);
    if (v == nullptr) return false;
    if (v->is_number_unsigned()) {
      *out = v->get<uint64_t>();
      return true;
    }
    if (v->is_number_integer() && v->get<int64_t>() >= 0) {
      *out = static_cast<uint64_t>(v->get<int64_t>());
      return true;
    }
    Fail(Path(key), "a non-negative integer", v->dump());
    return false;
  }

  bool I64(const std::string &key, int64_t *out) {
    const json *v = Get(key);
    if (v == nullptr) return false;
    if (v->is_number_unsigned() &&
        v->get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)) {
      *out = static_cast<int64_t>(v->get<uint64_t>());
      return true;
    }
    if (v->is_number_integer() && !v->is_number_unsigned()) {
      *out = v->get<int64_t>();
      return true;
    }
    Fail(Path(key), "an integer", v->dump());
    return false;
  }

  void ExpectStr(const std::string &key, const std::string &got) {
    std::string expected;
    if (Str(key, &expected) && expected != got) {
      Fail(Path(key), Quote(expected), Quote(got));
    }
  }

  void ExpectHash(const std::string &key, uint64_t got) {
    ExpectStr(key, std::to_string(got));
  }

  void ExpectBool(const std::string &key, bool got) {
    bool expected = false;
    if (Bool(key, &expected) && expected != got) {
      Fail(Path(key), BoolStr(expected), BoolStr(got));
    }
  }

  void ExpectInt(const std::string &key, int64_t got) {
    int64_t expected = 0;
    if (I64(key, &expected) && expected != got) {
      Fail(Path(key), std::to_string(expected), std::to_string(got));
    }
  }

  void ExpectU64(const std::string &key, uint64_t got) {
    uint64_t expected = 0;
    if (U64(key, &expected) && expected != got) {
      Fail(Path(key), std::to_string(expected), std::to_string(got));
    }
  }

  // A nested object view. A missing or non-object value is a failure.
  Obj Sub(const std::string &key) {
    const json *v = Get(key);
    if (v != nullptr && !v->is_object()) {
      Fail(Path(key), "an object", v->dump());
      v = nullptr;
    }
    return Obj(state_, v, Path(key) + ".");
  }

  // Reports every key that was not read.
  void Done() {
    if (!valid()) return;
    for (auto it = value_->begin(); it != value_->end(); ++it) {
      if (used_.count(it.key()) == 0) state_->UnknownKey(prefix_ + it.key());
    }
  }

  // Parses a hex field as an ID of type T (size checked, so never fatal).
  template <typename T>
  bool Id(const std::string &key, T *out) {
    std::string hex;
    if (!Str(key, &hex)) return false;
    std::string bytes;
    if (!HexToBytes(hex, &bytes) || bytes.size() != T::Size()) {
      Fail(Path(key), "hex of " + std::to_string(T::Size()) + " bytes", Quote(hex));
      return false;
    }
    *out = T::FromBinary(bytes);
    return true;
  }

 private:
  CaseState *state_;
  const json *value_;
  std::string prefix_;
  std::set<std::string> used_;
};

// Runs one case: `fn(Obj&)` performs the checks. Exceptions become failures.
template <typename F>
void RunCase(Report &report, const std::string &section, const std::string &index,
             const json &value, F &&fn) {
  CaseState state;
  state.section = section;
  state.index = index;
  if (!value.is_object()) {
    state.Fail("case", "an object", value.dump(-1, ' ', false, json::error_handler_t::replace));
  } else {
    Obj obj(&state, &value, "");
    try {
      fn(obj);
      obj.Done();
    } catch (const std::exception &e) {
      state.Fail("case", "no exception", Quote(e.what()));
    }
  }
  report.Record(section, !state.failed);
}

// Runs a case whose value is not an object (e.g. an entry of a string map).
template <typename F>
void RunScalarCase(Report &report, const std::string &section, const std::string &index,
                   F &&fn) {
  CaseState state;
  state.section = section;
  state.index = index;
  try {
    fn(state);
  } catch (const std::exception &e) {
    state.Fail("case", "no exception", Quote(e.what()));
  }
  report.Record(section, !state.failed);
}

// Calls fn with a default-constructed value of the named ID type.
template <typename F>
bool WithIdType(const std::string &name, F &&fn) {
  if (name == "UniqueID") {
    fn(ray::UniqueID());
  } else if (name == "JobID") {
    fn(ray::JobID());
  } else if (name == "ActorID") {
    fn(ray::ActorID());
  } else if (name == "TaskID") {
    fn(ray::TaskID());
  } else if (name == "ObjectID") {
    fn(ray::ObjectID());
  } else if (name == "PlacementGroupID") {
    fn(ray::PlacementGroupID());
  } else if (name == "LeaseID") {
    fn(ray::LeaseID());
  } else if (name == "WorkerID") {
    fn(ray::WorkerID());
  } else if (name == "NodeID") {
    fn(ray::NodeID());
  } else if (name == "FunctionID") {
    fn(ray::FunctionID());
  } else if (name == "ActorClassID") {
    fn(ray::ActorClassID());
  } else if (name == "ConfigID") {
    fn(ray::ConfigID());
  } else if (name == "ClusterID") {
    fn(ray::ClusterID());
  } else {
    return false;
  }
  return true;
}

template <typename T>
void CheckIdBasics(Obj &o, const T &id) {
  o.ExpectStr("hex", id.Hex());
  o.ExpectHash("hash", id.Hash());
  o.ExpectBool("is_nil", id.IsNil());
}

// job_id_hex: null (or absent) exactly when the actor part is nil.
void CheckJobIdOfActorPart(Obj &o, const ray::ActorID &actor,
                           const std::function<ray::JobID()> &job_of) {
  const json *v = o.GetOptional("job_id_hex");
  bool expect_null = v == nullptr || v->is_null();
  if (expect_null) {
    if (!actor.IsNil()) {
      o.Fail(o.Path("job_id_hex"), "null (actor part nil)", Quote(job_of().Hex()));
    }
    return;
  }
  if (!v->is_string()) {
    o.Fail(o.Path("job_id_hex"), "a string or null", v->dump());
    return;
  }
  if (actor.IsNil()) {
    o.Fail(o.Path("job_id_hex"), Quote(v->get<std::string>()),
           "null (actor part nil, JobId() would be fatal)");
    return;
  }
  std::string got = job_of().Hex();
  if (got != v->get<std::string>()) {
    o.Fail(o.Path("job_id_hex"), Quote(v->get<std::string>()), Quote(got));
  }
}

// The TaskJ record of the schema.
void CheckTaskJ(Obj &o, const ray::TaskID &task) {
  CheckIdBasics(o, task);
  ray::ActorID actor = task.ActorId();
  o.ExpectStr("actor_id_hex", actor.Hex());
  o.ExpectBool("is_for_actor_creation_task", task.IsForActorCreationTask());
  CheckJobIdOfActorPart(o, actor, [&task]() { return task.JobId(); });
}

// Compares a child's outcome with an expected RAY_CHECK failure message.
void ExpectDeath(Obj &o, const std::string &what, const ChildOutcome &child,
                 const std::string &message) {
  std::string expected = "abnormal termination with stderr containing " + Quote(message);
  if (!child.started) {
    o.Fail(what, expected, child.description);
    return;
  }
  if (!child.abnormal || child.stderr_text.find(message) == std::string::npos) {
    o.Fail(what, expected, child.description + " with stderr " + Quote(child.stderr_text));
  }
}

// ---------------------------------------------------------------------------
// A small evaluator for the ID expressions used as labels (ostream section).

struct Value {
  enum Kind { kId, kInt, kString } kind = kInt;
  std::string type;   // kId
  std::string bytes;  // kId
  uint64_t number = 0;
  std::string text;
};

template <typename T>
Value IdValue(const std::string &type, const T &id) {
  Value v;
  v.kind = Value::kId;
  v.type = type;
  v.bytes = id.Binary();
  return v;
}

class ExprParser {
 public:
  explicit ExprParser(const std::string &s) : s_(s) {}

  bool Parse(Value *out, std::string *error) {
    try {
      *out = ParseExpr();
      SkipSpace();
      if (pos_ != s_.size()) throw std::runtime_error("trailing text");
      return true;
    } catch (const std::exception &e) {
      *error = e.what();
      return false;
    }
  }

 private:
  void SkipSpace() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }

  bool Eat(const std::string &tok) {
    SkipSpace();
    if (s_.compare(pos_, tok.size(), tok) == 0) {
      pos_ += tok.size();
      return true;
    }
    return false;
  }

  void Expect(const std::string &tok) {
    if (!Eat(tok)) throw std::runtime_error("expected '" + tok + "'");
  }

  std::string Ident() {
    SkipSpace();
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
                                s_[pos_] == '_')) {
      ++pos_;
    }
    if (start == pos_) throw std::runtime_error("expected an identifier");
    return s_.substr(start, pos_ - start);
  }

  Value ParseExpr() {
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '"') {
      ++pos_;
      Value v;
      v.kind = Value::kString;
      while (pos_ < s_.size() && s_[pos_] != '"') v.text.push_back(s_[pos_++]);
      Expect("\"");
      return v;
    }
    if (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
      size_t used = 0;
      Value v;
      v.kind = Value::kInt;
      v.number = std::stoull(s_.substr(pos_), &used, 0);
      pos_ += used;
      return v;
    }
    Eat("ray::");
    std::string type = Ident();
    if (type == "kGCSNodeID") return IdValue("NodeID", ray::kGCSNodeID);
    std::string func;
    if (Eat("::")) func = Ident();
    std::vector<Value> args;
    Expect("(");
    if (!Eat(")")) {
      do {
        args.push_back(ParseExpr());
      } while (Eat(","));
      Expect(")");
    }
    return Apply(type, func, args);
  }

  template <typename T>
  static T As(const Value &v, const std::string &type) {
    if (v.kind != Value::kId || v.type != type) {
      throw std::runtime_error("argument is not a " + type);
    }
    return T::FromBinary(v.bytes);
  }

  static uint64_t Num(const Value &v) {
    if (v.kind != Value::kInt) throw std::runtime_error("argument is not a number");
    return v.number;
  }

  static void Arity(const std::vector<Value> &args, size_t n) {
    if (args.size() != n) throw std::runtime_error("wrong number of arguments");
  }

  Value Apply(const std::string &type, const std::string &func,
              const std::vector<Value> &args) {
    Value result;
    bool handled = false;
    if (type == "ComputeDriverIdFromJob" && func.empty()) {
      Arity(args, 1);
      return IdValue("WorkerID", ray::ComputeDriverIdFromJob(As<ray::JobID>(args[0], "JobID")));
    }
    if (func.empty() || func == "Nil" || func == "FromHex") {
      bool known = WithIdType(type, [&](auto tag) {
        using T = decltype(tag);
        if (func.empty() || func == "Nil") {
          Arity(args, 0);
          result = IdValue(type, func.empty() ? T() : T::Nil());
        } else {
          Arity(args, 1);
          if (args[0].kind != Value::kString) throw std::runtime_error("FromHex needs a string");
          std::string bytes;
          if (!HexToBytes(args[0].text, &bytes) || bytes.size() != T::Size()) {
            throw std::runtime_error("invalid hex literal");
          }
          result = IdValue(type, T::FromBinary(bytes));
        }
      });
      if (!known) throw std::runtime_error("unknown type " + type);
      return result;
    }
    if (type == "JobID" && func == "FromInt") {
      Arity(args, 1);
      result = IdValue(type, ray::JobID::FromInt(static_cast<uint32_t>(Num(args[0]))));
      handled = true;
    } else if (type == "ActorID" && func == "NilFromJob") {
      Arity(args, 1);
      result = IdValue(type, ray::ActorID::NilFromJob(As<ray::JobID>(args[0], "JobID")));
      handled = true;
    } else if (type == "TaskID" && func == "ForDriverTask") {
      Arity(args, 1);
      result = IdValue(type, ray::TaskID::ForDriverTask(As<ray::JobID>(args[0], "JobID")));
      handled = true;
    } else if (type == "TaskID" && func == "ForActorCreationTask") {
      Arity(args, 1);
      result = IdValue(type,
                       ray::TaskID::ForActorCreationTask(As<ray::ActorID>(args[0], "ActorID")));
      handled = true;
    } else if (type == "TaskID" && func == "ForNormalTask") {
      Arity(args, 3);
      result = IdValue(type, ray::TaskID::ForNormalTask(As<ray::JobID>(args[0], "JobID"),
                                                        As<ray::TaskID>(args[1], "TaskID"),
                                                        Num(args[2])));
      handled = true;
    } else if (type == "TaskID" && func == "ForActorTask") {
      Arity(args, 4);
      result = IdValue(
          type, ray::TaskID::ForActorTask(As<ray::JobID>(args[0], "JobID"),
                                          As<ray::TaskID>(args[1], "TaskID"), Num(args[2]),
                                          As<ray::ActorID>(args[3], "ActorID")));
      handled = true;
    } else if (type == "TaskID" && func == "ForExecutionAttempt") {
      Arity(args, 2);
      result = IdValue(type, ray::TaskID::ForExecutionAttempt(
                                 As<ray::TaskID>(args[0], "TaskID"), Num(args[1])));
      handled = true;
    } else if (type == "TaskID" && func == "ComputeDriverTaskId") {
      Arity(args, 1);
      result = IdValue(type,
                       ray::TaskID::ComputeDriverTaskId(As<ray::WorkerID>(args[0], "WorkerID")));
      handled = true;
    } else if (type == "ObjectID" && func == "FromIndex") {
      Arity(args, 2);
      uint64_t index = Num(args[1]);
      if (index < 1 || index > ray::ObjectID::MaxObjectIndex()) {
        throw std::runtime_error("object index out of range");
      }
      result = IdValue(type, ray::ObjectID::FromIndex(As<ray::TaskID>(args[0], "TaskID"),
                                                      static_cast<ray::ObjectIDIndexType>(index)));
      handled = true;
    } else if (type == "ObjectID" && func == "ForActorHandle") {
      Arity(args, 1);
      result = IdValue(type, ray::ObjectID::ForActorHandle(As<ray::ActorID>(args[0], "ActorID")));
      handled = true;
    } else if (type == "LeaseID" && func == "FromWorker") {
      Arity(args, 2);
      result = IdValue(type, ray::LeaseID::FromWorker(As<ray::WorkerID>(args[0], "WorkerID"),
                                                      static_cast<uint32_t>(Num(args[1]))));
      handled = true;
    }
    if (!handled) {
      throw std::runtime_error("unsupported expression " + type + "::" + func);
    }
    return result;
  }

  const std::string &s_;
  size_t pos_ = 0;
};

// ---------------------------------------------------------------------------
// Status tables.

using StatusFactory = ray::Status (*)(const std::string &msg, int rpc_code);
using StatusPredicate = bool (ray::Status::*)() const;

struct StatusKind {
  const char *name;
  ray::StatusCode code;
  StatusFactory make;
  StatusPredicate is;
};

#define GOLDEN_STATUS_KIND(NAME)                                                       \
  StatusKind{#NAME, ray::StatusCode::NAME,                                             \
             [](const std::string &m, int) { return ray::Status::NAME(m); },           \
             &ray::Status::Is##NAME}

const std::vector<StatusKind> &StatusKinds() {
  static const std::vector<StatusKind> kinds = {
      StatusKind{"OK", ray::StatusCode::OK,
                 [](const std::string &, int) { return ray::Status::OK(); },
                 &ray::Status::ok},
      GOLDEN_STATUS_KIND(OutOfMemory),
      GOLDEN_STATUS_KIND(KeyError),
      GOLDEN_STATUS_KIND(TypeError),
      GOLDEN_STATUS_KIND(Invalid),
      GOLDEN_STATUS_KIND(IOError),
      GOLDEN_STATUS_KIND(UnknownError),
      GOLDEN_STATUS_KIND(NotImplemented),
      GOLDEN_STATUS_KIND(RedisError),
      GOLDEN_STATUS_KIND(TimedOut),
      GOLDEN_STATUS_KIND(Interrupted),
      GOLDEN_STATUS_KIND(IntentionalSystemExit),
      GOLDEN_STATUS_KIND(UnexpectedSystemExit),
      GOLDEN_STATUS_KIND(CreationTaskError),
      GOLDEN_STATUS_KIND(NotFound),
      GOLDEN_STATUS_KIND(Disconnected),
      GOLDEN_STATUS_KIND(SchedulingCancelled),
      GOLDEN_STATUS_KIND(AlreadyExists),
      GOLDEN_STATUS_KIND(ObjectExists),
      GOLDEN_STATUS_KIND(ObjectNotFound),
      GOLDEN_STATUS_KIND(ObjectAlreadySealed),
      GOLDEN_STATUS_KIND(ObjectStoreFull),
      GOLDEN_STATUS_KIND(TransientObjectStoreFull),
      GOLDEN_STATUS_KIND(OutOfDisk),
      GOLDEN_STATUS_KIND(ObjectUnknownOwner),
      StatusKind{"RpcError", ray::StatusCode::RpcError,
                 [](const std::string &m, int rpc) { return ray::Status::RpcError(m, rpc); },
                 &ray::Status::IsRpcError},
      GOLDEN_STATUS_KIND(OutOfResource),
      GOLDEN_STATUS_KIND(ObjectRefEndOfStream),
      GOLDEN_STATUS_KIND(Unauthenticated),
      GOLDEN_STATUS_KIND(InvalidArgument),
      GOLDEN_STATUS_KIND(ChannelError),
      GOLDEN_STATUS_KIND(ChannelTimeoutError),
      GOLDEN_STATUS_KIND(PermissionDenied),
      GOLDEN_STATUS_KIND(GcsPassive),
  };
  return kinds;
}

#undef GOLDEN_STATUS_KIND

ray::StatusCode CodeOf(int64_t value) {
  return static_cast<ray::StatusCode>(static_cast<char>(value));
}

int CodeValue(const ray::Status &s) { return static_cast<int>(static_cast<char>(s.code())); }

// Compares every field of an `examples` record with a Status.
void CheckStatusRecord(Obj &o, const ray::Status &s) {
  o.ExpectBool("ok", s.ok());
  o.ExpectInt("code", CodeValue(s));
  o.ExpectStr("code_as_string", s.CodeAsString());
  o.ExpectStr("message", s.message());
  o.ExpectInt("rpc_code", s.rpc_code());
  o.ExpectStr("to_string", s.ToString());
}

// Evaluates the Status expressions used as example labels. `chain` carries the
// previous example (for the copy/move records).
struct StatusChain {
  ray::Status previous;
  ray::Status moved_from;
};

// Parses a Status expression as the spec's schema writes example labels:
//   Status()  Status::OK()  Status::<Factory>("msg")  Status::RpcError("msg", N)
//   Status(<code>, "msg"[, SourceLocation("file", L)][, rpc_code])
// where <code> is StatusCode::<Name> or static_cast<StatusCode>(N); then any
// number of `<< "text"` / `<< N` appends, and at most one trailing comment in
// parentheses. Strings are C string literals; numbers are any int (negative
// and 10-digit lines included). A code outside the 8-bit range wraps as the
// cast does in C++.
class StatusLabelParser {
 public:
  explicit StatusLabelParser(const std::string &label) : s_(label) {}

  bool Parse(ray::Status *out, std::string *error) {
    try {
      *out = ParseStatus();
      while (Eat("<<")) {
        // Appending to an OK Status is fatal in Ray; reject it instead.
        if (out->ok()) throw std::runtime_error("'<<' on an OK Status");
        SkipSpace();
        if (Peek() == '"') {
          *out << ParseString();
        } else {
          *out << ParseInt();
        }
      }
      SkipSpace();
      if (Peek() == '(' && s_.back() == ')') {
        pos_ = s_.size();  // a trailing comment
      }
      if (pos_ != s_.size()) {
        throw std::runtime_error("unexpected text at " + std::to_string(pos_));
      }
      return true;
    } catch (const std::exception &e) {
      *error = e.what();
      return false;
    }
  }

 private:
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

  void SkipSpace() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }

  bool Eat(const std::string &token) {
    SkipSpace();
    if (s_.compare(pos_, token.size(), token) == 0) {
      pos_ += token.size();
      return true;
    }
    return false;
  }

  void Expect(const std::string &token) {
    if (!Eat(token)) {
      throw std::runtime_error("expected '" + token + "' at " + std::to_string(pos_));
    }
  }

  std::string Ident() {
    SkipSpace();
    size_t start = pos_;
    while (std::isalnum(static_cast<unsigned char>(Peek())) || Peek() == '_') ++pos_;
    if (start == pos_) throw std::runtime_error("expected a name at " + std::to_string(start));
    return s_.substr(start, pos_ - start);
  }

  // A decimal int literal, optionally negative.
  int ParseInt() {
    SkipSpace();
    size_t start = pos_;
    if (Peek() == '-') ++pos_;
    while (std::isdigit(static_cast<unsigned char>(Peek()))) ++pos_;
    const std::string digits = s_.substr(start, pos_ - start);
    if (digits.empty() || digits == "-") {
      throw std::runtime_error("expected an integer at " + std::to_string(start));
    }
    errno = 0;
    char *end = nullptr;
    const long long value = std::strtoll(digits.c_str(), &end, 10);
    if (errno == ERANGE || value < std::numeric_limits<int>::min() ||
        value > std::numeric_limits<int>::max()) {
      throw std::runtime_error(digits + " is not an int");
    }
    return static_cast<int>(value);
  }

  int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // A C string literal: the bytes between the quotes, escapes decoded.
  std::string ParseString() {
    Expect("\"");
    std::string text;
    while (true) {
      if (pos_ >= s_.size()) throw std::runtime_error("unterminated string");
      char c = s_[pos_++];
      if (c == '"') return text;
      if (c != '\\') {
        text.push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) throw std::runtime_error("unterminated escape");
      char e = s_[pos_++];
      switch (e) {
      case 'n':
        text.push_back('\n');
        break;
      case 't':
        text.push_back('\t');
        break;
      case 'r':
        text.push_back('\r');
        break;
      case '0':
        text.push_back('\0');
        break;
      case '\\':
      case '"':
      case '\'':
        text.push_back(e);
        break;
      case 'x': {
        int value = 0;
        int digits = 0;
        while (digits < 2 && pos_ < s_.size() && HexDigit(s_[pos_]) >= 0) {
          value = value * 16 + HexDigit(s_[pos_++]);
          ++digits;
        }
        if (digits == 0) throw std::runtime_error("\\x without hex digits");
        text.push_back(static_cast<char>(value));
        break;
      }
      default:
        throw std::runtime_error(std::string("unknown escape \\") + e);
      }
    }
  }

  ray::StatusCode ParseCode() {
    if (Eat("static_cast<StatusCode>(") || Eat("static_cast<ray::StatusCode>(")) {
      const int value = ParseInt();
      Expect(")");
      return static_cast<ray::StatusCode>(static_cast<char>(value));
    }
    if (!Eat("StatusCode::")) Expect("ray::StatusCode::");
    const std::string name = Ident();
    for (const StatusKind &kind : StatusKinds()) {
      if (name == kind.name) return kind.code;
    }
    throw std::runtime_error("unknown StatusCode::" + name);
  }

  // SourceLocation keeps a view of its file name: the names live as long as
  // the checker.
  static std::string_view KeepFileName(std::string name) {
    static std::deque<std::string> names;
    names.push_back(std::move(name));
    return names.back();
  }

  ray::Status ParseStatus() {
    Eat("ray::");
    Expect("Status");
    if (Eat("::")) {
      const std::string factory = Ident();
      Expect("(");
      if (factory == "OK") {
        Expect(")");
        return ray::Status::OK();
      }
      const std::string message = ParseString();
      int rpc_code = -1;
      if (factory == "RpcError") {
        Expect(",");
        rpc_code = ParseInt();
      }
      Expect(")");
      for (const StatusKind &kind : StatusKinds()) {
        if (factory == kind.name) return kind.make(message, rpc_code);
      }
      throw std::runtime_error("unknown factory Status::" + factory);
    }
    Expect("(");
    if (Eat(")")) return ray::Status();
    const ray::StatusCode code = ParseCode();
    Expect(",");
    const std::string message = ParseString();
    bool has_location = false;
    ray::SourceLocation location;
    int rpc_code = -1;
    while (Eat(",")) {
      if (Eat("SourceLocation(") || Eat("ray::SourceLocation(")) {
        if (has_location) throw std::runtime_error("two source locations");
        has_location = true;
        std::string file = ParseString();
        Expect(",");
        const int line = ParseInt();
        Expect(")");
        location = ray::SourceLocation(KeepFileName(std::move(file)), line);
      } else {
        rpc_code = ParseInt();
        Expect(")");
        return has_location ? ray::Status(code, message, location, rpc_code)
                            : ray::Status(code, message, rpc_code);
      }
    }
    Expect(")");
    return has_location ? ray::Status(code, message, location, rpc_code)
                        : ray::Status(code, message, rpc_code);
  }

  const std::string &s_;
  size_t pos_ = 0;
};

// The example labels that refer to the previous record; any other label is a
// Status expression.
bool EvalStatusLabel(const std::string &label, StatusChain *chain, ray::Status *out,
                     std::string *error) {
  using ray::Status;
  if (label == "copy of previous") {
    Status copy(chain->previous);
    *out = copy;
  } else if (label == "moved-from previous (moved-to value)") {
    chain->moved_from = chain->previous;
    Status target(std::move(chain->moved_from));
    *out = target;
  } else if (label == "moved-from object") {
    *out = chain->moved_from;
  } else {
    return StatusLabelParser(label).Parse(out, error);
  }
  return true;
}

// ---------------------------------------------------------------------------
// Section checkers.

class FileChecker {
 public:
  FileChecker(Report &report, const json &root) : report_(report), root_(root) {}

  void Run() {
    for (auto it = root_.begin(); it != root_.end(); ++it) {
      const std::string &name = it.key();
      const json &value = it.value();
      if (name == "meta") {
        CheckMeta(value);
      } else if (name == "constants") {
        CheckConstants(value);
      } else if (name == "murmurhash64a") {
        ForEach(name, value, [this](Obj &o) { CheckMurmur(o); });
      } else if (name == "generate_unique_bytes") {
        ForEach(name, value, [this](Obj &o) { CheckGub(o); });
      } else if (name == "thirdparty_sha256") {
        report_.Skip(name, value.is_array() ? static_cast<long>(value.size()) : 1,
                     "SHA-256 itself is not part of the public API (it is covered through "
                     "generate_unique_bytes)");
      } else if (name == "jobs") {
        ForEach(name, value, [this](Obj &o) { CheckJob(o); });
      } else if (name == "actors_fixed_time") {
        ForEach(name, value, [this](Obj &o) { CheckActorFixedTime(o); });
      } else if (name == "normal_tasks") {
        ForEach(name, value, [this](Obj &o) { CheckNormalTask(o); });
      } else if (name == "execution_attempts") {
        ForEach(name, value, [this](Obj &o) { CheckExecutionAttempt(o); });
      } else if (name == "objects_from_index") {
        ForEach(name, value, [this](Obj &o) { CheckObjectFromIndex(o); });
      } else if (name == "object_from_index_0") {
        RunCase(report_, name, "0", value, [this](Obj &o) { CheckObjectFromIndexZero(o); });
      } else if (name == "fixed_binary_ids") {
        ForEach(name, value, [this](Obj &o) { CheckFixedBinary(o); });
      } else if (name == "nil_ids") {
        ForEachEntry(name, value, [this](const std::string &type, Obj &o) {
          CheckNilId(type, o);
        });
      } else if (name == "compute_driver_task_id") {
        ForEach(name, value, [this](Obj &o) { CheckComputeDriverTaskId(o); });
      } else if (name == "lease_ids_from_worker") {
        ForEach(name, value, [this](Obj &o) { CheckLeaseFromWorker(o); });
      } else if (name == "placement_group_fixed_binary") {
        ForEach(name, value, [this](Obj &o) { CheckPlacementGroupFixed(o); });
      } else if (name == "kGCSNodeID") {
        RunCase(report_, name, "0", value, [](Obj &o) { CheckIdBasics(o, ray::kGCSNodeID); });
      } else if (name == "from_hex_cases") {
        ForEach(name, value, [this](Obj &o) { CheckFromHex(o); });
      } else if (name == "from_binary_cases") {
        ForEach(name, value, [this](Obj &o) { CheckFromBinary(o); });
      } else if (name == "ostream") {
        ForEach(name, value, [this](Obj &o) { CheckOstream(o); });
      } else if (name == "random_and_clock_derivations") {
        CheckRandom(name, value);
      } else if (name == "status") {
        CheckStatusSection(value);
      } else if (IsStatusTable(name)) {
        CheckStatusTable(name, name, value);
      } else {
        report_.Unknown(name);
      }
    }
  }

 private:
  // -- iteration ------------------------------------------------------------

  template <typename F>
  void ForEach(const std::string &section, const json &value, F &&fn) {
    if (!value.is_array()) {
      RunScalarCase(report_, section, "*", [&](CaseState &s) {
        s.Fail("section", "an array", value.is_object() ? "an object" : value.dump());
      });
      return;
    }
    for (size_t i = 0; i < value.size(); ++i) {
      RunCase(report_, section, std::to_string(i), value[i], fn);
    }
  }

  template <typename F>
  void ForEachEntry(const std::string &section, const json &value, F &&fn) {
    if (!value.is_object()) {
      RunScalarCase(report_, section, "*", [&](CaseState &s) {
        s.Fail("section", "an object", value.dump());
      });
      return;
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string key = it.key();
      RunCase(report_, section, key, it.value(), [&](Obj &o) { fn(key, o); });
    }
  }

  // -- meta / constants -----------------------------------------------------

  void CheckMeta(const json &value) {
    RunCase(report_, "meta", "0", value, [](Obj &o) {
      int64_t version = 0;
      if (o.I64("schema_version", &version) && version != 1) {
        o.Fail("schema_version", "1 (the schema this checker knows)", std::to_string(version));
      }
      for (const char *key : {"mode", "source", "hash_values_are", "notes"}) o.Ignore(key);
      const json *order = o.GetOptional("byte_order");
      if (order != nullptr) {
        if (!order->is_string()) {
          o.Fail("byte_order", "a string", order->dump());
        } else {
          uint16_t probe = 1;
          unsigned char first = 0;
          std::memcpy(&first, &probe, 1);
          bool host_little = first == 1;
          bool file_little = order->get<std::string>().find("little") != std::string::npos;
          if (host_little != file_little) {
            o.Fail("byte_order", Quote(order->get<std::string>()),
                   host_little ? "a little-endian host" : "a big-endian host");
          }
        }
      }
    });
  }

  void CheckConstants(const json &value) {
    const std::string section = "constants";
    if (!value.is_object()) {
      RunScalarCase(report_, section, "*",
                    [&](CaseState &s) { s.Fail("section", "an object", value.dump()); });
      return;
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string key = it.key();
      const json &v = it.value();
      if (key == "binary_sizes" || key == "in_memory_sizes") {
        if (!v.is_object()) {
          RunScalarCase(report_, section, key,
                        [&](CaseState &s) { s.Fail(key, "an object", v.dump()); });
          continue;
        }
        for (auto e = v.begin(); e != v.end(); ++e) {
          const std::string name = e.key();
          const json &n = e.value();
          RunScalarCase(report_, section, key + "." + name, [&](CaseState &s) {
            if (key == "in_memory_sizes" && name == "note") return;
            std::string type = name;
            if (key == "in_memory_sizes") {
              if (type.rfind("sizeof_", 0) != 0) {
                s.UnknownEntry();
                return;
              }
              type = type.substr(7);
            }
            if (!n.is_number_integer()) {
              s.Fail(name, "an integer", n.dump());
              return;
            }
            int64_t expected = n.get<int64_t>();
            bool known = WithIdType(type, [&](auto tag) {
              using T = decltype(tag);
              int64_t got = key == "binary_sizes" ? static_cast<int64_t>(T::Size())
                                                  : static_cast<int64_t>(sizeof(T));
              if (got != expected) {
                s.Fail(key == "binary_sizes" ? type + "::Size()" : "sizeof(" + type + ")",
                       std::to_string(expected), std::to_string(got));
              }
              if (key == "binary_sizes") {
                int64_t bin = static_cast<int64_t>(T::Nil().Binary().size());
                if (bin != expected) {
                  s.Fail(type + "::Nil().Binary().size()", std::to_string(expected),
                         std::to_string(bin));
                }
              }
            });
            if (!known) s.UnknownEntry();
          });
        }
        continue;
      }
      RunScalarCase(report_, section, key, [&](CaseState &s) {
        if (!v.is_number_integer()) {
          s.Fail(key, "an integer", v.dump());
          return;
        }
        uint64_t expected = v.get<uint64_t>();
        if (key == "kUniqueIDSize") {
          if (::kUniqueIDSize != expected) {
            s.Fail(key, std::to_string(expected), std::to_string(::kUniqueIDSize));
          }
        } else if (key == "kObjectIdIndexSize_bits") {
          uint64_t got = 8 * static_cast<uint64_t>(ray::ObjectID::kIndexBytesLength);
          if (got != expected) {
            s.Fail("8 * ObjectID::kIndexBytesLength", std::to_string(expected),
                   std::to_string(got));
          }
        } else if (key == "ObjectID_kMaxObjectIndex") {
          uint64_t got = static_cast<uint64_t>(ray::ObjectID::kMaxObjectIndex);
          if (got != expected) {
            s.Fail("ObjectID::kMaxObjectIndex", std::to_string(expected), std::to_string(got));
          }
          if (ray::ObjectID::MaxObjectIndex() != expected) {
            s.Fail("ObjectID::MaxObjectIndex()", std::to_string(expected),
                   std::to_string(ray::ObjectID::MaxObjectIndex()));
          }
        } else {
          s.UnknownEntry();
        }
      });
    }
  }

  // -- hashing / unique bytes -------------------------------------------------

  void CheckMurmur(Obj &o) {
    o.Ignore("label");
    std::string data_hex;
    std::string data;
    if (!o.Str("data_hex", &data_hex)) return;
    if (!HexToBytes(data_hex, &data)) {
      o.Fail("data_hex", "valid hex", Quote(data_hex));
      return;
    }
    uint64_t len = 0;
    if (o.U64("len", &len) && len != data.size()) {
      o.Fail("len", std::to_string(len), std::to_string(data.size()) + " bytes in data_hex");
      return;
    }
    uint64_t seed = 0;
    if (!o.U64("seed", &seed)) return;
    if (seed > 0xFFFFFFFFull) {
      o.Fail("seed", "a 32-bit unsigned value", std::to_string(seed));
      return;
    }
    uint64_t got = ray::MurmurHash64A(data.data(), static_cast<int>(data.size()),
                                      static_cast<unsigned int>(seed));
    o.ExpectStr("u64", std::to_string(got));
    o.ExpectStr("u64_hex", U64Hex(got));
  }

  void CheckGub(Obj &o) {
    ray::JobID job;
    ray::TaskID parent;
    uint64_t counter = 0;
    uint64_t extra = 0;
    uint64_t length = 0;
    bool ok = o.Id("job_hex", &job);
    ok = o.Id("parent_task_hex", &parent) && ok;
    ok = o.U64("parent_task_counter", &counter) && ok;
    ok = o.U64("extra_bytes", &extra) && ok;
    ok = o.U64("length", &length) && ok;
    if (!ok) {
      o.Ignore("sha256_preimage_hex");
      o.Ignore("output_hex");
      return;
    }
    // The preimage is determined by the inputs; checking it validates the record.
    std::string preimage = job.Binary() + parent.Binary();
    size_t c = static_cast<size_t>(counter);
    size_t e = static_cast<size_t>(extra);
    preimage.append(reinterpret_cast<const char *>(&c), sizeof(c));
    if (e != 0) preimage.append(reinterpret_cast<const char *>(&e), sizeof(e));
    o.ExpectStr("sha256_preimage_hex", BytesToHex(preimage));
    if (length > 32) {
      o.Ignore("output_hex");
      o.Fail("length", "at most 32", std::to_string(length));
      return;
    }
    std::string out = ray::GenerateUniqueBytes(job, parent, c, e, static_cast<size_t>(length));
    o.ExpectStr("output_hex", BytesToHex(out));
  }

  // -- ID derivations -------------------------------------------------------

  void CheckJob(Obj &o) {
    uint64_t n = 0;
    if (!o.U64("n", &n)) return;
    if (n > 0xFFFFFFFFull) {
      o.Fail("n", "a 32-bit unsigned value", std::to_string(n));
      return;
    }
    ray::JobID job = ray::JobID::FromInt(static_cast<uint32_t>(n));
    CheckIdBasics(o, job);
    ray::JobID copy = job;
    o.ExpectU64("to_int", copy.ToInt());
    {
      Obj d = o.Sub("driver_task");
      if (d.valid()) {
        CheckTaskJ(d, ray::TaskID::ForDriverTask(job));
        d.Done();
      }
    }
    {
      Obj a = o.Sub("nil_actor_from_job");
      if (a.valid()) {
        CheckIdBasics(a, ray::ActorID::NilFromJob(job));
        a.Done();
      }
    }
    {
      Obj w = o.Sub("compute_driver_id_from_job");
      if (w.valid()) {
        CheckIdBasics(w, ray::ComputeDriverIdFromJob(job));
        w.Done();
      }
    }
  }

  void CheckActorFixedTime(Obj &o) {
    ray::JobID job;
    ray::TaskID parent;
    uint64_t counter = 0;
    uint64_t time = 0;
    bool ok = o.Id("job_hex", &job);
    ok = o.Id("parent_task_hex", &parent) && ok;
    ok = o.U64("parent_task_counter", &counter) && ok;
    ok = o.U64("time_nanos", &time) && ok;
    if (!ok) {
      for (const char *k : {"hex", "hash", "is_nil", "job_id_hex", "creation_task",
                            "actor_handle_object", "actor_tasks_from_driver"}) {
        o.Ignore(k);
      }
      return;
    }
    ray::ActorID actor = ray::ActorID::FromBinary(
        ray::GenerateUniqueBytes(job, parent, static_cast<size_t>(counter),
                                 static_cast<size_t>(time), ray::ActorID::kUniqueBytesLength) +
        job.Binary());
    CheckIdBasics(o, actor);
    CheckJobIdOfActorPart(o, actor, [&actor]() { return actor.JobId(); });
    {
      Obj c = o.Sub("creation_task");
      if (c.valid()) {
        CheckTaskJ(c, ray::TaskID::ForActorCreationTask(actor));
        c.Done();
      }
    }
    {
      Obj h = o.Sub("actor_handle_object");
      if (h.valid()) {
        ray::ObjectID handle = ray::ObjectID::ForActorHandle(actor);
        CheckIdBasics(h, handle);
        h.ExpectBool("is_actor_id", ray::ObjectID::IsActorID(handle));
        h.ExpectStr("to_actor_id_hex", ray::ObjectID::ToActorID(handle).Hex());
        h.ExpectU64("object_index", handle.ObjectIndex());
        h.Done();
      }
    }
    const json *tasks = o.Get("actor_tasks_from_driver");
    if (tasks == nullptr) return;
    if (!tasks->is_array()) {
      o.Fail("actor_tasks_from_driver", "an array", tasks->dump());
      return;
    }
    for (size_t i = 0; i < tasks->size(); ++i) {
      Obj t(&o.state(), &(*tasks)[i], "actor_tasks_from_driver[" + std::to_string(i) + "].");
      if (!t.valid()) {
        o.Fail(t.Path(""), "an object", (*tasks)[i].dump());
        continue;
      }
      ray::TaskID task_parent;
      uint64_t task_counter = 0;
      bool inputs = t.Id("parent_task_hex", &task_parent);
      inputs = t.U64("parent_task_counter", &task_counter) && inputs;
      if (inputs) {
        CheckTaskJ(t, ray::TaskID::ForActorTask(job, task_parent,
                                                static_cast<size_t>(task_counter), actor));
      } else {
        for (const char *k : {"hex", "hash", "is_nil", "actor_id_hex",
                              "is_for_actor_creation_task", "job_id_hex"}) {
          t.Ignore(k);
        }
      }
      t.Done();
    }
  }

  void CheckNormalTask(Obj &o) {
    ray::JobID job;
    ray::TaskID parent;
    uint64_t counter = 0;
    bool ok = o.Id("job_hex", &job);
    ok = o.Id("parent_task_hex", &parent) && ok;
    ok = o.U64("parent_task_counter", &counter) && ok;
    if (!ok) {
      for (const char *k : {"hex", "hash", "is_nil", "actor_id_hex",
                            "is_for_actor_creation_task", "job_id_hex"}) {
        o.Ignore(k);
      }
      return;
    }
    CheckTaskJ(o, ray::TaskID::ForNormalTask(job, parent, static_cast<size_t>(counter)));
  }

  void CheckExecutionAttempt(Obj &o) {
    ray::TaskID base;
    uint64_t attempt = 0;
    bool ok = o.Id("base_task_hex", &base);
    ok = o.U64("attempt_number", &attempt) && ok;
    if (!ok) {
      for (const char *k : {"hex", "hash", "is_nil"}) o.Ignore(k);
      return;
    }
    CheckIdBasics(o, ray::TaskID::ForExecutionAttempt(base, attempt));
  }

  void CheckObjectFromIndex(Obj &o) {
    o.Ignore("task_label");
    ray::TaskID task;
    uint64_t index = 0;
    bool ok = o.Id("task_hex", &task);
    ok = o.U64("index", &index) && ok;
    if (!ok) {
      for (const char *k : {"hex", "hash", "is_nil", "object_index", "task_id_hex",
                            "is_actor_id"}) {
        o.Ignore(k);
      }
      return;
    }
    if (index < 1 || index > ray::ObjectID::MaxObjectIndex()) {
      for (const char *k : {"hex", "hash", "is_nil", "object_index", "task_id_hex",
                            "is_actor_id"}) {
        o.Ignore(k);
      }
      o.Fail("index", "1.." + std::to_string(ray::ObjectID::MaxObjectIndex()) +
                          " (other indices are fatal)",
             std::to_string(index));
      return;
    }
    ray::ObjectID object =
        ray::ObjectID::FromIndex(task, static_cast<ray::ObjectIDIndexType>(index));
    CheckIdBasics(o, object);
    o.ExpectU64("object_index", object.ObjectIndex());
    o.ExpectStr("task_id_hex", object.TaskId().Hex());
    o.ExpectBool("is_actor_id", ray::ObjectID::IsActorID(object));
  }

  void CheckObjectFromIndexZero(Obj &o) {
    std::string outcome;
    if (!o.Str("outcome", &outcome)) {
      o.Ignore("message");
      return;
    }
    if (outcome != "RAY_CHECK_failure") {
      o.Ignore("message");
      o.Ignore("result");
      o.Fail("outcome", "\"RAY_CHECK_failure\" (index 0 cannot produce a value)",
             Quote(outcome));
      return;
    }
    std::string message;
    if (!o.Str("message", &message)) return;
    ChildOutcome child = RunInChild([]() {
      ray::ObjectID object =
          ray::ObjectID::FromIndex(ray::TaskID::ForDriverTask(ray::JobID::FromInt(199)), 0);
      std::fprintf(stderr, "returned %s\n", object.Hex().c_str());
    });
    ExpectDeath(o, "ObjectID::FromIndex(task, 0)", child, message);
  }

  static std::string PatternBytes(const std::string &pattern, size_t n, bool *known) {
    std::string bytes(n, '\0');
    *known = true;
    for (size_t i = 0; i < n; ++i) {
      if (pattern == "seq0") {
        bytes[i] = static_cast<char>(i);
      } else if (pattern == "seq1") {
        bytes[i] = static_cast<char>(i + 1);
      } else if (pattern == "zeros") {
        bytes[i] = 0;
      } else if (pattern == "ones(0xff)") {
        bytes[i] = static_cast<char>(0xFF);
      } else if (pattern == "ff_then_00") {
        bytes[i] = static_cast<char>(i + 1 == n ? 0x00 : 0xFF);
      } else {
        *known = false;
      }
    }
    return bytes;
  }

  void CheckFixedBinary(Obj &o) {
    std::string type;
    if (!o.Str("type", &type)) {
      for (const char *k : {"hex", "hash", "is_nil", "pattern", "binary_roundtrip_ok",
                            "fromhex_roundtrip_ok"}) {
        o.Ignore(k);
      }
      return;
    }
    bool known = WithIdType(type, [&](auto tag) {
      using T = decltype(tag);
      T id;
      if (!o.Id("hex", &id)) {
        for (const char *k : {"hash", "is_nil", "pattern", "binary_roundtrip_ok",
                              "fromhex_roundtrip_ok"}) {
          o.Ignore(k);
        }
        return;
      }
      std::string expected_hex;
      o.Str("hex", &expected_hex);
      if (id.Hex() != expected_hex) {
        o.Fail("hex", Quote(expected_hex), Quote(id.Hex()));
      }
      o.ExpectHash("hash", id.Hash());
      o.ExpectBool("is_nil", id.IsNil());
      std::string pattern;
      if (o.Str("pattern", &pattern)) {
        bool pattern_known = false;
        std::string bytes = PatternBytes(pattern, T::Size(), &pattern_known);
        if (pattern_known && bytes != id.Binary()) {
          o.Fail("pattern", Quote(BytesToHex(bytes)) + " (" + pattern + ")", Quote(id.Hex()));
        }
      }
      o.ExpectBool("binary_roundtrip_ok", T::FromBinary(id.Binary()) == id);
      bool from_hex_ok = false;
      std::string logs = CaptureLogs([&]() { from_hex_ok = T::FromHex(id.Hex()) == id; });
      if (!logs.empty()) o.Fail("FromHex(Hex()) log", "nothing logged", Quote(logs));
      o.ExpectBool("fromhex_roundtrip_ok", from_hex_ok);
    });
    if (!known) {
      for (const char *k : {"hex", "hash", "is_nil", "pattern", "binary_roundtrip_ok",
                            "fromhex_roundtrip_ok"}) {
        o.Ignore(k);
      }
      o.Fail("type", "a known ID type", Quote(type));
    }
  }

  void CheckNilId(const std::string &type, Obj &o) {
    bool known = WithIdType(type, [&](auto tag) {
      using T = decltype(tag);
      CheckIdBasics(o, T::Nil());
      o.ExpectStr("default_constructed_hex", T().Hex());
      o.ExpectBool("from_empty_binary_is_nil", T::FromBinary("").IsNil());
    });
    if (!known) {
      for (const char *k : {"hex", "hash", "is_nil", "default_constructed_hex",
                            "from_empty_binary_is_nil"}) {
        o.Ignore(k);
      }
      o.Fail("type", "a known ID type", Quote(type));
    }
  }

  void CheckComputeDriverTaskId(Obj &o) {
    ray::WorkerID worker;
    if (!o.Id("worker_id_hex", &worker)) {
      for (const char *k : {"hex", "hash", "is_nil"}) o.Ignore(k);
      return;
    }
    CheckIdBasics(o, ray::TaskID::ComputeDriverTaskId(worker));
  }

  void CheckLeaseFromWorker(Obj &o) {
    ray::WorkerID worker;
    uint64_t counter = 0;
    bool ok = o.Id("worker_id_hex", &worker);
    ok = o.U64("counter", &counter) && ok;
    if (ok && counter > 0xFFFFFFFFull) {
      o.Fail("counter", "a 32-bit unsigned value", std::to_string(counter));
      ok = false;
    }
    if (!ok) {
      for (const char *k : {"hex", "hash", "is_nil", "worker_id_back_hex"}) o.Ignore(k);
      return;
    }
    ray::LeaseID lease = ray::LeaseID::FromWorker(worker, static_cast<uint32_t>(counter));
    CheckIdBasics(o, lease);
    o.ExpectStr("worker_id_back_hex", lease.WorkerId().Hex());
  }

  void CheckPlacementGroupFixed(Obj &o) {
    ray::PlacementGroupID pg;
    if (!o.Id("hex", &pg)) {
      for (const char *k : {"hash", "is_nil", "job_id_hex"}) o.Ignore(k);
      return;
    }
    CheckIdBasics(o, pg);
    if (pg.IsNil()) {
      const json *v = o.GetOptional("job_id_hex");
      if (v != nullptr && !v->is_null()) {
        o.Fail("job_id_hex", v->dump(), "null (JobId() of a nil ID is fatal)");
      }
      return;
    }
    o.ExpectStr("job_id_hex", pg.JobId().Hex());
  }

  // -- FromHex / FromBinary / ostream -----------------------------------------

  void CheckFromHex(Obj &o) {
    std::string type;
    std::string input;
    bool ok = o.Str("type", &type);
    ok = o.Str("input", &input) && ok;
    if (!ok) {
      o.Ignore("result_hex");
      o.Ignore("logged_error");
      return;
    }
    bool known = WithIdType(type, [&](auto tag) {
      using T = decltype(tag);
      T result;
      std::string logs = CaptureLogs([&]() { result = T::FromHex(input); });
      o.ExpectStr("result_hex", result.Hex());
      const json *expected = o.Get("logged_error");
      if (expected == nullptr) return;
      if (expected->is_null()) {
        if (!logs.empty()) o.Fail("logged_error", "null (nothing logged)", Quote(logs));
      } else if (expected->is_string()) {
        if (logs != expected->get<std::string>()) {
          o.Fail("logged_error", Quote(expected->get<std::string>()),
                 logs.empty() ? "nothing logged" : Quote(logs));
        }
      } else {
        o.Fail("logged_error", "a string or null", expected->dump());
      }
    });
    if (!known) {
      o.Ignore("result_hex");
      o.Ignore("logged_error");
      o.Fail("type", "a known ID type", Quote(type));
    }
  }

  void CheckFromBinary(Obj &o) {
    std::string type;
    uint64_t input_len = 0;
    bool ok = o.Str("type", &type);
    ok = o.U64("input_len", &input_len) && ok;
    Obj r = o.Sub("result");
    if (!ok || !r.valid()) return;
    if (input_len > (1u << 20)) {
      o.Fail("input_len", "a length below 1 MiB", std::to_string(input_len));
      return;
    }
    std::string input(static_cast<size_t>(input_len), '\x01');
    std::string outcome;
    if (!r.Str("outcome", &outcome)) return;
    bool known = WithIdType(type, [&](auto tag) {
      using T = decltype(tag);
      if (outcome == "ok") {
        if (input.size() != 0 && input.size() != T::Size()) {
          r.Ignore("result");
          ChildOutcome child = RunInChild([&input]() { T::FromBinary(input); });
          o.Fail("result.outcome", "ok",
                 "a fatal size check is expected for this length (" + child.description + ")");
          return;
        }
        r.ExpectStr("result", T::FromBinary(input).Hex());
      } else if (outcome == "RAY_CHECK_failure") {
        std::string message;
        if (!r.Str("message", &message)) return;
        ChildOutcome child = RunInChild([&input]() {
          T id = T::FromBinary(input);
          std::fprintf(stderr, "returned %s\n", id.Hex().c_str());
        });
        ExpectDeath(o, type + "::FromBinary(" + std::to_string(input_len) + " bytes)", child,
                    message);
      } else {
        r.Ignore("result");
        r.Ignore("message");
        o.Fail("result.outcome", "\"ok\" or \"RAY_CHECK_failure\"", Quote(outcome));
      }
    });
    if (!known) {
      r.Ignore("result");
      r.Ignore("message");
      o.Fail("type", "a known ID type", Quote(type));
    }
    r.Done();
  }

  void CheckOstream(Obj &o) {
    std::string label;
    if (!o.Str("label", &label)) {
      o.Ignore("streamed");
      return;
    }
    Value value;
    std::string error;
    ExprParser parser(label);
    if (!parser.Parse(&value, &error) || value.kind != Value::kId) {
      o.Ignore("streamed");
      o.Fail("label", "an ID expression this checker can evaluate",
             Quote(label) + (error.empty() ? "" : " (" + error + ")"));
      return;
    }
    std::ostringstream os;
    WithIdType(value.type, [&](auto tag) {
      using T = decltype(tag);
      os << T::FromBinary(value.bytes);
    });
    o.ExpectStr("streamed", os.str());
  }

  // -- random / clock facts ----------------------------------------------------

  void CheckRandom(const std::string &section, const json &value) {
    ForEachEntry(section, value, [](const std::string &name, Obj &o) {
      auto samples_of = [&o]() -> uint64_t {
        uint64_t samples = 0;
        if (!o.U64("samples", &samples)) return 0;
        if (samples > 1000000) {
          o.Fail("samples", "at most 1000000", std::to_string(samples));
          return 0;
        }
        return samples;
      };
      if (name == "ObjectID::FromRandom") {
        uint64_t samples = samples_of();
        int max_byte = -1;
        int min_byte = 256;
        bool index_zero = true;
        for (uint64_t i = 0; i < samples; ++i) {
          ray::ObjectID id = ray::ObjectID::FromRandom();
          std::string task = id.TaskId().Binary();
          for (unsigned char c : task) {
            max_byte = std::max<int>(max_byte, c);
            min_byte = std::min<int>(min_byte, c);
          }
          index_zero = index_zero && id.ObjectIndex() == 0;
        }
        if (samples == 0) return;
        o.ExpectInt("max_task_byte_seen", max_byte);
        o.ExpectInt("min_task_byte_seen", min_byte);
        o.ExpectBool("object_index_always_0", index_zero);
      } else if (name == "TaskID::FromRandom(job)") {
        uint64_t samples = samples_of();
        ray::JobID job = ray::JobID::FromInt(199);
        int max_byte = -1;
        bool suffix = true;
        bool creation = false;
        for (uint64_t i = 0; i < samples; ++i) {
          ray::TaskID id = ray::TaskID::FromRandom(job);
          std::string bin = id.Binary();
          for (size_t k = 0; k + ray::JobID::kLength < bin.size(); ++k) {
            max_byte = std::max<int>(max_byte, static_cast<unsigned char>(bin[k]));
          }
          suffix = suffix && bin.substr(bin.size() - ray::JobID::kLength) == job.Binary();
          creation = creation || id.IsForActorCreationTask();
        }
        if (samples == 0) return;
        o.ExpectBool("last_4_bytes_equal_job", suffix);
        o.ExpectInt("max_random_byte_seen", max_byte);
        o.ExpectBool("is_for_actor_creation_task_example", creation);
      } else if (name == "PlacementGroupID::Of(job)") {
        uint64_t samples = samples_of();
        ray::JobID job = ray::JobID::FromInt(199);
        int max_byte = -1;
        bool suffix = true;
        for (uint64_t i = 0; i < samples; ++i) {
          ray::PlacementGroupID id = ray::PlacementGroupID::Of(job);
          std::string bin = id.Binary();
          for (size_t k = 0; k + ray::JobID::kLength < bin.size(); ++k) {
            max_byte = std::max<int>(max_byte, static_cast<unsigned char>(bin[k]));
          }
          suffix = suffix && bin.substr(bin.size() - ray::JobID::kLength) == job.Binary() &&
                   id.JobId() == job;
        }
        if (samples == 0) return;
        o.ExpectBool("last_4_bytes_equal_job", suffix);
        o.ExpectInt("max_random_byte_seen", max_byte);
      } else if (name == "ActorID::Of(live clock)") {
        ray::JobID job = ray::JobID::FromInt(199);
        ray::TaskID parent = ray::TaskID::ForDriverTask(job);
        ray::ActorID first = ray::ActorID::Of(job, parent, 1);
        bool differ = false;
        for (int attempt = 0; attempt < 5 && !differ; ++attempt) {
          if (attempt > 0) std::this_thread::sleep_for(std::chrono::microseconds(10));
          differ = ray::ActorID::Of(job, parent, 1) != first;
        }
        std::string bin = first.Binary();
        bool suffix = bin.substr(bin.size() - ray::JobID::kLength) == job.Binary() &&
                      first.JobId() == job;
        o.ExpectBool("job_suffix_ok", suffix);
        o.ExpectBool("two_calls_same_inputs_differ", differ);
      } else {
        o.Fail("entry", "a derivation this checker knows", Quote(name));
      }
    });
  }

  // -- status -------------------------------------------------------------------

  static bool IsStatusTable(const std::string &name) {
    return name == "code_as_string_by_value" || name == "to_string_by_value" ||
           name == "string_to_code";
  }

  void CheckStatusSection(const json &value) {
    if (!value.is_object()) {
      RunScalarCase(report_, "status", "*",
                    [&](CaseState &s) { s.Fail("section", "an object", value.dump()); });
      return;
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string &name = it.key();
      const std::string section = "status." + name;
      const json &v = it.value();
      if (name == "enum") {
        ForEach(section, v, [this](Obj &o) { CheckStatusEnum(o); });
      } else if (name == "explicit_ok_code_constructor") {
        RunCase(report_, section, "0", v, [](Obj &o) { CheckExplicitOk(o); });
      } else if (name == "examples") {
        StatusChain chain;
        ForEach(section, v, [&chain](Obj &o) { CheckStatusExample(o, &chain); });
      } else if (name == "source_location") {
        ForEach(section, v, [](Obj &o) { CheckSourceLocation(o); });
      } else if (IsStatusTable(name)) {
        CheckStatusTable(name, section, v);
      } else {
        report_.Unknown(section);
      }
    }
  }

  // The three tables share their shape between the status section and the
  // *-status.json files; string_to_code is either a list or a map.
  void CheckStatusTable(const std::string &name, const std::string &section, const json &v) {
    if (name == "string_to_code" && v.is_array()) {
      ForEach(section, v, [](Obj &o) {
        std::string s;
        if (!o.Str("string", &s)) {
          o.Ignore("code");
          return;
        }
        o.ExpectInt("code", static_cast<int>(static_cast<char>(ray::Status::StringToCode(s))));
      });
      return;
    }
    if (!v.is_object()) {
      RunScalarCase(report_, section, "*",
                    [&](CaseState &s) { s.Fail("section", "an object or array", v.dump()); });
      return;
    }
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string key = it.key();
      const json &expected = it.value();
      RunScalarCase(report_, section, key, [&](CaseState &s) {
        if (name == "string_to_code") {
          if (!expected.is_number_integer()) {
            s.Fail("StringToCode", "an integer code", expected.dump());
            return;
          }
          int got = static_cast<int>(static_cast<char>(ray::Status::StringToCode(key)));
          if (got != expected.get<int64_t>()) {
            s.Fail("StringToCode(" + Quote(key) + ")", std::to_string(expected.get<int64_t>()),
                   std::to_string(got));
          }
          return;
        }
        int64_t value = 0;
        size_t used = 0;
        try {
          value = std::stoll(key, &used);
        } catch (const std::exception &) {
          used = 0;
        }
        if (used == 0 || used != key.size() || value < -128 || value > 127) {
          s.Fail("key", "a char value -128..127", Quote(key));
          return;
        }
        if (!expected.is_string()) {
          s.Fail("value", "a string", expected.dump());
          return;
        }
        if (name == "code_as_string_by_value") {
          ray::Status status(CodeOf(value), "msg");
          if (status.CodeAsString() != expected.get<std::string>()) {
            s.Fail("CodeAsString", Quote(expected.get<std::string>()),
                   Quote(status.CodeAsString()));
          }
        } else {
          ray::Status status(CodeOf(value), "msg", 14);
          if (status.ToString() != expected.get<std::string>()) {
            s.Fail("ToString", Quote(expected.get<std::string>()), Quote(status.ToString()));
          }
        }
      });
    }
  }

  void CheckStatusEnum(Obj &o) {
    std::string name;
    int64_t value = 0;
    int64_t rpc_code = -1;
    bool ok = o.Str("name", &name);
    ok = o.I64("value", &value) && ok;
    ok = o.I64("rpc_code", &rpc_code) && ok;
    if (!ok) {
      for (const char *k : {"code_as_string", "to_string_msg",
                            "string_to_code_of_code_as_string"}) {
        o.Ignore(k);
      }
      return;
    }
    const StatusKind *kind = nullptr;
    for (const StatusKind &k : StatusKinds()) {
      if (name == k.name) kind = &k;
    }
    ray::Status status;
    if (kind == nullptr) {
      o.Fail("name", "a StatusCode with a Status::" + name + " factory", "none in this API");
      status = ray::Status(CodeOf(value), "msg", static_cast<int>(rpc_code));
    } else {
      status = kind->make("msg", static_cast<int>(rpc_code));
      int enum_value = static_cast<int>(static_cast<char>(kind->code));
      if (enum_value != value) {
        o.Fail("StatusCode::" + name, std::to_string(value), std::to_string(enum_value));
      }
      for (const StatusKind &k : StatusKinds()) {
        bool got = (status.*(k.is))();
        bool expected = &k == kind;
        if (got != expected) {
          o.Fail(std::string(k.name == std::string("OK") ? "ok" : "Is" + std::string(k.name)) +
                     "()",
                 BoolStr(expected), BoolStr(got));
        }
      }
      if (std::string(kind->name) != "OK" && status.message() != "msg") {
        o.Fail("message()", Quote("msg"), Quote(status.message()));
      }
    }
    if (CodeValue(status) != value) {
      o.Fail("code()", std::to_string(value), std::to_string(CodeValue(status)));
    }
    if (status.rpc_code() != rpc_code) {
      o.Fail("rpc_code()", std::to_string(rpc_code), std::to_string(status.rpc_code()));
    }
    o.ExpectStr("code_as_string", status.CodeAsString());
    o.ExpectStr("to_string_msg", status.ToString());
    o.ExpectInt("string_to_code_of_code_as_string",
                static_cast<int>(static_cast<char>(ray::Status::StringToCode(status.CodeAsString()))));
  }

  static void CheckExplicitOk(Obj &o) {
    std::string outcome;
    if (!o.Str("outcome", &outcome)) {
      o.Ignore("result");
      o.Ignore("message");
      return;
    }
    if (outcome == "ok") {
      ray::Status s(ray::StatusCode::OK, "m");
      std::string got = std::string("ok()=") + BoolStr(s.ok()) +
                        " code=" + std::to_string(CodeValue(s)) +
                        " CodeAsString=" + s.CodeAsString() + " ToString=" + s.ToString();
      o.ExpectStr("result", got);
    } else {
      std::string message;
      o.Ignore("result");
      if (!o.Str("message", &message)) return;
      ChildOutcome child = RunInChild([]() {
        ray::Status s(ray::StatusCode::OK, "m");
        std::fprintf(stderr, "constructed %s\n", s.ToString().c_str());
      });
      ExpectDeath(o, "Status(StatusCode::OK, \"m\")", child, message);
    }
  }

  static void CheckStatusExample(Obj &o, StatusChain *chain) {
    static const char *const kFields[] = {"ok",      "code",     "code_as_string",
                                          "message", "rpc_code", "to_string"};
    std::string label;
    if (!o.Str("label", &label)) {
      for (const char *k : kFields) o.Ignore(k);
      return;
    }
    ray::Status status;
    std::string error;
    if (!EvalStatusLabel(label, chain, &status, &error)) {
      o.Fail("label", "a Status expression in the schema's form",
             Quote(label) + " (" + error + ")");
      for (const char *k : kFields) o.Ignore(k);
      return;
    }
    CheckStatusRecord(o, status);
    chain->previous = status;
  }

  static void CheckSourceLocation(Obj &o) {
    std::string filename;
    int64_t line = 0;
    bool ok = o.Str("filename", &filename);
    ok = o.I64("line_no", &line) && ok;
    if (!ok) {
      o.Ignore("is_valid");
      o.Ignore("streamed");
      return;
    }
    ray::SourceLocation loc{filename, static_cast<int>(line)};
    o.ExpectBool("is_valid", loc.IsValid());
    std::ostringstream os;
    os << loc;
    o.ExpectStr("streamed", os.str());
  }

  Report &report_;
  const json &root_;
};

void PrintUsage(std::ostream &os) {
  os << "Usage: golden_check [--verbose] FILE.json...\n"
        "\n"
        "Checks golden vector files (schema_version 1: IDs, hashes, Status tables)\n"
        "against the linked implementation of Ray's common types through the public\n"
        "C++ API.\n"
        "\n"
        "Output: one line per failing case,\n"
        "  FAIL <section>[<index>] <what>: expected <x>, got <y>\n"
        "'UNKNOWN section <name>' / 'UNKNOWN key <path>' for content this checker does\n"
        "not know (counted as failures), and a last line 'N passed, M failed'.\n"
        "\n"
        "Options:\n"
        "  --verbose  print per-section counts for every file\n"
        "  --help     show this text\n"
        "\n"
        "Exit status: 0 if every case passed, 1 if a case failed, 2 if an input file\n"
        "could not be read or parsed.\n";
}

}  // namespace

int main(int argc, char **argv) {
  bool verbose = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      PrintUsage(std::cout);
      return 0;
    } else if (arg == "--verbose" || arg == "-v") {
      verbose = true;
    } else if (arg == "--") {
      for (++i; i < argc; ++i) files.push_back(argv[i]);
    } else if (arg.size() > 1 && arg[0] == '-') {
      std::cerr << "golden_check: unknown option " << arg << "\n";
      PrintUsage(std::cerr);
      return 2;
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    PrintUsage(std::cerr);
    return 2;
  }

  Report report(verbose);
  bool unreadable = false;
  if (verbose) {
    std::cout << "implementation: " << ray::RayCommonImplementation() << "\n";
  }
  for (const std::string &path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "golden_check: cannot open " << path << ": " << std::strerror(errno) << "\n";
      unreadable = true;
      continue;
    }
    json root;
    try {
      root = json::parse(in);
    } catch (const std::exception &e) {
      std::cerr << "golden_check: cannot parse " << path << ": " << e.what() << "\n";
      unreadable = true;
      continue;
    }
    if (!root.is_object()) {
      std::cerr << "golden_check: " << path << ": top level is not a JSON object\n";
      unreadable = true;
      continue;
    }
    report.StartFile(path);
    FileChecker(report, root).Run();
    report.EndFile();
  }
  std::cout << report.total().passed << " passed, " << report.total().failed << " failed"
            << std::endl;
  if (unreadable) return 2;
  return report.total().failed > 0 ? 1 : 0;
}
