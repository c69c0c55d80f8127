// Runs the scenario files in tests/scenarios/ (see its README): declarative series, a simulated
// clock advanced step by step, and the alerts and notifications expected. Each scenario runs the
// real MonitorRunner over a real SQLite monitor store, routing to a webhook channel; the
// notifications it expects are the outbox's entries.
#include <date/tz.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <random>

#include "common/yaml_json.h"
#include "ingest/row_decoder.h"
#include "monitor/monitor_runner.h"
#include "notify/channel_router.h"
#include "notify/silence.h"
#include "store/control_store.h"

namespace telltale {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

int64_t Time(const json& value) {
  Result<int64_t> parsed = ParseRfc3339(value.get<std::string>());
  EXPECT_TRUE(parsed.ok()) << value;
  return parsed.ok() ? *parsed : 0;
}

// One value per UTC hour: level x daily shape (peak at 15:00 local) x weekend factor x weekly
// peaks x (1 + noise), in the scenario's time zone.
std::map<int64_t, double> HourlySeries(const json& spec, const date::time_zone* zone) {
  std::map<int64_t, double> hours;
  std::mt19937_64 rng(spec.value("seed", 1));
  std::normal_distribution<double> noise(0, spec.value("noise", 0.0));
  double level = spec.value("level", 1.0);
  double amplitude = spec.value("daily_amplitude", 0.0);
  double weekend = spec.value("weekend", 1.0);
  for (int64_t t = Time(spec["from"]); t < Time(spec["to"]); t += 3600) {
    date::local_seconds local = zone->to_local(date::sys_seconds{std::chrono::seconds(t)});
    date::local_days day = date::floor<date::days>(local);
    double hour = std::chrono::duration_cast<std::chrono::hours>(local - day).count();
    unsigned weekday = date::weekday(day).c_encoding();
    double value = level * (1 + amplitude * std::cos((hour - 15) * M_PI / 12));
    if (weekday == 0 || weekday == 6) value *= weekend;
    for (const json& peak : spec.value("peaks", json::array())) {  // a regular weekly peak
      if (peak["weekday"].get<unsigned>() == weekday && hour >= peak["from_hour"].get<double>() &&
          hour < peak["to_hour"].get<double>()) {
        value *= peak["multiply"].get<double>();
      }
    }
    hours[t] = value * (1 + noise(rng));
  }
  return hours;
}

void ApplyIncidents(std::map<int64_t, double>& hours, const json& incidents) {
  for (const json& incident : incidents) {
    int64_t from = Time(incident["from"]);
    int64_t to = Time(incident["to"]);
    for (auto it = hours.lower_bound(from); it != hours.end() && it->first < to; ++it) {
      if (incident.contains("multiply")) it->second *= incident["multiply"].get<double>();
      if (incident.contains("add")) it->second += incident["add"].get<double>();
      if (incident.contains("set")) it->second = incident["set"].get<double>();
      if (incident.contains("ramp")) {  // grows linearly to `ramp` (added) at `to`
        double share = static_cast<double>(it->first - from) / static_cast<double>(to - from);
        it->second += incident["ramp"].get<double>() * share;
      }
    }
  }
}

class ScenarioData : public MonitorData {
 public:
  ScenarioData(const json& scenario, const date::time_zone* zone) : zone_(zone) {
    for (const json& series : scenario["series"]) {
      std::vector<std::string> subjects;
      if (series.contains("subjects")) {
        subjects = series["subjects"].get<std::vector<std::string>>();
      } else {
        subjects.push_back(series.value("subject", ""));
      }
      for (size_t i = 0; i < subjects.size(); ++i) {
        json hourly = series["hourly"];
        hourly["seed"] = hourly.value("seed", 1) + static_cast<int>(i);
        std::map<int64_t, double> hours = HourlySeries(hourly, zone);
        ApplyIncidents(hours, series.value("incidents", json::array()));
        hours_[subjects[i]] = std::move(hours);
        additive_ = series.value("additive", false);
      }
    }
  }

  Result<MonitorTarget> Resolve(int64_t project_id, const MonitorSpec& spec) override {
    MonitorTarget target;
    target.project_id = project_id;
    target.model = spec.model;
    target.zone = zone_;
    target.version = "v1";
    target.version_id = 1;
    for (const auto& [subject, hours] : hours_) {
      bool named = std::find(spec.fields.begin(), spec.fields.end(), subject) != spec.fields.end();
      if (spec.field_scope != FieldScope::kNamed || named) target.subjects.push_back(subject);
    }
    return target;
  }

  // Hours merged into the monitor's windows: summed when additive (counts), else averaged.
  Result<std::vector<SeriesPoint>> Series(const MonitorTarget& target, const MonitorSpec& spec,
                                          const std::string& subject, int64_t from,
                                          int64_t to) override {
    std::map<int64_t, std::pair<double, int>> windows;
    const auto& hours = hours_.at(subject);
    for (auto it = hours.lower_bound(from); it != hours.end() && it->first < to; ++it) {
      auto& [sum, count] = windows[BucketStart(it->first, spec.granularity, target.zone)];
      sum += it->second;
      ++count;
    }
    std::vector<SeriesPoint> points;
    for (const auto& [start, total] : windows) {
      double hours_long =
          static_cast<double>(NextWindowStart(start, spec.granularity, target.zone) - start) / 3600;
      points.push_back({start, additive_ ? total.first : total.first / total.second, hours_long});
    }
    return points;
  }

