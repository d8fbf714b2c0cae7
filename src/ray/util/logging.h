// Minimal logging and check macros shared by every implementation of
// ray/common. Only the C++ standard library is used.

#pragma once

#include <ostream>
#include <sstream>
#include <string>

namespace ray {

enum class RayLogLevel { DEBUG = -1, INFO = 0, WARNING = 1, ERROR = 2, FATAL = 3 };

// One log message. It is only constructed once the level is known to be
// enabled (or a check has failed); the destructor emits the message, and for
// FATAL aborts the process.
class RayLog {
 public:
  // Receives every message at or above the threshold instead of stderr; nullptr
  // restores stderr. FATAL messages go to stderr as well, since the process is
  // about to abort.
  using Sink = void (*)(RayLogLevel level, const std::string &message);

  RayLog(const char *file_name, int line_number, RayLogLevel severity);
  ~RayLog();

  RayLog(const RayLog &) = delete;
  RayLog &operator=(const RayLog &) = delete;

  std::ostream &Stream() { return stream_; }

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

 private:
  const char *file_name_;
  int line_number_;
  RayLogLevel severity_;
  std::ostringstream stream_;
};

// Turns the streamed expression into void so that the macros below can be the
// else branch of a conditional expression statement.
class RayLogVoidify {
 public:
  void operator&(std::ostream &) {}
};

}  // namespace ray

#if defined(__GNUC__) || defined(__clang__)
#define RAY_PREDICT_FALSE(x) (__builtin_expect(!!(x), 0))
#define RAY_PREDICT_TRUE(x) (__builtin_expect(!!(x), 1))
#else
#define RAY_PREDICT_FALSE(x) (x)
#define RAY_PREDICT_TRUE(x) (x)
#endif

#define RAY_LOG_INTERNAL(level)                                 \
  ::ray::RayLogVoidify() & ::ray::RayLog(__FILE__, __LINE__, level).Stream()

// The if/else form keeps a surrounding `if ... else` unambiguous and builds no
// stream object when the level is disabled.
#define RAY_LOG(level)                                                      \
  if (!::ray::RayLog::IsLevelEnabled(::ray::RayLogLevel::level)) {          \
  } else                                                                    \
    RAY_LOG_INTERNAL(::ray::RayLogLevel::level)

#define RAY_CHECK(condition)                                               \
  if (RAY_PREDICT_TRUE(condition)) {                                       \
  } else                                                                   \
    RAY_LOG_INTERNAL(::ray::RayLogLevel::FATAL) << "Check failed: " #condition " "

#define RAY_CHECK_EQ(a, b) RAY_CHECK((a) == (b))
#define RAY_CHECK_NE(a, b) RAY_CHECK((a) != (b))
#define RAY_CHECK_LT(a, b) RAY_CHECK((a) < (b))
#define RAY_CHECK_LE(a, b) RAY_CHECK((a) <= (b))
#define RAY_CHECK_GT(a, b) RAY_CHECK((a) > (b))
#define RAY_CHECK_GE(a, b) RAY_CHECK((a) >= (b))
