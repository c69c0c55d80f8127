#include "common/utf8.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace telltale {
namespace {

bool IsUtf8(const std::string& text) { return simdjson::validate_utf8(text.data(), text.size()); }

TEST(Utf8ExcerptTest, CutsBetweenCharactersNeverInsideOne) {
  EXPECT_EQ(Utf8Excerpt("abcdef", 4), "abcd");
  EXPECT_EQ(Utf8Excerpt("short", 64), "short");
  // é is 2 bytes, € 3, 𝄞 4: a cut that would fall inside one ends before it.
  EXPECT_EQ(Utf8Excerpt("aé", 2), "a");
  EXPECT_EQ(Utf8Excerpt("aé", 3), "aé");
  EXPECT_EQ(Utf8Excerpt("a€", 3), "a");
  EXPECT_EQ(Utf8Excerpt("a𝄞b", 4), "a");
  EXPECT_EQ(Utf8Excerpt("a𝄞b", 5), "a𝄞");
  std::string long_id = "a" + std::string(600, '\0');
  for (int i = 0; i < 600; ++i) long_id += "é";
  for (size_t max : {63u, 64u, 65u, 1024u}) {
    std::string excerpt = Utf8Excerpt(long_id, max);
    EXPECT_LE(excerpt.size(), max);
    EXPECT_GE(excerpt.size() + 1, max);  // at most one byte short of it
    EXPECT_TRUE(IsUtf8(excerpt));
  }
}

TEST(Utf8ExcerptTest, BytesOfNoValidCharacterAreShownAsQuestionMarks) {
  EXPECT_EQ(Utf8Excerpt("a\xFF"
                        "b",
                        64),
            "a?b");
  EXPECT_EQ(Utf8Excerpt("\xC3", 64), "?");            // a lead byte with nothing after it
  EXPECT_EQ(Utf8Excerpt("\xC0\xAF", 64), "??");       // an overlong '/'
  EXPECT_EQ(Utf8Excerpt("\xED\xA0\x80", 64), "???");  // a surrogate
  EXPECT_EQ(Utf8Excerpt("x\xE2\x82", 64), "x??");     // a character cut short
  EXPECT_TRUE(IsUtf8(Utf8Excerpt("\x80\x81\xFE\xF5\xF8zz", 64)));
}

}  // namespace
}  // namespace telltale
