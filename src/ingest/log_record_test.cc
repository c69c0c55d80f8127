#include "ingest/log_record.h"

#include <gtest/gtest.h>

namespace telltale {
namespace {

LogRecord Sample() {
  LogRecord record;
  record.version_id = 42;
  record.environment = Environment::kTraining;
  Row row;
  row.id = "p-1";
  row.event_time = -7200;
  row.cells.resize(4);
  row.cells[0].kind = Cell::Kind::kNumber;
  row.cells[0].number = 1.5;
  row.cells[1].kind = Cell::Kind::kNumber;
  row.cells[1].number = 3;
  row.cells[1].integral = true;
  row.cells[2].kind = Cell::Kind::kBool;
  row.cells[2].flag = true;
  row.cells[3].kind = Cell::Kind::kString;
  row.cells[3].text = std::string("a\0b", 3);
  record.rows = {row, Row{"p-2", 10, std::vector<Cell>(4)}};
  record.events = {{IntegrityEvent::Kind::kUnknownField, 99, "features.x"},
                   {IntegrityEvent::Kind::kDuplicate, 5, ""}};
  return record;
}

TEST(LogRecordTest, RoundTrips) {
  LogRecord record = Sample();
  Result<LogRecord> decoded = DecodeLogRecord(EncodeLogRecord(record));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->version_id, 42);
  EXPECT_EQ(decoded->environment, Environment::kTraining);
  ASSERT_EQ(decoded->rows.size(), 2u);
  const Row& row = decoded->rows[0];
  EXPECT_EQ(row.id, "p-1");
  EXPECT_EQ(row.event_time, -7200);
  EXPECT_EQ(row.cells[0].number, 1.5);
  EXPECT_FALSE(row.cells[0].integral);
  EXPECT_TRUE(row.cells[1].integral);
  EXPECT_TRUE(row.cells[2].flag);
  EXPECT_EQ(row.cells[3].text, std::string("a\0b", 3));
  EXPECT_EQ(decoded->rows[1].cells[0].kind, Cell::Kind::kMissing);
  ASSERT_EQ(decoded->events.size(), 2u);
  EXPECT_EQ(decoded->events[0].field, "features.x");
  EXPECT_EQ(decoded->events[1].kind, IntegrityEvent::Kind::kDuplicate);
}

TEST(LogRecordTest, ReplaceFlagRoundTripsAndVersionOneStillLoads) {
  LogRecord record = Sample();
  record.replace = true;
  std::string bytes = EncodeLogRecord(record);
  EXPECT_TRUE(DecodeLogRecord(bytes)->replace);
  // Version 1 had no flags byte (after u8 version, i64 version id, u8 environment), and neither
  // it nor version 2 the joins count at the end.
  std::string version_one = bytes.substr(0, 10) + bytes.substr(11, bytes.size() - 15);
  version_one[0] = 1;
  std::string version_two = bytes.substr(0, bytes.size() - 4);
  version_two[0] = 2;
  ASSERT_TRUE(DecodeLogRecord(version_two).ok());
  EXPECT_TRUE(DecodeLogRecord(version_two)->joins.empty());
  Result<LogRecord> old = DecodeLogRecord(version_one);
  ASSERT_TRUE(old.ok()) << old.status().message();
  EXPECT_FALSE(old->replace);
  EXPECT_EQ(old->rows.size(), 2u);
}

TEST(LogRecordTest, JoinsRoundTrip) {
  LogRecord record = Sample();
  ActualJoin join;
  join.event_time = 1764000000;
  join.segments = {2, 5};
  join.outcome.predicted_positive = true;
  join.outcome.score = 0.75;
  Outcome earlier = join.outcome;
  earlier.actual_positive = true;
  join.replaced = earlier;
  record.joins.push_back(join);
  ActualJoin first;
  first.outcome.kind = Outcome::Kind::kRegression;
  first.outcome.predicted = 3.5;
  first.outcome.actual = 4;
  first.delay_seconds = 86400;
  record.joins.push_back(first);
  Result<LogRecord> back = DecodeLogRecord(EncodeLogRecord(record));
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->joins.size(), 2u);
  EXPECT_EQ(back->joins[0].segments, (std::vector<uint32_t>{2, 5}));
  EXPECT_EQ(back->joins[0].outcome.score, 0.75);
  ASSERT_TRUE(back->joins[0].replaced);
  EXPECT_TRUE(back->joins[0].replaced->actual_positive);
  EXPECT_FALSE(back->joins[0].delay_seconds);
  EXPECT_EQ(back->joins[1].outcome.kind, Outcome::Kind::kRegression);
  EXPECT_EQ(back->joins[1].outcome.actual, 4);
  EXPECT_EQ(*back->joins[1].delay_seconds, 86400);
}

TEST(LogRecordTest, EveryTruncationIsCorruptionNotACrash) {
  LogRecord sample = Sample();
  sample.joins.resize(1);
  std::string bytes = EncodeLogRecord(sample);
  for (size_t length = 0; length < bytes.size(); ++length) {
    EXPECT_FALSE(DecodeLogRecord(std::string_view(bytes).substr(0, length)).ok()) << length;
  }
  EXPECT_EQ(DecodeLogRecord(bytes + "x").status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace telltale
