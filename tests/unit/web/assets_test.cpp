#include "web/assets.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/files.hpp"

namespace loadcast::web {
namespace {

using testing::Slurp;

TEST(EmbeddedFiles, HoldEveryFileUnderWebByteForByte) {
  const std::filesystem::path web = std::filesystem::path(LOADCAST_SOURCE_DIR) / "web";
  std::size_t on_disk = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(web)) {
    if (!entry.is_regular_file()) continue;
    ++on_disk;
    const std::string path = std::filesystem::relative(entry.path(), web).generic_string();
    const auto asset = FindAsset(path);
    ASSERT_TRUE(asset.has_value()) << path << " is not embedded: list it in src/web/CMakeLists.txt";
    EXPECT_EQ(asset->bytes, Slurp(entry.path())) << path;
  }
  EXPECT_EQ(EmbeddedFiles().size(), on_disk);
}

TEST(FindAsset, GivesTheContentTypeByName) {
  EXPECT_EQ(FindAsset("index.html")->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(FindAsset("app.js")->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(FindAsset("vendor/uplot/uPlot.iife.min.js")->content_type,
            "text/javascript; charset=utf-8");
  EXPECT_EQ(FindAsset("vendor/uplot/uPlot.min.css")->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(FindAsset("vendor/uplot/LICENSE")->content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(FindAsset("vendor/uplot/README.md")->content_type, "text/plain; charset=utf-8");
}

TEST(FindAsset, FindsNothingOutsideTheTable) {
  EXPECT_FALSE(FindAsset("").has_value());
  EXPECT_FALSE(FindAsset("missing.js").has_value());
  EXPECT_FALSE(FindAsset("../CMakeLists.txt").has_value());
  EXPECT_FALSE(FindAsset("vendor/../app.js").has_value());
  EXPECT_FALSE(FindAsset("/app.js").has_value());
}

}  // namespace
}  // namespace loadcast::web
