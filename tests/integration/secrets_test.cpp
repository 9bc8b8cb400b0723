// Secrets never leak: with every credential loadcast may see set to a recognisable value (the S3
// secret key and session token, the PostgreSQL password, the dashboard token, a webhook URL with
// a password and a token), the flows are run at the most verbose log level, including failures,
// a webhook that cannot be reached and refused dashboard requests; then no output, log line, run
// record, alert, report or stored byte holds any of those values.
// Also: hostile text in every filter of the CLI and the API is data, never SQL.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/background_process.hpp"
#include "support/cli_runner.hpp"
#include "support/snapshot.hpp"
#include "support/temp_dir.hpp"
#include "support/test_webhook.hpp"
#include "support/workspace_backends.hpp"

namespace loadcast {
namespace {

namespace fs = std::filesystem;
using testing::BackgroundProcess;
using testing::BundledData;
using testing::Json;
using testing::Loadcast;
using testing::Slurp;
using testing::TempDir;
using Result = testing::CliResult;

const std::vector<std::string> kSecrets = {
    "SECRETs3SecretKey0123456789", "SECRETs3SessionToken", "SECRETpgPassword",
    "SECRETdashboardToken",        "SECREThookPassword",   "SECREThookToken"};

/// The credentials in the environment (S3 and PostgreSQL ignore them on the local backends, and
/// the test servers of the remote pass do not check them).
std::map<std::string, std::string> SecretEnv() {
  return {{"AWS_SECRET_ACCESS_KEY", kSecrets[0]},
          {"AWS_SESSION_TOKEN", kSecrets[1]},
          {"PGPASSWORD", kSecrets[2]},
          {"LOADCAST_DASHBOARD_TOKEN", kSecrets[3]}};
}

/// "http://HOST:PORT" from the line `serve` prints once it listens ("serving http://HOST:PORT/").
std::string BaseUrl(const std::string& serving) {
  std::string url = serving.substr(serving.find("http://"));
  if (url.ends_with('/')) url.pop_back();
  return url;
}

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const int closed = testing::ClosedLoopbackPort();
    dir_.Write("loadcast.yaml",
               "alerts:\n  webhook_timeout_seconds: 1\n  webhook_url: "
               "\"http://hook:" +
                   kSecrets[4] + "@127.0.0.1:" + std::to_string(closed) +
                   "/hook?token=" + kSecrets[5] + "\"\n");
  }

  /// Runs loadcast with the secrets in its environment and its config, at debug level, keeping
  /// everything it printed.
  Result Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", "loadcast.yaml", "--log-level", "debug"});
    Result r = Loadcast(dir_.path(), args, SecretEnv());
    printed_ += r.out + r.err;
    return r;
  }

  /// Fails for each secret found in `text`, saying where.
  static void ExpectNoSecret(const std::string& text, const std::string& where) {
    for (const std::string& secret : kSecrets) {
      EXPECT_EQ(text.find(secret), std::string::npos) << secret << " appears in " << where;
    }
  }

  TempDir dir_;
  std::string printed_;
};

