#include "performance/task_metrics.h"

#include <algorithm>
#include <string>
#include <vector>

#include "performance/estimation.h"
#include "performance/performance_accumulator.h"
#include "performance/ranking_lists.h"

namespace telltale {
namespace {

struct TaskMetrics {
  std::string_view task;
  std::vector<std::string_view> names;  // "precision:" stands for precision:CLASS
  std::string_view listed;              // as a message lists them
};

const std::vector<TaskMetrics>& Tasks() {
  static const std::vector<TaskMetrics> kTasks = {
      {"binary_classification",
       {"accuracy", "precision", "recall", "f1", "specificity", "fpr", "tp", "fp", "tn", "fn",
        "roc_auc", "pr_auc", "log_loss", "brier"},
       "accuracy, precision, recall, f1, specificity, fpr, tp, fp, tn, fn, roc_auc, pr_auc, "
       "log_loss, brier and estimated_accuracy, estimated_f1, ..."},
      {"multiclass_classification",
       {"accuracy", "macro_precision", "macro_recall", "macro_f1", "micro_precision",
        "micro_recall", "micro_f1", "weighted_precision", "weighted_recall", "weighted_f1",
        "log_loss", "precision:", "recall:", "f1:", "support:"},
       "accuracy, macro_/micro_/weighted_ precision, recall and f1, precision:CLASS, "
       "recall:CLASS, f1:CLASS, support:CLASS, log_loss"},
      {"regression",
       {"mae", "mse", "rmse", "mape", "wape", "r2", "mean_error", "max_abs_error"},
       "mae, mse, rmse, mape, wape, r2, mean_error, max_abs_error"},
      {"ranking", {}, "ndcg, ndcg@k, map@k, mrr, precision@k, recall@k, queries"},
  };
  return kTasks;
}

bool Defines(const TaskMetrics& entry, std::string_view metric) {
  if (entry.task == "ranking") return RankingLists::IsKnownMetric(metric);
  const size_t colon = metric.find(':');
  std::string_view name = colon == std::string_view::npos ? metric : metric.substr(0, colon + 1);
  return std::find(entry.names.begin(), entry.names.end(), name) != entry.names.end();
}

}  // namespace

Status CheckPerformanceMetric(std::string_view metric, std::string_view task) {
  const bool estimated = IsEstimatedMetric(metric);
  if (!estimated && metric != "label_coverage" && !PerformanceAccumulator::IsKnownMetric(metric)) {
    return Status::InvalidArgument(
        "unknown performance metric '" + std::string(metric) +
        "'; see docs/performance.md for the list (accuracy, f1, roc_auc, mae, r2, "
        "label_coverage, estimated_f1, ...)");
  }
  // Every task has these: label coverage, labelled counts and label delays.
  if (metric == "label_coverage" || metric == "labeled" || metric.rfind("label_delay_p", 0) == 0) {
    return Status::Ok();
  }
  const std::vector<TaskMetrics>& tasks = Tasks();
  auto entry = std::find_if(tasks.begin(), tasks.end(),
                            [&](const TaskMetrics& candidate) { return candidate.task == task; });
  if (entry == tasks.end()) return Status::Ok();  // not a task the registry accepts
  if (estimated ? task == "binary_classification" : Defines(*entry, metric)) return Status::Ok();
  return Status::InvalidArgument("performance metric '" + std::string(metric) +
                                 "' is not defined for a " + std::string(task) +
                                 " model; its metrics: " + std::string(entry->listed));
}

}  // namespace telltale
