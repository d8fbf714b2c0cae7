#include "ray/util/logging.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <mutex>
#include <thread>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif
#if defined(__linux__)
#include <sys/syscall.h>
#endif

namespace ray {

namespace {

int InitialThreshold() {
  const char *env = std::getenv("RAY_BACKEND_LOG_LEVEL");
  if (env == nullptr) {
    return static_cast<int>(RayLogLevel::INFO);
  }
  std::string value(env);
  for (char &c : value) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  if (value == "debug") return static_cast<int>(RayLogLevel::DEBUG);
  if (value == "warning") return static_cast<int>(RayLogLevel::WARNING);
  if (value == "error") return static_cast<int>(RayLogLevel::ERROR);
  if (value == "fatal") return static_cast<int>(RayLogLevel::FATAL);
  return static_cast<int>(RayLogLevel::INFO);
}

// Function-local statics so that logging works during static initialisation
// of other translation units.
std::atomic<int> &Threshold() {
  static std::atomic<int> threshold(InitialThreshold());
  return threshold;
}

std::atomic<RayLog::Sink> &SinkSlot() {
  static std::atomic<RayLog::Sink> sink(nullptr);
  return sink;
}

std::mutex &StderrMutex() {
  static std::mutex mu;
  return mu;
}

char LevelLetter(RayLogLevel level) {
  switch (level) {
  case RayLogLevel::DEBUG:
    return 'D';
  case RayLogLevel::INFO:
    return 'I';
  case RayLogLevel::WARNING:
    return 'W';
  case RayLogLevel::ERROR:
    return 'E';
  case RayLogLevel::FATAL:
    return 'F';
  }
  return '?';
}

long long ProcessId() {
#if defined(__unix__) || defined(__APPLE__)
  return static_cast<long long>(::getpid());
#else
  return 0;
#endif
}

unsigned long long ThreadId() {
#if defined(__linux__) && defined(SYS_gettid)
  return static_cast<unsigned long long>(::syscall(SYS_gettid));
#else
  return static_cast<unsigned long long>(
      std::hash<std::thread::id>()(std::this_thread::get_id()));
#endif
}

const char *BaseName(const char *path) {
  const char *slash = std::strrchr(path, '/');
  return slash == nullptr ? path : slash + 1;
}

void WriteToStderr(const std::string &line) {
  std::lock_guard<std::mutex> lock(StderrMutex());
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

RayLog::RayLog(const char *file_name, int line_number, RayLogLevel severity)
    : file_name_(file_name), line_number_(line_number), severity_(severity) {}

RayLog::~RayLog() {
  std::string message = stream_.str();
  message += context_;
  Sink sink = SinkSlot().load(std::memory_order_acquire);
  if (sink != nullptr) {
    sink(severity_, message);
  }
  if (sink == nullptr || severity_ == RayLogLevel::FATAL) {
    WriteToStderr(FormatLine(severity_, file_name_, line_number_, message));
  }
  if (severity_ == RayLogLevel::FATAL) {
    std::fflush(nullptr);
    std::abort();
  }
}

RayLog::Sink RayLog::SetSink(Sink sink) {
  return SinkSlot().exchange(sink, std::memory_order_acq_rel);
}

RayLog::Sink RayLog::GetSink() { return SinkSlot().load(std::memory_order_acquire); }

void RayLog::SetLogLevel(RayLogLevel level) {
  Threshold().store(static_cast<int>(level), std::memory_order_relaxed);
}

RayLogLevel RayLog::GetLogLevel() {
  return static_cast<RayLogLevel>(Threshold().load(std::memory_order_relaxed));
}

bool RayLog::IsLevelEnabled(RayLogLevel level) {
  return level == RayLogLevel::FATAL ||
         static_cast<int>(level) >= Threshold().load(std::memory_order_relaxed);
}

std::string RayLog::FormatLine(RayLogLevel level,
                               const char *file_name,
                               int line_number,
                               const std::string &message) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const long long millis = static_cast<long long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch())
          .count() %
      1000);
  std::tm local_time{};
#if defined(_WIN32)
  localtime_s(&local_time, &seconds);
#else
  localtime_r(&seconds, &local_time);
#endif
  char date[32];
  if (std::strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &local_time) == 0) {
    date[0] = '\0';
  }
  char prefix[128];
  std::snprintf(prefix,
                sizeof(prefix),
                "[%s,%03lld %c %lld %llu] ",
                date,
                millis,
                LevelLetter(level),
                ProcessId(),
                ThreadId());
  std::string line(prefix);
  line += BaseName(file_name == nullptr ? "" : file_name);
  line += ':';
  line += std::to_string(line_number);
  line += ": ";
  line += message;
  line += '\n';
  return line;
}

}  // namespace ray
