#include "cli/demo_loader.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>
#include <vector>

namespace telltale::cli {
namespace {

using json = nlohmann::json;

constexpr const char* kModel = "churn";
constexpr int64_t kIncidentSeconds = 36 * 3600;  // the upstream change, this long before now
constexpr size_t kBatchRows = 5000;

// One customer as the feature store sees them, and whether they churned.
struct Customer {
  double tenure_months;
  double monthly_charges;
  std::string country;
  std::string plan;
  double support_tickets;
  double age;
  std::string payment_method;
  double last_login_days;
  bool churned;
};

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// The churn risk the model learned: the same formula on what it is sent.
double ChurnLogit(double tenure, double charges, bool monthly_plan, double tickets,
                  double last_login) {
  return -1.2 - 0.05 * tenure + 0.03 * (charges - 65.0) + 0.45 * tickets + 0.04 * last_login +
         (monthly_plan ? 0.9 : 0.0);
}

template <typename T>
const T& Pick(std::mt19937_64& random, const std::vector<T>& values,
              const std::vector<double>& weights) {
  std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
  return values[pick(random)];
}

Customer DrawCustomer(std::mt19937_64& random) {
  static const std::vector<std::string> countries = {"US", "DE", "GB", "FR", "BR", "IN"};
  static const std::vector<std::string> plans = {"monthly", "annual", "two_year"};
  static const std::vector<std::string> payments = {"card", "bank_transfer", "paypal", "invoice"};
  Customer customer;
  customer.tenure_months = std::min(72.0, std::exponential_distribution<double>(1 / 20.0)(random));
  customer.monthly_charges =
      std::clamp(std::normal_distribution<double>(65, 20)(random), 18.0, 120.0);
  customer.country = Pick(random, countries, {0.42, 0.18, 0.14, 0.1, 0.09, 0.07});
  customer.plan = Pick(random, plans, {0.55, 0.3, 0.15});
  customer.support_tickets = std::poisson_distribution<int>(0.8)(random);
  customer.age =
      std::clamp(std::round(std::normal_distribution<double>(41, 12)(random)), 18.0, 90.0);
  customer.payment_method = Pick(random, payments, {0.5, 0.2, 0.2, 0.1});
  customer.last_login_days = std::round(std::gamma_distribution<double>(1.5, 6)(random));
  const double risk = Sigmoid(ChurnLogit(customer.tenure_months, customer.monthly_charges,
                                         customer.plan == "monthly", customer.support_tickets,
                                         customer.last_login_days));
  customer.churned = std::bernoulli_distribution(risk)(random);
  return customer;
}

std::string Rfc3339(int64_t seconds) {
  std::time_t time = seconds;
  std::tm utc{};
  gmtime_r(&time, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1,
                     utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

// A row as logged: after the incident, charges come in cents and some logins are missing.
json PredictionRow(const std::string& id, int64_t time, const Customer& customer, bool incident,
                   std::mt19937_64& random) {
  double charges = incident ? std::round(customer.monthly_charges * 100) : customer.monthly_charges;
  charges = std::round(charges * 100) / 100;
  json last_login = customer.last_login_days;
  if (incident && std::bernoulli_distribution(0.3)(random)) last_login = nullptr;
  const double score = Sigmoid(ChurnLogit(customer.tenure_months, charges,
                                          customer.plan == "monthly", customer.support_tickets,
                                          last_login.is_null() ? 0.0 : customer.last_login_days));
  json row = {{"id", id},
              {"features",
               {{"tenure_months", std::round(customer.tenure_months * 10) / 10},
                {"monthly_charges", charges},
                {"country", customer.country},
                {"plan", customer.plan},
                {"support_tickets", customer.support_tickets},
                {"age", customer.age},
                {"payment_method", customer.payment_method},
                {"last_login_days", last_login}}},
              {"predictions", {{"churn_score", std::round(score * 1e4) / 1e4}}}};
  if (time > 0) row["timestamp"] = Rfc3339(time);
  return row;
}

// Rows per hour: busy in the afternoon of New York, quiet at night and at weekends.
double HourlyRate(int64_t hour_start) {
  const int64_t local = hour_start - 5 * 3600;
  const double hour_of_day = static_cast<double>(((local % 86400) + 86400) % 86400) / 3600.0;
  const int64_t day = (local >= 0 ? local : local - 86399) / 86400;
  const int weekday = static_cast<int>(((day + 3) % 7 + 7) % 7);  // 0 = Monday
  const double daily = 1.0 + 0.7 * std::sin((hour_of_day - 9.0) / 24.0 * 2 * std::numbers::pi);
  return 110.0 * daily * (weekday >= 5 ? 0.55 : 1.0);
}

class DemoClient {
 public:
  explicit DemoClient(const DemoTarget& target) : client_(target.host, target.port) {
    client_.set_bearer_token_auth(target.token);
    client_.set_read_timeout(120);
  }

  Result<json> Send(const std::string& method, const std::string& path, const json& body) {
    httplib::Result result =
        method == "GET" ? client_.Get(path) : client_.Post(path, body.dump(), "application/json");
    if (!result) {
      return Status::Unavailable(
          fmt::format("{} {}: {}", method, path, httplib::to_string(result.error())));
    }
    json answer = json::parse(result->body, nullptr, false);
    if (result->status >= 300) {
      std::string detail = answer.is_object() ? answer.value("detail", result->body) : result->body;
      return Status::InvalidArgument(
          fmt::format("{} {} answered {}: {}", method, path, result->status, detail));
    }
    return answer;
  }

  Status PostRows(const std::string& path, std::vector<json>& rows) {
    for (size_t start = 0; start < rows.size(); start += kBatchRows) {
      json batch = json::array();
      for (size_t i = start; i < std::min(rows.size(), start + kBatchRows); ++i) {
        batch.push_back(std::move(rows[i]));
      }
      TELLTALE_ASSIGN_OR_RETURN(json answer, Send("POST", path, {{"rows", std::move(batch)}}));
      if (answer.contains("rejected") && !answer["rejected"].empty()) {
        return Status::InvalidArgument(fmt::format("{} rejected demo rows, the first: {}", path,
                                                   answer["rejected"][0].dump()));
      }
    }
    rows.clear();
    return Status::Ok();
  }

 private:
  httplib::Client client_;
};

json VersionDefinition() {
  return {
      {"version", "v1"},
      {"schema",
       {{"features",
         {{"tenure_months", "numeric"},
          {"monthly_charges", "numeric"},
          {"country", "categorical"},
          {"plan", "categorical"},
          {"support_tickets", "numeric"},
          {"age", "numeric"},
          {"payment_method", "categorical"},
          {"last_login_days", "numeric"}}},
        {"predictions", {{"churn_score", "numeric"}}},
        {"actuals", {{"churned", "boolean"}}}}},
      {"segments",
       json::array({{{"name", "US"}, {"where", {{"country", {"US"}}}}},
                    {{"name", "Europe"}, {"where", {{"country", {"DE", "GB", "FR"}}}}},
                    {{"name", "new customers"}, {"where", {{"tenure_months", {{"lt", 12}}}}}}})}};
}

json Monitors() {
  auto monitor = [](const char* name, const char* type, const json& extra) {
    json spec = {{"name", name}, {"model", kModel}, {"type", type}};
    spec.update(extra);
    return spec;
  };
  return json::array({monitor("churn volume", "model_activity", {{"severity", "critical"}}),
                      monitor("churn nulls", "missing_values", {{"hold_for", "0s"}}),
                      monitor("churn feature drift", "data_drift", {{"hold_for", "0s"}}),
                      monitor("churn score drift", "prediction_drift", {{"hold_for", "0s"}}),
                      monitor("churn accuracy", "performance_degradation",
                              {{"metric", "accuracy"},
                               {"granularity", "day"},
                               {"detector", {{"kind", "threshold"}, {"below", 0.7}}}})});
}

}  // namespace

Status LoadDemo(const DemoTarget& target, const std::function<void(const std::string&)>& announce) {
  DemoClient client(target);
  TELLTALE_ASSIGN_OR_RETURN(json models, client.Send("GET", "/api/v1/models", {}));
  const json& list = models.is_object() ? models["models"] : models;
  if (!list.empty()) {
    announce("demo: the data directory already holds models; nothing loaded");
    return Status::Ok();
  }
  announce("demo: loading the churn model (four weeks of traffic, labels, monitors)...");
  TELLTALE_RETURN_IF_ERROR(
      client
          .Send("POST", "/api/v1/models",
                {{"name", kModel},
                 {"task", "binary_classification"},
                 {"timezone", "America/New_York"},
                 {"description", "Demo: which subscribers cancel within 30 days"}})
          .status());
  TELLTALE_RETURN_IF_ERROR(
      client.Send("POST", fmt::format("/api/v1/models/{}/versions", kModel), VersionDefinition())
          .status());
  const std::string version_path = fmt::format("/api/v1/models/{}/versions/v1", kModel);

  std::mt19937_64 random(20261201);
  std::vector<json> rows;
  for (const char* baseline : {"training", "validation"}) {
    const int count = std::string(baseline) == "training" ? 8000 : 3000;
    for (int i = 0; i < count; ++i) {
      Customer customer = DrawCustomer(random);
      json row = PredictionRow(fmt::format("{}-{}", baseline, i), 0, customer, false, random);
      row["actuals"] = {{"churned", customer.churned}};
      rows.push_back(std::move(row));
    }
    TELLTALE_RETURN_IF_ERROR(client.PostRows(version_path + "/" + baseline, rows));
  }

  const int64_t first_hour = (target.now - kDemoHistorySeconds) / 3600 * 3600 + 3600;
  const int64_t incident = target.now - kIncidentSeconds;
  std::vector<json> actuals;
  int64_t predictions = 0;
  for (int64_t hour = first_hour; hour < target.now; hour += 3600) {
    const int64_t end = std::min(hour + 3600, target.now);
    const double share = static_cast<double>(end - hour) / 3600.0;
    const int count = std::poisson_distribution<int>(HourlyRate(hour) * share)(random);
    for (int i = 0; i < count; ++i) {
      const int64_t time = hour + std::uniform_int_distribution<int64_t>(0, end - hour - 1)(random);
      Customer customer = DrawCustomer(random);
      const std::string id = fmt::format("p{}-{}", hour / 3600, i);
      rows.push_back(PredictionRow(id, time, customer, time >= incident, random));
      ++predictions;
      // Cancellations are known one to five days later; most of them have come in by now.
      const int64_t delay =
          86400 + static_cast<int64_t>(std::gamma_distribution<double>(2.0, 0.9)(random) * 86400);
      if (time + delay < target.now) {
        actuals.push_back({{"id", id},
                           {"actuals", {{"churned", customer.churned}}},
                           {"timestamp", Rfc3339(time + delay)}});
      }
    }
    if (rows.size() >= kBatchRows) {
      TELLTALE_RETURN_IF_ERROR(client.PostRows(version_path + "/predictions", rows));
    }
  }
  TELLTALE_RETURN_IF_ERROR(client.PostRows(version_path + "/predictions", rows));
  const size_t labeled = actuals.size();
  TELLTALE_RETURN_IF_ERROR(
      client.PostRows(fmt::format("/api/v1/models/{}/actuals", kModel), actuals));
  for (const json& monitor : Monitors()) {
    TELLTALE_RETURN_IF_ERROR(client.Send("POST", "/api/v1/monitors", monitor).status());
  }
  announce(fmt::format(
      "demo: loaded {} predictions over {} days ({} labeled) and {} monitors; the upstream change "
      "began at {}",
      predictions, kDemoHistorySeconds / 86400, labeled, Monitors().size(), Rfc3339(incident)));
  return Status::Ok();
}

}  // namespace telltale::cli
