// Prediction intervals calibrated out of sample. A model's own interval comes from its in-sample
// residuals, which understate the error of forecasting a year it has not seen (level shifts,
// unusual years); here the interval is the empirical quantiles of log(actual / forecast) that
// rolling-origin backtests of the years just before the target produced (split conformal), by
// horizon and by day type, because holidays and weekends are forecast less accurately.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/config.hpp"
#include "core/vocabulary.hpp"
#include "model/forecaster.hpp"
#include "model/kinds.hpp"
#include "pipeline/enricher.hpp"

namespace loadcast {

enum class DayType { kWorkday, kSaturday, kSundayOrHoliday };
inline constexpr std::size_t kDayTypeCount = 3;
constexpr Names VocabularyOf(DayType) {
  return {"day type", {"workday", "saturday", "sunday_or_holiday"}};
}
/// The name of a day type, as calibrations store their groups: "workday", "saturday",
/// "sunday_or_holiday".
constexpr std::string_view DayTypeName(DayType type) { return NameOf(type); }
/// Workday: Monday to Friday, not a public holiday; a holiday on a Saturday counts as a holiday.
DayType DayTypeOf(const CalendarDay& day);

/// Fewer residuals than this in a day type, and the day type uses the quantiles of all days.
inline constexpr std::size_t kMinGroupResiduals = 30;

/// Log-ratio quantiles: a day's interval is [forecast * exp(lower), forecast * exp(upper)].
struct LogBounds {
  double lower = 0.0;
  double upper = 0.0;
  std::size_t residuals = 0;  // how many residuals the quantiles came from
  bool fallback = false;      // too few residuals of its own: these are the all-days bounds
};

struct IntervalCalibration {
  double coverage = 0.9;
  std::array<LogBounds, kDayTypeCount> groups;  // indexed by DayType
  LogBounds all;
  std::vector<int> years;  // the backtested years the residuals come from
  std::size_t residuals = 0;

  const LogBounds& bounds(DayType type) const { return groups[static_cast<std::size_t>(type)]; }
};

/// The calibration from log residuals log(actual / forecast) of the days `dates`: per day type and
/// for all days, the quantiles at (1 - coverage) / 2 and (1 + coverage) / 2, widened if need be to
/// contain 0 so that every interval contains its forecast.
IntervalCalibration CalibrationFromResiduals(const std::vector<Date>& dates,
                                             const std::vector<double>& log_residuals,
                                             double coverage, std::vector<int> years);

/// Out-of-sample errors of the model: the days of the backtested years and the log residuals
/// log(actual / forecast) there, in date order.
struct BacktestResiduals {
  std::vector<Date> dates;
  std::vector<double> log_residuals;
  std::vector<int> years;  // the years that gave residuals
};

/// One year of a rolling-origin backtest: the year's data as a run for it would see them, and
/// the forecast of a model fitted on the years before it (without calibrated intervals).
struct BacktestFold {
  int year = 0;
  EnrichedData enriched;
  Forecast forecast;
};

/// The folds a caller already backtested, for one that backtests many target years with the
/// same model settings and horizon (the backtester): a fold depends only on its year's slice of
/// the history, so each year is fitted once. A fold is reused only when the slice it was fitted
/// on equals, value for value, the one asked for.
class FoldCache {
 public:
  /// The fold of `year` fitted on `slice`, or null.
  const BacktestFold* Find(int year, const TimeSeries& slice) const;
  void Add(TimeSeries slice, const BacktestFold& fold);

 private:
  struct Entry {
    TimeSeries slice;
    BacktestFold fold;
  };
  std::map<int, Entry> folds_;
};

/// Backtests each of the `years` years before `target_year` on `history` that it holds enough
/// training data for (each fitted on the `params.common.training_years` years before it, at least
/// two, as a run would be) under the horizon's information set; by year. With a cache, folds fitted
/// before on the same data are taken from it and new ones added to it; the cache must only ever
/// see one model setting and horizon.
std::vector<BacktestFold> BacktestFolds(const TimeSeries& history, const ModelSpec& params,
                                        Horizon horizon, int target_year, int years,
                                        FoldCache* cache = nullptr);

/// The residuals of the folds of years at or after `from_year`.
BacktestResiduals FoldResiduals(const std::vector<BacktestFold>& folds, int from_year);

/// Backtests the `params.common.calibration_years` years before `target_year` on `history` (each
/// fitted on the `params.common.training_years` years before it, at least two, as a run would be)
/// under the horizon's information set. Empty when calibration is off or no year has enough
/// history.
BacktestResiduals BacktestYearsBefore(const TimeSeries& history, const ModelSpec& params,
                                      Horizon horizon, int target_year);

/// The calibration from residuals of backtests of the years before `target_year` (see
/// CalibrateIntervals); nullopt when there are none.
std::optional<IntervalCalibration> CalibrateFromResiduals(BacktestResiduals backtest,
                                                          const ModelSpec& params, Horizon horizon,
                                                          int target_year);

/// Backtests the `params.common.calibration_years` years before `target_year` on `history` (each
/// fitted on the `params.common.training_years` years before it, at least two, as a run would be)
/// under the horizon's information set, and calibrates from their residuals. nullopt when
/// calibration is off (calibration_years 0) or no year has enough history, and the model's
/// intervals stand.
std::optional<IntervalCalibration> CalibrateIntervals(const TimeSeries& history,
                                                      const ModelSpec& params, Horizon horizon,
                                                      int target_year);

/// Replaces the forecast's intervals with the calibrated ones.
void ApplyCalibration(const IntervalCalibration& calibration, Forecast& forecast);

nlohmann::json CalibrationToJson(const IntervalCalibration& calibration);
/// StorageError when the JSON is not a calibration.
IntervalCalibration CalibrationFromJson(const nlohmann::json& json);

}  // namespace loadcast
