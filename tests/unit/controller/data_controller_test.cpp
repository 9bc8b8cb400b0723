#include "controller/data_controller.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/hash.hpp"
#include "core/load_csv.hpp"
#include "core/series_csv.hpp"
#include "storage/alerts.hpp"
#include "storage/backends.hpp"
#include "support/records.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::TempDir;

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// A year of made-up loads: every day known, values distinct so misplaced days show.
TimeSeries YearSeries(int year, double base = 800000.0) {
  std::vector<double> values;
  for (int i = 0; i < Date::DaysInYear(year); ++i) values.push_back(base + 10.0 * i);
  return TimeSeries(Date::FromYmd(year, 1, 1), std::move(values));
}

class DataControllerTest : public ::testing::Test {
 protected:
  RunRecord TrainRun() {
    RunRecord run;
    run.command = "train";
    run.target_year = 2021;
    run.horizon = Horizon::kYear;
    return run;
  }
  ModelRecord Model(int target_year = 2021) {
    ModelRecord m;
    m.run_id = data_.runs().Begin(TrainRun());
    m.kind = "calendar_regression";
    m.horizon = Horizon::kYear;
    m.target_year = target_year;
    m.trained_from = testing::Day("2015-01-01");
    m.trained_to = testing::Day("2020-12-31");
    return m;
  }
  std::filesystem::path Bucket() const { return dir_ / "var/bucket"; }

  TempDir dir_;
  Config config_ = DefaultConfig(dir_.path());
  DataController data_{config_};
};

TEST_F(DataControllerTest, OpensTheBackendsNamedByTheConfig) {
  EXPECT_EQ(data_.DatabaseLocation(), (dir_ / "var/loadcast.db").string());
  EXPECT_EQ(data_.BucketLocation("actuals/2021.csv"), (Bucket() / "actuals/2021.csv").string());
  EXPECT_TRUE(std::filesystem::is_regular_file(dir_ / "var/loadcast.db"));
}

TEST_F(DataControllerTest, ActualsKeyIsOneObjectPerYear) {
  EXPECT_EQ(ActualsStore::Key(2021), "actuals/2021.csv");
}

TEST_F(DataControllerTest, ActualYearsIsEmptyForAFreshBucket) {
  EXPECT_TRUE(data_.actuals().Years().empty());
}

TEST_F(DataControllerTest, ActualYearsListsStoredYearsAscending) {
  data_.actuals().Save(2021, YearSeries(2021));
  data_.actuals().Save(2019, YearSeries(2019));
  data_.actuals().Save(2020, YearSeries(2020));
  EXPECT_EQ(data_.actuals().Years(), (std::vector<int>{2019, 2020, 2021}));
}

TEST_F(DataControllerTest, ActualYearsIgnoresObjectsThatAreNotYearFiles) {
  data_.actuals().Save(2020, YearSeries(2020));
  // Stray objects under the prefix must not be mistaken for years.
  std::filesystem::create_directories(Bucket() / "actuals/old");
  std::ofstream(Bucket() / "actuals/notes.txt") << "x";
  std::ofstream(Bucket() / "actuals/2021.csv.bak") << "x";
  std::ofstream(Bucket() / "actuals/02019.csv") << "x";
  std::ofstream(Bucket() / "actuals/old/2018.csv") << "x";
  std::ofstream(Bucket() / "actuals/.2022.csv.tmp-1-2") << "x";
  EXPECT_EQ(data_.actuals().Years(), std::vector<int>{2020});
}

TEST_F(DataControllerTest, SaveThenLoadActualYearRoundTrips) {
  const TimeSeries year = YearSeries(2020);  // a leap year: 366 days
  data_.actuals().Save(2020, year);
  const TimeSeries loaded = data_.actuals().Load(2020);
  EXPECT_EQ(loaded.start(), Date::FromYmd(2020, 1, 1));
  ASSERT_EQ(loaded.size(), 366u);
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    ASSERT_DOUBLE_EQ(loaded.values()[i], year.values()[i]) << "day " << i;
  }
}

