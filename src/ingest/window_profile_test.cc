#include "ingest/window_profile.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/bytes.h"

namespace telltale {
namespace {

VersionSchema Schema() {
  return VersionSchema::FromJson({{"features", {{"x", "numeric"}, {"c", "categorical"}}},
                                  {"predictions", {{"p", "numeric"}}}},
                                 nullptr)
      .value();
}

WindowProfile Folded(const VersionSchema& schema) {
  std::vector<Row> rows(50);
  std::vector<const Row*> pointers;
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].cells.resize(3);
    rows[i].cells[0] = {Cell::Kind::kNumber, false, false, static_cast<double>(i), ""};
    rows[i].cells[1] = {Cell::Kind::kString, false, false, 0, i % 3 ? "a" : "b"};
    rows[i].cells[2] = {Cell::Kind::kNumber, false, false, i / 50.0, ""};
    pointers.push_back(&rows[i]);
  }
  WindowProfile window(schema);
  window.Fold(schema, pointers);
  return window;
}

TEST(WindowProfileTest, ASelectionDecodesOnlyTheNamedFields) {
  VersionSchema schema = Schema();
  std::string bytes = Folded(schema).Serialize();
  Result<WindowProfile> whole = WindowProfile::Deserialize(bytes);
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_EQ(whole->profile().fields().size(), 3u);
  EXPECT_EQ(whole->profile().rows(), 50u);
  EXPECT_EQ(whole->Serialize(), bytes);

  Result<WindowProfile> one = WindowProfile::Deserialize(bytes, FieldSelection::Only({"c"}));
  ASSERT_TRUE(one.ok()) << one.status().message();
  ASSERT_EQ(one->profile().fields().size(), 1u);
  EXPECT_EQ(one->profile().rows(), 50u);
  ASSERT_NE(one->profile().Find("c"), nullptr);
  EXPECT_EQ(one->profile().Find("x"), nullptr);
  ByteWriter from_whole, from_one;
  whole->profile().Find("c")->Serialize(from_whole);
  one->profile().Find("c")->Serialize(from_one);
  EXPECT_EQ(from_one.bytes(), from_whole.bytes());

  Result<WindowProfile> none = WindowProfile::Deserialize(bytes, FieldSelection::Only({}));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->profile().fields().empty());
  EXPECT_EQ(none->profile().rows(), 50u);

  EXPECT_FALSE(WindowProfile::Deserialize(bytes.substr(0, bytes.size() / 2)).ok());
}

// Version 2 held one dataset profile (with its own CRC) where version 3 lists the fields.
TEST(WindowProfileTest, WindowsOfTheEarlierFormatStillDecode) {
  VersionSchema schema = Schema();
  WindowProfile window = Folded(schema);
  ByteWriter out;
  out.PutRaw("TTWP");
  out.Put<uint16_t>(2);
  out.PutString(window.profile().Serialize());
  out.Put<uint64_t>(0);  // rejected rows
  out.Put<uint64_t>(0);  // duplicate ids
  out.Put<uint32_t>(0);  // type errors
  out.Put<uint32_t>(0);  // unknown fields
  out.Put<int64_t>(window.first_event());
  out.Put<int64_t>(window.last_event());
  window.performance().Serialize(out);
  Result<WindowProfile> back = WindowProfile::Deserialize(out.bytes(), FieldSelection::Only({"x"}));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->Serialize(), window.Serialize());
}

}  // namespace
}  // namespace telltale
