#include "query/window_metrics.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace telltale {
namespace {

class WindowMetricsTest : public ::testing::Test {
 protected:
  WindowMetricsTest()
      : schema_(
            VersionSchema::FromJson(
                {{"features", {{"x", "numeric"}, {"c", "categorical"}, {"t", "text"}}}}, nullptr)
                .value()) {}

  // A window of rows x = values[i], c = categories[i % size].
  WindowProfile Window(const std::vector<double>& values,
                       const std::vector<std::string>& categories) {
    const size_t x = static_cast<size_t>(schema_.FindField("x"));
    const size_t c = static_cast<size_t>(schema_.FindField("c"));
    std::vector<Row> rows(values.size());
    std::vector<const Row*> pointers;
    for (size_t i = 0; i < values.size(); ++i) {
      rows[i].cells.resize(schema_.fields().size());
      if (!std::isnan(values[i])) {
        rows[i].cells[x].kind = Cell::Kind::kNumber;
        rows[i].cells[x].number = values[i];
      }
      rows[i].cells[c].kind = Cell::Kind::kString;
      rows[i].cells[c].text = categories[i % categories.size()];
      pointers.push_back(&rows[i]);
    }
    WindowProfile window(schema_);
    window.Fold(schema_, pointers);
    return window;
  }
  const FieldSpec* Field(const char* name) {
    return &schema_.fields()[static_cast<size_t>(schema_.FindField(name))];
  }
  std::optional<double> Compute(const char* metric, const WindowProfile& window, const char* field,
                                const WindowProfile* baseline = nullptr) {
    const FieldSpec* spec = field ? Field(field) : nullptr;
    return ComputeMetric(ParseMetric(metric, spec).value(), window, spec, baseline);
  }

  VersionSchema schema_;
};

TEST_F(WindowMetricsTest, CountsRatiosAndMoments) {
  WindowProfile window = Window({1, 2, 3, NAN}, {"a", "b"});
  EXPECT_EQ(Compute("count", window, nullptr), 4);
  EXPECT_EQ(Compute("count", window, "x"), 3);
  EXPECT_EQ(Compute("missing_ratio", window, "x"), 0.25);
  EXPECT_EQ(Compute("mean", window, "x"), 2);
  EXPECT_NEAR(*Compute("std", window, "x"), std::sqrt(2.0 / 3), 1e-15);
  EXPECT_EQ(Compute("min", window, "x"), 1);
  EXPECT_EQ(Compute("max", window, "x"), 3);
  EXPECT_EQ(Compute("p50", window, "x"), 2);
  EXPECT_EQ(Compute("distinct_count", window, "c"), 2);
  window.integrity().rejected_rows = 1;
  window.integrity().type_errors["x"] = 1;
  EXPECT_EQ(Compute("type_error_ratio", window, "x"), 0.2);
}

TEST_F(WindowMetricsTest, ComparisonsWithTheBaseline) {
  WindowProfile baseline = Window({0, 5, 10}, {"a", "b"});
  WindowProfile current = Window({-1, 2, 4, 11, 12}, {"a", "b", "z", "z", "y"});
  EXPECT_EQ(Compute("out_of_range_ratio", current, "x", &baseline), 0.6);
  EXPECT_EQ(Compute("new_category_ratio", current, "c", &baseline), 0.6);
  EXPECT_EQ(Compute("new_category_ratio", baseline, "c", &baseline), 0);
  // Few rows: the default method is chi-square, whose score is a p-value (drift below 0.05).
  EXPECT_LT(*Compute("drift_score", current, "c", &baseline), 0.05);
  EXPECT_GT(*Compute("drift_score", baseline, "c", &baseline), 0.05);
}

TEST_F(WindowMetricsTest, OutOfRangeFromTheSketchWhenValuesAreMany) {
  // 5,000 distinct values: beyond exact counting, the share comes from the quantile sketch.
  std::vector<double> base, current;
  for (int i = 0; i < 5000; ++i) base.push_back(i);
  for (int i = 0; i < 5000; ++i) current.push_back(i + 1000);  // 20% above the baseline's max
  WindowProfile baseline = Window(base, {"a"});
  WindowProfile shifted = Window(current, {"a"});
  EXPECT_NEAR(*Compute("out_of_range_ratio", shifted, "x", &baseline), 0.2, 0.0165);
}

TEST_F(WindowMetricsTest, MetricNamesAreChecked) {
  EXPECT_TRUE(ParseMetric("p99.9", Field("x")).ok());
  EXPECT_NEAR(*ParseMetric("p99.9", Field("x"))->quantile, 0.999, 1e-12);
  EXPECT_FALSE(ParseMetric("p101", Field("x")).ok());
  EXPECT_FALSE(ParseMetric("p50", Field("c")).ok());
  EXPECT_FALSE(ParseMetric("mean", Field("t")).ok());
  EXPECT_FALSE(ParseMetric("new_category_ratio", Field("x")).ok());
  EXPECT_FALSE(ParseMetric("missing_ratio", nullptr).ok());
  EXPECT_EQ(
      ParseMetric("median", Field("x")).status().message().rfind("unknown metric 'median'", 0), 0u);
}

}  // namespace
}  // namespace telltale