TEST_F(DataControllerTest, SaveActualYearStoresTheCanonicalCsv) {
  const TimeSeries year = YearSeries(2021);
  data_.actuals().Save(2021, year);
  EXPECT_EQ(Slurp(Bucket() / "actuals/2021.csv"), FormatLoadCsv(year));
}

TEST_F(DataControllerTest, SaveActualYearReplacesTheYear) {
  data_.actuals().Save(2021, YearSeries(2021, 800000.0));
  data_.actuals().Save(2021, YearSeries(2021, 900000.0));
  EXPECT_DOUBLE_EQ(data_.actuals().Load(2021).at(Date::FromYmd(2021, 1, 1)), 900000.0);
}

TEST_F(DataControllerTest, PartialYearRoundTrips) {
  TimeSeries partial;
  for (int d = 1; d <= 10; ++d) partial.set(Date::FromYmd(2022, 1, d), 700000.0 + d);
  data_.actuals().Save(2022, partial);
  const TimeSeries loaded = data_.actuals().Load(2022);
  EXPECT_EQ(loaded.count_known(), 10u);
  EXPECT_EQ(loaded.last_known(), Date::FromYmd(2022, 1, 10));
}

TEST_F(DataControllerTest, LoadActualYearOfAMissingYearIsEmpty) {
  EXPECT_TRUE(data_.actuals().Load(1999).empty());
}

TEST_F(DataControllerTest, LoadActualYearOfACorruptObjectIsADataErrorNamingTheObject) {
  std::filesystem::create_directories(Bucket() / "actuals");
  std::ofstream(Bucket() / "actuals/2021.csv") << "date,load\n2021-01-01,not-a-number\n";
  try {
    data_.actuals().Load(2021);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    const std::string message = e.what();
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "stored object is not valid", message);
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, (Bucket() / "actuals/2021.csv").string(), message);
  }
}

TEST_F(DataControllerTest, ActualYearChangedIsTrueWhenTheYearIsAbsent) {
  EXPECT_TRUE(data_.actuals().Changed(2021, YearSeries(2021)));
}

TEST_F(DataControllerTest, ActualYearChangedIsFalseForIdenticalData) {
  data_.actuals().Save(2021, YearSeries(2021));
  EXPECT_FALSE(data_.actuals().Changed(2021, YearSeries(2021)));
  // The same data read back from the bucket is also unchanged.
  EXPECT_FALSE(data_.actuals().Changed(2021, data_.actuals().Load(2021)));
}

TEST_F(DataControllerTest, ActualYearChangedIsTrueForOneDifferentValue) {
  data_.actuals().Save(2021, YearSeries(2021));
  TimeSeries changed = YearSeries(2021);
  changed.set(Date::FromYmd(2021, 6, 1), 123456.0);
  EXPECT_TRUE(data_.actuals().Changed(2021, changed));
}

TEST_F(DataControllerTest, ActualYearHashIsTheSha256OfTheStoredObject) {
  EXPECT_EQ(data_.actuals().Hash(2021), "");
  data_.actuals().Save(2021, YearSeries(2021));
  const std::string hash = data_.actuals().Hash(2021);
  EXPECT_EQ(hash, Sha256Hex(Slurp(Bucket() / "actuals/2021.csv")));
  EXPECT_EQ(hash.size(), 64u);
}

TEST_F(DataControllerTest, ActualYearHashIsStableAcrossIdenticalSaves) {
  data_.actuals().Save(2021, YearSeries(2021));
  const std::string first = data_.actuals().Hash(2021);
  data_.actuals().Save(2021, YearSeries(2021));
  EXPECT_EQ(data_.actuals().Hash(2021), first);
  // A second controller on the same folders sees the same hash.
  DataController other(config_);
  EXPECT_EQ(other.actuals().Hash(2021), first);
  data_.actuals().Save(2021, YearSeries(2021, 900000.0));
  EXPECT_NE(data_.actuals().Hash(2021), first);
}

