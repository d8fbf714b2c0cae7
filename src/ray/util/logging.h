// Minimal logging and check macros shared by every implementation of
// ray/common. Only the C++ standard library is used.

#pragma once

#include <ostream>
#include <sstream>
#include <string>
#include <string_view>

namespace ray {

// Keys of the fields Ray attaches to log lines (they match the Python side's
// log record attributes, so tools can join the two).
inline constexpr std::string_view kLogKeyAsctime = "asctime";
inline constexpr std::string_view kLogKeyLevelname = "levelname";
inline constexpr std::string_view kLogKeyMessage = "message";
inline constexpr std::string_view kLogKeyFilename = "filename";
inline constexpr std::string_view kLogKeyLineno = "lineno";
inline constexpr std::string_view kLogKeyComponent = "component";
inline constexpr std::string_view kLogKeyClusterID = "cluster_id";
inline constexpr std::string_view kLogKeyJobID = "job_id";
inline constexpr std::string_view kLogKeyWorkerID = "worker_id";
inline constexpr std::string_view kLogKeyNodeID = "node_id";
inline constexpr std::string_view kLogKeyActorID = "actor_id";
inline constexpr std::string_view kLogKeyTaskID = "task_id";
inline constexpr std::string_view kLogKeyObjectID = "object_id";
inline constexpr std::string_view kLogKeyPlacementGroupID = "placement_group_id";
inline constexpr std::string_view kLogKeyLeaseID = "lease_id";

// The key RayLog::WithField(value) uses for a value of type T. A type opts in
// by specialising it with `static constexpr std::string_view key`; the ID
// types do so in ray/common/id.h.
template <typename T>
struct DefaultLogKey {};

enum class RayLogLevel { DEBUG = -1, INFO = 0, WARNING = 1, ERROR = 2, FATAL = 3 };

// One log message. It is only constructed once the level is known to be
// enabled (or a check has failed); the destructor emits the message followed
// by its fields (" key=value" each, in the order they were added, as Ray's
// text format prints them), and for FATAL aborts the process.
class RayLog {
 public:
  // Receives every message at or above the threshold, fields included,
  // instead of stderr; nullptr restores stderr. FATAL messages go to stderr as well, since the process is
  // about to abort.
  using Sink = void (*)(RayLogLevel level, const std::string &message);

  RayLog(const char *file_name, int line_number, RayLogLevel severity);
  ~RayLog();

  RayLog(const RayLog &) = delete;
  RayLog &operator=(const RayLog &) = delete;

  // Appends to the message.
  template <typename T>
  RayLog &operator<<(const T &value) {
    stream_ << value;
    return *this;
  }

  // Adds a field to the line. The caller keeps keys unique; `value` is
  // printed with its operator<<.
  template <typename T>
  RayLog &WithField(std::string_view key, const T &value) {
    // Built only when a field is added, so plain messages pay nothing.
    std::ostringstream text;
    text << ' ' << key << '=' << value;
    context_ += text.str();
    return *this;
  }

  // A field under the type's DefaultLogKey, e.g. WithField(job_id) adds
  // "job_id=<hex>".
  template <typename T>
  RayLog &WithField(const T &value) {
    return WithField(DefaultLogKey<T>::key, value);
  }

  // Returns the previous sink.
  static Sink SetSink(Sink sink);
  static Sink GetSink();

  // Messages below the threshold are dropped; FATAL is always emitted. The
  // initial threshold is INFO unless RAY_BACKEND_LOG_LEVEL names another level
  // (debug, info, warning, error, fatal).
  static void SetLogLevel(RayLogLevel level);
  static RayLogLevel GetLogLevel();
  static bool IsLevelEnabled(RayLogLevel level);

  // The stderr line for a message, e.g.
  // "[2024-05-01 12:00:00,123 E 4242 4243] id.cc:10: text".
  static std::string FormatLine(RayLogLevel level,
                                const char *file_name,
                                int line_number,
                                const std::string &message);

 protected:
  std::ostream &Stream() { return stream_; }

 private:
  const char *file_name_;
  int line_number_;
  RayLogLevel severity_;
  std::ostringstream stream_;
  // The fields, already formatted as " key=value" runs.
  std::string context_;
};

}  // namespace ray

#if defined(__GNUC__) || defined(__clang__)
#define RAY_PREDICT_FALSE(x) (__builtin_expect(!!(x), 0))
#define RAY_PREDICT_TRUE(x) (__builtin_expect(!!(x), 1))
#else
#define RAY_PREDICT_FALSE(x) (x)
#define RAY_PREDICT_TRUE(x) (x)
#endif

// A RayLog temporary: it lives to the end of the full expression, so both
// `RAY_LOG(INFO) << a << b;` and `RAY_LOG(INFO).WithField(id) << a;` emit one
// line when the statement ends.
#define RAY_LOG_INTERNAL(level) ::ray::RayLog(__FILE__, __LINE__, level)

// The if/else form keeps a surrounding `if ... else` unambiguous and builds no
// log object when the level is disabled.
#define RAY_LOG(level)                                             \
  if (!::ray::RayLog::IsLevelEnabled(::ray::RayLogLevel::level)) { \
  } else                                                           \
    RAY_LOG_INTERNAL(::ray::RayLogLevel::level)

// Fatal unless `condition` holds; the message names `display` (the checked
// expression as written).
#define RAY_CHECK_WITH_DISPLAY(condition, display) \
  if (RAY_PREDICT_TRUE(condition)) {               \
  } else                                           \
    RAY_LOG_INTERNAL(::ray::RayLogLevel::FATAL) << "Check failed: " display " "

#define RAY_CHECK(condition) RAY_CHECK_WITH_DISPLAY(condition, #condition)

#define RAY_CHECK_EQ(a, b) RAY_CHECK((a) == (b))
#define RAY_CHECK_NE(a, b) RAY_CHECK((a) != (b))
#define RAY_CHECK_LT(a, b) RAY_CHECK((a) < (b))
#define RAY_CHECK_LE(a, b) RAY_CHECK((a) <= (b))
#define RAY_CHECK_GT(a, b) RAY_CHECK((a) > (b))
#define RAY_CHECK_GE(a, b) RAY_CHECK((a) >= (b))
