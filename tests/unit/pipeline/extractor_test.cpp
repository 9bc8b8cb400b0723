#include "pipeline/extractor.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/hash.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::BundledData;
using testing::HashTree;
using testing::Slurp;
using testing::TempDir;
using Snapshot = std::map<std::string, std::string>;

/// CSV text for consecutive days from `from`, one load per day, each written exactly.
std::string Csv(Date from, const std::vector<double>& loads) {
  std::string text = "date,load\n";
  for (std::size_t i = 0; i < loads.size(); ++i) {
    text += fmt::format("{},{}\n", (from + static_cast<int>(i)).ToIso(), loads[i]);
  }
  return text;
}

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

class ExtractorTest : public ::testing::Test {
 protected:
  // Ingest logs each stored year at info level; keep the test output to what matters.
  void SetUp() override { spdlog::set_level(spdlog::level::warn); }

  IngestReport Ingest(const std::vector<std::filesystem::path>& files) {
    return Extractor(data_, validator_).Ingest(files);
  }
  ExtractedData Extract(int target_year, int training_years = 6) {
    return Extractor(data_, validator_).Extract(target_year, training_years);
  }
  /// The DataError message of ingesting `files`, or a test failure when it succeeds.
  std::string IngestRejection(const std::vector<std::filesystem::path>& files) {
    try {
      Ingest(files);
    } catch (const DataError& e) {
      return e.what();
    }
    ADD_FAILURE() << "expected DataError";
    return "";
  }
  std::filesystem::path Bucket() const { return dir_ / "var/bucket"; }

  TempDir dir_;
  Config config_ = DefaultConfig(dir_.path());
  DataController data_{config_};
  // Fixed, so the tests do not depend on the clock: every date used here is before it.
  Validator validator_{config_, D(2026, 1, 1)};
};

/// The bucket holds the bundled data (2006-2021), ingested once for the suite and copied into
/// each test's folder (copying is far cheaper than the flushed writes of an ingest).
class IngestedExtractorTest : public ExtractorTest {
 protected:
  static void SetUpTestSuite() {
    spdlog::set_level(spdlog::level::warn);
    workspace_ = new TempDir;
    const Config config = DefaultConfig(workspace_->path());
    DataController data(config);
    Extractor(data, Validator(config, D(2026, 1, 1))).Ingest({BundledData()});
  }
  static void TearDownTestSuite() {
    delete workspace_;
    workspace_ = nullptr;
  }
  void SetUp() override {
    ExtractorTest::SetUp();
    std::filesystem::copy(workspace_->path() / "var/bucket", Bucket(),
                          std::filesystem::copy_options::recursive);
    ASSERT_EQ(data_.actuals().Years().size(), 16u);
  }

  static TempDir* workspace_;
};

TempDir* IngestedExtractorTest::workspace_ = nullptr;

TEST_F(ExtractorTest, IngestOfTheBundledFileStoresOneObjectPerYear) {
  const IngestReport report = Ingest({BundledData()});
  EXPECT_EQ(report.files, std::vector<std::string>{BundledData().string()});
  EXPECT_EQ(report.rows, 5844u);
  std::vector<int> years;
  for (int y = 2006; y <= 2021; ++y) years.push_back(y);
  EXPECT_EQ(report.years_stored, years);
  EXPECT_TRUE(report.years_unchanged.empty());
  EXPECT_EQ(data_.actuals().Years(), years);
  // Each year's object, and its first revision kept beside it.
  EXPECT_EQ(HashTree(Bucket()).size(), 32u);
  EXPECT_EQ(data_.actuals().Load(2008).count_known(), 366u);
  EXPECT_DOUBLE_EQ(data_.actuals().Load(2006).at(D(2006, 1, 1)), 666542.0);
}

TEST_F(IngestedExtractorTest, ReIngestIsANoOp) {
  const Snapshot before = HashTree(Bucket());
  const IngestReport report = Ingest({BundledData()});
  EXPECT_TRUE(report.years_stored.empty());
  EXPECT_EQ(report.years_unchanged.size(), 16u);
  EXPECT_EQ(HashTree(Bucket()), before);
}