TEST_F(DataControllerTest, QuarantineKeepsTheFileAndItsReasonAndTouchesNoActuals) {
  data_.actuals().Save(2021, YearSeries(2021));
  const std::string actuals = Slurp(Bucket() / "actuals/2021.csv");
  const std::string key = data_.quarantine().Keep("2021.csv", "date;load\n", "{\"why\": 1}\n");
  EXPECT_TRUE(key.starts_with("quarantine/")) << key;
  EXPECT_TRUE(key.ends_with("Z-2021.csv")) << key;  // quarantine/<UTC time>-<name>
  EXPECT_EQ(Slurp(Bucket() / key), "date;load\n");
  EXPECT_EQ(Slurp(Bucket() / (key + ".reason.json")), "{\"why\": 1}\n");
  EXPECT_EQ(data_.quarantine().List(), std::vector<std::string>{key});
  // The same name again within the second gets its own key; the actuals are as they were.
  const std::string again = data_.quarantine().Keep("2021.csv", "x", "{}");
  EXPECT_NE(again, key);
  EXPECT_EQ(data_.quarantine().List().size(), 2u);
  EXPECT_EQ(Slurp(Bucket() / "actuals/2021.csv"), actuals);
  EXPECT_EQ(data_.actuals().Years(), std::vector<int>{2021});
}

TEST_F(DataControllerTest, QuarantineMakesAnyFileNameASafeKey) {
  const std::string key = data_.quarantine().Keep("../we ird..name.csv", "x", "{}");
  EXPECT_TRUE(key.ends_with("Z-.__we_ird._name.csv")) << key;
  EXPECT_TRUE(std::filesystem::exists(Bucket() / key));
}

TEST_F(DataControllerTest, QuarantineShortensALongNameKeepingItReadableAndDistinct) {
  // 250 bytes: a valid file name, but with the time stamp and the suffixes not a valid copy's.
  const std::string long_name = std::string(246, 'a') + ".csv";
  const std::string other = std::string(245, 'a') + "b.csv";
  const std::string key = data_.quarantine().Keep(long_name, "x", "{}");
  const std::string other_key = data_.quarantine().Keep(other, "y", "{}");
  const std::string file = std::filesystem::path(key).filename().string();
  EXPECT_LE(file.size() + std::string(".reason.json").size(), 200u) << key;
  EXPECT_TRUE(key.ends_with(".csv")) << key;
  EXPECT_NE(key.find("Z-" + std::string(120, 'a') + "-"), std::string::npos) << key;
  EXPECT_TRUE(std::filesystem::exists(Bucket() / key));
  EXPECT_TRUE(std::filesystem::exists(Bucket() / (key + ".reason.json")));
  // Two names sharing their start differ by their hash.
  EXPECT_NE(std::filesystem::path(other_key).filename().string().substr(17), file.substr(17));
  EXPECT_EQ(data_.quarantine().List().size(), 2u);
}

TEST_F(DataControllerTest, LoadActualsJoinsYearsIntoOneSeries) {
  data_.actuals().Save(2019, YearSeries(2019, 700000.0));
  data_.actuals().Save(2020, YearSeries(2020, 800000.0));
  data_.actuals().Save(2021, YearSeries(2021, 900000.0));
  const TimeSeries all = data_.actuals().LoadRange(2019, 2021);
  EXPECT_EQ(all.start(), Date::FromYmd(2019, 1, 1));
  EXPECT_EQ(all.size(), 365u + 366u + 365u);
  EXPECT_EQ(all.count_known(), all.size());
  EXPECT_DOUBLE_EQ(all.at(Date::FromYmd(2019, 12, 31)), 700000.0 + 10.0 * 364);
  EXPECT_DOUBLE_EQ(all.at(Date::FromYmd(2020, 1, 1)), 800000.0);
  EXPECT_DOUBLE_EQ(all.at(Date::FromYmd(2021, 12, 31)), 900000.0 + 10.0 * 364);
}

TEST_F(DataControllerTest, LoadActualsSkipsMissingYearsInTheRange) {
  data_.actuals().Save(2020, YearSeries(2020));
  const TimeSeries all = data_.actuals().LoadRange(2015, 2025);
  EXPECT_EQ(all.start(), Date::FromYmd(2020, 1, 1));
  EXPECT_EQ(all.count_known(), 366u);
  EXPECT_TRUE(data_.actuals().LoadRange(2000, 2001).empty());
}

