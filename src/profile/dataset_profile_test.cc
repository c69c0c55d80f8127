#include "profile/dataset_profile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "io/csv_reader.h"
#include "profile/profiler.h"

namespace telltale {
namespace {

std::string SourcePath(const std::string& relative) {
  const char* root = std::getenv("TELLTALE_SOURCE_DIR");
  return std::string(root ? root : TELLTALE_SOURCE_DIR) + "/" + relative;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

Table MustParse(const std::string& text) {
  Result<Table> table = ParseCsv(text, "test.csv");
  EXPECT_TRUE(table.ok()) << table.status().message();
  return std::move(table).value();
}

TEST(ProfilerTest, InfersEvidentlyColumnTypes) {
  std::string text = "float,few_ints,many_ints,ints_with_gap,category,free_text,flag\n";
  for (int i = 0; i < 100; ++i) {
    text += std::to_string(i * 0.5) + "," + std::to_string(i % 3) + "," + std::to_string(i) + "," +
            (i == 4 ? "" : std::to_string(i % 3)) + "," + (i % 2 ? "red" : "blue") + ",note " +
            std::to_string(i) + "," + (i % 2 ? "True" : "False") + "\n";
  }
  DatasetProfile profile = ProfileTable(MustParse(text), Schema{});
  EXPECT_EQ(profile.rows(), 100u);
  auto type_of = [&](const char* name) { return profile.Find(name)->InferType(); };
  EXPECT_EQ(type_of("float"), ColumnType::kNumerical);
  EXPECT_EQ(type_of("few_ints"), ColumnType::kCategorical);
  EXPECT_EQ(type_of("many_ints"), ColumnType::kNumerical);
  // A missing cell turns an integer column into floats in pandas, hence numerical.
  EXPECT_EQ(type_of("ints_with_gap"), ColumnType::kNumerical);
  EXPECT_EQ(type_of("category"), ColumnType::kCategorical);
  EXPECT_EQ(type_of("free_text"), ColumnType::kText);
  EXPECT_EQ(type_of("flag"), ColumnType::kCategorical);
}

TEST(ProfilerTest, CountsMissingAndTypeErrors) {
  Table table = MustParse("x\n1\n\"\"\nabc\n\ninf\n2.5\nNA\n");
  Schema schema;
  schema.types["x"] = ColumnType::kNumerical;
  FieldProfile field = ProfileColumn(table.columns[0], ColumnType::kNumerical);
  EXPECT_EQ(field.rows, 6u);
  EXPECT_EQ(field.null_count, 2u);
  EXPECT_EQ(field.type_errors, 1u);
  EXPECT_EQ(field.moments.positive_infinity_count(), 1u);
  EXPECT_EQ(field.missing(), 4u);
  EXPECT_EQ(field.moments.count(), 2u);
  EXPECT_EQ(field.moments.mean(), 1.75);
}

TEST(ProfilerTest, DistinctCountNeverExceedsTheValues) {
  // 2,000 distinct values plus 100 nulls; HyperLogLog estimates these values at about 2,062.
  Column column;
  column.integral = false;
  for (int i = 0; i < 2000; ++i) column.numbers.push_back(i * 0.01 * 3);
  column.numbers.AppendNulls(100);
  FieldProfile field = ProfileColumn(column, std::nullopt);
  ASSERT_FALSE(field.distinct_count_exact());
  ASSERT_GT(field.distinct.Estimate(), 2000.0);
  EXPECT_LE(field.DistinctCount(), 2000.0);
  EXPECT_NEAR(field.DistinctCount(), 2000.0, 2000 * 3 * field.distinct.RelativeStandardError());
}

TEST(ProfilerTest, StringsCountedWithoutTheirValuesAreCountedByTheSketch) {
  // As the SDK's privacy mode profiles a text field: counts and HyperLogLog, no categories.
  FieldProfile field;
  for (int i = 0; i < 3000; ++i)
    field.distinct.Update(std::string_view("note " + std::to_string(i)));
  field.rows = field.string_count = 3000;
  ASSERT_FALSE(field.distinct_count_exact());
  EXPECT_NEAR(field.DistinctCount(), 3000.0, 3000 * 3 * field.distinct.RelativeStandardError());
  // Merged with a window that had the values, the count stays an estimate over both.
  FieldProfile with_values;
  Column column;
  column.kind = StorageKind::kString;
  column.dictionary = {"note 1", "other"};
  column.codes = {0, 1, 1};
  AddColumn(column, ColumnType::kText, true, with_values);
  ASSERT_TRUE(with_values.distinct_count_exact());
  EXPECT_EQ(with_values.DistinctCount(), 2.0);
  field.Merge(with_values);
  EXPECT_FALSE(field.distinct_count_exact());
  EXPECT_NEAR(field.DistinctCount(), 3001.0, 3001 * 3 * field.distinct.RelativeStandardError());
}

TEST(DatasetProfileTest, MergeOfPartsEqualsWhole) {
  std::string header = "v,c\n";
  std::string first = header;
  std::string second = header;
  for (int i = 0; i < 1000; ++i) {
    std::string row = std::to_string(i % 37) + ".25," + (i % 5 ? "a" : "b") + "\n";
    (i < 400 ? first : second) += row;
  }
  DatasetProfile merged = ProfileTable(MustParse(first), Schema{});
  merged.Merge(ProfileTable(MustParse(second), Schema{}));
  EXPECT_EQ(merged.rows(), 1000u);
  const FieldProfile& v = *merged.Find("v");
  EXPECT_EQ(v.moments.count(), 1000u);
  EXPECT_EQ(v.numeric_values.size(), 37u);
  EXPECT_EQ(merged.Find("c")->categories.Lower("a"), 800u);
}

TEST(DatasetProfileTest, SerializationRoundTripsAndDetectsDamage) {
  Result<Table> table = ReadCsvFile(SourcePath("tests/golden/profile_v1_input.csv"));
  ASSERT_TRUE(table.ok()) << table.status().message();
  DatasetProfile profile = ProfileTable(*table, Schema{});
  std::string bytes = profile.Serialize();
  Result<DatasetProfile> loaded = DatasetProfile::Deserialize(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->Serialize(), bytes);

  for (size_t cut : {size_t{0}, size_t{5}, size_t{20}, bytes.size() / 2, bytes.size() - 1}) {
    Result<DatasetProfile> damaged =
        DatasetProfile::Deserialize(std::string_view(bytes).substr(0, cut));
    EXPECT_FALSE(damaged.ok()) << "accepted a profile cut to " << cut << " bytes";
  }
  std::string flipped = bytes;
  flipped[bytes.size() / 3] ^= 0x10;
  EXPECT_EQ(DatasetProfile::Deserialize(flipped).status().code(), StatusCode::kCorruption);
  std::string newer = bytes;
  newer[8] = 99;  // format version
  EXPECT_EQ(DatasetProfile::Deserialize(newer).status().code(), StatusCode::kUnsupported);
}

// A profile written by format version 1 must load in every later version with the same content.
TEST(DatasetProfileTest, GoldenVersionOneProfileLoads) {
  std::string golden_path = SourcePath("tests/golden/profile_v1.ttprofile");
  Result<Table> table = ReadCsvFile(SourcePath("tests/golden/profile_v1_input.csv"));
  ASSERT_TRUE(table.ok());
  DatasetProfile fresh = ProfileTable(*table, Schema{});
  if (std::getenv("TELLTALE_WRITE_GOLDEN")) {
    std::ofstream(golden_path, std::ios::binary) << fresh.Serialize();
  }
  std::string golden = ReadBytes(golden_path);
  ASSERT_FALSE(golden.empty()) << golden_path << " is missing";
  Result<DatasetProfile> loaded = DatasetProfile::Deserialize(golden);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->rows(), 300u);
  ASSERT_EQ(loaded->fields().size(), 6u);
  const FieldProfile& income = *loaded->Find("income");
  EXPECT_EQ(income.null_count, 18u);
  EXPECT_EQ(income.moments.count(), 282u);
  EXPECT_EQ(loaded->Find("score")->moments.positive_infinity_count(), 1u);
  EXPECT_EQ(loaded->Find("country")->categories.counts().size(), 4u);
  EXPECT_EQ(loaded->Find("comment")->InferType(), ColumnType::kText);
  // The same data profiled today summarizes identically.
  for (const auto& [name, field] : fresh.fields()) {
    const FieldProfile& old = *loaded->Find(name);
    auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
    EXPECT_TRUE(same(old.moments.mean(), field.moments.mean())) << name;
    // Sketch compaction may change between versions; both medians stay within the rank bound.
    if (!field.quantiles.empty()) {
      EXPECT_NEAR(field.quantiles.Rank(old.quantiles.Quantile(0.5)), 0.5,
                  2 * KllSketch::NormalizedRankError(field.quantiles.k(), true))
          << name;
    }
    EXPECT_EQ(old.categories.counts(), field.categories.counts()) << name;
    EXPECT_EQ(old.distinct.Estimate(), field.distinct.Estimate()) << name;
  }
}

}  // namespace
}  // namespace telltale