TEST_F(SecretsTest, NoCredentialAppearsInOutputLogsRunsAlertsReportsOrStorage) {
  ASSERT_EQ(Run({"ingest", BundledData().string()}).exit_code, 0);
  dir_.Write("in/bad.csv", "date,load\n2022-01-01,abc\n");
  EXPECT_EQ(Run({"ingest", (dir_.path() / "in/bad.csv").string()}).exit_code, 3);
  ASSERT_EQ(Run({"run", "--target-year", "2020"}).exit_code, 0);
  EXPECT_EQ(Run({"run", "--target-year", "2030"}).exit_code, 3);  // no data: refused
  ASSERT_EQ(Run({"monitor", "--target-year", "2020", "--as-of", "2020-06-30"}).exit_code, 0);
  ASSERT_EQ(Run({"config"}).exit_code, 0);
  ASSERT_EQ(Run({"report", "--target-year", "2020", "--out", "report.html"}).exit_code, 0);
  const Result runs = Run({"runs", "--json", "--limit", "100"});
  const Result alerts = Run({"alerts", "--json", "--limit", "1000"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  ASSERT_EQ(alerts.exit_code, 0) << alerts.err;
  for (const auto& run : Json(runs)) {
    const Result shown = Run({"runs", "show", std::to_string(run["id"].get<int64_t>()), "--json"});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
  }
  {
    // The dashboard: refused requests (no token, a wrong one) are logged, the token is not.
    BackgroundProcess serve(
        dir_.path(), {"--config", "loadcast.yaml", "--log-level", "debug", "serve", "--port", "0"},
        SecretEnv());
    const std::string line = serve.FirstLine();
    ASSERT_NE(line.find("http://"), std::string::npos) << line;
    httplib::Client client(BaseUrl(line));
    ASSERT_TRUE(client.Get("/api/overview"));
    auto refused = client.Post("/api/alerts/1/ack", "", "application/json");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
    EXPECT_EQ(refused->body.find(kSecrets[3]), std::string::npos);
    refused = client.Post("/api/alerts/1/ack", {{"Authorization", "Bearer wrong" + kSecrets[3]}},
                          "", "application/json");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
    EXPECT_EQ(serve.Stop(), 0);
    printed_ += Slurp(dir_.path() / ".background.stderr");
  }

  ExpectNoSecret(printed_, "the output and logs");
  EXPECT_NE(printed_.find("webhook"), std::string::npos) << "the failed delivery is logged";
  ExpectNoSecret(Slurp(dir_.path() / "report.html"), "report.html");
  // Everything stored: every table (the runs' recorded configs, the alerts) and every object,
  // on either backends; on the embedded ones also every file under var/, byte for byte.
  ExpectNoSecret(testing::WorkspaceHoldings(dir_.path()), "the database and the bucket");
  if (!testing::RemoteBackends()) {
    for (const auto& entry : fs::recursive_directory_iterator(dir_.path() / "var")) {
      if (entry.is_regular_file()) ExpectNoSecret(Slurp(entry.path()), entry.path().string());
    }
  }
}

TEST_F(SecretsTest, ADatabaseUrlWithAPasswordIsRefusedWithoutShowingIt) {
  const Result r = Run({"runs"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::string> env = SecretEnv();
  env["LOADCAST_DATABASE_URL"] = "postgresql://loadcast:" + kSecrets[2] + "@127.0.0.1:1/loadcast";
  const Result refused = Loadcast(dir_.path(), {"--log-level", "debug", "runs"}, env);
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  ExpectNoSecret(refused.out + refused.err, "the refusal");
}

/// Every file under `root`, relative, sorted.
std::vector<std::string> FilesUnder(const fs::path& root) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    files.push_back(fs::relative(entry.path(), root).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(SecretsInUrls, ConfigShowsNoPasswordOfTheDatabaseStorageOrS3EndpointUrls) {
  TempDir dir;
  const std::map<std::string, std::string> env = {
      {"LOADCAST_DATABASE_URL", "postgresql://u:SECRETdbPassword@db.example/loadcast"},
      {"LOADCAST_STORAGE_URL", "file://u:SECRETstoragePassword@/srv/bucket"},
      {"LOADCAST_S3_ENDPOINT", "http://u:SECRETs3Password@127.0.0.1:9000"}};
  const Result r = Loadcast(dir.path(), {"config"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* secret : {"SECRETdbPassword", "SECRETstoragePassword", "SECRETs3Password"}) {
    EXPECT_EQ((r.out + r.err).find(secret), std::string::npos) << secret << "\n" << r.out;
  }
  EXPECT_NE(r.out.find("url: \"postgresql://***@db.example/loadcast\""), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("endpoint: \"http://***@127.0.0.1:9000\""), std::string::npos) << r.out;
}

TEST(SecretsInUrls, WebhookParametersNamedLikeCredentialsAreRedactedHoweverWritten) {
  TempDir dir;
  const std::vector<std::string> secrets = {"SECRETcode",      "SECREThmac",    "SECRETjwt",
                                            "SECRETcred",      "SECRETsession", "SECRETencoded",
                                            "SECRETsemicolon", "SECRETfragment"};
  dir.Write("loadcast.yaml",
            "alerts:\n  webhook_url: \"http://127.0.0.1:1/hook?code=SECRETcode&hmac=SECREThmac"
            "&jwt=SECRETjwt&credential=SECRETcred&sessionid=SECRETsession&t%6fken=SECRETencoded"
            "&channel=ops;token=SECRETsemicolon#access_token=SECRETfragment\"\n");
  std::string printed;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"config"}, std::vector<std::string>{"runs"}}) {
    std::vector<std::string> full = {"--config", "loadcast.yaml", "--log-level", "debug"};
    full.insert(full.end(), args.begin(), args.end());
    const Result r = Loadcast(dir.path(), full);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    printed += r.out + r.err;
  }
  EXPECT_NE(printed.find("channel=ops"), std::string::npos) << printed;
  for (const std::string& secret : secrets) {
    EXPECT_EQ(printed.find(secret), std::string::npos) << secret << "\n" << printed;
  }
}

TEST(SecretsInUrls, ALibpqKeywordStringIsRefusedRedactedAndCreatesNoFile) {
  TempDir dir;
  const std::vector<std::string> before = FilesUnder(dir.path());
  const Result r = Loadcast(
      dir.path(), {"runs"},
      {{"LOADCAST_DATABASE_URL", "host=127.0.0.1 port=1 user=u password=SECRETdsn dbname=x"}});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("libpq keyword connection string"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("password=***"), std::string::npos) << r.err;
  EXPECT_EQ((r.out + r.err).find("SECRETdsn"), std::string::npos) << r.err;
  EXPECT_EQ(FilesUnder(dir.path()), before);
}

TEST(SecretsInUrls, AnS3EndpointWithUserInfoIsRefusedWithoutShowingIt) {
  TempDir dir;
  const Result r = Loadcast(dir.path(), {"runs"},
                            {{"LOADCAST_STORAGE_URL", "s3://bucket/prefix"},
                             {"LOADCAST_S3_ENDPOINT", "http://u:SECRETendpoint@127.0.0.1:1"},
                             {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                             {"AWS_SECRET_ACCESS_KEY", "SECRETs3Key"}});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("http://***@127.0.0.1:1"), std::string::npos) << r.err;
  EXPECT_EQ((r.out + r.err).find("SECRETendpoint"), std::string::npos) << r.err;
  EXPECT_EQ((r.out + r.err).find("SECRETs3Key"), std::string::npos) << r.err;
}

TEST_F(SecretsTest, HostileFilterTextIsDataNotSql) {
  ASSERT_EQ(Run({"ingest", BundledData().string()}).exit_code, 0);
  ASSERT_EQ(Run({"run", "--target-year", "2020"}).exit_code, 0);
  const std::string before = Run({"alerts", "--json"}).out;
  const std::vector<std::string> injections = {"' OR '1'='1", "x'; DROP TABLE alerts; --",
                                               "\" OR 1=1 --", "1; DELETE FROM runs"};
  for (const std::string& text : injections) {
    SCOPED_TRACE(text);
    for (const char* option : {"--severity", "--source", "--since"}) {
      const Result r = Run({"alerts", option, text, "--json"});
      EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 2) << option << ": " << r.err;
      if (r.exit_code == 0) {
        EXPECT_EQ(Json(r), nlohmann::json::array()) << option;
      }
    }
    EXPECT_EQ(Run({"models", "show", text}).exit_code, 2);
  }
  {
    BackgroundProcess serve(dir_.path(), {"--config", "loadcast.yaml", "serve", "--port", "0"},
                            SecretEnv());
    const std::string line = serve.FirstLine();
    httplib::Client client(BaseUrl(line));
    for (const std::string& text : injections) {
      const auto res =
          client.Get("/api/alerts", {{"severity", text}, {"source", text}}, httplib::Headers{});
      ASSERT_TRUE(res);
      EXPECT_TRUE(res->status == 200 || res->status == 400) << res->status << " " << res->body;
      if (res->status == 200) {
        EXPECT_EQ(nlohmann::json::parse(res->body)["alerts"].size(), 0u);
      }
    }
  }
  // Nothing was dropped or deleted.
  EXPECT_EQ(Run({"alerts", "--json"}).out, before);
  EXPECT_GE(Json(Run({"runs", "--json"})).size(), 2u);
}

}  // namespace
}  // namespace loadcast
