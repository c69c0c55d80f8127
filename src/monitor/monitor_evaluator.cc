#include "monitor/monitor_evaluator.h"

#include <algorithm>

#include "stats/drift_methods.h"

namespace telltale {

bool IsAdditiveMetric(const MonitorSpec& spec) { return spec.metric == "count"; }

SeriesScale ScaleOf(const MonitorSpec& spec) {
  if (IsAdditiveMetric(spec)) return SeriesScale::kCount;
  if (spec.metric != "drift_score") return SeriesScale::kLevel;
  // Wasserstein or Jensen-Shannon by the field's type unless a method is named; a p-value is no
  // distance.
  const DriftMethod* method = FindDriftMethod(spec.drift_method.value_or("wasserstein"));
  bool p_value = method == nullptr || method->rule == DriftRule::kPValueBelow ||
                 method->rule == DriftRule::kPValueAtOrBelow;
  return p_value ? SeriesScale::kLevel : SeriesScale::kSamplingDistance;
}

int64_t NextWindowStart(int64_t start, Granularity granularity, const date::time_zone* zone) {
  switch (granularity) {
    case Granularity::kHour:
      return start + 3600;
    case Granularity::kDay:
      // Two hours past a day is inside the next day, however long (23 or 25 hours) this one is.
      return BucketStart(start + 26 * 3600, granularity, zone);
    case Granularity::kWeek:
      return BucketStart(start + 7 * 86400 + 2 * 3600, granularity, zone);
  }
  return start + 3600;
}

Status MonitorEvaluator::Prepare(int64_t first_start, int64_t end) {
  series_.clear();
  baselines_.clear();
  const bool needs_baseline = spec_.detector.kind == DetectorKind::kChange &&
                              (spec_.detector.baseline == ChangeBaseline::kTraining ||
                               spec_.detector.baseline == ChangeBaseline::kRange);
  for (const std::string& subject : target_.subjects) {
    TELLTALE_ASSIGN_OR_RETURN(series_[subject], data_.Series(target_, spec_, subject,
                                                             first_start - kHistorySeconds, end));
    if (needs_baseline) {
      TELLTALE_ASSIGN_OR_RETURN(baselines_[subject], data_.BaselineValue(target_, spec_, subject));
    }
  }
  return Status::Ok();
}

std::vector<SubjectVerdict> MonitorEvaluator::Judge(int64_t start) const {
  SeasonCalendar calendar(spec_.granularity, target_.zone, ScaleOf(spec_));
  int64_t end = NextWindowStart(start, spec_.granularity, target_.zone);
  std::vector<SubjectVerdict> verdicts;
  verdicts.reserve(series_.size());
  for (const auto& [subject, series] : series_) {
    auto current =
        std::lower_bound(series.begin(), series.end(), start,
                         [](const SeriesPoint& point, int64_t time) { return point.start < time; });
    auto oldest =
        std::lower_bound(series.begin(), current, start - kHistorySeconds,
                         [](const SeriesPoint& point, int64_t time) { return point.start < time; });
    std::vector<SeriesPoint> history(oldest, current);
    SubjectVerdict judged{subject, {}};
    if (current == series.end() || current->start != start) {
      judged.verdict.reason = "no data in the window";
    } else {
      SeriesPoint point = *current;
      point.hours = static_cast<double>(end - start) / 3600;
      auto found = baselines_.find(subject);
      judged.verdict = Detect(spec_.detector, point, history,
                              found == baselines_.end() ? std::nullopt : found->second, calendar);
    }
    verdicts.push_back(std::move(judged));
  }
  return verdicts;
}

}  // namespace telltale