  Result<std::optional<double>> BaselineValue(const MonitorTarget&, const MonitorSpec&,
                                              const std::string&) override {
    return std::optional<double>();
  }

 private:
  const date::time_zone* zone_;
  std::map<std::string, std::map<int64_t, double>> hours_;
  bool additive_ = false;
};

class MonitorScenarioTest : public testing::TestWithParam<fs::path> {};

TEST_P(MonitorScenarioTest, RaisesExactlyTheExpectedNotifications) {
  std::vector<YamlLines> lines;
  Result<std::vector<json>> documents = ReadYamlDocuments(GetParam().string(), &lines);
  ASSERT_TRUE(documents.ok()) << documents.status().message();
  const json& scenario = documents->front();
  SCOPED_TRACE(scenario.value("description", GetParam().filename().string()));
  const date::time_zone* zone = date::locate_zone(scenario.value("timezone", "UTC"));

  fs::path dir = fs::temp_directory_path() /
                 ("telltale-scenario-" + std::to_string(::getpid()) + GetParam().stem().string());
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string file = (dir / "control.sqlite3").string();
  auto control = ControlStore::Open(file);
  ASSERT_TRUE(control.ok());
  auto project = (*control)->CreateProject("p", 0);
  auto store = MonitorStore::Open(file);
  ASSERT_TRUE(store.ok());
  ChannelRecord channel;
  channel.project_id = project->id;
  channel.name = "hook";
  channel.spec_json =
      json({{"name", "hook"}, {"type", "webhook"}, {"url", "http://receiver"}}).dump();
  auto created_channel = (*store)->CreateChannel(channel);
  ASSERT_TRUE(created_channel.ok());

  auto parsed = ParseMonitorSpec(scenario["monitor"]);
  ASSERT_TRUE(std::holds_alternative<MonitorSpec>(parsed))
      << std::get<SpecError>(parsed).path << ": " << std::get<SpecError>(parsed).message;
  MonitorRecord record;
  record.project_id = project->id;
  record.name = std::get<MonitorSpec>(parsed).name;
  record.spec_json = MonitorSpecJson(std::get<MonitorSpec>(parsed)).dump();
  auto monitor = (*store)->CreateMonitor(record);
  ASSERT_TRUE(monitor.ok());

  const json& clock_spec = scenario["clock"];
  FakeClock clock(Time(clock_spec["from"]));
  for (const json& silence : scenario.value("silences", json::array())) {
    auto spec = ParseSilenceSpec(silence, clock.Now());
    ASSERT_TRUE(std::holds_alternative<SilenceSpec>(spec));
    SilenceRecord stored{0,
                         project->id,
                         SilenceSpecJson(std::get<SilenceSpec>(spec)).dump(),
                         std::get<SilenceSpec>(spec).starts_at,
                         std::get<SilenceSpec>(spec).ends_at,
                         0};
    ASSERT_TRUE((*store)->CreateSilence(stored).ok());
  }

  ScenarioData data(scenario, zone);
  ChannelRouter router(**store);
  RunnerOptions options;
  options.evaluation_delay = 0;
  options.max_windows_per_run = 1000;
  MonitorRunner runner(**store, data, router, clock, options);
  int64_t step = clock_spec.value("step_seconds", 3600);
  for (int64_t now = Time(clock_spec["from"]); now <= Time(clock_spec["to"]); now += step) {
    clock.Set(now);
    Status status = runner.RunDue();
    ASSERT_TRUE(status.ok()) << status.message();
  }

  auto outbox = (*store)->Notifications(created_channel->id);
  ASSERT_TRUE(outbox.ok());
  // A notification's queued_at is compared where the scenario names one.
  std::vector<bool> timed;
  for (const json& expected : scenario["expect"]["notifications"]) {
    timed.push_back(expected.contains("queued_at"));
  }
  json got = json::array();
  for (const OutboxEntry& entry : *outbox) {
    json notification = json::parse(entry.payload);
    json fields = json::array();
    for (const json& field : notification["fields"]) fields.push_back(field["field"]);
    got.push_back({{"status", notification["status"]},
                   {"window_from", notification["window"]["from"]},
                   {"fields", fields}});
    if (got.size() <= timed.size() && timed[got.size() - 1]) {
      got.back()["queued_at"] = FormatRfc3339(entry.created_at);
    }
  }
  json want = json::array();
  for (const json& expected : scenario["expect"]["notifications"]) {
    json fields = json::array();
    for (const json& field : expected.value("fields", json::array({nullptr}))) {
      fields.push_back(field);
    }
    want.push_back({{"status", expected["status"]},
                    {"window_from", expected["window_from"]},
                    {"fields", fields}});
    if (expected.contains("queued_at")) want.back()["queued_at"] = expected["queued_at"];
  }
  EXPECT_EQ(got, want) << "got " << got.dump(1);
  fs::remove_all(dir);
}

std::vector<fs::path> ScenarioFiles() {
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(fs::path(TELLTALE_SOURCE_DIR) / "tests" / "scenarios")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, MonitorScenarioTest, testing::ValuesIn(ScenarioFiles()),
                         [](const testing::TestParamInfo<fs::path>& param) {
                           std::string name = param.param.stem().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace telltale
