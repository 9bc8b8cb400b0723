// A test suite whose tests each work in their own copy of a folder holding the bundled data
// (2006-2021), ingested once for the whole suite and copied per test: var/ on the embedded
// backends, the database and the bucket prefix on PostgreSQL and S3.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>

#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"
#include "support/workspace_backends.hpp"

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

  /// Makes a loadcast process started in `cwd` find the ingested data, on either backends.
  static void CopyIngestedWorkspace(const std::filesystem::path& cwd) {
    CopyWorkspace(workspace_->path(), cwd);
  }

  /// Copies the ingested var/ (or `part` of it) to `to`: the embedded backends' files only.
  static void CopyIngested(const std::filesystem::path& to,
                           const std::filesystem::path& part = {}) {
    std::filesystem::copy(workspace_->path() / "var" / part, to,
                          std::filesystem::copy_options::recursive);
  }

 private:
  static inline TempDir* workspace_ = nullptr;
};

}  // namespace loadcast::testing