TEST_F(IngestedExtractorTest, AChangedValueReplacesOnlyItsYear) {
  // The bundled file with one value of 2015 revised up by 1%.
  std::string text = Slurp(BundledData());
  const std::string row = "\n2015-06-10,";
  const auto pos = text.find(row);
  ASSERT_NE(pos, std::string::npos);
  const auto value_at = pos + row.size();
  const auto eol = text.find('\n', value_at);
  const double old_value = std::stod(text.substr(value_at, eol - value_at));
  text.replace(value_at, eol - value_at, std::to_string(old_value * 1.01));
  const auto file = dir_.Write("revised.csv", text);

  const Snapshot before = HashTree(Bucket());
  const IngestReport report = Ingest({file});
  EXPECT_EQ(report.years_stored, std::vector<int>{2015});
  EXPECT_EQ(report.years_unchanged.size(), 15u);
  // The year's object is replaced and kept as its revision 2; nothing else changes.
  Snapshot after = HashTree(Bucket());
  ASSERT_EQ(after.size(), before.size() + 1);
  EXPECT_EQ(after.at("actuals/revisions/2015/2.csv"), after.at("actuals/2015.csv"));
  after.erase("actuals/revisions/2015/2.csv");
  for (const auto& [key, hash] : before) {
    if (key == "actuals/2015.csv") {
      EXPECT_NE(after.at(key), hash);
    } else {
      EXPECT_EQ(after.at(key), hash) << key;
    }
  }
  EXPECT_NEAR(data_.actuals().Load(2015).at(D(2015, 6, 10)), old_value * 1.01, 1e-3);
}

TEST_F(IngestedExtractorTest, AFileWithOneDayRevisesThatDay) {
  // Files need not hold whole years: a single correction merges into the stored year.
  const double value = data_.actuals().Load(2020).at(D(2020, 7, 1)) + 1000.0;
  const auto file = dir_.Write("fix.csv", Csv(D(2020, 7, 1), {value}));
  const IngestReport report = Ingest({file});
  EXPECT_EQ(report.years_stored, std::vector<int>{2020});
  const TimeSeries year = data_.actuals().Load(2020);
  EXPECT_EQ(year.count_known(), 366u);
  EXPECT_DOUBLE_EQ(year.at(D(2020, 7, 1)), value);
}

TEST_F(IngestedExtractorTest, APartialLatestYearIsAccepted) {
  const auto file = dir_.Write("jan.csv", Csv(D(2022, 1, 1), std::vector<double>(10, 700000.0)));
  const Snapshot before = HashTree(Bucket());
  const IngestReport report = Ingest({file});
  EXPECT_EQ(report.years_stored, std::vector<int>{2022});
  EXPECT_EQ(data_.actuals().Years().back(), 2022);
  const TimeSeries year = data_.actuals().Load(2022);
  EXPECT_EQ(year.count_known(), 10u);
  EXPECT_EQ(year.last_known(), D(2022, 1, 10));
  // The older years were not rewritten.
  Snapshot after = HashTree(Bucket());
  after.erase("actuals/2022.csv");
  after.erase("actuals/revisions/2022/1.csv");
  EXPECT_EQ(after, before);
}

TEST_F(IngestedExtractorTest, AFileSpanningTheYearBoundaryExtendsTheLatestYear) {
  // Overlapping rows equal to what is stored, then new days.
  const TimeSeries stored = data_.actuals().Load(2021);
  std::vector<double> loads;
  for (Date d = D(2021, 12, 29); !(D(2021, 12, 31) < d); ++d) loads.push_back(stored.at(d));
  for (int i = 0; i < 5; ++i) loads.push_back(650000.0);
  const auto file = dir_.Write("boundary.csv", Csv(D(2021, 12, 29), loads));
  const IngestReport report = Ingest({file});
  EXPECT_EQ(report.years_stored, std::vector<int>{2022});
  EXPECT_EQ(report.years_unchanged, std::vector<int>{2021});
  EXPECT_EQ(data_.actuals().Load(2022).last_known(), D(2022, 1, 5));
}

