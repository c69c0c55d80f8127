#include "io/separator_mask.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace telltale {
namespace {

// Every length from 0 to 64, several delimiters (NUL included), bytes of every value, and blocks
// that start anywhere in a buffer: the mask is the byte-at-a-time one.
TEST(SeparatorMaskTest, MatchesTheByteAtATimeDefinition) {
  std::mt19937_64 rng(11);
  std::string buffer(4096, '\0');
  for (char& byte : buffer) {
    const uint64_t pick = rng() % 8;
    byte = pick == 0 ? ',' : pick == 1 ? '\n' : pick == 2 ? '\t' : static_cast<char>(rng());
  }
  for (char delimiter : {',', '\t', ';', '|', '\0', '\xe9'}) {
    for (size_t length = 0; length <= 64; ++length) {
      for (size_t start : {size_t{0}, size_t{1}, size_t{7}, size_t{15}, size_t{4096 - 64}}) {
        EXPECT_EQ(SeparatorMask(buffer.data() + start, length, delimiter),
                  SeparatorMaskPortable(buffer.data() + start, length, delimiter))
            << "delimiter " << static_cast<int>(delimiter) << ", length " << length;
      }
    }
  }
  EXPECT_EQ(SeparatorMask("a,b\nc", 5, ','), 0b01010u);
}

}  // namespace
}  // namespace telltale
