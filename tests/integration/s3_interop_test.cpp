// The real loadcast binary on an S3 bucket, interoperating with s3cmd (an independent S3 client):
// s3cmd uploads the yearly objects as a local `ingest` lays them out, loadcast runs the pipeline
// on them, and s3cmd reads back what loadcast wrote.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/cli_runner.hpp"
#include "support/s3_server.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

namespace fs = std::filesystem;
using testing::BundledData;
using testing::CliResult;
using testing::Loadcast;
using testing::S3Server;
using testing::ShellQuote;
using testing::Slurp;
using testing::TempDir;

class S3InteropTest : public ::testing::Test {
 protected:
  // One server for the suite, started only when a test of it runs (not at test discovery).
  static void SetUpTestSuite() { server_ = std::make_unique<S3Server>(); }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    if (::loadcast::testing::RemoteBackends()) {
      GTEST_SKIP() << "sets storage.url to a bucket of its own (and to a local folder) in its "
                      "config, which the remote pass's LOADCAST_STORAGE_URL would override; it "
                      "runs against S3 in the pass on the embedded backends";
    }
    if (!server_->available()) GTEST_SKIP() << server_->skip_reason();
    if (std::system("command -v s3cmd >/dev/null 2>&1") != 0) {
      GTEST_SKIP() << "s3cmd is not installed (scripts/install-deps.sh installs it)";
    }
    bucket_ = server_->NewBucket();
    ASSERT_FALSE(bucket_.empty()) << server_->skip_reason();
    // s3rver's credentials; path-style addressing (no %(bucket)s in host_bucket); SigV4.
    s3cmd_config_ = dir_.Write("s3cmd.cfg",
                               "[default]\n"
                               "access_key = S3RVER\n"
                               "secret_key = S3RVER\n"
                               "host_base = " +
                                   server_->authority() + "\n" +
                                   "host_bucket = " + server_->authority() + "\n" +
                                   "use_https = False\n"
                                   "signature_v2 = False\n"
                                   "bucket_location = us-east-1\n");
    loadcast_config_ = dir_.Write("loadcast.yaml",
                                  "storage:\n"
                                  "  url: s3://" +
                                      bucket_ + "/team/loadcast\n" +
                                      "  s3:\n"
                                      "    endpoint: " +
                                      server_->endpoint() + "\n" +
                                      "    timeout_seconds: 20\n"
                                      "database:\n"
                                      "  url: var/loadcast.db\n");
    setenv("AWS_ACCESS_KEY_ID", S3Server::kAccessKey, 1);
    setenv("AWS_SECRET_ACCESS_KEY", S3Server::kSecretKey, 1);
    unsetenv("AWS_SESSION_TOKEN");
    // This test chooses the storage of each run itself (a local bucket, then this S3 bucket).
    unsetenv("LOADCAST_STORAGE_URL");
  }

  /// Runs s3cmd with the test's config; its standard output, failing the test on an error.
  std::string S3cmd(const std::string& args) {
    const fs::path out = dir_ / ".s3cmd.out";
    const fs::path err = dir_ / ".s3cmd.err";
    const std::string command = "s3cmd --no-progress -c " + ShellQuote(s3cmd_config_.string()) +
                                " " + args + " >" + ShellQuote(out.string()) + " 2>" +
                                ShellQuote(err.string());
    const int status = std::system(command.c_str());
    EXPECT_EQ(status, 0) << command << "\n" << Slurp(err);
    return Slurp(out);
  }

  CliResult Run(const std::vector<std::string>& args) {
    std::vector<std::string> full = {"--config", loadcast_config_.string()};
    full.insert(full.end(), args.begin(), args.end());
    return Loadcast(dir_.path(), full);
  }

  std::string Url(const std::string& key) const { return "s3://" + bucket_ + "/" + key; }

  static std::unique_ptr<S3Server> server_;
  TempDir dir_;
  std::string bucket_;
  fs::path s3cmd_config_;
  fs::path loadcast_config_;
};

std::unique_ptr<S3Server> S3InteropTest::server_;

TEST_F(S3InteropTest, PipelineRunsOnObjectsPutByS3cmdAndS3cmdReadsWhatItWrote) {
  // The yearly objects as `ingest` lays them out in a local bucket: actuals/<year>.csv.
  TempDir local;
  const CliResult ingest = Loadcast(local.path(), {"ingest", BundledData().string()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  std::string files;
  for (int year = 2006; year <= 2021; ++year) {
    files += ShellQuote((local / ("var/bucket/actuals/" + std::to_string(year) + ".csv")).string());
    files += ' ';
  }
  S3cmd("put " + files + ShellQuote(Url("team/loadcast/actuals/")));
  const std::string listed = S3cmd("ls " + ShellQuote(Url("team/loadcast/actuals/")));
  EXPECT_NE(listed.find(Url("team/loadcast/actuals/2021.csv")), std::string::npos) << listed;

  // Ingesting the same data again finds identical objects in the bucket: nothing to write.
  const CliResult again = Run({"ingest", BundledData().string(), "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;

  const CliResult run = Run({"run", "--target-year", "2020", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;

  // s3cmd sees the model artifacts loadcast stored, under the prefix, and reads them back.
  const std::string models = S3cmd("ls --recursive " + ShellQuote(Url("team/loadcast/models/")));
  const auto at = models.find(Url("team/loadcast/models/year/"));
  ASSERT_NE(at, std::string::npos) << models;
  const auto end = models.find('\n', at);
  const std::string artifact = models.substr(at, end - at);
  EXPECT_TRUE(artifact.ends_with("/model.json")) << artifact;
  const fs::path fetched = dir_ / "model.json";
  S3cmd("get --force " + ShellQuote(artifact) + " " + ShellQuote(fetched.string()));
  const auto model = nlohmann::json::parse(Slurp(fetched));
  EXPECT_FALSE(model.empty());
  EXPECT_NE(Slurp(fetched).find("2020"), std::string::npos);

  // Nothing was written outside the prefix.
  const std::string all = S3cmd("ls --recursive " + ShellQuote(Url("")));
  std::size_t lines = 0;
  for (std::size_t pos = 0; (pos = all.find('\n', pos)) != std::string::npos; ++pos) ++lines;
  EXPECT_EQ(all.find(Url("models/")), std::string::npos) << all;
  EXPECT_GE(lines, 17u) << all;
}

TEST_F(S3InteropTest, IngestWritesObjectsS3cmdReadsByteForByte) {
  const CliResult ingest = Run({"ingest", BundledData().string()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  TempDir local;
  ASSERT_EQ(Loadcast(local.path(), {"ingest", BundledData().string()}).exit_code, 0);
  const fs::path fetched = dir_ / "2020.csv";
  S3cmd("get --force " + ShellQuote(Url("team/loadcast/actuals/2020.csv")) + " " +
        ShellQuote(fetched.string()));
  EXPECT_EQ(Slurp(fetched), Slurp(local / "var/bucket/actuals/2020.csv"));
}

TEST_F(S3InteropTest, MissingBucketFailsWithExitCode1NamingIt) {
  const fs::path config = dir_.Write("missing.yaml",
                                     "storage:\n"
                                     "  url: s3://no-such-bucket-lc/x\n"
                                     "  s3:\n"
                                     "    endpoint: " +
                                         server_->endpoint() + "\n" + "    max_retries: 0\n");
  const CliResult r =
      Loadcast(dir_.path(), {"--config", config.string(), "ingest", BundledData().string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no-such-bucket-lc"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("Signature="), std::string::npos) << r.err;  // no Authorization header
}

}  // namespace
}  // namespace loadcast
