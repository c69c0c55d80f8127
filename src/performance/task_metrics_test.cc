#include "performance/task_metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace telltale {
namespace {

std::string Verdict(std::string_view metric, std::string_view task) {
  Status status = CheckPerformanceMetric(metric, task);
  return status.ok() ? "ok" : status.message();
}

TEST(TaskMetricsTest, EachTaskDefinesItsOwnMetrics) {
  for (const char* metric : {"f1", "roc_auc", "tp", "brier", "log_loss", "estimated_f1"}) {
    EXPECT_EQ(Verdict(metric, "binary_classification"), "ok") << metric;
  }
  for (const char* metric :
       {"accuracy", "macro_f1", "weighted_recall", "f1:barolo", "support:a:b", "log_loss"}) {
    EXPECT_EQ(Verdict(metric, "multiclass_classification"), "ok") << metric;
  }
  for (const char* metric : {"mae", "r2", "max_abs_error"}) {
    EXPECT_EQ(Verdict(metric, "regression"), "ok") << metric;
  }
  for (const char* metric : {"ndcg", "ndcg@5", "map@10", "mrr", "precision@3", "queries"}) {
    EXPECT_EQ(Verdict(metric, "ranking"), "ok") << metric;
  }
  for (const char* task :
       {"binary_classification", "multiclass_classification", "regression", "ranking"}) {
    for (const char* metric : {"label_coverage", "labeled", "label_delay_p50"}) {
      EXPECT_EQ(Verdict(metric, task), "ok") << task << " " << metric;
    }
  }
}

TEST(TaskMetricsTest, AnotherTasksMetricIsRefusedWithTheModelsList) {
  EXPECT_EQ(Verdict("f1", "regression"),
            "performance metric 'f1' is not defined for a regression model; its metrics: mae, "
            "mse, rmse, mape, wape, r2, mean_error, max_abs_error");
  EXPECT_NE(Verdict("mae", "binary_classification").find("its metrics: accuracy, precision"),
            std::string::npos);
  EXPECT_NE(Verdict("estimated_f1", "multiclass_classification").find("not defined"),
            std::string::npos);
  EXPECT_NE(Verdict("precision", "multiclass_classification").find("precision:CLASS"),
            std::string::npos);
  EXPECT_NE(Verdict("f1:a", "binary_classification").find("not defined"), std::string::npos);
  EXPECT_NE(Verdict("accuracy", "ranking").find("ndcg@k"), std::string::npos);
  EXPECT_NE(Verdict("ndcg@5", "binary_classification").find("not defined"), std::string::npos);
}

TEST(TaskMetricsTest, AnUnknownNameIsRefusedWhateverTheTask) {
  EXPECT_NE(Verdict("f2", "binary_classification").find("unknown performance metric 'f2'"),
            std::string::npos);
  EXPECT_NE(Verdict("", "regression").find("unknown performance metric"), std::string::npos);
}

}  // namespace
}  // namespace telltale
