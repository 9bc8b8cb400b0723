// The day-ahead model: the calendar expectation corrected by an autoregression on recent log
// deviations from it (yesterday, two days ago, a week ago, the last week's mean, the latest
// ordinary days). Trained once on the years before the target; each day is forecast from actuals
// up to the day before.
#pragma once

#include <array>

#include "model/calendar_regression.hpp"

namespace loadcast {

class CalendarAr final : public Forecaster {
 public:
  static constexpr std::string_view kKind = "calendar_ar";
  // intercept, e(t-1), e(t-2), e(t-7), e(t-14), mean e(t-1..t-7), mean e(t-1..t-28), and e(t-1)
  // again when yesterday was a holiday or in the Christmas season (it says less about today), and
  // again on Mondays and on Sundays; the deviation of the latest ordinary working day, and of the
  // latest ordinary day of today's kind (working day or weekend).
  static constexpr std::size_t kTerms = 12;

  CalendarAr(const CommonModelParams& common, const CalendarArParams& params);
  std::string_view kind() const override { return kKind; }
  void Fit(const Frame& training) override;
  Forecast Predict(const Frame& targets, const TimeSeries& known) const override;
  std::vector<std::string> Features() const override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

 private:
  /// Regressors for the day at `date`, from deviations known strictly before it; false when
  /// yesterday's actual is unknown.
  bool Regressors(Date date, const TimeSeries& deviations, std::array<double, kTerms>& x) const;
  /// Log deviations of the known actuals from the calendar expectation. With `as_forecast`, each
  /// training day is compared with the level of the year before it, so that the deviations the
  /// autoregression learns from carry level errors like those it meets when forecasting.
  TimeSeries Deviations(const TimeSeries& known, Date from, Date to, bool as_forecast) const;

  CalendarArParams params_;
  double interval_coverage_;
  CalendarRegression base_;
  std::array<double, kTerms> phi_{};
  double lower_residual_ = 0.0;
  double upper_residual_ = 0.0;
};

}  // namespace loadcast
