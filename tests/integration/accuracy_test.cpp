// Accuracy regression tests: the real binary with the shipped defaults on the bundled data.
// Every figure is deterministic, so the thresholds guard the backtested accuracy against
// regressions (docs/models.md records the figures and how the defaults were chosen).
#include <gtest/gtest.h>

#include <map>

#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::BundledData;
using testing::Json;
using testing::Loadcast;
using testing::Slurp;
using testing::TempDir;

class AccuracyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ASSERT_EQ(Loadcast(dir_->path(), {"ingest", BundledData().string()}).exit_code, 0);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  /// The yearly scores of `run` for a target year and horizon, from the exported forecast.
  static nlohmann::json Run(int year, const std::string& horizon) {
    return Json(Loadcast(dir_->path(), {"run", "--target-year", std::to_string(year), "--horizon",
                                        horizon, "--json"}))["evaluation"]["year"];
  }

  static TempDir* dir_;
};

TempDir* AccuracyTest::dir_ = nullptr;

// Backtested MAPE (percent) of the shipped defaults, with a small margin.
const std::map<std::pair<int, std::string>, double> kMaxMape = {
    {{2019, "year"}, 3.62}, {{2020, "year"}, 7.75}, {{2021, "year"}, 2.87},
    {{2019, "day"}, 2.10},  {{2020, "day"}, 2.33},  {{2021, "day"}, 1.97},
};

TEST_F(AccuracyTest, MapeOfTheTestYearsStaysAtItsBacktestedLevel) {
  for (const auto& [key, limit] : kMaxMape) {
    const nlohmann::json scores = Run(key.first, key.second);
    EXPECT_LE(scores["mape"].get<double>(), limit) << key.first << " " << key.second;
  }
}

TEST_F(AccuracyTest, BothHorizonsBeatTheSeasonalNaiveInEveryYearFrom2012To2021) {
  for (const std::string horizon : {"year", "day"}) {
    const nlohmann::json backtest =
        Json(Loadcast(dir_->path(), {"backtest", "--from", "2012", "--to", "2021", "--horizon",
                                     horizon, "--json"}));
    ASSERT_EQ(backtest["years"].size(), 10u);
    for (const auto& year : backtest["years"]) {
      EXPECT_LT(year["mape"].get<double>(), year["naive_mape"].get<double>())
          << horizon << " " << year["target_year"];
    }
  }
}

TEST_F(AccuracyTest, SameDataAndConfigGiveTheSameForecastToTheLastDigit) {
  TempDir other;
  ASSERT_EQ(Loadcast(other.path(), {"ingest", BundledData().string()}).exit_code, 0);
  for (const std::string horizon : {"year", "day"}) {
    const std::vector<std::string> args = {"run",   "--target-year", "2021", "--horizon",
                                           horizon, "--out",         "f.csv"};
    ASSERT_EQ(Loadcast(dir_->path(), args).exit_code, 0);
    ASSERT_EQ(Loadcast(other.path(), args).exit_code, 0);
    EXPECT_EQ(Slurp(dir_->path() / "f.csv"), Slurp(other.path() / "f.csv")) << horizon;
  }
}

}  // namespace
}  // namespace loadcast