TEST_F(IngestedExtractorTest, AFileThatWouldLeaveAGapIsRejectedAndTheBucketUnchanged) {
  const auto file = dir_.Write("march.csv", Csv(D(2022, 3, 1), std::vector<double>(5, 700000.0)));
  const Snapshot before = HashTree(Bucket());
  const std::string message = IngestRejection({file});
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, file.string() + ":2:", message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring,
                      "would leave a gap in the bucket's actuals: no data from 2022-01-01 to "
                      "2022-02-28 (59 days)",
                      message);
  EXPECT_EQ(HashTree(Bucket()), before);
  EXPECT_EQ(data_.actuals().Years().back(), 2021);
}

TEST_F(IngestedExtractorTest, AFileBeforeTheStoredDataThatLeavesAGapIsRejected) {
  const auto file = dir_.Write("old.csv", Csv(D(2005, 6, 1), std::vector<double>(5, 700000.0)));
  const Snapshot before = HashTree(Bucket());
  const std::string message = IngestRejection({file});
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "no data from 2005-06-06 to 2005-12-31", message);
  EXPECT_EQ(HashTree(Bucket()), before);
}

TEST_F(IngestedExtractorTest, AnInvalidFileIsRejectedAndTheBucketUnchanged) {
  const auto file = dir_.Write("bad.csv", "date,load\n2021-05-01,700000\n2021-05-02,-1\n");
  const Snapshot before = HashTree(Bucket());
  const std::string message = IngestRejection({file});
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, file.string() + ":3:", message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "-1", message);
  EXPECT_EQ(HashTree(Bucket()), before);
}

TEST_F(IngestedExtractorTest, AnUnparseableFileIsRejectedAndTheBucketUnchanged) {
  const auto file = dir_.Write("semicolons.csv", "date;load\n2021-05-01;700000\n");
  const Snapshot before = HashTree(Bucket());
  IngestRejection({file});
  EXPECT_EQ(HashTree(Bucket()), before);
}

TEST_F(ExtractorTest, AMissingFileIsRejectedNamingIt) {
  const auto missing = dir_ / "nope.csv";
  const std::string message = IngestRejection({missing});
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, missing.string(), message);
  EXPECT_TRUE(data_.actuals().Years().empty());
}

TEST_F(ExtractorTest, AMultiFileIngestWithABadSecondFileStoresNothing) {
  // The first file is fine on its own; the second has a duplicate date.
  const auto bad = dir_.Write("bad.csv", "date,load\n2022-01-01,700000\n2022-01-01,700000\n");
  const std::string message = IngestRejection({BundledData(), bad});
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, bad.string() + ":3:", message);
  EXPECT_TRUE(data_.actuals().Years().empty());
  EXPECT_TRUE(HashTree(Bucket()).empty());
}

TEST_F(ExtractorTest, AMultiFileIngestWhoseSecondFileLeavesAGapStoresNothing) {
  const auto late = dir_.Write("late.csv", Csv(D(2022, 3, 1), std::vector<double>(5, 700000.0)));
  const std::string message = IngestRejection({BundledData(), late});
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, late.string() + ":2:", message);
  EXPECT_TRUE(HashTree(Bucket()).empty());
}

TEST_F(ExtractorTest, FilesAreMergedInOrder) {
  // Two files stored in one ingest, sharing 2021-01-01 with the same load.
  const auto first = dir_.Write("a.csv", Csv(D(2020, 12, 30), {700000, 710000, 720000}));
  const auto second = dir_.Write("b.csv", Csv(D(2021, 1, 1), {720000, 740000}));
  const IngestReport report = Ingest({first, second});
  EXPECT_EQ(report.rows, 5u);
  EXPECT_EQ(report.files, (std::vector<std::string>{first.string(), second.string()}));
  EXPECT_EQ(report.years_stored, (std::vector<int>{2020, 2021}));
  EXPECT_DOUBLE_EQ(data_.actuals().Load(2021).at(D(2021, 1, 1)), 720000.0);
  EXPECT_EQ(data_.actuals().LoadRange(2020, 2021).count_known(), 4u);
}

