// One plain interface over an implementation of ray/common, so that a fuzzer can drive
// the C++ reference and the Rust-backed implementation side by side in one process.
//
// adapter_body.inc implements it against Ray's API. It is compiled twice:
// adapter_reference.cc sees the reference headers with `ray` renamed to `ray_ref`, and
// adapter_rust.cc sees the drop-in headers of //src/ray/ffi. Both sides therefore run the
// very same observation code. This header must not mention the token `ray`.

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ray_equiv {

// Every concrete ID type of id.h (the six DEFINE_UNIQUE_ID types included).
enum class IdKind : uint8_t {
  kUnique,
  kFunction,
  kActorClass,
  kWorker,
  kConfig,
  kNode,
  kCluster,
  kJob,
  kActor,
  kTask,
  kObject,
  kPlacementGroup,
  kLease,
};
constexpr int kIdKindCount = 13;

// Everything observable about one ID value: bytes, Hex(), Hash(), std::hash, IsNil(),
// comparison with Nil() and operator<<.
struct IdView {
  std::string binary;
  std::string text;  // The rest, rendered.
  bool operator==(const IdView &other) const {
    return binary == other.binary && text == other.text;
  }
  bool operator!=(const IdView &other) const { return !(*this == other); }
};

// One RAY_LOG record: its level (RayLogLevel as int) and message.
struct LogRecord {
  int level;
  std::string message;
};

// One `Status << value` operand.
struct AppendArg {
  enum Type : uint8_t {
    kString,       // std::string
    kCString,      // const char * (text up to its first NUL)
    kChar,         // char: appended as a byte
    kBool,
    kInt8,
    kUInt8,
    kInt16,
    kUInt16,
    kInt32,
    kUInt32,
    kInt64,
    kUInt64,
    kDouble,           // through operator<<
    kSourceLocation,   // text as the file name, bits as the line
    kJobId,            // the low 4 bytes of bits as a JobID (operator<< prints hex or NIL_ID)
    kTypeCount,
  };
  Type type;
  std::string text;
  uint64_t bits;
};

// How to build a Status.
struct StatusSpec {
  // -1: the constructor with `code`; otherwise an index into the named factories
  // (StatusFactoryCount()), which ignore `code` (and `rpc_code`, except RpcError).
  int factory = -1;
  int8_t code = 0;
  std::string message;
  bool default_rpc_code = true;
  int rpc_code = -1;
  bool has_location = false;
  std::string file;  // must outlive the Status: the location does not own it
  int line = 0;
  std::vector<AppendArg> appends;  // one `status << arg` each, in order
  // Then one chained expression: status << last text << last bits as int << ';'.
  bool chained = false;
};

class Impl {
 public:
  virtual ~Impl() = default;
  virtual const char *Name() const = 0;

  // Logging. Records of every level below FATAL are kept until TakeLogs(). In a forked
  // child, ExitOnFatal(fd) makes a FATAL record write its message to `fd` and _exit().
  virtual void CaptureLogs() const = 0;
  virtual std::vector<LogRecord> TakeLogs() const = 0;
  virtual void ExitOnFatal(int fd) const = 0;

  // IDs. Arguments named after an ID type are its exact binary form.
  virtual size_t IdSize(IdKind kind) const = 0;
  // Fatal unless binary is empty or of IdSize(kind) bytes.
  virtual IdView IdFromBinary(IdKind kind, const std::string &binary) const = 0;
  // The explicit `Type(binary)` constructor (UniqueID and its family; others: FromBinary).
  virtual IdView IdConstruct(IdKind kind, const std::string &binary) const = 0;
  // A DEFINE_UNIQUE_ID type built from a UniqueID (`Type(const UniqueID &)`).
  virtual IdView IdFromUnique(IdKind kind, const std::string &unique) const = 0;
  virtual IdView IdFromHex(IdKind kind, const std::string &hex) const = 0;
  virtual IdView IdNil(IdKind kind) const = 0;
  // Equality (==, !=) and std::hash of two IDs of one kind, rendered.
  virtual std::string IdCompare(IdKind kind,
                                const std::string &a,
                                const std::string &b) const = 0;
  // A random ID (FromRandom / Of / TaskID::FromRandom(job)): not comparable by value.
  virtual IdView IdFromRandom(IdKind kind, const std::string &job) const = 0;

  virtual uint64_t MurmurHash64A(const void *data, int len, unsigned int seed) const = 0;

  virtual IdView JobFromInt(uint32_t value) const = 0;
  virtual uint32_t JobToInt(const std::string &job) const = 0;
  virtual IdView ActorNilFromJob(const std::string &job) const = 0;
  virtual IdView ActorJobId(const std::string &actor) const = 0;  // fatal when nil
  // Fatal when length > 32.
  virtual std::string GenerateUniqueBytes(const std::string &job,
                                          const std::string &parent_task,
                                          uint64_t counter,
                                          uint64_t extra,
                                          uint64_t length) const = 0;
  // ActorID::Of's composition with the clock reading fixed to `time_nanos`.
  virtual IdView ActorAtTime(const std::string &job,
                             const std::string &parent_task,
                             uint64_t counter,
                             uint64_t time_nanos) const = 0;
  // ActorID::Of itself (time-dependent).
  virtual IdView ActorOf(const std::string &job,
                         const std::string &parent_task,
                         uint64_t counter) const = 0;
  virtual IdView TaskForDriver(const std::string &job) const = 0;
  virtual IdView TaskForActorCreation(const std::string &actor) const = 0;
  virtual IdView TaskForActorTask(const std::string &job,
                                  const std::string &parent_task,
                                  uint64_t counter,
                                  const std::string &actor) const = 0;
  virtual IdView TaskForNormalTask(const std::string &job,
                                   const std::string &parent_task,
                                   uint64_t counter) const = 0;
  virtual IdView TaskForExecutionAttempt(const std::string &task, uint64_t attempt) const = 0;
  virtual IdView TaskActorId(const std::string &task) const = 0;
  virtual bool TaskIsForActorCreation(const std::string &task) const = 0;
  virtual IdView TaskJobId(const std::string &task) const = 0;  // fatal when actor part nil
  virtual IdView TaskComputeDriverTaskId(const std::string &worker) const = 0;
  virtual IdView ObjectFromIndex(const std::string &task, uint32_t index) const = 0;  // 0 fatal
  virtual uint32_t ObjectIndex(const std::string &object) const = 0;
  virtual IdView ObjectTaskId(const std::string &object) const = 0;
  virtual IdView ObjectForActorHandle(const std::string &actor) const = 0;
  virtual bool ObjectIsActorId(const std::string &object) const = 0;
  virtual IdView ObjectToActorId(const std::string &object) const = 0;
  virtual IdView PlacementGroupJobId(const std::string &pg) const = 0;  // fatal when nil
  virtual IdView LeaseFromWorker(const std::string &worker, uint32_t counter) const = 0;
  virtual IdView LeaseWorkerId(const std::string &lease) const = 0;
  virtual IdView ComputeDriverIdFromJob(const std::string &job) const = 0;
  virtual IdView GcsNodeId() const = 0;

  // Status. Render: ok(), code(), message(), rpc_code(), CodeAsString(), ToString(),
  // StatusString(), operator<<, every IsX() and RAY_RETURN_NOT_OK's effect, then the
  // results of copying, assigning and moving it.
  virtual int StatusFactoryCount() const = 0;
  virtual std::string StatusRender(const StatusSpec &spec) const = 0;
  virtual int StatusStringToCode(const std::string &text) const = 0;
  virtual std::string StatusCodeAsString(int8_t code) const = 0;
  // Fatal paths: operator<< on an OK Status; RAY_CHECK_OK on `spec`.
  virtual void StatusAppendToOk(const std::string &text) const = 0;
  virtual void StatusCheckOk(const StatusSpec &spec) const = 0;

  // StatusOr: runs a little program of StatusOr operations (see adapter_body.inc) and
  // renders every observation. Operations that would be fatal are recorded, not run.
  virtual std::string StatusOrProgram(const std::string &program) const = 0;
  // Fatal paths: StatusOr from an OK Status; value() of StatusOr(spec).
  virtual void StatusOrFromOk() const = 0;
  virtual void StatusOrValueOfError(const StatusSpec &spec) const = 0;
};

const Impl &Reference();
const Impl &RustBacked();

}  // namespace ray_equiv