TEST_F(DataControllerTest, LoadActualsOfASubrangeLeavesOtherYearsOut) {
  data_.actuals().Save(2019, YearSeries(2019));
  data_.actuals().Save(2020, YearSeries(2020));
  data_.actuals().Save(2021, YearSeries(2021));
  const TimeSeries part = data_.actuals().LoadRange(2020, 2020);
  EXPECT_EQ(part.start(), Date::FromYmd(2020, 1, 1));
  EXPECT_EQ(part.size(), 366u);
}

TEST_F(DataControllerTest, SeriesYearsListsStoredYearsAscendingAndNothingElse) {
  EXPECT_TRUE(data_.series().Years().empty());
  data_.series().Save(2021, {"a"}, {YearSeries(2021)});
  data_.series().Save(2019, {"a"}, {YearSeries(2019)});
  std::ofstream(Bucket() / "series/02020.csv") << "x";
  std::ofstream(Bucket() / "series/2020.csv.bak") << "x";
  EXPECT_EQ(data_.series().Years(), (std::vector<int>{2019, 2021}));
}

TEST_F(DataControllerTest, SeriesSaveThenLoadRoundTripsAndAMissingYearIsEmpty) {
  data_.series().Save(2021, {"b", "a"}, {YearSeries(2021, 500.0), YearSeries(2021, 900.0)});
  EXPECT_EQ(Slurp(Bucket() / "series/2021.csv"),
            FormatSeriesCsv({"b", "a"}, {YearSeries(2021, 500.0), YearSeries(2021, 900.0)}));
  const SeriesTable table = data_.series().Load(2021);
  ASSERT_EQ(table.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_DOUBLE_EQ(table.loads[0].at(Date::FromYmd(2021, 1, 1)), 900.0);
  EXPECT_TRUE(data_.series().Load(2020).names.empty());
}

TEST_F(DataControllerTest, ACorruptSeriesObjectIsADataErrorNamingTheObject) {
  std::filesystem::create_directories(Bucket() / "series");
  std::ofstream(Bucket() / "series/2021.csv") << "not,a,series,file\n";
  try {
    data_.series().Load(2021);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    const std::string message = e.what();
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "stored object is not valid", message);
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, (Bucket() / "series/2021.csv").string(), message);
  }
}

TEST_F(DataControllerTest, RegisterModelStoresTheArtifactUnderItsContentHash) {
  const nlohmann::json artifact = {{"format", "loadcast-model"}, {"state", {1, 2, 3}}};
  const Registration registration = data_.models().Register(Model(), artifact);
  const ModelRecord& record = registration.model;
  const std::string text = artifact.dump(2) + "\n";
  EXPECT_TRUE(registration.created);
  EXPECT_EQ(record.version, Sha256Hex(text).substr(0, 16));
  EXPECT_EQ(record.artifact, "models/year/" + record.version + "/model.json");
  EXPECT_GT(record.id, 0);
  EXPECT_EQ(record.number, 1);
  EXPECT_FALSE(record.created_at.empty());
  EXPECT_EQ(Slurp(Bucket() / record.artifact), text);
}

TEST_F(DataControllerTest, TheSameArtifactIsRegisteredOnce) {
  const nlohmann::json artifact = {{"state", 42}};
  const Registration first = data_.models().Register(Model(), artifact);
  const Registration second = data_.models().Register(Model(), artifact);
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  // The row on record: same id, same run, same number.
  EXPECT_EQ(second.model.id, first.model.id);
  EXPECT_EQ(second.model.run_id, first.model.run_id);
  EXPECT_EQ(second.model.version, first.model.version);
  EXPECT_EQ(second.model.artifact, first.model.artifact);
  EXPECT_EQ(second.model.number, 1);
  EXPECT_EQ(Slurp(Bucket() / first.model.artifact), artifact.dump(2) + "\n");
  const Registration different = data_.models().Register(Model(), nlohmann::json{{"state", 43}});
  EXPECT_TRUE(different.created);
  EXPECT_NE(different.model.version, first.model.version);
  EXPECT_EQ(different.model.number, 2);
  EXPECT_EQ(data_.models().List(Horizon::kYear, 10).size(), 2u);
}

