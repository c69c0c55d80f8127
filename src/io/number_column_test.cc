#include "io/number_column.h"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>

#include "io/csv_reader.h"

namespace telltale {
namespace {

double FromChars(const std::string& text) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  EXPECT_TRUE(error == std::errc() && end == text.data() + text.size()) << text;
  return value;
}

// Bitwise equality: tells -0.0 from 0.0 and accepts NaN == NaN.
void ExpectSameBits(double expected, double actual, const std::string& context) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << context;
  } else {
    EXPECT_EQ(std::bit_cast<uint64_t>(expected), std::bit_cast<uint64_t>(actual))
        << context << ": " << expected << " vs " << actual;
  }
}

// A random decimal text of 1 to `max_digits` digits, a point anywhere (or none), leading zeros
// sometimes.
std::string RandomDecimal(std::mt19937_64& rng, int max_digits) {
  std::string digits;
  const int count = 1 + static_cast<int>(rng() % static_cast<uint64_t>(max_digits));
  for (int i = 0; i < count; ++i) digits += static_cast<char>('0' + rng() % 10);
  if (rng() % 4 == 0) digits.insert(0, std::string(rng() % 14, '0'));
  if (rng() % 5 != 0) digits.insert(rng() % (digits.size() + 1), ".");
  if (digits == ".") digits = "0.5";
  return (rng() % 2 ? "-" : "") + digits;
}

size_t SignificantDigits(const std::string& text) {
  size_t first = text.find_first_of("123456789");
  if (first == std::string::npos) return 0;
  size_t digits = 0;
  for (size_t i = first; i < text.size(); ++i) digits += text[i] >= '0' && text[i] <= '9';
  return digits;
}

TEST(PlainDecimalTest, ReadsTheSameDoubleAsACorrectlyRoundingParser) {
  std::mt19937_64 rng(7);
  int parsed = 0;
  for (int i = 0; i < 300'000; ++i) {
    const std::string text = RandomDecimal(rng, 17);
    std::optional<PlainDecimal> decimal = ParsePlainDecimal(text);
    // Refused: more than 15 significant digits or 22 places, and "-0...".
    const size_t point = text.find('.');
    const size_t places = point == std::string::npos ? 0 : text.size() - point - 1;
    const bool negative_zero = text[0] == '-' && SignificantDigits(text) == 0;
    EXPECT_EQ(decimal.has_value(), SignificantDigits(text) <= 15 && places <= 22 && !negative_zero)
        << text;
    if (!decimal) continue;
    ++parsed;
    ExpectSameBits(FromChars(text), decimal->Value(), text);
    EXPECT_EQ(decimal->has_point, point != std::string::npos) << text;
  }
  EXPECT_GT(parsed, 200'000);
  for (const std::string text :
       {"0", "007", "5.", ".5", "-.5", "999999999", "-999999999", "0.000", "2147483647",
        "-2147483648", "123456789012345", "0.000000000000001", "0.0000000000000000000001"}) {
    std::optional<PlainDecimal> decimal = ParsePlainDecimal(text);
    ASSERT_TRUE(decimal) << text;
    ExpectSameBits(FromChars(text), decimal->Value(), text);
  }
  EXPECT_TRUE(ParsePlainDecimal("-2147483648")->FitsIn32Bits());
  EXPECT_FALSE(ParsePlainDecimal("2147483648")->FitsIn32Bits());
  EXPECT_FALSE(ParsePlainDecimal("0.3234567890")->FitsIn32Bits());
}

TEST(PlainDecimalTest, LeavesEverythingElseToAFullParser) {
  for (const char* text : {"",
                           "-",
                           ".",
                           "-.",
                           "1e5",
                           "+1",
                           " 1",
                           "1 ",
                           "-0",
                           "-0.000",
                           "1234567890123456",
                           "0.00000000000000000000001",
                           "1.2.3",
                           "nan",
                           "inf",
                           "0x10",
                           "1,5",
                           "--1",
                           "1/2",
                           "1:2",
                           "9:",
                           "/9",
                           "12345678:",
                           "123456789/",
                           "1\xb9",
                           "0.12345678\xb0"}) {
    EXPECT_FALSE(ParsePlainDecimal(text)) << '"' << text << '"';
  }
}

// What a mixed column holds, and what it should read back.
struct Sample {
  std::vector<double> expected;
  NumberColumn column;

  void Add(const std::string& text) {
    std::optional<PlainDecimal> decimal = ParsePlainDecimal(text);
    ASSERT_TRUE(decimal) << text;
    column.push_back(*decimal);
    expected.push_back(decimal->Value());
  }
  void Add(double value) {
    column.push_back(value);
    expected.push_back(value);
  }
  void Nulls(size_t rows) {
    column.AppendNulls(rows);
    expected.insert(expected.end(), rows, std::numeric_limits<double>::quiet_NaN());
  }

  void ExpectReadsBack() const {
    ASSERT_EQ(column.size(), expected.size());
    std::vector<double> decoded = column.ToVector();
    std::vector<double> visited;
    column.ForEach([&](double value) { visited.push_back(value); });
    ASSERT_EQ(visited.size(), expected.size());
    for (size_t row = 0; row < expected.size(); ++row) {
      const std::string where = "row " + std::to_string(row);
      ExpectSameBits(expected[row], column[row], where);
      ExpectSameBits(expected[row], decoded[row], where);
      ExpectSameBits(expected[row], visited[row], where);
    }
    // A window that starts mid-column.
    if (expected.size() > 3) {
      std::vector<double> tail(expected.size() - 3);
      column.Decode(3, tail);
      for (size_t i = 0; i < tail.size(); ++i) ExpectSameBits(expected[3 + i], tail[i], "tail");
    }
  }
};

TEST(NumberColumnTest, KeepsPlainDecimalsInFiveBytesAndEverythingElseExactly) {
  Sample sample;
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20'000; ++i) {
    std::string text = RandomDecimal(rng, 9);
    if (ParsePlainDecimal(text)) sample.Add(text);
    if (i % 500 == 0) sample.Nulls(3);
    if (i % 1000 == 0) {
      // Whole values: more digits than 9, an exponent, infinities, -0.0, integers from a number.
      sample.Add("12345678901.5");  // a plain decimal too long for 32 bits
      for (double value :
           {0.1 + 0.2, 6.02214076e23, 1e-300, -0.0, std::numeric_limits<double>::infinity(),
            -std::numeric_limits<double>::infinity(), 42.0, -7.0, 3e9}) {
        sample.Add(value);
      }
    }
  }
  sample.ExpectReadsBack();
  EXPECT_FALSE(sample.column.plain());
  // 5 bytes a row, plus the few whole values (and growth slack of the vectors).
  EXPECT_LT(sample.column.StorageBytes(), 2 * 5 * sample.column.size());
  NumberColumn reserved;
  reserved.reserve(sample.column.size());
  EXPECT_EQ(reserved.StorageBytes(), 5 * sample.column.size());
}