TEST_F(ExtractorTest, FilesThatGiveADateTwoLoadsAreAConflictOfTheLaterFile) {
  const auto first = dir_.Write("a.csv", Csv(D(2020, 12, 30), {700000, 710000, 720000}));
  const auto second = dir_.Write("b.csv", Csv(D(2021, 1, 1), {730000, 740000}));
  const IngestPlan plan = Extractor(data_, validator_).Plan({first, second});
  ASSERT_TRUE(plan.rejected());
  EXPECT_TRUE(plan.files[0].findings.empty());
  ASSERT_EQ(plan.files[1].findings.size(), 1u);
  const Finding& f = plan.files[1].findings[0];
  EXPECT_EQ(f.rule, "file_conflict");
  EXPECT_EQ(f.line, 2);
  EXPECT_EQ(f.first_date, D(2021, 1, 1));
  EXPECT_EQ(f.problem, "load 730000 on 2021-01-01 differs from " + first.string() +
                           ":4, which gives 720000 for that date");
  EXPECT_TRUE(plan.years.empty());
}

TEST_F(IngestedExtractorTest, ExtractReturnsTheWindowAndTheTargetYear) {
  const ExtractedData x = Extract(2021, 6);
  EXPECT_EQ(x.target_year, 2021);
  EXPECT_EQ(x.first_year, 2015);
  EXPECT_EQ(x.actuals.start(), D(2015, 1, 1));
  EXPECT_EQ(x.actuals.last_known(), D(2021, 12, 31));
  EXPECT_EQ(x.actuals.count_known(), x.actuals.size());
}

TEST_F(IngestedExtractorTest, ExtractReturnsTheHashOfEveryYearObjectRead) {
  const ExtractedData x = Extract(2021, 6);
  ASSERT_EQ(x.object_hashes.size(), 7u);
  for (int year = 2015; year <= 2021; ++year) {
    SCOPED_TRACE(year);
    ASSERT_TRUE(x.object_hashes.contains(year));
    EXPECT_EQ(x.object_hashes.at(year), data_.actuals().Hash(year));
    EXPECT_EQ(x.object_hashes.at(year),
              Sha256Hex(Slurp(Bucket() / ("actuals/" + std::to_string(year) + ".csv"))));
  }
}

TEST_F(IngestedExtractorTest, ExtractOfTheNextYearNeedsNoTargetData) {
  const ExtractedData x = Extract(2022, 6);
  EXPECT_EQ(x.first_year, 2016);
  EXPECT_EQ(x.actuals.last_known(), D(2021, 12, 31));
  // No object for 2022: nothing to hash.
  EXPECT_EQ(x.object_hashes.size(), 6u);
  EXPECT_FALSE(x.object_hashes.contains(2022));
}

TEST_F(IngestedExtractorTest, ExtractClipsTheWindowToTheStoredYears) {
  const ExtractedData x = Extract(2009, 6);
  EXPECT_EQ(x.first_year, 2006);
  EXPECT_EQ(x.actuals.start(), D(2006, 1, 1));
}

TEST_F(IngestedExtractorTest, ExtractNeedsDataThroughDecemberThirtyFirstOfThePreviousYear) {
  try {
    Extract(2023, 6);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring,
                        "training for 2023 needs data through 2022-12-31, but the bucket's data "
                        "ends on 2021-12-31",
                        std::string(e.what()));
  }
}

TEST_F(IngestedExtractorTest, ExtractRejectsAPartialPreviousYear) {
  Ingest({dir_.Write("jan.csv", Csv(D(2022, 1, 1), std::vector<double>(10, 700000.0)))});
  try {
    Extract(2023, 6);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "ends on 2022-01-10", std::string(e.what()));
  }
  // The partial year itself is a fine target.
  EXPECT_EQ(Extract(2022, 6).actuals.last_known(), D(2022, 1, 10));
}

TEST_F(IngestedExtractorTest, ExtractNeedsTwoYearsOfHistory) {
  // 2007 has only 2006 before it: 365 days, below the 730 needed.
  try {
    Extract(2007, 6);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "365 days before 2007", std::string(e.what()));
  }
  EXPECT_NO_THROW(Extract(2008, 6));
}

TEST_F(ExtractorTest, ExtractFromAnEmptyBucketIsADataError) {
  try {
    Extract(2021, 6);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "has no years before it", std::string(e.what()));
  }
}