TEST_F(DataControllerTest, RegisterModelOverridesAnyGivenVersionAndArtifact) {
  ModelRecord record = Model();
  record.version = "made-up";
  record.artifact = "../escape.json";
  const ModelRecord stored = data_.models().Register(record, nlohmann::json{{"a", 1}}).model;
  EXPECT_NE(stored.version, "made-up");
  EXPECT_EQ(stored.artifact, "models/year/" + stored.version + "/model.json");
}

TEST_F(DataControllerTest, LoadModelReturnsTheRegistrationWithItsArtifact) {
  const ModelRecord old = data_.models().Register(Model(), nlohmann::json{{"state", "old"}}).model;
  const ModelRecord latest =
      data_.models().Register(Model(), nlohmann::json{{"state", "new"}}).model;
  const auto stored = data_.models().Load(old.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->record.id, old.id);
  EXPECT_EQ(stored->record.version, old.version);
  EXPECT_EQ(stored->artifact, (nlohmann::json{{"state", "old"}}));
  EXPECT_EQ(data_.models().Load(latest.id)->artifact, (nlohmann::json{{"state", "new"}}));
}

TEST_F(DataControllerTest, LoadModelIsNulloptForAnUnknownId) {
  const ModelRecord record = data_.models().Register(Model(), nlohmann::json{{"state", 1}}).model;
  EXPECT_EQ(data_.models().Load(record.id + 1), std::nullopt);
  EXPECT_EQ(data_.models().Find(record.id + 1), std::nullopt);
}

TEST_F(DataControllerTest, MissingArtifactIsAStorageErrorNamingTheDataset) {
  const ModelRecord record = data_.models().Register(Model(), nlohmann::json{{"state", 1}}).model;
  std::filesystem::remove(Bucket() / record.artifact);
  try {
    data_.models().Load(record.id);
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    const std::string message = e.what();
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "dataset '" + record.artifact + "'", message);
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "missing", message);
  }
}

TEST_F(DataControllerTest, CorruptArtifactIsAStorageErrorNamingTheDataset) {
  const ModelRecord record = data_.models().Register(Model(), nlohmann::json{{"state", 1}}).model;
  std::ofstream(Bucket() / record.artifact, std::ios::trunc) << "{ not json";
  try {
    data_.models().Load(record.id);
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    const std::string message = e.what();
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "dataset '" + record.artifact + "'", message);
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "not valid JSON", message);
  }
}

TEST_F(DataControllerTest, RegisterModelForAnUnknownRunStoresTheArtifactButNoRow) {
  // The artifact goes first so a row never points at a missing object; a failed registration
  // leaves at most an unreferenced artifact behind.
  ModelRecord record = Model();
  record.run_id = 987654;
  try {
    data_.models().Register(record, nlohmann::json{{"state", 1}});
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "dataset 'models'", std::string(e.what()));
  }
  EXPECT_TRUE(data_.models().List(std::nullopt, 10).empty());
}

TEST_F(DataControllerTest, ListsAndFindsModelsByHorizonAndVersion) {
  const ModelRecord year = data_.models().Register(Model(), nlohmann::json{{"state", 1}}).model;
  ModelRecord day_record = Model();
  day_record.horizon = Horizon::kDay;
  const ModelRecord day = data_.models().Register(day_record, nlohmann::json{{"state", 2}}).model;
  ASSERT_EQ(data_.models().List(std::nullopt, 10).size(), 2u);
  EXPECT_EQ(data_.models().List(std::nullopt, 10)[0].id, day.id);  // newest first
  ASSERT_EQ(data_.models().List(Horizon::kYear, 10).size(), 1u);
  EXPECT_EQ(data_.models().List(Horizon::kYear, 10)[0].id, year.id);
  EXPECT_EQ(data_.models().List(Horizon::kDay, 10)[0].id, day.id);
  const auto found = data_.models().FindByVersion(year.version.substr(0, 6));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, year.id);
  EXPECT_EQ(data_.models().Find(day.id)->horizon, "day");
}

