// The fork-and-compare path of SameFatal under a storm of signals. libFuzzer's -timeout
// alarm is installed without SA_RESTART, so a blocking call in the parent can return EINTR
// at any moment; a fatal comparison must still see both children's messages whole.

#include "src/ray/common/fuzz/harness.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/time.h>

#include <string>

namespace ray_equiv {
namespace {

volatile sig_atomic_t g_alarms = 0;

void OnAlarm(int) { g_alarms = g_alarms + 1; }

class AlarmStorm {
 public:
  AlarmStorm() {
    struct sigaction action {};
    action.sa_handler = OnAlarm;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // As libFuzzer's: interrupted calls fail with EINTR.
    sigaction(SIGALRM, &action, &previous_);
    const itimerval every_50us{{0, 50}, {0, 50}};
    setitimer(ITIMER_REAL, &every_50us, nullptr);
  }
  ~AlarmStorm() {
    const itimerval off{};
    setitimer(ITIMER_REAL, &off, nullptr);
    sigaction(SIGALRM, &previous_, nullptr);
  }
  AlarmStorm(const AlarmStorm &) = delete;
  AlarmStorm &operator=(const AlarmStorm &) = delete;

 private:
  struct sigaction previous_ {};
};

TEST(HarnessTest, FatalComparisonSurvivesInterruptedSystemCalls) {
  const uint8_t input[] = {0};
  const Case fuzz_case(input, sizeof(input));
  const std::string nil_placement_group(18, '\xff');
  {
    const AlarmStorm storm;
    // The first 64 fatal comparisons always fork (see SameFatal).
    for (int i = 0; i < 64; ++i) {
      ASSERT_TRUE(SameFatal("PlacementGroupID::JobId of nil", [&](const Impl &impl) {
        impl.PlacementGroupJobId(nil_placement_group);
      }));
    }
  }
  EXPECT_EQ(FatalChecks(), 64u);
  // Enough alarms that the reads were interrupted many times over.
  EXPECT_GT(g_alarms, 64);
}

}  // namespace
}  // namespace ray_equiv
