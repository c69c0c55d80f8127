#include "report/profile_json.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace telltale {

std::string FormatProfileJson(const DatasetProfile& profile) {
  using json = nlohmann::ordered_json;
  auto number = [](double value) -> json {
    if (!std::isfinite(value)) return nullptr;
    return value;
  };
  json fields = json::object();
  for (const auto& [name, field] : profile.fields()) {
    json out = {{"inferred_type", std::string(ColumnTypeName(field.InferType()))},
                {"rows", field.rows},
                {"missing", field.missing()},
                {"null", field.null_count},
                {"nan", field.moments.nan_count()},
                {"positive_infinity", field.moments.positive_infinity_count()},
                {"negative_infinity", field.moments.negative_infinity_count()},
                {"type_errors", field.type_errors},
                {"kinds",
                 {{"integer", field.integer_count},
                  {"float", field.float_count},
                  {"boolean", field.bool_count},
                  {"string", field.string_count}}},
                {"distinct",
                 {{"estimate", field.DistinctCount()}, {"exact", field.distinct_count_exact()}}}};
    if (field.moments.count() > 0) {
      out["numbers"] = {
          {"count", field.moments.count()},        {"mean", number(field.moments.mean())},
          {"std", number(field.moments.stddev())}, {"min", number(field.moments.min())},
          {"max", number(field.moments.max())},    {"sum", number(field.moments.sum())}};
      KllSortedView view = field.quantiles.View();
      json quantiles = json::object();
      for (double rank : {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}) {
        quantiles[std::to_string(static_cast<int>(std::round(rank * 100)))] =
            number(view.Quantile(rank));
      }
      out["quantiles"] = quantiles;
      out["quantile_rank_error"] = KllSketch::NormalizedRankError(field.quantiles.k(), true);
    }
    if (field.categories.total() > 0) {
      json top = json::array();
      auto sorted = field.categories.SortedByCount();
      for (size_t i = 0; i < std::min<size_t>(sorted.size(), 20); ++i) {
        top.push_back({{"value", sorted[i].first}, {"count", sorted[i].second}});
      }
      out["categories"] = {{"exact", field.categories.exact()},
                           {"held", field.categories.counts().size()},
                           {"other_count", field.categories.other_count()},
                           {"max_error", field.categories.max_error()},
                           {"top", top}};
    }
    fields[name] = out;
  }
  json root = {{"format_version", DatasetProfile::kFormatVersion},
               {"rows", profile.rows()},
               {"fields", fields}};
  // A category read from a file need not be UTF-8: such bytes are shown as U+FFFD.
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace telltale