TEST_F(DataControllerTest, LoadAliasedModelFollowsTheDecisions) {
  const ModelRecord first = data_.models().Register(Model(), nlohmann::json{{"state", 1}}).model;
  const ModelRecord second = data_.models().Register(Model(), nlohmann::json{{"state", 2}}).model;
  EXPECT_EQ(data_.models().LoadAliased(Horizon::kYear, "champion"), std::nullopt);

  ModelDecision promote;
  promote.horizon = Horizon::kYear;
  promote.action = DecisionAction::kGate;
  promote.outcome = DecisionOutcome::kPromoted;
  promote.candidate_id = first.id;
  AliasChange crown;
  crown.champion = first.id;
  const int64_t promoted = data_.models().RecordDecision(promote, crown);
  ModelDecision reject = promote;
  reject.outcome = DecisionOutcome::kRejected;
  reject.candidate_id = second.id;
  reject.champion_id = first.id;
  AliasChange challenge;
  challenge.challenger = second.id;
  const int64_t rejected = data_.models().RecordDecision(reject, challenge);

  const auto champion = data_.models().LoadAliased(Horizon::kYear, "champion");
  ASSERT_TRUE(champion.has_value());
  EXPECT_EQ(champion->record.id, first.id);
  EXPECT_EQ(champion->artifact, (nlohmann::json{{"state", 1}}));
  EXPECT_EQ(data_.models().LoadAliased(Horizon::kYear, "challenger")->record.id, second.id);
  EXPECT_EQ(data_.models().LoadAliased(Horizon::kDay, "champion"), std::nullopt);
  EXPECT_EQ(data_.models().ListAliases(Horizon::kYear).size(), 2u);
  EXPECT_EQ(data_.models().ListAliases(std::nullopt).size(), 2u);
  EXPECT_TRUE(data_.models().ListAliases(Horizon::kDay).empty());
  const auto decisions = data_.models().ListDecisions(std::nullopt, 10);
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_EQ(decisions[0].id, rejected);
  EXPECT_EQ(decisions[1].id, promoted);
  EXPECT_EQ(data_.models().ListDecisions(Horizon::kYear, 1).size(), 1u);
  EXPECT_TRUE(data_.models().ListDecisions(Horizon::kDay, 10).empty());
}

TEST_F(DataControllerTest, ADecisionAboutAnUnknownModelNamesTheDatasetAndChangesNothing) {
  ModelDecision decision;
  decision.horizon = Horizon::kYear;
  decision.action = DecisionAction::kManual;
  decision.outcome = DecisionOutcome::kPromoted;
  decision.candidate_id = 424242;
  AliasChange crown;
  crown.champion = 424242;
  try {
    data_.models().RecordDecision(decision, crown);
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "dataset 'models'", std::string(e.what()));
  }
  EXPECT_TRUE(data_.models().ListAliases(std::nullopt).empty());
  EXPECT_TRUE(data_.models().ListDecisions(std::nullopt, 10).empty());
}

TEST_F(DataControllerTest, RunsRecordTheirInputsAndModel) {
  RunRecord run = TrainRun();
  run.config = "models: {}\n";
  run.config_hash = Sha256Hex(run.config);
  const int64_t run_id = data_.runs().Begin(run);
  const ModelRecord model = data_.models().Register(Model(), nlohmann::json{{"state", 1}}).model;
  data_.runs().SetInputs(run_id, {{"actuals/2021.csv", "ab"}, {"actuals/2020.csv", "cd"}});
  data_.runs().SetModel(run_id, model.id);
  const auto stored = data_.runs().Find(run_id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->config_hash, run.config_hash);
  // A JSON object, keys in order.
  EXPECT_EQ(stored->inputs, R"({"actuals/2020.csv":"cd","actuals/2021.csv":"ab"})");
  EXPECT_EQ(nlohmann::json::parse(stored->inputs)["actuals/2021.csv"], "ab");
  EXPECT_EQ(stored->model_id, model.id);
  EXPECT_EQ(data_.runs().Find(run_id + 100), std::nullopt);
  try {
    data_.runs().SetModel(run_id, model.id + 100);
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "dataset 'runs'", std::string(e.what()));
  }
}