TEST(NumberColumnTest, StoresPlainDoublesOnceWholeValuesWouldCostMore) {
  Sample sample;
  sample.column.reserve(2 + 1 + 10'000 + 100);
  sample.Nulls(2);
  sample.Add("1.25");
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(0, 1);
  for (int i = 0; i < 10'000; ++i) {
    sample.Add(normal(rng));  // 17 significant digits: not a short decimal
    if (i % 100 == 0) sample.Add("-3.5");
  }
  EXPECT_TRUE(sample.column.plain());
  sample.ExpectReadsBack();
  // The encoded rows' storage was given back; the plain doubles fill the reservation.
  EXPECT_EQ(sample.column.StorageBytes(), 8 * sample.column.size());
}

TEST(NumberColumnTest, ACsvFileOfPlainDecimalsTakesFiveBytesARow) {
  // x: amounts written with 4 decimals; y: full-precision doubles as a program writes them.
  std::string text = "x,y\n";
  std::vector<std::string> x_cells;
  std::vector<double> y_values;
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0, 1);
  for (int row = 0; row < 50'000; ++row) {
    std::string fraction = std::to_string(10'000 + rng() % 10'000).substr(1);  // 4 digits
    std::string cell = (row % 3 == 0 ? "-" : "") + std::to_string(rng() % 1000) + "." + fraction;
    x_cells.push_back(cell);
    y_values.push_back(normal(rng));
    char buffer[32];
    auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), y_values.back());
    text += cell + "," + std::string(buffer, end) + "\n";
  }
  const auto path = std::filesystem::temp_directory_path() / "telltale_number_column.csv";
  std::ofstream(path, std::ios::binary) << text;
  Result<Table> table = ReadCsvFile(path.string(), CsvOptions{});
  std::filesystem::remove(path);
  ASSERT_TRUE(table.ok()) << table.status().message();
  const NumberColumn& x = table->Find("x")->numbers;
  const NumberColumn& y = table->Find("y")->numbers;
  ASSERT_EQ(x.size(), x_cells.size());
  for (size_t row = 0; row < x_cells.size(); ++row) {
    ExpectSameBits(FromChars(x_cells[row]), x[row], x_cells[row]);
    ExpectSameBits(y_values[row], y[row], "y");
  }
  // Sized once from the file's length (5% to spare), not grown by doubling.
  EXPECT_FALSE(x.plain());
  EXPECT_LE(x.StorageBytes(), 5 * x.size() * 11 / 10);
  EXPECT_TRUE(y.plain());
  EXPECT_LE(y.StorageBytes(), 8 * y.size() * 11 / 10);
}

}  // namespace
}  // namespace telltale
