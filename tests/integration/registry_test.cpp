// End-to-end tests of the model registry: the promotion gate, the champion predict uses,
// rollback, reproducible re-runs, and the config and input hashes each run records.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/hash.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"
#include "support/workspace_backends.hpp"

namespace loadcast {
namespace {

namespace fs = std::filesystem;
using testing::BundledData;
using testing::CountWorkspaceRows;
using testing::Json;
using testing::Loadcast;
using testing::ObjectBytes;
using testing::Slurp;
using testing::TempDir;
using testing::WorkspaceBucket;
using Result = testing::CliResult;
using Args = std::vector<std::string>;

// A year model that forecasts each day as the same weekday a year earlier: a weak first champion.
constexpr const char* kNaiveConfig = "models:\n  year:\n    kind: seasonal_naive\n";
// The calendar model without its yearly seasonality, on two years: worse than the default.
constexpr const char* kWeakConfig =
    "models:\n  year:\n    fourier_order: 0\n    training_years: 2\n";

/// A folder with the bundled data ingested, and the commands the tests run in it.
class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Result r = Loadcast(dir_.path(), {"ingest", BundledData().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  Result Run(const Args& args) { return Loadcast(dir_.path(), args); }
  /// The command with --json, under the config `config` (a file name under the folder) if given.
  nlohmann::json RunJson(Args args, const std::string& config = "") {
    args.push_back("--json");
    if (!config.empty()) args.insert(args.begin(), {"--config", (dir_ / config).string()});
    return Json(Run(args));
  }

  nlohmann::json Models() { return RunJson({"models", "list"}); }

  /// The id of the model holding `alias` for the year horizon, per `models list`; 0 when none.
  int64_t Aliased(const std::string& alias) {
    for (const auto& m : Models()) {
      if (m["horizon"] != "year") continue;
      for (const auto& a : m["aliases"]) {
        if (a == alias) return m["id"].get<int64_t>();
      }
    }
    return 0;
  }

  /// The id of the model `predict` forecast 2021 with.
  int64_t PredictedWith() {
    return RunJson({"predict", "--target-year", "2021"})["model"]["id"].get<int64_t>();
  }

  TempDir dir_;
};

TEST_F(RegistryTest, GatePromotesOnlyABetterCandidateAndPredictUsesTheChampion) {
  dir_.Write("naive.yaml", kNaiveConfig);
  dir_.Write("weak.yaml", kWeakConfig);

  // The first model becomes champion whatever it is worth.
  const nlohmann::json first = RunJson({"train", "--target-year", "2021"}, "naive.yaml");
  const int64_t naive = first["trained"]["id"];
  EXPECT_TRUE(first["trained"]["new"].get<bool>());
  EXPECT_EQ(first["trained"]["kind"], "seasonal_naive");
  EXPECT_EQ(first["gate"]["outcome"], "promoted");
  EXPECT_TRUE(first["gate"]["recorded"].get<bool>());
  EXPECT_EQ(Aliased("champion"), naive);
  EXPECT_EQ(PredictedWith(), naive);

  // The default model beats it on the same validation backtest and takes over.
  const nlohmann::json better = RunJson({"train", "--target-year", "2021"});
  const int64_t good = better["trained"]["id"];
  const nlohmann::json& promoted = better["gate"];
  EXPECT_EQ(promoted["outcome"], "promoted") << promoted;
  EXPECT_EQ(promoted["action"], "gate");
  EXPECT_EQ(promoted["candidate_id"], good);
  EXPECT_EQ(promoted["champion_id"], naive);
  EXPECT_EQ(promoted["metric"], "mape");
  ASSERT_TRUE(promoted["candidate_value"].is_number() && promoted["champion_value"].is_number());
  EXPECT_LT(promoted["candidate_value"].get<double>(), promoted["champion_value"].get<double>());
  EXPECT_GE(promoted["improvement"].get<double>(), promoted["min_improvement"].get<double>());
  EXPECT_EQ(Aliased("champion"), good);
  EXPECT_EQ(PredictedWith(), good);

  // A weaker candidate is recorded as rejected, with both figures, and waits as challenger.
  const nlohmann::json worse = RunJson({"train", "--target-year", "2021"}, "weak.yaml");
  const int64_t weak = worse["trained"]["id"];
  const nlohmann::json& rejected = worse["gate"];
  EXPECT_EQ(rejected["outcome"], "rejected") << rejected;
  EXPECT_EQ(rejected["champion_id"], good);
  ASSERT_TRUE(rejected["candidate_value"].is_number() && rejected["champion_value"].is_number());
  EXPECT_GT(rejected["candidate_value"].get<double>(), rejected["champion_value"].get<double>());
  EXPECT_EQ(Aliased("champion"), good);
  EXPECT_EQ(Aliased("challenger"), weak);
  EXPECT_EQ(PredictedWith(), good);

  const nlohmann::json decisions = RunJson({"models", "decisions", "--horizon", "year"});
  ASSERT_EQ(decisions.size(), 3u);  // newest first
  EXPECT_EQ(decisions[0]["outcome"], "rejected");
  EXPECT_EQ(decisions[0]["candidate_id"], weak);
  EXPECT_EQ(decisions[1]["outcome"], "promoted");
  EXPECT_EQ(decisions[2]["outcome"], "promoted");

  // The champion's record, its artifact's metadata and the decisions about it.
  const nlohmann::json shown = RunJson({"models", "show", std::to_string(good)});
  EXPECT_EQ(shown["model"]["id"], good);
  EXPECT_EQ(shown["model"]["aliases"], nlohmann::json::array({"champion"}));
  EXPECT_FALSE(shown["artifact"].contains("state"));
  EXPECT_EQ(shown["artifact"]["validation"]["years"], nlohmann::json::array({2018, 2019, 2020}));
  EXPECT_TRUE(shown["artifact"]["inputs"].contains("actuals/2020.csv"));
  EXPECT_EQ(shown["decisions"].size(), 2u);  // promoted as candidate, defended as champion
  const Result text = Run({"models"});       // the default: the list as a table
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("champion"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("v3"), std::string::npos) << text.out;

  // A rollback needs a reason, returns to the previous champion, and goes no further back.
  const Result no_reason = Run({"models", "rollback", "--horizon", "year"});
  EXPECT_EQ(no_reason.exit_code, 2);
  EXPECT_NE(no_reason.err.find("--reason"), std::string::npos) << no_reason.err;
  const nlohmann::json rollback =
      RunJson({"models", "rollback", "--horizon", "year", "--reason", "2021 forecasts too high"});
  EXPECT_EQ(rollback["decision"]["outcome"], "rolled_back");
  EXPECT_EQ(rollback["decision"]["reason"], "2021 forecasts too high");
  EXPECT_EQ(rollback["champion"]["id"], naive);
  EXPECT_EQ(Aliased("champion"), naive);
  EXPECT_EQ(PredictedWith(), naive);
  const Result further = Run({"models", "rollback", "--horizon", "year", "--reason", "again"});
  EXPECT_EQ(further.exit_code, 2) << further.err;
  EXPECT_EQ(Aliased("champion"), naive);

  // Promoting by hand is recorded too.
  const nlohmann::json manual = RunJson({"models", "promote", std::to_string(good)});
  EXPECT_EQ(manual["decision"]["action"], "manual");
  EXPECT_EQ(Aliased("champion"), good);
}

TEST_F(RegistryTest, RollbackWithoutAnEarlierChampionIsAUsageError) {
  EXPECT_EQ(Run({"models", "rollback", "--horizon", "year", "--reason", "none yet"}).exit_code, 2);
  ASSERT_EQ(Run({"train", "--target-year", "2021"}).exit_code, 0);
  const Result r = Run({"models", "rollback", "--horizon", "year", "--reason", "only one"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no earlier champion"), std::string::npos) << r.err;
}

TEST_F(RegistryTest, IdenticalRunsRegisterOneVersionAndPublishOneForecastWhateverTheJobs) {
  // One thread, then two: the model, its calibration and validation are the same to the digit.
  const nlohmann::json first =
      RunJson({"--jobs", "1", "run", "--target-year", "2021", "--out", "a.csv"});
  EXPECT_TRUE(first["unchanged_since"].is_null());
  const std::size_t models = Models().size();
  const int forecasts = CountWorkspaceRows(dir_.path(), "forecasts");
  const std::size_t decisions = RunJson({"models", "decisions"}).size();
  EXPECT_EQ(models, 1u);
  EXPECT_EQ(forecasts, 365);

  const nlohmann::json second =
      RunJson({"--jobs", "2", "run", "--target-year", "2021", "--out", "b.csv"});
  EXPECT_EQ(second["trained"]["id"], first["trained"]["id"]);
  EXPECT_EQ(second["trained"]["version"], first["trained"]["version"]);
  EXPECT_FALSE(second["trained"]["new"].get<bool>());
  EXPECT_FALSE(second["gate"]["recorded"].get<bool>());
  EXPECT_EQ(second["unchanged_since"], first["run_id"]);
  EXPECT_EQ(second["model"]["id"], first["model"]["id"]);

  EXPECT_EQ(Slurp(dir_ / "b.csv"), Slurp(dir_ / "a.csv"));
  EXPECT_EQ(Models().size(), models);
  EXPECT_EQ(CountWorkspaceRows(dir_.path(), "forecasts"), forecasts);
  EXPECT_EQ(RunJson({"models", "decisions"}).size(), decisions);
  const Result text = Run({"run", "--target-year", "2021"});
  EXPECT_NE(text.out.find("forecast unchanged since run"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("already registered"), std::string::npos) << text.out;
}

TEST_F(RegistryTest, RunsRecordTheirConfigAndInputHashesAndChangedDataRefreshesTheModel) {
  const nlohmann::json first = RunJson({"run", "--target-year", "2021"});
  const std::string run_id = std::to_string(first["run_id"].get<int>());
  const nlohmann::json shown = RunJson({"runs", "show", run_id});
  const std::string config_hash = shown["config_hash"];
  EXPECT_FALSE(config_hash.empty());
  EXPECT_EQ(shown["model_id"], first["model"]["id"]);
  EXPECT_EQ(shown["model"]["id"], first["model"]["id"]);
  EXPECT_FALSE(shown["config"].get<std::string>().empty());
  const std::string old_2019 = shown["inputs"]["actuals/2019.csv"];
  EXPECT_EQ(old_2019, Sha256Hex(ObjectBytes(*WorkspaceBucket(dir_.path()), "actuals/2019.csv")));
  EXPECT_TRUE(shown["inputs"].contains("actuals/2021.csv"));  // the target year's, for predict
  EXPECT_EQ(RunJson({"runs"})[0]["config_hash"], config_hash);
  const Result text = Run({"runs", "show", run_id});
  EXPECT_NE(text.out.find(old_2019), std::string::npos) << text.out;

  // A setting outside the model changes the run's config hash, not the model.
  dir_.Write("stricter.yaml", "evaluation:\n  mape_warning: 5\n");
  const nlohmann::json stricter = RunJson({"run", "--target-year", "2021"}, "stricter.yaml");
  const nlohmann::json stricter_shown =
      RunJson({"runs", "show", std::to_string(stricter["run_id"].get<int>())});
  EXPECT_NE(stricter_shown["config_hash"], config_hash);
  EXPECT_EQ(stricter["trained"]["version"], first["trained"]["version"]);

  // One load of 2019 revised: the next run reads a different object, trains a new version of the
  // same specification, and the gate promotes it as a refresh.
  std::string csv = Slurp(BundledData());
  const std::string day = "\n2019-06-12,";
  const std::size_t at = csv.find(day);
  ASSERT_NE(at, std::string::npos);
  const std::size_t from = at + day.size();
  const std::size_t to = csv.find('\n', from);
  const double load = std::stod(csv.substr(from, to - from));
  csv.replace(from, to - from, std::to_string(load * 1.01));  // 1% more: within every limit
  const fs::path revised = dir_.Write("revised.csv", csv);
  const nlohmann::json ingested = RunJson({"ingest", revised.string()});
  EXPECT_EQ(ingested["years_stored"], nlohmann::json::array({2019}));

  const nlohmann::json refreshed = RunJson({"run", "--target-year", "2021"});
  const nlohmann::json refreshed_shown =
      RunJson({"runs", "show", std::to_string(refreshed["run_id"].get<int>())});
  EXPECT_NE(refreshed_shown["inputs"]["actuals/2019.csv"], old_2019);
  EXPECT_EQ(refreshed_shown["inputs"]["actuals/2018.csv"], shown["inputs"]["actuals/2018.csv"]);
  EXPECT_TRUE(refreshed["trained"]["new"].get<bool>());
  EXPECT_NE(refreshed["trained"]["version"], first["trained"]["version"]);
  EXPECT_EQ(refreshed["trained"]["spec_hash"], first["trained"]["spec_hash"]);
  EXPECT_EQ(refreshed["trained"]["number"], 2);
  EXPECT_EQ(refreshed["gate"]["outcome"], "promoted") << refreshed["gate"];
  EXPECT_TRUE(refreshed["gate"]["recorded"].get<bool>());
  EXPECT_NE(refreshed["gate"]["reason"].get<std::string>().find("refresh"), std::string::npos);
  EXPECT_EQ(refreshed["model"]["id"], refreshed["trained"]["id"]);
  EXPECT_EQ(Aliased("champion"), refreshed["trained"]["id"].get<int64_t>());
}

TEST_F(RegistryTest, PredictWithAChosenModelRefusesAYearTheModelHasSeen) {
  const nlohmann::json trained = RunJson({"train", "--target-year", "2021"});
  const int64_t id = trained["trained"]["id"];
  const std::string version = trained["trained"]["version"];

  const nlohmann::json by_id =
      RunJson({"predict", "--target-year", "2021", "--model", std::to_string(id)});
  EXPECT_EQ(by_id["model"]["id"], id);
  const nlohmann::json by_version =
      RunJson({"predict", "--target-year", "2021", "--model", version.substr(0, 8)});
  EXPECT_EQ(by_version["model"]["id"], id);

  const Result seen = Run({"predict", "--target-year", "2020", "--model", std::to_string(id)});
  EXPECT_EQ(seen.exit_code, 2);
  EXPECT_NE(seen.err.find("cannot forecast 2020"), std::string::npos) << seen.err;
  const Result unknown = Run({"predict", "--target-year", "2021", "--model", "999"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("models list"), std::string::npos) << unknown.err;
  // --model is predict's alone.
  EXPECT_EQ(Run({"run", "--target-year", "2021", "--model", "1"}).exit_code, 2);
}

}  // namespace
}  // namespace loadcast