TEST_F(DataControllerTest, ReadInputFileRejectsADirectoryNamingThePath) {
  try {
    data_.ReadInputFile(dir_.path());
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, dir_.path().string(), std::string(e.what()));
  }
}

TEST_F(DataControllerTest, ReadInputFileReadsTheBundledData) {
  const std::string bytes = data_.ReadInputFile(testing::BundledData());
  EXPECT_TRUE(bytes.starts_with("Date,Load\n"));
}

TEST_F(DataControllerTest, WriteExportWritesIntoAnExistingFolderAndCreatesNone) {
  std::filesystem::create_directories(dir_ / "out");
  data_.WriteExport(dir_ / "out/forecast.csv", "date,forecast\n");
  EXPECT_EQ(Slurp(dir_ / "out/forecast.csv"), "date,forecast\n");
  EXPECT_THROW(data_.WriteExport(dir_ / "out/sub/forecast.csv", "x"), UsageError);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out/sub"));
}

TEST_F(DataControllerTest, WriteExportFailureNamesTheExport) {
  // A name the check accepts but whose temporary file's name is too long to create.
  const auto target = dir_ / (std::string(250, 'f') + ".csv");
  try {
    data_.WriteExport(target, "x");
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "dataset 'export " + target.string() + "'",
                        std::string(e.what()));
  }
}

TEST_F(DataControllerTest, BacktestsRoundTripAndTheLatestAreByHorizon) {
  RunRecord run = TrainRun();
  run.command = "backtest";
  const int64_t run_id = data_.runs().Begin(run);
  BacktestRow row;
  row.target_year = 2020;
  row.horizon = Horizon::kDay;
  row.days = 366;
  row.mape = 2.5;
  data_.scores().SaveBacktest(run_id, {row});
  data_.runs().Finish(run_id, RunStatus::kSucceeded, "");
  ASSERT_EQ(data_.scores().ListBacktests(run_id).size(), 1u);
  EXPECT_EQ(data_.scores().ListBacktests(run_id)[0].days, 366);
  ASSERT_EQ(data_.scores().LatestBacktests(Horizon::kDay).size(), 1u);
  EXPECT_EQ(data_.scores().LatestBacktests(Horizon::kDay)[0].run_id, run_id);
  EXPECT_TRUE(data_.scores().LatestBacktests(Horizon::kYear).empty());
}

TEST_F(DataControllerTest, SaveBacktestFailureNamesTheDataset) {
  BacktestRow row;
  row.target_year = 2020;
  row.horizon = Horizon::kYear;
  try {
    data_.scores().SaveBacktest(424242, {row});  // no such run
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "dataset 'scores'", std::string(e.what()));
  }
}

/// A notifier that records what it is handed, and fails when told to.
class RecordingNotifier final : public AlertNotifier {
 public:
  explicit RecordingNotifier(std::vector<AlertRecord>& sent, bool fail = false)
      : sent_(sent), fail_(fail) {}
  void Notify(const AlertRecord& alert) override {
    sent_.push_back(alert);
    if (fail_) throw StorageError("webhook http://example.invalid/hook: Connection");
  }
  std::string location() const override { return "test"; }

 private:
  std::vector<AlertRecord>& sent_;
  bool fail_;
};

class DataControllerAlertsTest : public ::testing::Test {
 protected:
  /// A controller over the test folder's backends with a recording notifier.
  std::unique_ptr<DataController> Controller(bool failing_notifier = false) {
    return std::make_unique<DataController>(
        OpenObjectStore(config_), OpenDatabase(config_),
        std::make_unique<RecordingNotifier>(sent_, failing_notifier));
  }
  static AlertRecord Alert(std::string severity, std::string code) {
    AlertRecord a;
    a.severity = ParseName<AlertSeverity>(severity);
    a.source = AlertSource::kDrift;
    a.code = std::move(code);
    a.message = "the load moved";
    a.period_start = testing::Day("2021-03-01");
    a.period_end = testing::Day("2021-03-28");
    return a;
  }

