// The monitor on the real data: the spring 2020 lockdown is caught within days, and an ordinary
// year (2019) raises nothing critical.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::BundledData;
using testing::Json;
using testing::Loadcast;
using testing::TempDir;

class MonitorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ASSERT_EQ(Loadcast(dir_->path(), {"ingest", BundledData().string()}).exit_code, 0);
    for (const char* year : {"2019", "2020"}) {
      for (const char* horizon : {"year", "day"}) {
        ASSERT_EQ(
            Loadcast(dir_->path(), {"run", "--target-year", year, "--horizon", horizon}).exit_code,
            0);
      }
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static nlohmann::json Monitor(const std::string& year, const std::string& as_of) {
    return Json(
        Loadcast(dir_->path(), {"monitor", "--target-year", year, "--as-of", as_of, "--json"}));
  }

  static TempDir* dir_;
};

TempDir* MonitorTest::dir_ = nullptr;

bool InMarch2020(const nlohmann::json& alert) {
  return alert["period_end"].get<std::string>() >= "2020-03-01" &&
         alert["period_start"].get<std::string>() <= "2020-03-31";
}

TEST_F(MonitorTest, LockdownOfMarch2020RaisesCriticalPerformanceAndDriftAlertsWithinDays) {
  const nlohmann::json report = Monitor("2020", "2020-03-31");
  ASSERT_FALSE(report["alerts"].empty());
  bool performance = false;
  bool drift = false;
  for (const auto& alert : report["alerts"]) {
    if (alert["severity"] != "critical" || !InMarch2020(alert)) continue;
    performance = performance || alert["source"] == "performance";
    drift = drift || alert["source"] == "drift";
  }
  EXPECT_TRUE(performance) << report["alerts"].dump(2);
  EXPECT_TRUE(drift) << report["alerts"].dump(2);
  EXPECT_EQ(report["as_of"], "2020-03-31");
  // A monitor as of 22 March already sees both a drift and a performance episode.
  const nlohmann::json early = Monitor("2020", "2020-03-22");
  bool early_drift = false;
  bool early_performance = false;
  for (const auto& alert : early["alerts"]) {
    EXPECT_LE(alert["period_end"].get<std::string>(), "2020-03-22") << alert.dump(2);
    early_drift = early_drift || alert["code"] == "drift.window";
    early_performance = early_performance || alert["source"] == "performance";
  }
  EXPECT_TRUE(early_drift) << early["alerts"].dump(2);
  EXPECT_TRUE(early_performance) << early["alerts"].dump(2);
}

