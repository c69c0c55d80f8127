#include "monitor/alert_state.h"

#include <gtest/gtest.h>

#include <vector>

namespace telltale {
namespace {

constexpr int64_t kHour = 3600;

// Feeds one breach flag per hourly window and returns the state after each.
std::vector<AlertState> StatesAfter(const std::vector<int>& breaches, AlertTiming timing) {
  AlertStatus status;
  std::vector<AlertState> states;
  for (size_t i = 0; i < breaches.size(); ++i) {
    int64_t start = static_cast<int64_t>(i) * kHour;
    Advance(status, breaches[i] != 0, start, start + kHour, timing);
    states.push_back(status.state);
  }
  return states;
}

constexpr AlertState I = AlertState::kInactive;
constexpr AlertState P = AlertState::kPending;
constexpr AlertState F = AlertState::kFiring;
constexpr AlertState R = AlertState::kResolved;

TEST(AlertStateTest, FiresAtOnceWithoutHoldFor) {
  EXPECT_EQ(StatesAfter({0, 1, 1, 0, 0, 1}, {}), (std::vector<AlertState>{I, F, F, R, R, F}));
}

TEST(AlertStateTest, HoldForSuppressesFlapping) {
  AlertTiming two_hours{2 * kHour, 0};
  EXPECT_EQ(StatesAfter({1, 0, 1, 0, 1, 0}, two_hours),
            (std::vector<AlertState>{P, I, P, I, P, I}));
  EXPECT_EQ(StatesAfter({1, 1, 1, 0}, two_hours), (std::vector<AlertState>{P, F, F, R}));
}

TEST(AlertStateTest, KeepFiringForBridgesShortGaps) {
  AlertTiming keep{0, 2 * kHour};
  EXPECT_EQ(StatesAfter({1, 0, 0, 1, 0, 0, 0}, keep),
            (std::vector<AlertState>{F, F, F, F, F, F, R}));
}

TEST(AlertStateTest, ReportsTransitionsAndWhenTheyHappened) {
  AlertStatus status;
  AlertTiming timing{kHour * 2, 0};
  auto first = Advance(status, true, 0, kHour, timing);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->to, AlertState::kPending);
  EXPECT_FALSE(Advance(status, true, kHour, 2 * kHour, timing).has_value() &&
               status.state != AlertState::kFiring);
  EXPECT_EQ(status.state, AlertState::kFiring);
  EXPECT_EQ(status.since, 2 * kHour);
  EXPECT_EQ(status.breach_started, 0);
  EXPECT_EQ(ParseAlertState("firing"), AlertState::kFiring);
  EXPECT_FALSE(ParseAlertState("burning"));
}

}  // namespace
}  // namespace telltale