  TempDir dir_;
  Config config_ = DefaultConfig(dir_.path());
  std::vector<AlertRecord> sent_;
};

TEST_F(DataControllerAlertsTest, NotifiesNewWarningAndCriticalAlertsOnly) {
  auto data = Controller();
  const auto warning = data->alerts().Add(Alert("warning", "drift_window"));
  const auto critical = data->alerts().Add(Alert("critical", "drift_critical"));
  const auto info = data->alerts().Add(Alert("info", "drift_note"));
  ASSERT_TRUE(warning && critical && info);
  ASSERT_EQ(sent_.size(), 2u);
  // The notifier gets the alert as stored: id, time and fingerprint filled in.
  EXPECT_EQ(sent_[0].id, *warning);
  EXPECT_EQ(sent_[0].code, "drift_window");
  EXPECT_FALSE(sent_[0].created_at.empty());
  EXPECT_EQ(sent_[0].fingerprint, AlertFingerprint(Alert("warning", "drift_window")));
  EXPECT_EQ(sent_[1].id, *critical);
  const auto stored = data->alerts().List(10);
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[1].created_at, sent_[1].created_at);
  EXPECT_EQ(stored[1].fingerprint, sent_[1].fingerprint);
}

TEST_F(DataControllerAlertsTest, DoesNotNotifyAnAlertAlreadyOnRecord) {
  auto data = Controller();
  ASSERT_TRUE(data->alerts().Add(Alert("critical", "drift_critical")).has_value());
  AlertRecord again = Alert("critical", "drift_critical");
  again.message = "the load moved, again";
  EXPECT_EQ(data->alerts().Add(again), std::nullopt);
  EXPECT_EQ(sent_.size(), 1u);
  EXPECT_EQ(data->alerts().List(10).size(), 1u);
}

TEST_F(DataControllerAlertsTest, AFailedDeliveryKeepsTheAlertAndDoesNotThrow) {
  auto data = Controller(/*failing_notifier=*/true);
  std::optional<int64_t> id;
  EXPECT_NO_THROW(id = data->alerts().Add(Alert("critical", "drift_critical")));
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(sent_.size(), 1u);
  ASSERT_EQ(data->alerts().List(10).size(), 1u);
  EXPECT_EQ(data->alerts().List(10)[0].id, *id);
}

TEST_F(DataControllerAlertsTest, WithoutANotifierAlertsAreStoredOnly) {
  DataController data(OpenObjectStore(config_), OpenDatabase(config_));
  EXPECT_TRUE(data.alerts().Add(Alert("critical", "drift_critical")).has_value());
  EXPECT_EQ(data.alerts().List(10).size(), 1u);
}

TEST_F(DataControllerAlertsTest, FiltersAndAcknowledgesAlerts) {
  auto data = Controller();
  const int64_t warning = *data->alerts().Add(Alert("warning", "drift_window"));
  const int64_t critical = *data->alerts().Add(Alert("critical", "drift_critical"));
  AlertFilter filter;
  filter.severities = {AlertSeverity::kCritical};
  ASSERT_EQ(data->alerts().List(filter).size(), 1u);
  EXPECT_EQ(data->alerts().List(filter)[0].id, critical);
  EXPECT_FALSE(data->alerts().Acknowledge(warning)->already_acknowledged);
  EXPECT_TRUE(data->alerts().Acknowledge(warning)->already_acknowledged);
  EXPECT_EQ(data->alerts().Acknowledge(critical + 100), std::nullopt);
  filter = {};
  filter.acknowledged = false;
  ASSERT_EQ(data->alerts().List(filter).size(), 1u);
  EXPECT_EQ(data->alerts().List(filter)[0].id, critical);
}

TEST_F(DataControllerAlertsTest, AnAlertFailureNamesTheDataset) {
  auto data = Controller();
  try {
    AlertRecord alert = Alert("warning", "x");
    alert.run_id = 424242;  // no such run
    data->alerts().Add(alert);
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "dataset 'alerts'", std::string(e.what()));
  }
  EXPECT_TRUE(sent_.empty());
}

}  // namespace
}  // namespace loadcast
