#include "io/csv_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "io/column_builder.h"
#include "io/ndjson_reader.h"
#include "io/table_reader.h"

namespace telltale {
namespace {

std::string WriteTemp(const std::string& name, const std::string& content) {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("telltale_io_" + name);
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

std::string ErrorOf(const std::string& text) {
  Result<Table> table = ParseCsv(text, "in.csv");
  return table.ok() ? "" : table.status().message();
}

TEST(CsvReaderTest, TypesColumnsAsPandasDoes) {
  Result<Table> table = ParseCsv(
      "i,f,b,s,mixed,empty\n"
      "1,1.5,True,a,1,\n"
      "2,NA,false,b,x,\n"
      "-3,inf,TRUE,,2,\n",
      "in.csv");
  ASSERT_TRUE(table.ok()) << table.status().message();
  ASSERT_EQ(table->rows, 3u);
  const Column& i = *table->Find("i");
  EXPECT_EQ(i.kind, StorageKind::kNumber);
  EXPECT_TRUE(i.integral);
  EXPECT_EQ(i.numbers.ToVector(), (std::vector<double>{1, 2, -3}));
  const Column& f = *table->Find("f");
  EXPECT_FALSE(f.integral);
  EXPECT_TRUE(std::isnan(f.numbers[1]));
  EXPECT_TRUE(std::isinf(f.numbers[2]));
  EXPECT_EQ(f.null_count, 1u);
  EXPECT_EQ(table->Find("b")->kind, StorageKind::kBoolean);
  EXPECT_EQ(table->Find("b")->numbers.ToVector(), (std::vector<double>{1, 0, 1}));
  const Column& s = *table->Find("s");
  EXPECT_EQ(s.kind, StorageKind::kString);
  EXPECT_EQ(s.codes[2], Column::kNullCode);
  const Column& mixed = *table->Find("mixed");
  EXPECT_EQ(mixed.kind, StorageKind::kString);
  EXPECT_EQ(mixed.TextAt(0), "1");
  EXPECT_EQ(mixed.TextAt(1), "x");
  EXPECT_EQ(mixed.TextAt(2), "2");
  EXPECT_EQ(table->Find("empty")->null_count, 3u);
}

TEST(CsvReaderTest, QuotesDelimitersNewlinesAndCrlf) {
  Result<Table> table = ParseCsv(
      "name,\"note, with comma\"\r\n"
      "\"a \"\"quoted\"\" word\",\"two\nlines\"\r\n"
      "\r\n"
      "plain,\"\"\r\n",
      "in.csv");
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_EQ(table->rows, 2u);
  EXPECT_EQ(table->columns[1].name, "note, with comma");
  EXPECT_EQ(table->columns[0].TextAt(0), "a \"quoted\" word");
  EXPECT_EQ(table->columns[1].TextAt(0), "two\nlines");
  EXPECT_TRUE(table->columns[1].IsNull(1));
}

TEST(CsvReaderTest, ErrorsNameTheLine) {
  EXPECT_EQ(ErrorOf(""), "in.csv: the file is empty");
  EXPECT_EQ(ErrorOf("a,b\n"), "in.csv: has a header but no data rows");
  EXPECT_EQ(ErrorOf("a,b\n1,2\n3\n"), "in.csv:3: row has 1 fields, the header has 2");
  EXPECT_EQ(ErrorOf("a,b\n1,\"2\n3,4\n"), "in.csv:2: unterminated quote");
  EXPECT_EQ(ErrorOf("a,b\n1,\"2\"x\n"),
            "in.csv:2: unexpected text after a closing quote in field 2");
  EXPECT_EQ(ErrorOf("a,b\n1,2\n3,\xff\n"), "in.csv:3: invalid UTF-8");
  EXPECT_EQ(ErrorOf("a,a\n1,2\n"), "in.csv:1: the header names column 'a' twice");
  for (char delimiter : {'"', '\n', '\r'}) {
    CsvOptions options;
    options.delimiter = delimiter;
    EXPECT_EQ(ParseCsv("a,b\n1,2\n", "in.csv", options).status().message(),
              "the CSV delimiter cannot be a double quote or a line end; use , ; | or a tab");
  }
  // Line numbers count the newlines inside quoted fields.
  EXPECT_EQ(ErrorOf("a,b\n\"x\ny\",1\n2\n"), "in.csv:4: row has 1 fields, the header has 2");
}

TEST(CsvReaderTest, SameResultWhateverTheChunkBoundaries) {
  std::string text = "id,text,value\n";
  for (int i = 0; i < 200; ++i) {
    text += std::to_string(i) + ",\"row \"\"" + std::to_string(i) + "\"\"\nsecond line\"," +
            std::to_string(i * 0.5) + (i % 3 ? "\r\n" : "\n");
  }
  std::string path = WriteTemp("chunks.csv", text);
  Result<Table> whole = ParseCsv(text, "whole");
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  for (size_t chunk : {1, 2, 3, 7, 64, 1000}) {
    CsvOptions options;
    options.chunk_bytes = chunk;
    Result<Table> table = ReadCsvFile(path, options);
    ASSERT_TRUE(table.ok()) << chunk << ": " << table.status().message();
    ASSERT_EQ(table->rows, 200u);
    for (size_t c = 0; c < 3; ++c) {
      for (size_t row = 0; row < 200; ++row) {
        ASSERT_EQ(table->columns[c].TextAt(row), whole->columns[c].TextAt(row)) << chunk;
      }
    }
  }
}

// Large enough that each chunk's cells are converted on several threads: escaped quotes in every
// row (their unescaped text must outlive the record) and a column that turns from numbers into
// text late in the file must read the same as on one thread.
TEST(CsvReaderTest, ParallelConversionMatchesOneThread) {
  std::string text = "id,quoted,late_text,value\n";
  for (int i = 0; i < 40000; ++i) {
    text += std::to_string(i) + ",\"say \"\"" + std::to_string(i % 97) + "\"\", ok\"," +
            (i == 35000 ? std::string("n/a?") : std::to_string(i % 13)) + "," +
            std::to_string(i * 0.25) + "\n";
  }
  std::string path = WriteTemp("parallel.csv", text);
  CsvOptions one_thread;
  one_thread.threads = 1;
  CsvOptions two_threads;
  two_threads.threads = 2;
  two_threads.chunk_bytes = 1 << 20;  // about 26,000 rows: over the parallel threshold
  Result<Table> expected = ReadCsvFile(path, one_thread);
  Result<Table> parallel = ReadCsvFile(path, two_threads);
  ASSERT_TRUE(expected.ok()) << expected.status().message();
  ASSERT_TRUE(parallel.ok()) << parallel.status().message();
  ASSERT_EQ(parallel->rows, 40000u);
  EXPECT_EQ(parallel->Find("late_text")->kind, StorageKind::kString);
  EXPECT_EQ(parallel->Find("quoted")->TextAt(5), "say \"5\", ok");
  for (size_t c = 0; c < 4; ++c) {
    for (size_t row = 0; row < 40000; ++row) {
      ASSERT_EQ(parallel->columns[c].TextAt(row), expected->columns[c].TextAt(row))
          << c << " " << row;
    }
  }
}

// Quote-free text over the threshold is split into fields by several threads, one piece each:
// CRLF and LF line ends, blank lines (also "\r\n" ones), empty and null cells, a column turning
// into text in the second piece, and a trailing delimiter at the end of the input must read as
// on one thread, in memory and from a file read in chunks.
TEST(CsvReaderTest, RowsSplitByPiecesMatchOneThread) {
  std::string text = "id,x,maybe,city,last\n";
  const char* cities[] = {"Berlin", "", "Paris", "NA", "S\xc3\xa3o Paulo"};
  int rows = 0;
  for (int i = 0; i < 80000; ++i, ++rows) {
    if (i % 997 == 0) text += i % 2 ? "\n" : "\r\n";
    text += std::to_string(i) + "," + std::to_string(i * 0.125 - 300) + "," +
            (i == 70000 ? std::string("text") : std::to_string(i % 7)) + "," + cities[i % 5] + "," +
            (i % 11 ? std::to_string(i % 3) : "") + (i % 4 ? "\r\n" : "\n");
  }
  text += "80000,1.5,2,Rome,";  // no newline: the last field is the empty one after the delimiter
  ++rows;
  ASSERT_GT(text.size(), size_t{2} << 20);
  CsvOptions one_thread;
  one_thread.threads = 1;
  CsvOptions two_threads;
  two_threads.threads = 2;
  Result<Table> expected = ParseCsv(text, "in.csv", one_thread);
  ASSERT_TRUE(expected.ok()) << expected.status().message();
  ASSERT_EQ(expected->rows, static_cast<size_t>(rows));
  std::string path = WriteTemp("pieces.csv", text);
  two_threads.chunk_bytes = 1536 << 10;  // chunks over the threshold, cut mid-row
  for (Result<Table> table :
       {ParseCsv(text, "in.csv", two_threads), ReadCsvFile(path, two_threads)}) {
    ASSERT_TRUE(table.ok()) << table.status().message();
    ASSERT_EQ(table->rows, expected->rows);
    EXPECT_EQ(table->Find("maybe")->kind, StorageKind::kString);
    EXPECT_TRUE(table->Find("last")->IsNull(table->rows - 1));
    for (size_t c = 0; c < table->columns.size(); ++c) {
      const Column& got = table->columns[c];
      const Column& want = expected->columns[c];
      ASSERT_EQ(got.kind, want.kind) << c;
      ASSERT_EQ(got.null_count, want.null_count) << c;
      ASSERT_EQ(got.integral, want.integral) << c;
      for (size_t row = 0; row < table->rows; ++row) {
        ASSERT_EQ(got.TextAt(row), want.TextAt(row)) << c << " " << row;
      }
    }
  }
  // Errors name the same line as on one thread, here deep in the second piece.
  auto error = [&](const std::string& bad, unsigned threads) {
    CsvOptions options;
    options.threads = threads;
    return ParseCsv(bad, "in.csv", options).status().message();
  };
  std::string short_row = text;
  short_row.insert(short_row.rfind("79000,"), "1,2\r\n");
  EXPECT_EQ(error(short_row, 2), error(short_row, 1));
  EXPECT_NE(error(short_row, 1).find("row has 2 fields, the header has 5"), std::string::npos);
  std::string bad_utf8 = text;
  bad_utf8.insert(bad_utf8.rfind("78000,") + 6, "\xff");
  EXPECT_EQ(error(bad_utf8, 2), error(bad_utf8, 1));
  EXPECT_NE(error(bad_utf8, 1).find("invalid UTF-8"), std::string::npos);
}

// pandas' default null markers, and nothing else: numbers with or without a sign are values.
TEST(IsNullMarkerTest, KnowsPandasMarkersOnly) {
  for (const char* marker :
       {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
        "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}) {
    EXPECT_TRUE(IsNullMarker(marker)) << marker;
  }
  for (const char* value : {"0", "-1", "-1.5", "1.5", "1#", "-1#IND", "-1.#INF", "12345678",
                            "-1234567", "na", "none", "-", "#", "NaN ", " NA", "-1.#QNAN0"}) {
    EXPECT_FALSE(IsNullMarker(value)) << value;
  }
}

TEST(CsvReaderTest, CancelledReadStopsWithCancelled) {
  std::string path = WriteTemp("cancel.csv", "a,b\n1,2\n");
  ReadProgress progress;
  progress.Cancel();
  Result<Table> table = ReadCsvFile(path, {}, &progress);
  EXPECT_EQ(table.status().code(), StatusCode::kCancelled);
  EXPECT_NE(table.status().message().find("reading stopped"), std::string::npos);
}

TEST(CsvReaderTest, ReadsGzipAndReportsMissingFiles) {
  std::string text = "a,b\n1,x\n2,y\n";
  std::filesystem::path path = std::filesystem::temp_directory_path() / "telltale_io_data.csv.gz";
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
  Result<Table> table = ReadTable(path.string());
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_EQ(table->rows, 2u);
  EXPECT_EQ(table->Find("b")->TextAt(1), "y");

  Result<Table> missing = ReadTable("/nonexistent/data.csv");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "/nonexistent/data.csv: no such file");
}

TEST(NdjsonReaderTest, ReadsTypedFieldsInAnyOrder) {
  Result<Table> table = ParseNdjson(
      "{\"a\": 1, \"b\": \"x\", \"c\": true}\n"
      "\n"
      "{\"b\": \"y\", \"a\": 2.5, \"d\": {\"nested\": [1, 2]}}\n"
      "{\"a\": null}\n",
      "in.ndjson");
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_EQ(table->rows, 3u);
  const Column& a = *table->Find("a");
  EXPECT_EQ(a.kind, StorageKind::kNumber);
  EXPECT_FALSE(a.integral);
  EXPECT_EQ(a.null_count, 1u);
  EXPECT_EQ(table->Find("c")->kind, StorageKind::kBoolean);
  EXPECT_EQ(table->Find("c")->null_count, 2u);
  const Column& d = *table->Find("d");
  EXPECT_TRUE(d.IsNull(0));
  EXPECT_EQ(d.TextAt(1), "{\"nested\":[1,2]}");
}

TEST(NdjsonReaderTest, ErrorsNameTheLine) {
  auto error = [](const std::string& text) {
    return ParseNdjson(text, "in.ndjson").status().message();
  };
  EXPECT_EQ(error("{\"a\": 1}\n{\"a\": }\n").substr(0, 23), "in.ndjson:2: invalid JS");
  EXPECT_EQ(error("{\"a\": 1}\n[1, 2]\n"), "in.ndjson:2: expected a JSON object, one row per line");
  EXPECT_EQ(error("{\"a\": 1, \"a\": 2}\n"), "in.ndjson:1: field 'a' appears twice");
  EXPECT_EQ(error(""), "in.ndjson: the file is empty");
}

}  // namespace
}  // namespace telltale