TEST_F(IngestedExtractorTest, ExtractOfAYearBeforeTheDataIsADataError) {
  EXPECT_THROW(Extract(2005, 6), DataError);
}

TEST_F(IngestedExtractorTest, PlanStoresNothingAndAWarningDoesNotRejectTheFile) {
  // 2022-01-01 at 1000000 MWh: +59% from the stored 2021-12-31 (unusual, below the 70% limit).
  const auto file = dir_.Write("2022.csv", Csv(D(2022, 1, 1), {1000000.0, 980000.0}));
  const Snapshot before = HashTree(Bucket());
  const IngestPlan plan = Extractor(data_, validator_).Plan({file});
  EXPECT_EQ(HashTree(Bucket()), before);
  ASSERT_EQ(plan.files.size(), 1u);
  const CheckedFile& checked = plan.files[0];
  EXPECT_EQ(checked.name, "2022.csv");
  EXPECT_EQ(checked.sha256, Sha256Hex(Slurp(file)));
  EXPECT_EQ(checked.bytes, Slurp(file));
  ASSERT_EQ(checked.findings.size(), 1u);
  EXPECT_EQ(checked.findings[0].rule, "unusual_jump");
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "from the stored load of the day before",
                      checked.findings[0].problem);
  EXPECT_FALSE(plan.rejected());
  EXPECT_EQ(plan.rows, 2u);
  const IngestReport report = Extractor(data_, validator_).Store(plan);
  EXPECT_EQ(report.years_stored, std::vector<int>{2022});
  EXPECT_EQ(data_.actuals().Load(2022).count_known(), 2u);
}

TEST_F(IngestedExtractorTest, PlanWarnsOfALoadOutsideItsMonthsStoredRange) {
  // The stored Januaries 2006-2021 reach 1081841 MWh; 1200000 is above that widened by 10%, on a
  // revised day inside the stored data.
  const auto file = dir_.Write("fix.csv", Csv(D(2021, 1, 20), {1200000.0}));
  const IngestPlan plan = Extractor(data_, validator_).Plan({file});
  EXPECT_FALSE(plan.rejected());
  std::vector<std::string> rules;
  for (const Finding& f : plan.findings()) rules.push_back(f.rule);
  EXPECT_NE(std::find(rules.begin(), rules.end(), "monthly_envelope"), rules.end());
}

TEST_F(IngestedExtractorTest, PlanAttributesABucketGapToTheFileThatLeavesIt) {
  const auto good = dir_.Write("good.csv", Csv(D(2022, 1, 1), {650000.0}));
  const auto late = dir_.Write("late.csv", Csv(D(2022, 3, 1), {700000.0, 700000.0}));
  const IngestPlan plan = Extractor(data_, validator_).Plan({good, late});
  EXPECT_TRUE(plan.rejected());
  EXPECT_FALSE(plan.files[0].rejected());
  ASSERT_EQ(plan.files[1].findings.size(), 1u);
  const Finding& gap = plan.files[1].findings[0];
  EXPECT_EQ(gap.rule, "gap");
  EXPECT_EQ(gap.line, 2);
  EXPECT_EQ(gap.first_date, D(2022, 1, 2));
  EXPECT_EQ(gap.last_date, D(2022, 2, 28));
  EXPECT_TRUE(plan.years.empty());
}

TEST_F(IngestedExtractorTest, PlanChecksEveryFileEvenAfterARejectedOne) {
  const auto bad = dir_.Write("bad.csv", "date,load\n2022-01-01,650000,5\n");
  const auto worse = dir_.Write("worse.csv", "date;load\n2022-01-01;650000\n");
  const IngestPlan plan = Extractor(data_, validator_).Plan({bad, worse});
  ASSERT_EQ(plan.files.size(), 2u);
  EXPECT_EQ(plan.files[0].findings.at(0).rule, "decimal_comma");
  EXPECT_EQ(plan.files[1].findings.at(0).rule, "semicolon_separator");
  EXPECT_THROW(Extractor(data_, validator_).Ingest({bad, worse}), DataError);
}

}  // namespace
}  // namespace loadcast
