// A test suite whose tests each work in their own copy of a folder holding the bundled data
// (2006-2021), ingested once for the whole suite: the local backends' var/ is copied per test.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>

#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace loadcast::testing {

class IngestedWorkspaceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    workspace_ = new TempDir;
    const CliResult r = Loadcast(workspace_->path(), {"ingest", BundledData().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete workspace_;
    workspace_ = nullptr;
  }

  /// Copies the ingested var/ (or `part` of it) to `to`.
  static void CopyIngested(const std::filesystem::path& to,
                           const std::filesystem::path& part = {}) {
    std::filesystem::copy(workspace_->path() / "var" / part, to,
                          std::filesystem::copy_options::recursive);
  }

 private:
  static inline TempDir* workspace_ = nullptr;
};

}  // namespace loadcast::testing
