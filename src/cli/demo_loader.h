// The demo: a churn model with four weeks of traffic, loaded into a running server through its
// public REST API, so a new user opens a populated UI. Traffic follows a daily and a weekly cycle;
// 36 hours before now an upstream billing service starts sending monthly_charges in cents and an
// outage empties a share of last_login_days, so the score drifts and accuracy falls; labels
// arrive one to five days after their predictions. Monitors watch all of it.
#ifndef TELLTALE_CLI_DEMO_LOADER_H_
#define TELLTALE_CLI_DEMO_LOADER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "telltale/result.h"

namespace telltale::cli {

struct DemoTarget {
  std::string host;
  int port = 0;
  std::string token;  // an admin key
  int64_t now = 0;    // Unix seconds: the demo's traffic ends here
};

// Loads the demo unless the project already holds a model (then it does nothing and says so).
Status LoadDemo(const DemoTarget& target, const std::function<void(const std::string&)>& announce);

// How long before `now` the demo's traffic starts (the server must accept rows this late).
constexpr int64_t kDemoHistorySeconds = 28 * 86400;

}  // namespace telltale::cli

#endif  // TELLTALE_CLI_DEMO_LOADER_H_