// A drift or performance episode is one alert, brought up to date night after night: monitoring
// the first half of 2020 every third night kept one alert per episode (before, the lockdown's
// drift alone raised 11 critical and 9 warning drift.window alerts, one per window), each naming
// the statistic that fired it.
TEST(MonitorEpisodes, NightlyMonitoringOfTheFirstHalfOf2020RaisesOneAlertPerEpisode) {
  TempDir dir;
  ASSERT_EQ(Loadcast(dir.path(), {"ingest", BundledData().string()}).exit_code, 0);
  for (const char* horizon : {"year", "day"}) {
    ASSERT_EQ(
        Loadcast(dir.path(), {"run", "--target-year", "2020", "--horizon", horizon}).exit_code, 0);
  }
  const Date last = *Date::ParseIso("2020-06-30");
  std::vector<Date> nights;
  for (Date d = *Date::ParseIso("2020-01-02"); d < last; d = d + 3) nights.push_back(d);
  nights.push_back(last);
  for (const Date d : nights) {
    ASSERT_EQ(
        Loadcast(dir.path(), {"monitor", "--target-year", "2020", "--as-of", d.ToIso()}).exit_code,
        0)
        << d.ToIso();
  }
  const nlohmann::json alerts =
      Json(Loadcast(dir.path(), {"alerts", "--target-year", "2020", "--limit", "1000", "--json"}));
  int critical_drift = 0;
  std::map<std::string, int> performance;  // by horizon
  for (const auto& a : alerts) {
    if (a["source"] == "drift" || a["source"] == "performance") {
      EXPECT_TRUE(a["episode"] == "open" || a["episode"] == "closed") << a.dump(2);
      EXPECT_FALSE(a["statistic"].is_null()) << a.dump(2);
    }
    if (a["code"] == "drift.window") {
      critical_drift += a["severity"] == "critical";
      const std::string statistic = a["statistic"];
      EXPECT_TRUE((std::set<std::string>{"mean_shift", "psi", "wasserstein"}.contains(statistic)))
          << a.dump(2);
      // The message says the worst window's figure of the statistic that fired the alert.
      const std::map<std::string, std::string> label = {
          {"mean_shift", "mean shift"}, {"psi", "PSI"}, {"wasserstein", "Wasserstein"}};
      EXPECT_NE(a["message"].get<std::string>().find(label.at(statistic) + " "), std::string::npos)
          << a.dump(2);
    }
    if (a["source"] == "performance") ++performance[a["horizon"].get<std::string>()];
  }
  EXPECT_GE(critical_drift, 1) << alerts.dump(2);
  EXPECT_LE(critical_drift, 2) << alerts.dump(2);
  EXPECT_GE(performance["year"], 1) << alerts.dump(2);
  EXPECT_LE(performance["year"], 2) << alerts.dump(2);
  EXPECT_LE(performance["day"], 2) << alerts.dump(2);

  // Filtered by the period they cover and by whether they go on.
  const nlohmann::json june = Json(Loadcast(
      dir.path(), {"alerts", "--covering", "2020-06-01..", "--open", "--limit", "1000", "--json"}));
  ASSERT_FALSE(june.empty());
  for (const auto& a : june) {
    EXPECT_GE(a["period_end"].get<std::string>(), "2020-06-01") << a.dump(2);
    EXPECT_EQ(a["episode"], "open") << a.dump(2);
  }
  const nlohmann::json january =
      Json(Loadcast(dir.path(), {"alerts", "--covering", "..2020-01-31", "--json"}));
  for (const auto& a : january) EXPECT_LE(a["period_start"].get<std::string>(), "2020-01-31");
  const auto bad = Loadcast(dir.path(), {"alerts", "--covering", "2020-06-01..2020-05-01"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("2020-06-01..2020-05-01"), std::string::npos) << bad.err;
}

TEST_F(MonitorTest, AnOrdinaryYearRaisesNoCriticalAlert) {
  const nlohmann::json report = Monitor("2019", "2019-12-31");
  for (const auto& alert : report["alerts"]) {
    EXPECT_NE(alert["severity"], "critical") << alert.dump(2);
  }
  // Every window of the year was looked at, against ten reference years.
  EXPECT_GE(report["drift"]["windows"].size(), 45u);
  EXPECT_EQ(report["drift"]["reference_years"].size(), 10u);
  for (const auto& horizon : report["performance"]) EXPECT_TRUE(horizon["published"].get<bool>());
}

TEST_F(MonitorTest, ReportsEveryStatisticAndThresholdOfEachWindow) {
  const nlohmann::json report = Monitor("2020", "2020-03-31");
  for (const char* key : {"ks_p_value", "mean_shift_warning", "mean_shift_critical", "psi_warning",
                          "wasserstein_warning", "share_warning"}) {
    EXPECT_TRUE(report["drift"]["thresholds"].contains(key)) << key;
  }
  for (const auto& w : report["drift"]["windows"]) {
    for (const char* key : {"start", "end", "days", "mean_shift_percent", "psi", "ks_statistic",
                            "ks_p_value", "wasserstein", "status", "reason"}) {
      EXPECT_FALSE(w[key].is_null()) << key << ": " << w.dump();
    }
    EXPECT_EQ(w["scope"], "drift");
    EXPECT_GT(w["days"].get<int>(), 0);
    EXPECT_LE(w["days"].get<int>(), report["drift"]["window_days"].get<int>());
    EXPECT_GT(w["reference_days"].get<int>(), w["days"].get<int>());
    EXPECT_LE(w["end"].get<std::string>(), "2020-03-31");
  }
  for (const auto& horizon : report["performance"]) {
    EXPECT_GT(horizon["thresholds"]["rolling_critical"].get<double>(),
              horizon["thresholds"]["rolling_warning"].get<double>());
    ASSERT_FALSE(horizon["windows"].empty());
    for (const auto& w : horizon["windows"]) {
      EXPECT_LE(w["end"].get<std::string>(), "2020-03-31");
      EXPECT_EQ(w["horizon"], horizon["horizon"]);
      EXPECT_TRUE(w["mape"].is_number()) << w.dump();
      EXPECT_TRUE(w["mean_shift_percent"].is_null()) << w.dump();
    }
  }
  // The alerts as stored: each with its id and fingerprint.
  for (const auto& alert : report["alerts"]) {
    EXPECT_GT(alert["id"].get<int64_t>(), 0) << alert.dump();
    EXPECT_EQ(alert["fingerprint"].get<std::string>().size(), 64u) << alert.dump();
  }
}

TEST_F(MonitorTest, RerunningOnTheSameDataAddsNoAlert) {
  const nlohmann::json first = Monitor("2020", "2020-03-15");
  const nlohmann::json again = Monitor("2020", "2020-03-15");
  EXPECT_EQ(again["alerts"].size(), first["alerts"].size());
  EXPECT_EQ(again["new_alerts"], 0);
}

TEST_F(MonitorTest, AsOfOutsideTheTargetYearIsAUsageError) {
  const auto r =
      Loadcast(dir_->path(), {"monitor", "--target-year", "2020", "--as-of", "2021-01-10"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("2021-01-10"), std::string::npos) << r.err;
  const auto bad = Loadcast(dir_->path(), {"monitor", "--target-year", "2020", "--as-of", "soon"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
}

TEST_F(MonitorTest, PrintsTheDriftTableAndTheAlerts) {
  const auto r =
      Loadcast(dir_->path(), {"monitor", "--target-year", "2020", "--as-of", "2020-03-31"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("drift share"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("performance.rolling_mape"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("drift.window"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace loadcast
