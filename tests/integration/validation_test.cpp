// End-to-end tests of the validation suite: the real loadcast binary rejects each kind of bad file
// with exit code 3, names file, line and rule, raises the rule's alert and quarantines the file,
// leaving the data objects and tables as they were; warning-level files are stored with an alert;
// `validate` is a dry run.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/hash.hpp"
#include "support/cli_runner.hpp"
#include "support/ingested_workspace.hpp"
#include "support/temp_dir.hpp"
#include "support/workspace_backends.hpp"

namespace loadcast {
namespace {

namespace fs = std::filesystem;
using testing::Json;
using testing::Loadcast;
using testing::ObjectBytes;
using testing::TempDir;
using testing::WorkspaceBucket;
using testing::WorkspaceDataTables;
using Result = testing::CliResult;
using Snapshot = std::map<std::string, std::string>;

/// SHA-256 of every file under the bucket, by key, split into the data objects and quarantine/.
struct Bucket {
  Snapshot data;
  Snapshot quarantine;
};

Bucket HashBucket(const ObjectStore& store) {
  Bucket bucket;
  for (auto& [key, hash] : testing::HashObjects(store)) {
    (key.starts_with("quarantine/") ? bucket.quarantine : bucket.data)[key] = std::move(hash);
  }
  return bucket;
}

/// The alerts whose code is `code`.
std::vector<nlohmann::json> AlertsWithCode(const nlohmann::json& alerts, const std::string& code) {
  std::vector<nlohmann::json> out;
  for (const auto& a : alerts) {
    if (a["code"] == code) out.push_back(a);
  }
  return out;
}

/// Each test works in a copy of a folder that holds the bundled data (2006-2021), ingested once.
class ValidationTest : public testing::IngestedWorkspaceTest {
 protected:
  void SetUp() override { CopyIngestedWorkspace(dir_.path()); }
  const ObjectStore& BucketRoot() const { return *bucket_; }
  std::string DataTables() const { return WorkspaceDataTables(dir_.path()); }

