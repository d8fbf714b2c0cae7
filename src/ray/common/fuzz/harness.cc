#include "src/ray/common/fuzz/harness.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace ray_equiv {

namespace {

const uint8_t *g_data = nullptr;
size_t g_size = 0;
uint64_t g_fatal_seen = 0;
uint64_t g_fatal_checks = 0;

// Matches adapter_body.inc: the exit status of a child whose FATAL message was captured.
constexpr int kFatalExit = 86;

void PrintStats() {
  std::fprintf(stderr,
               "ray_equiv: forked fatal-path comparisons: %llu of %llu fatal inputs\n",
               static_cast<unsigned long long>(g_fatal_checks),
               static_cast<unsigned long long>(g_fatal_seen));
}

std::string RenderLogs(const std::vector<LogRecord> &logs) {
  std::string out;
  for (const LogRecord &log : logs) {
    out += "[level " + std::to_string(log.level) + "] " + log.message + "\n";
  }
  return out;
}

// What a call did in a child process.
std::string RunForked(const Impl &impl, const std::function<void(const Impl &)> &call) {
  int fds[2];
  if (::pipe(fds) != 0) {
    std::perror("pipe");
    std::abort();
  }
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("fork");
    std::abort();
  }
  if (pid == 0) {
    ::close(fds[0]);
    // The FATAL line also goes to stderr; only the captured message matters.
    const int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
      ::dup2(devnull, STDERR_FILENO);
    }
    impl.ExitOnFatal(fds[1]);
    call(impl);
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string message;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fds[0], buf, sizeof(buf));
    // libFuzzer's timeout alarm interrupts the read; closing the pipe then would kill the
    // child with SIGPIPE before its message is out.
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    message.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == kFatalExit) {
    return "FATAL: " + message;
  }
  if (WIFEXITED(status)) {
    return "returned normally (exit " + std::to_string(WEXITSTATUS(status)) + ")";
  }
  return "killed by signal " + std::to_string(WTERMSIG(status));
}

}  // namespace

Case::Case(const uint8_t *data, size_t size) {
  static const bool initialised = [] {
    Ref().CaptureLogs();
    Rust().CaptureLogs();
    std::atexit(PrintStats);
    return true;
  }();
  (void)initialised;
  g_data = data;
  g_size = size;
}

Case::~Case() {
  g_data = nullptr;
  g_size = 0;
}

std::string Hex(const std::string &bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

void Diverge(const std::string &what, const std::string &reference, const std::string &rust) {
  std::fprintf(stderr,
               "\n==== DIVERGENCE: %s\n---- C++ reference:\n%s\n---- Rust-backed:\n%s\n"
               "---- input (%zu bytes, hex): %s\n",
               what.c_str(),
               reference.c_str(),
               rust.c_str(),
               g_size,
               Hex(std::string(reinterpret_cast<const char *>(g_data), g_size)).c_str());
  std::fflush(stderr);
  __builtin_trap();
}

void Same(const std::string &what, const std::string &reference, const std::string &rust) {
  if (reference != rust) {
    Diverge(what, "hex " + Hex(reference) + "\n" + reference, "hex " + Hex(rust) + "\n" + rust);
  }
}

void Same(const std::string &what, uint64_t reference, uint64_t rust) {
  if (reference != rust) {
    Diverge(what, std::to_string(reference), std::to_string(rust));
  }
}

void Same(const std::string &what, const IdView &reference, const IdView &rust) {
  if (reference != rust) {
    Diverge(what,
            "binary " + Hex(reference.binary) + "\n" + reference.text,
            "binary " + Hex(rust.binary) + "\n" + rust.text);
  }
}

void SameLogs(const std::string &what) {
  const std::string reference = RenderLogs(Ref().TakeLogs());
  const std::string rust = RenderLogs(Rust().TakeLogs());
  if (reference != rust) {
    Diverge(what + " (logged)", reference, rust);
  }
}

bool SameFatal(const std::string &what, const std::function<void(const Impl &)> &call) {
  ++g_fatal_seen;
  // A fork costs as much as hundreds of comparisons: after the first 64, fork only while
  // forking has taken under 5% of the run's time, so fatal-heavy inputs keep the pace.
  using Clock = std::chrono::steady_clock;
  static const Clock::time_point start = Clock::now();
  static Clock::duration forking{};
  const Clock::time_point now = Clock::now();
  if (g_fatal_checks >= 64 && forking * 20 > now - start) {
    return false;
  }
  ++g_fatal_checks;
  const std::string reference = RunForked(Ref(), call);
  const std::string rust = RunForked(Rust(), call);
  forking += Clock::now() - now;
  if (reference != rust || reference.rfind("FATAL: ", 0) != 0) {
    Diverge(what + " (expected: both fatal, same message)", reference, rust);
  }
  return true;
}

bool SameFatalBySide(const std::string &what, const std::function<void(Side)> &call) {
  return SameFatal(what, [&](const Impl &impl) {
    call(&impl == &Rust() ? Side::kRust : Side::kReference);
  });
}

uint64_t FatalChecks() { return g_fatal_checks; }

}  // namespace ray_equiv
