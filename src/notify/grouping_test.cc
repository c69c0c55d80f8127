// Notification groups: the merge of a group's notifications, the router's timing under
// group_wait, group_interval and repeat_interval (simulated clock, real SQLite outbox), and the
// notifier sending a group's pending notifications as one request to a real HTTP receiver.
#include "notify/grouping.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "common/clock.h"
#include "notify/channel_router.h"
#include "notify/notifier.h"
#include "store/control_store.h"

namespace telltale {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json Notification(int64_t monitor, const std::string& status, const std::string& field,
                  double value, const std::string& from, const std::string& to) {
  return {{"id", "monitor-" + std::to_string(monitor) + "-" + status + "-" + to},
          {"status", status},
          {"severity", "warning"},
          {"monitor", {{"id", monitor}, {"name", "nulls"}, {"metric", "missing_ratio"}}},
          {"model", "churn"},
          {"window", {{"from", from}, {"to", to}}},
          {"fields", json::array({{{"field", field}, {"value", value}}})},
          {"labels", json::object()}};
}

TEST(GroupingTest, GroupsAreOneMonitorsNotificationsOfOneStatus) {
  EXPECT_EQ(GroupPrefix(Notification(3, "firing", "a", 1, "T0", "T1")), "monitor-3-firing-");
  EXPECT_EQ(GroupPrefix(Notification(3, "resolved", "a", 1, "T0", "T1")), "monitor-3-resolved-");
  EXPECT_EQ(GroupPrefix({{"id", "test-1"}, {"status", "test"}}), std::nullopt);
}

TEST(GroupingTest, MergeListsEveryFieldOnceWithItsLatestValue) {
  json merged = MergeNotifications(
      {Notification(3, "firing", "income", 0.05, "2026-11-05T14:00:00Z", "2026-11-05T15:00:00Z"),
       Notification(3, "firing", "age", 0.07, "2026-11-05T15:00:00Z", "2026-11-05T16:00:00Z"),
       Notification(3, "firing", "income", 0.09, "2026-11-05T16:00:00Z", "2026-11-05T17:00:00Z")});
  ASSERT_EQ(merged["fields"].size(), 2u);
  EXPECT_EQ(merged["fields"][0]["field"], "income");
  EXPECT_EQ(merged["fields"][0]["value"], 0.09);
  EXPECT_EQ(merged["fields"][1]["field"], "age");
  EXPECT_EQ(merged["window"]["from"], "2026-11-05T14:00:00Z");
  EXPECT_EQ(merged["window"]["to"], "2026-11-05T17:00:00Z");
  EXPECT_EQ(merged["id"], "monitor-3-firing-2026-11-05T15:00:00Z+2");
  EXPECT_EQ(merged["summary"], "nulls firing: missing_ratio on churn (2 fields, 3 notifications)");
  EXPECT_FALSE(merged.contains("repeat"));

  json reminder = Notification(3, "firing", "income", 0.05, "T0", "T1");
  reminder["repeat"] = true;
  EXPECT_FALSE(MergeNotifications({reminder, Notification(3, "firing", "a", 1, "T0", "T1")})
                   .contains("repeat"));
  EXPECT_TRUE(MergeNotifications({reminder, reminder})["repeat"]);
}

class GroupedOutboxTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("telltale-grouping-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::string file = (dir_ / "control.sqlite3").string();
    control_ = std::move(ControlStore::Open(file).value());
    project_ = control_->CreateProject("p", 0)->id;
    store_ = std::move(MonitorStore::Open(file).value());
  }
  void TearDown() override { fs::remove_all(dir_); }

  int64_t AddChannel(const std::string& url, const json& grouping) {
    json spec = {{"name", "hook"}, {"type", "webhook"}, {"url", url}};
    spec.update(grouping);
    ChannelRecord channel;
    channel.project_id = project_;
    channel.name = "hook";
    channel.spec_json = spec.dump();
    return store_->CreateChannel(channel)->id;
  }
  // Routes and enqueues as an evaluation would.
  std::vector<OutboxEntry> Route(ChannelRouter& router, const json& notification, int64_t now,
                                 bool reminder = false) {
    auto entries = reminder ? router.Remind(project_, notification, now)
                            : router.Route(project_, notification, now);
    EXPECT_TRUE(entries.ok());
    for (const OutboxEntry& entry : *entries) EXPECT_TRUE(store_->Enqueue(entry).ok());
    return *entries;
  }

  fs::path dir_;
  std::unique_ptr<ControlStore> control_;
  std::unique_ptr<MonitorStore> store_;
  int64_t project_ = 0;
};