  TempDir dir_;
  std::unique_ptr<ObjectStore> bucket_ = WorkspaceBucket(dir_.path());
};

struct BadInput {
  std::string name;  // the test's name, and the file's (with .csv)
  std::string text;
  std::string rule;      // the rule the file breaks
  int line = 0;          // the line named
  std::string expected;  // part of the problem
};

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const BadInput& bad, std::ostream* os) { *os << bad.name; }

class RejectsMalformedInput : public ValidationTest,
                              public ::testing::WithParamInterface<BadInput> {};

TEST_P(RejectsMalformedInput, WithExit3TheRuleAnAlertAQuarantinedCopyAndNoDataChanged) {
  const BadInput& bad = GetParam();
  const Bucket before = HashBucket(BucketRoot());
  ASSERT_TRUE(before.quarantine.empty());
  const std::string tables_before = DataTables();
  const fs::path file = dir_.Write("in/" + bad.name + ".csv", bad.text);

  const Result r = Loadcast(dir_.path(), {"ingest", file.string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const std::string where = file.string() + ":" + std::to_string(bad.line) + ": ";
  EXPECT_NE(r.err.find(where), std::string::npos) << where << "\n" << r.err;
  EXPECT_NE(r.err.find(bad.expected), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[" + bad.rule + "]"), std::string::npos) << r.err;

  // The data objects and tables are as they were.
  const Bucket after = HashBucket(BucketRoot());
  EXPECT_EQ(after.data, before.data);
  EXPECT_EQ(DataTables(), tables_before);

  // The file is in quarantine, byte for byte, beside the reason naming the rule.
  ASSERT_EQ(after.quarantine.size(), 2u);
  const std::string copy = after.quarantine.begin()->first;
  EXPECT_TRUE(copy.starts_with("quarantine/")) << copy;
  EXPECT_TRUE(copy.ends_with("Z-" + bad.name + ".csv")) << copy;
  EXPECT_EQ(ObjectBytes(BucketRoot(), copy), bad.text);
  EXPECT_NE(r.err.find("quarantined as " + BucketRoot().Locate(copy)), std::string::npos) << r.err;
  const auto reason = nlohmann::json::parse(ObjectBytes(BucketRoot(), copy + ".reason.json"));
  EXPECT_EQ(reason["file"], file.string());
  EXPECT_EQ(reason["sha256"], Sha256Hex(bad.text));
  bool named = false;
  for (const auto& f : reason["findings"]) named |= f["rule"] == bad.rule && f["line"] == bad.line;
  EXPECT_TRUE(named) << reason.dump(2);

  // The rule's alert, critical, about this file and its hash.
  const nlohmann::json alerts = Json(Loadcast(dir_.path(), {"alerts", "--json"}));
  const auto raised = AlertsWithCode(alerts, "validation." + bad.rule);
  ASSERT_FALSE(raised.empty()) << alerts.dump(2);
  EXPECT_EQ(raised[0]["severity"], "critical");
  EXPECT_EQ(raised[0]["source"], "validation");
  EXPECT_EQ(raised[0]["subject"], "file " + bad.name + ".csv sha256:" + Sha256Hex(bad.text));
  EXPECT_EQ(AlertsWithCode(alerts, "data_rejected").size(), 1u);
  EXPECT_EQ(Json(Loadcast(dir_.path(), {"runs", "--json"}))[0]["status"], "rejected");
}

INSTANTIATE_TEST_SUITE_P(
    Ingest, RejectsMalformedInput,
    ::testing::Values(
        BadInput{"decimal_comma", "date,load\n2021-12-30,700000,5\n", "decimal_comma", 2,
                 "uses a decimal comma"},
        BadInput{"thousands_separator", "date,load\n2021-12-30,700,000.5\n", "thousands_separator",
                 2, "uses a thousands separator"},
        BadInput{"semicolon", "date;load\n2021-12-30;700000\n", "semicolon_separator", 1,
                 "uses ';' as separator"},
        BadInput{"semicolon_row", "date,load\n2021-12-30;700000,5\n", "semicolon_separator", 2,
                 "uses ';' as separator"},
        BadInput{"duplicate_date", "date,load\n2021-12-30,700000\n2021-12-30,700000\n",
                 "duplicate_date", 3, "duplicate date 2021-12-30"},
        BadInput{"gap", "date,load\n2021-12-01,700000\n2021-12-03,700000\n", "gap", 3,
                 "(1 days missing)"},
        BadInput{"leaves_gap", "date,load\n2022-03-01,700000\n", "gap", 2,
                 "would leave a gap in the bucket's actuals"},
        BadInput{"2021", "date,load\n2021-12-31,700000\n2022-01-01,700000\n", "file_year", 3,
                 "outside 2021"},
        BadInput{"future", "date,load\n2999-01-01,700000\n", "future_date", 2, "in the future"},
        BadInput{"early", "date,load\n1900-01-01,700000\n", "early_date", 2,
                 "is before 1990-01-01 (validation.earliest_year)"},
        // One day between two stored ones: -70% from the day before is within the limit, but the
        // stored day after is +2xx% from it, as it would be inside a file of the three days.
        BadInput{"lone_day", "date,load\n2021-06-16,270000\n", "daily_jump", 2,
                 "the stored load of the day after (9"},
        BadInput{"negative", "date,load\n2021-12-01,-5\n", "positive_load", 2, "not positive"},
        BadInput{"zero", "date,load\n2021-12-01,0\n", "positive_load", 2, "not positive"},
        BadInput{"implausible", "date,load\n2021-12-01,150000\n", "plausible_load", 2,
                 "is implausible"},
        BadInput{"jump", "date,load\n2021-12-01,700000\n2021-12-02,1300000\n", "daily_jump", 3,
                 "changes by 86% from the day before"},
        BadInput{"not_a_number", "date,load\n2021-12-01,abc\n", "not_a_number", 2,
                 "'abc' is not a number"},
        BadInput{"missing_value", "date,load\n2021-12-01,\n", "missing_value", 2,
                 "missing load for 2021-12-01"},
        BadInput{"wrong_columns", "day,value\n2021-12-01,700000\n", "columns", 1,
                 "must be exactly the columns 'date,load'"},
        BadInput{"bad_date", "date,load\n2021-02-29,700000\n", "date_format", 2,
                 "not a valid ISO date"},
        BadInput{"out_of_order", "date,load\n2021-12-02,700000\n2021-12-01,700000\n", "date_order",
                 3, "out of order"},
        BadInput{"empty", "", "file_format", 1, "file is empty"}),
    [](const auto& info) {
      return info.param.name == "2021" ? std::string("year_named") : info.param.name;
    });

TEST_F(ValidationTest, ABadFileWithAVeryLongNameIsRejectedWithExit3AndQuarantinedUnderAShortName) {
  // 230 bytes: a valid file name, too long to be a quarantined copy's name as it is.
  const std::string name = std::string(226, 'n') + ".csv";
  const std::string text = "date,load\n2022-01-01,abc\n";
  const fs::path file = dir_.Write("in/" + name, text);
  const Result r = Loadcast(dir_.path(), {"ingest", file.string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(file.string() + ":2: "), std::string::npos) << r.err;
  const Bucket after = HashBucket(BucketRoot());
  ASSERT_EQ(after.quarantine.size(), 2u);  // the copy and its reason
  const std::string copy = after.quarantine.begin()->first;
  const std::string copy_name = fs::path(copy).filename().string();
  EXPECT_LE(copy_name.size() + std::string(".reason.json").size(), 200u) << copy;
  // Readable: the name's start, then a hash of the whole name, then the extension.
  EXPECT_NE(copy_name.find("Z-" + std::string(100, 'n')), std::string::npos) << copy;
  EXPECT_TRUE(copy_name.ends_with(".csv")) << copy;
  EXPECT_EQ(ObjectBytes(BucketRoot(), copy), text);
  const auto reason = nlohmann::json::parse(ObjectBytes(BucketRoot(), copy + ".reason.json"));
  EXPECT_EQ(reason["file"], file.string());
}

TEST_F(ValidationTest, AnUnusualJumpIsStoredWithAWarningAlert) {
  // 2022-01-01 at 1000000 MWh: +59% from the stored 2021-12-31, above the 50% warning threshold
  // and below the 70% limit.
  const std::string text = "date,load\n2022-01-01,1000000\n2022-01-02,950000\n";
  const fs::path file = dir_.Write("in/2022.csv", text);
  const Result r = Loadcast(dir_.path(), {"ingest", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Bucket after = HashBucket(BucketRoot());
  EXPECT_TRUE(after.data.contains("actuals/2022.csv"));
  EXPECT_TRUE(after.quarantine.empty());

  const nlohmann::json alerts = Json(Loadcast(dir_.path(), {"alerts", "--json"}));
  ASSERT_EQ(alerts.size(), 1u) << alerts.dump(2);
  const auto& alert = alerts[0];
  EXPECT_EQ(alert["code"], "validation.unusual_jump");
  EXPECT_EQ(alert["severity"], "warning");
  EXPECT_EQ(alert["source"], "validation");
  EXPECT_EQ(alert["subject"], "file 2022.csv sha256:" + Sha256Hex(text));
  EXPECT_EQ(alert["period_start"], "2021-12-31");
  EXPECT_EQ(alert["period_end"], "2022-01-01");
  EXPECT_NEAR(alert["value"].get<double>(), 1000000.0 / 629656.3782500001 - 1.0, 1e-9);
  EXPECT_EQ(alert["threshold"], 0.5);
  EXPECT_NE(alert["message"].get<std::string>().find(file.string() + ":2: load 1000000"),
            std::string::npos);
  EXPECT_EQ(Json(Loadcast(dir_.path(), {"runs", "--json"}))[0]["status"], "succeeded");
}

TEST_F(ValidationTest, ALoadOutsideItsMonthsStoredRangeIsStoredWithAWarningAlert) {
  // The stored Januaries reach 1081841 MWh; 1200000 is above that widened by 10%.
  const fs::path file = dir_.Write("in/fix.csv", "date,load\n2021-01-20,1200000\n");
  const Result r = Loadcast(dir_.path(), {"ingest", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json alerts = Json(Loadcast(dir_.path(), {"alerts", "--json"}));
  const auto raised = AlertsWithCode(alerts, "validation.monthly_envelope");
  ASSERT_EQ(raised.size(), 1u) << alerts.dump(2);
  EXPECT_EQ(raised[0]["severity"], "warning");
  EXPECT_EQ(raised[0]["period_start"], "2021-01-20");
  EXPECT_EQ(raised[0]["value"], 1200000.0);
  EXPECT_NEAR(raised[0]["threshold"].get<double>(), 1081841.0 * 1.1, 1e-6);
  const nlohmann::json stored =
      Json(Loadcast(dir_.path(), {"ingest", file.string(), "--json"}));  // now unchanged
  EXPECT_EQ(stored["years_unchanged"], nlohmann::json::array({2021}));
}

TEST_F(ValidationTest, ValidateIsADryRunThatPrintsFindingsPerRule) {
  const Bucket before = HashBucket(BucketRoot());
  const std::string tables_before = DataTables();
  const std::string alerts_before = Json(Loadcast(dir_.path(), {"alerts", "--json"})).dump();
  const fs::path bad = dir_.Write("in/bad.csv", "date,load\n2021-12-30,700000,5\n");
  const fs::path unusual = dir_.Write("in/2022.csv", "date,load\n2022-01-01,1000000\n");

  const Result rejected = Loadcast(dir_.path(), {"validate", bad.string(), unusual.string()});
  EXPECT_EQ(rejected.exit_code, 3) << rejected.err;
  EXPECT_NE(rejected.out.find(bad.string() + " (sha256 "), std::string::npos) << rejected.out;
  EXPECT_NE(rejected.out.find("rejected: 1 error, 0 warnings"), std::string::npos) << rejected.out;
  EXPECT_NE(
      rejected.out.find("  error    decimal_comma        1 finding\n    " + bad.string() + ":2: "),
      std::string::npos)
      << rejected.out;
  EXPECT_NE(rejected.out.find("would be stored with 1 warning"), std::string::npos) << rejected.out;
  EXPECT_NE(rejected.out.find("  warning  unusual_jump"), std::string::npos) << rejected.out;
  EXPECT_NE(rejected.err.find(bad.string() + ":2: "), std::string::npos) << rejected.err;

  const Result passed = Loadcast(dir_.path(), {"validate", unusual.string(), "--json"});
  ASSERT_EQ(passed.exit_code, 0) << passed.err;
  const nlohmann::json report = nlohmann::json::parse(passed.out);
  EXPECT_EQ(report["rejected"], false);
  ASSERT_EQ(report["files"][0]["findings"].size(), 1u);
  EXPECT_EQ(report["files"][0]["findings"][0]["code"], "validation.unusual_jump");

  // Nothing stored, quarantined or alerted.
  const Bucket after = HashBucket(BucketRoot());
  EXPECT_EQ(after.data, before.data);
  EXPECT_TRUE(after.quarantine.empty());
  EXPECT_EQ(DataTables(), tables_before);
  EXPECT_EQ(Json(Loadcast(dir_.path(), {"alerts", "--json"})).dump(), alerts_before);
}

TEST_F(ValidationTest, ValidateRulesListsTheSuiteWithTheEffectiveThresholds) {
  const Result table = Loadcast(dir_.path(), {"validate", "--rules"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("| `daily_jump` | error | `validation.max_daily_jump` = 0.7 |"),
            std::string::npos)
      << table.out;
  const fs::path config = dir_.Write("strict.yaml", "validation:\n  max_daily_jump: 0.6\n");
  const nlohmann::json rules =
      Json(Loadcast(dir_.path(), {"--config", config.string(), "validate", "--rules", "--json"}));
  bool found = false;
  for (const auto& rule : rules) {
    if (rule["rule"] != "daily_jump") continue;
    found = true;
    EXPECT_EQ(rule["threshold"], "0.6");
    EXPECT_EQ(rule["code"], "validation.daily_jump");
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(Loadcast(dir_.path(), {"validate"}).exit_code, 2);  // files or --rules
}

TEST_F(ValidationTest, FilesThatGiveOneDateTwoLoadsAreRejectedNamingBothFilesAndTheDates) {
  const fs::path a = dir_.Write("in/A.csv", "date,load\n2021-06-15,900000\n2021-06-16,910000\n");
  const fs::path b = dir_.Write("in/B.csv", "date,load\n2021-06-15,990000\n2021-06-16,910000\n");
  const Bucket before = HashBucket(BucketRoot());
  const Result r = Loadcast(dir_.path(), {"ingest", a.string(), b.string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(b.string() + ":2: load 990000 on 2021-06-15 differs from " + a.string() +
                       ":2, which gives 900000 for that date [file_conflict]"),
            std::string::npos)
      << r.err;
  // The date they agree on is no conflict.
  EXPECT_EQ(r.err.find("2021-06-16 differs"), std::string::npos) << r.err;
  EXPECT_EQ(HashBucket(BucketRoot()).data, before.data);
  const auto raised =
      AlertsWithCode(Json(Loadcast(dir_.path(), {"alerts", "--json"})), "validation.file_conflict");
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0]["period_start"], "2021-06-15");
  // The same files in one order or the other, or agreeing, go in.
  dir_.Write("in/B.csv", "date,load\n2021-06-15,900000\n2021-06-16,910000\n");
  const Result agreed = Loadcast(dir_.path(), {"ingest", a.string(), b.string()});
  EXPECT_EQ(agreed.exit_code, 0) << agreed.err;
}

TEST_F(ValidationTest, AFixedFileIsIngestedAfterARejection) {
  const fs::path file = dir_.Write("in/2022.csv", "date,load\n2022-01-01,650000,5\n");
  ASSERT_EQ(Loadcast(dir_.path(), {"ingest", file.string()}).exit_code, 3);
  dir_.Write("in/2022.csv", "date,load\n2022-01-01,650000.5\n");
  const Result fixed = Loadcast(dir_.path(), {"ingest", file.string()});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  const Bucket after = HashBucket(BucketRoot());
  EXPECT_TRUE(after.data.contains("actuals/2022.csv"));
  EXPECT_EQ(after.quarantine.size(), 2u);  // the rejected version stays as evidence
}

}  // namespace
}  // namespace loadcast
