#include "server/server_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace telltale {
namespace {

TEST(ServerConfigTest, QuantitiesTakeUnits) {
  ServerConfig config;
  ASSERT_TRUE(SetConfigValue(config, "max_body_bytes", "64KiB", "test").ok());
  EXPECT_EQ(config.max_body_bytes, 65536u);
  ASSERT_TRUE(SetConfigValue(config, "max_body_bytes", "2 MB", "test").ok());
  EXPECT_EQ(config.max_body_bytes, 2000000u);
  ASSERT_TRUE(SetConfigValue(config, "max_lateness", "14d", "test").ok());
  EXPECT_EQ(config.max_lateness_seconds, 14 * 86400);
  ASSERT_TRUE(SetConfigValue(config, "max_future", "90", "test").ok());
  EXPECT_EQ(config.max_future_seconds, 90);
  ASSERT_TRUE(SetConfigValue(config, "checkpoint_interval", "2m", "test").ok());
  EXPECT_EQ(config.checkpoint_interval_seconds, 120);
  ASSERT_TRUE(SetConfigValue(config, "host", "0.0.0.0", "test").ok());
  EXPECT_EQ(config.host, "0.0.0.0");
}

TEST(ServerConfigTest, ErrorsNameTheSourceAndTheSetting) {
  ServerConfig config;
  Status unit = SetConfigValue(config, "max_body_bytes", "12 parsecs", "--max-body-bytes");
  EXPECT_EQ(unit.message(),
            "--max-body-bytes: max_body_bytes = '12 parsecs' is not a size such as 32MiB");
  Status negative = SetConfigValue(config, "port", "-1", "TELLTALE_PORT");
  EXPECT_FALSE(negative.ok());
  EXPECT_FALSE(SetConfigValue(config, "max_body_bytes", "99999999999999GiB", "f").ok());
  Status too_big = SetConfigValue(config, "threads", "99999999999", "--threads");
  EXPECT_EQ(too_big.message(), "--threads: threads = '99999999999' is out of range");
  Status unknown = SetConfigValue(config, "colour", "blue", "x.yaml:3");
  EXPECT_EQ(unknown.message().rfind("x.yaml:3: unknown setting 'colour'; known: host, port", 0),
            0u);
}

TEST(ServerConfigTest, FileThenEnvironment) {
  std::filesystem::path path = std::filesystem::temp_directory_path() / "telltale-config-test.yaml";
  std::ofstream(path) << "# comment\nport: 9000\nmax_rows: 10\n";
  ServerConfig config;
  ASSERT_TRUE(ApplyConfigFile(config, path.string()).ok());
  EXPECT_EQ(config.port, 9000);
  EXPECT_EQ(config.max_rows, 10u);
  ASSERT_TRUE(ApplyEnvironment(config, {{"TELLTALE_MAX_ROWS", "20"}, {"OTHER", "x"}}).ok());
  EXPECT_EQ(config.max_rows, 20u);
  EXPECT_EQ(config.port, 9000);
  std::ofstream(path) << "port: 1\nnested:\n  a: 1\n";
  Status nested = ApplyConfigFile(config, path.string());
  EXPECT_NE(nested.message().find(":2: nested must be a single value"), std::string::npos)
      << nested.message();
  std::filesystem::remove(path);
  EXPECT_EQ(ApplyConfigFile(config, path.string()).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace telltale
