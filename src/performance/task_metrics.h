// Which performance metrics a model's task defines: f1 of a regression model or the MAE of a
// classifier would only ever be null, so queries and monitors refuse them with the task's list.
#ifndef TELLTALE_PERFORMANCE_TASK_METRICS_H_
#define TELLTALE_PERFORMANCE_TASK_METRICS_H_

#include <string_view>

#include "telltale/status.h"

namespace telltale {

// Ok when `metric` is a performance metric (PerformanceAccumulator::IsKnownMetric, an estimated_
// metric or label_coverage) defined for models of `task` (binary_classification,
// multiclass_classification, regression, ranking); else InvalidArgument naming the task's metrics.
Status CheckPerformanceMetric(std::string_view metric, std::string_view task);

}  // namespace telltale

#endif  // TELLTALE_PERFORMANCE_TASK_METRICS_H_