TEST_F(GroupedOutboxTest, WaitIntervalAndRepeatDecideWhenAGroupGoesOut) {
  int64_t channel =
      AddChannel("http://receiver.example/hook",
                 {{"group_wait", "30s"}, {"group_interval", "5m"}, {"repeat_interval", "1h"}});
  ChannelRouter router(*store_);
  const int64_t t = 1'000'000;
  // The first of a group waits group_wait.
  auto first = Route(router, Notification(3, "firing", "income", 0.05, "T0", "T1"), t);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].next_attempt_at, t + 30);
  auto pending = store_->Group(channel, "monitor-3-firing-");
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->pending.size(), 1u);
  ASSERT_TRUE(store_->MarkDelivered(pending->pending[0].id, t + 30).ok());
  // The next of the same group waits for group_interval after that delivery; another status or
  // monitor is another group.
  EXPECT_EQ(
      Route(router, Notification(3, "firing", "age", 0.07, "T1", "T2"), t + 60)[0].next_attempt_at,
      t + 30 + 300);
  EXPECT_EQ(Route(router, Notification(3, "resolved", "income", 0, "T1", "T2"), t + 60)[0]
                .next_attempt_at,
            t + 90);
  EXPECT_EQ(Route(router, Notification(4, "firing", "income", 0.05, "T1", "T2"), t + 60)[0]
                .next_attempt_at,
            t + 90);
  // A reminder goes out once the last of the group was created an hour ago.
  json reminder = Notification(3, "firing", "income", 0.05, "T1", "T2");
  reminder["id"] = "monitor-3-firing-repeat-" + std::to_string(t + 1800);
  EXPECT_TRUE(Route(router, reminder, t + 1800, true).empty());
  reminder["id"] = "monitor-3-firing-repeat-" + std::to_string(t + 3660);
  EXPECT_EQ(Route(router, reminder, t + 3660, true).size(), 1u);
  reminder["id"] = "monitor-3-firing-repeat-" + std::to_string(t + 3700);
  EXPECT_TRUE(Route(router, reminder, t + 3700, true).empty());
}

TEST_F(GroupedOutboxTest, ChannelsWithoutGroupingSendAtOnceAndNeverRemind) {
  AddChannel("http://receiver.example/hook", json::object());
  ChannelRouter router(*store_);
  EXPECT_EQ(Route(router, Notification(3, "firing", "a", 1, "T0", "T1"), 500)[0].next_attempt_at,
            500);
  EXPECT_TRUE(Route(router, Notification(3, "firing", "a", 1, "T0", "T1"), 99999, true).empty());
}

TEST_F(GroupedOutboxTest, TheNotifierSendsAGroupsPendingNotificationsAsOne) {
  httplib::Server receiver;
  std::vector<json> received;
  std::mutex mutex;
  receiver.Post("/hook", [&](const httplib::Request& request, httplib::Response& response) {
    std::lock_guard lock(mutex);
    received.push_back(json::parse(request.body));
    response.status = 200;
  });
  int port = receiver.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { receiver.listen_after_bind(); });
  while (!receiver.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  int64_t channel =
      AddChannel(fmt::format("http://127.0.0.1:{}/hook", port), {{"group_wait", "30s"}});
  ChannelRouter router(*store_);
  FakeClock clock(1'000'000);
  Route(router, Notification(3, "firing", "income", 0.05, "T0", "T1"), clock.Now());
  Route(router, Notification(3, "firing", "age", 0.07, "T1", "T2"), clock.Now() + 10);
  Route(router, Notification(3, "resolved", "tenure", 0, "T1", "T2"), clock.Now() + 10);
  Notifier notifier(*store_, clock, AddressGuard(ParseNetworks("127.0.0.0/8").value()),
                    NotifierOptions{}, [](const std::string&) {});
  EXPECT_EQ(*notifier.DeliverDue(), 0u);  // nothing is due before group_wait
  clock.Set(1'000'030);
  ASSERT_TRUE(notifier.DeliverDue().ok());
  clock.Set(1'000'040);
  ASSERT_TRUE(notifier.DeliverDue().ok());
  receiver.stop();
  serving.join();

  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0]["status"], "firing");
  ASSERT_EQ(received[0]["fields"].size(), 2u);  // both firing notifications, in one request
  EXPECT_EQ(received[0]["fields"][1]["field"], "age");
  EXPECT_EQ(received[1]["status"], "resolved");
  auto outbox = store_->Notifications(channel);
  ASSERT_TRUE(outbox.ok());
  for (const OutboxEntry& entry : *outbox) EXPECT_EQ(entry.state, OutboxState::kDelivered);
}

}  // namespace
}  // namespace telltale
