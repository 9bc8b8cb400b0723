#include "model/calendar_regression.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/metrics.hpp"
#include "unit/model/model_test_data.hpp"

namespace loadcast {
namespace {

using testing::BundledSeries;
using testing::D;
using testing::SyntheticSeries;
using testing::YearStart;

CalendarRegressionParams Params(int fourier_order = 4, int epochs = 20) {
  return {.epochs = epochs, .fourier_order = fourier_order};
}

/// Largest absolute difference between fitted and true coefficients, by name, over the columns
/// that at least `min_days` days of the design's years set.
double MaxCoefficientError(const CalendarRegression& model, const CalendarDesign& design,
                           std::string* worst = nullptr, int min_days = 0) {
  const nlohmann::json fitted = model.SaveState().at("coefficients");
  const std::vector<double> truth = testing::TrueCoefficients(design);
  const std::vector<int> days = testing::ColumnDaysInSpan(design);
  double max_error = 0.0;
  for (std::size_t c = 0; c < truth.size(); ++c) {
    if (days[c] < min_days) continue;
    const double error = std::abs(fitted.at(design.names()[c]).get<double>() - truth[c]);
    if (error > max_error) {
      max_error = error;
      if (worst != nullptr) *worst = design.names()[c];
    }
  }
  return max_error;
}

TEST(CalendarRegression, HasItsKind) {
  EXPECT_EQ(CalendarRegression({}, Params()).kind(), "calendar_regression");
}

TEST(CalendarRegression, RecoversKnownCoefficientsFromNoiseFreeDataInOnePass) {
  // Data generated from the design itself: one least-squares pass must give back the generating
  // coefficients, up to the tiny ridge that keeps unused columns at zero.
  const TimeSeries series = SyntheticSeries(2015, 2018, 4);
  const Frame training = BuildFrame(series, YearStart(2015), YearStart(2019));
  CalendarRegression model({}, Params(4, /*epochs=*/1));
  model.Fit(training);
  std::string worst;
  EXPECT_LT(MaxCoefficientError(model, CalendarDesign(4, 2015, 2018), &worst), 2e-3) << worst;
  EXPECT_LT(model.residual_scale(), 1e-4);
  // In-sample expectations reproduce the data.
  for (std::size_t i = 0; i < training.size(); ++i) {
    ASSERT_NEAR(model.LogExpectation(training.days[i]), std::log(training.load[i]), 1e-3)
        << training.days[i].date.ToIso();
  }
}

TEST(CalendarRegression, RecoversKnownCoefficientsFromNearlyExactData) {
  // 0.1% noise with the full robust fit: near-exact recovery.
  const TimeSeries series = SyntheticSeries(2015, 2018, 4, /*noise=*/1e-3, /*seed=*/5);
  const Frame training = BuildFrame(series, YearStart(2015), YearStart(2019));
  CalendarRegression model({}, Params());
  model.Fit(training);
  std::string worst;
  EXPECT_LT(MaxCoefficientError(model, CalendarDesign(4, 2015, 2018), &worst), 3e-3) << worst;
  const TimeSeries truth = SyntheticSeries(2015, 2018, 4);
  for (std::size_t i = 0; i < training.size(); ++i) {
    ASSERT_NEAR(model.LogExpectation(training.days[i]), std::log(truth.at(training.days[i].date)),
                2e-3)
        << training.days[i].date.ToIso();
  }
}

TEST(CalendarRegression, RecoversKnownCoefficientsThroughNoise) {
  const TimeSeries series = SyntheticSeries(2013, 2018, 4, /*noise=*/0.04, /*seed=*/7);
  CalendarRegression model({}, Params());
  model.Fit(BuildFrame(series, YearStart(2013), YearStart(2019)));
  std::string worst;
  EXPECT_LT(MaxCoefficientError(model, CalendarDesign(4, 2013, 2018), &worst), 0.03) << worst;
  // The scale is 1.4826 times the median absolute residual; for uniform noise of width 0.04 the
  // median absolute value is 0.01.
  EXPECT_NEAR(model.residual_scale(), 1.4826 * 0.01, 0.002);
}

TEST(CalendarRegression, HuberFitResistsOutliersBetterThanOneLeastSquaresPass) {
  // A lockdown-like stretch (load 30% down for two months) and scattered bad days bend a plain
  // least-squares fit; the Huber reweighting should largely ignore them.
  TimeSeries series = SyntheticSeries(2014, 2017, 4, /*noise=*/0.02, /*seed=*/3);
  for (Date d = D("2016-03-10"); d < D("2016-05-10"); ++d) series.set(d, series.at(d) * 0.7);
  testing::Noise pick(11);
  for (Date d = YearStart(2014); d < YearStart(2018); ++d) {
    if (pick.Next() > 0.45) series.set(d, series.at(d) * 0.6);  // about 5% of days
  }
  const Frame training = BuildFrame(series, YearStart(2014), YearStart(2018));
  const CalendarDesign design(4, 2014, 2017);
  CalendarRegression huber({}, Params(4, 20));
  huber.Fit(training);
  CalendarRegression plain({}, Params(4, 1));  // one pass: ordinary least squares
  plain.Fit(training);
  // A Christmas day of one day type may occur only once or twice in four years: when one of those
  // days is an outlier no fit can tell, so the comparison covers the columns set on 8 days or more.
  constexpr int kMinDays = 8;
  std::string huber_worst;
  std::string plain_worst;
  const double huber_error = MaxCoefficientError(huber, design, &huber_worst, kMinDays);
  const double plain_error = MaxCoefficientError(plain, design, &plain_worst, kMinDays);
  EXPECT_LT(huber_error, 0.5 * plain_error) << huber_worst << " vs " << plain_worst;
  EXPECT_LT(huber_error, 0.05) << huber_worst;

  // The forecast of the following year is closer to the generating model's too.
  const Frame targets = BuildFrame({}, YearStart(2018), YearStart(2019));
  const std::vector<double> beta = testing::TrueCoefficients(design);
  std::vector<double> truth;
  for (const CalendarDay& day : targets.days) {
    truth.push_back(std::exp(testing::DesignLogLoad(design, beta, day, 1)));
  }
  const Scores huber_scores = Score(truth, huber.Predict(targets, {}).mean);
  const Scores plain_scores = Score(truth, plain.Predict(targets, {}).mean);
  EXPECT_LT(huber_scores.mape, plain_scores.mape);
}

TEST(CalendarRegression, ForecastsStartFromTheRecentLevel) {
  // With nearly exact data the year after training is predicted at the last year's level.
  const TimeSeries series = SyntheticSeries(2015, 2018, 2, /*noise=*/1e-3);
  CalendarRegression model({}, Params(2));
  model.Fit(BuildFrame(series, YearStart(2015), YearStart(2019)));
  const CalendarDesign design(2, 2015, 2018);
  const std::vector<double> beta = testing::TrueCoefficients(design);
  const Frame targets = BuildFrame(TimeSeries(), YearStart(2019), YearStart(2020));
  const Forecast forecast = model.Predict(targets, {});
  ASSERT_EQ(forecast.size(), targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    EXPECT_EQ(forecast.dates[i], targets.days[i].date);
    const double expected = testing::DesignLogLoad(design, beta, targets.days[i], 1);
    ASSERT_NEAR(std::log(forecast.mean[i]), expected, 2e-3) << forecast.dates[i].ToIso();
  }
}

TEST(CalendarRegression, IntervalsBracketTheMean) {
  const TimeSeries series = SyntheticSeries(2016, 2018, 4, 0.05, 5);
  CalendarRegression model({.interval_coverage = 0.8}, Params());
  model.Fit(BuildFrame(series, YearStart(2016), YearStart(2019)));
  const Forecast forecast =
      model.Predict(BuildFrame({}, YearStart(2019), YearStart(2019) + 30), {});
  ASSERT_EQ(forecast.size(), 30u);
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    EXPECT_LT(forecast.lower[i], forecast.mean[i]);
    EXPECT_GT(forecast.upper[i], forecast.mean[i]);
    // 80% of uniform noise of width 0.05: about +-0.02 in log units.
    EXPECT_NEAR(std::log(forecast.upper[i] / forecast.lower[i]), 0.04, 0.01);
  }
}

TEST(CalendarRegression, IgnoresMissingAndNonPositiveLoads) {
  TimeSeries series = SyntheticSeries(2016, 2018, 4, /*noise=*/1e-3);
  const TimeSeries clean = SyntheticSeries(2016, 2018, 4);
  for (Date d = D("2017-02-01"); d < D("2017-04-01"); ++d) series.set(d, kMissing);
  series.set(D("2017-06-01"), 0.0);
  series.set(D("2017-06-02"), -5.0);
  CalendarRegression model({}, Params());
  model.Fit(BuildFrame(series, YearStart(2016), YearStart(2019)));
  const Frame all = BuildFrame(clean, YearStart(2016), YearStart(2019));
  for (std::size_t i = 0; i < all.size(); ++i) {
    ASSERT_NEAR(model.LogExpectation(all.days[i]), std::log(all.load[i]), 2e-3)
        << all.days[i].date.ToIso();
  }
}

TEST(CalendarRegression, LevelColumnsSpanTheYearsWithData) {
  // Leading and trailing unknown days do not create level columns for years without data.
  TimeSeries series = SyntheticSeries(2016, 2017, 2, 0.01);
  const Frame training = BuildFrame(series, YearStart(2014), YearStart(2019));
  CalendarRegression model({}, Params(2));
  model.Fit(training);
  const nlohmann::json state = model.SaveState();
  EXPECT_EQ(state.at("first_year"), 2016);
  EXPECT_EQ(state.at("last_year"), 2017);
  EXPECT_TRUE(state.at("coefficients").contains("level_2016"));
  EXPECT_FALSE(state.at("coefficients").contains("level_2015"));
  EXPECT_FALSE(state.at("coefficients").contains("level_2018"));
}

TEST(CalendarRegression, RejectsTrainingWithoutKnownLoads) {
  CalendarRegression model({}, Params());
  EXPECT_THROW(model.Fit(Frame{}), DataError);
  EXPECT_THROW(model.Fit(BuildFrame(TimeSeries(), YearStart(2018), YearStart(2019))), DataError);
}

TEST(CalendarRegression, PredictsYearAheadOnBundledDataBetterThanFivePercent) {
  // Trained on 2013-2018, forecasting all of 2019 without seeing any of it.
  const TimeSeries& series = BundledSeries();
  CalendarRegression model({}, Params());
  model.Fit(BuildFrame(series, YearStart(2013), YearStart(2019)));
  const Frame targets = BuildFrame(series, YearStart(2019), YearStart(2020));
  const Forecast forecast = model.Predict(targets, series.slice(YearStart(2013), YearStart(2019)));
  const Scores scores = Score(targets.load, forecast.mean);
  EXPECT_EQ(scores.days, 365u);
  EXPECT_LT(scores.mape, 5.0);
  // The nominal 90% interval covers most of the year.
  int covered = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (targets.load[i] >= forecast.lower[i] && targets.load[i] <= forecast.upper[i]) ++covered;
  }
  EXPECT_GT(covered, 365 * 0.7);
}

TEST(CalendarRegression, SaveLoadRoundTripGivesIdenticalPredictions) {
  const TimeSeries series = SyntheticSeries(2015, 2018, 3, 0.03, 9);
  CalendarRegressionParams params = Params(3);
  params.level_years = 2;
  CalendarRegression model({}, params);
  model.Fit(BuildFrame(series, YearStart(2015), YearStart(2019)));
  // Through text, as the artifact is stored.
  const nlohmann::json state = nlohmann::json::parse(model.SaveState().dump());
  // The loaded model takes fourier_order and level_years from the state, not from its params.
  CalendarRegression loaded({}, Params(4));
  loaded.LoadState(state);
  EXPECT_EQ(loaded.SaveState(), model.SaveState());
  EXPECT_EQ(loaded.residual_scale(), model.residual_scale());
  const Frame targets = BuildFrame({}, YearStart(2017), YearStart(2021));
  const Forecast a = model.Predict(targets, {});
  const Forecast b = loaded.Predict(targets, {});
  EXPECT_EQ(a.dates, b.dates);
  EXPECT_EQ(a.mean, b.mean);
  EXPECT_EQ(a.lower, b.lower);
  EXPECT_EQ(a.upper, b.upper);
}

TEST(CalendarRegression, SavedStateNamesEveryCoefficient) {
  CalendarRegression model({}, Params(2));
  model.Fit(BuildFrame(SyntheticSeries(2017, 2018, 2, 0.01), YearStart(2017), YearStart(2019)));
  const nlohmann::json state = model.SaveState();
  const CalendarDesign design(2, 2017, 2018);
  ASSERT_EQ(state.at("coefficients").size(), design.names().size());
  for (const std::string& name : design.names()) {
    EXPECT_TRUE(state.at("coefficients").contains(name)) << name;
  }
  EXPECT_EQ(state.at("fourier_order"), 2);
  EXPECT_EQ(state.at("level_years"), 1);
}

TEST(CalendarRegression, LoadStateRejectsMalformedState) {
  CalendarRegression model({}, Params(2));
  model.Fit(BuildFrame(SyntheticSeries(2017, 2018, 2, 0.01), YearStart(2017), YearStart(2019)));
  const nlohmann::json good = model.SaveState();

  std::vector<nlohmann::json> bad;
  bad.push_back(nlohmann::json::object());
  bad.push_back(nlohmann::json::array());
  bad.push_back(nlohmann::json("calendar"));
  nlohmann::json missing_coefficient = good;
  missing_coefficient["coefficients"].erase("bridge");
  bad.push_back(missing_coefficient);
  nlohmann::json extra_coefficient = good;
  extra_coefficient["coefficients"]["temperature"] = 0.1;
  bad.push_back(extra_coefficient);
  nlohmann::json wrong_type = good;
  wrong_type["first_year"] = "2017";
  bad.push_back(wrong_type);
  nlohmann::json non_numeric = good;
  non_numeric["coefficients"]["cos1"] = "large";
  bad.push_back(non_numeric);
  nlohmann::json missing_scale = good;
  missing_scale.erase("residual_scale");
  bad.push_back(missing_scale);
  nlohmann::json wrong_order = good;
  wrong_order["fourier_order"] = 3;  // the design then has cos3/sin3 that the state lacks
  bad.push_back(wrong_order);

  for (const nlohmann::json& state : bad) {
    CalendarRegression fresh({}, Params(2));
    EXPECT_THROW(fresh.LoadState(state), StorageError) << state.dump().substr(0, 200);
  }
}

TEST(FitHuber, SolvesAnExactLinearSystem) {
  // y = 2 + 3 x over a few points: the fit returns the line and zero residuals.
  std::vector<double> x;
  std::vector<double> y;
  for (int i = 0; i < 20; ++i) {
    x.insert(x.end(), {1.0, static_cast<double>(i)});
    y.push_back(2.0 + 3.0 * i);
  }
  std::vector<double> residuals;
  const auto beta = FitHuber(x, 20, 2, y, 10, 1.5, residuals);
  ASSERT_EQ(beta.size(), 2u);
  EXPECT_NEAR(beta[0], 2.0, 1e-3);
  EXPECT_NEAR(beta[1], 3.0, 1e-4);
  ASSERT_EQ(residuals.size(), 20u);
  for (double r : residuals) EXPECT_NEAR(r, 0.0, 1e-3);
}

TEST(FitHuber, DownweightsAGrossOutlier) {
  std::vector<double> x;
  std::vector<double> y;
  testing::Noise noise(2);
  for (int i = 0; i < 50; ++i) {
    x.insert(x.end(), {1.0, i / 10.0});
    y.push_back(1.0 + 0.5 * (i / 10.0) + 0.01 * noise.Next());
  }
  y[25] += 10.0;
  std::vector<double> residuals;
  const auto ols = FitHuber(x, 50, 2, y, 1, 1.5, residuals);
  const auto robust = FitHuber(x, 50, 2, y, 50, 1.5, residuals);
  EXPECT_GT(std::abs(ols[0] - 1.0), 0.1);  // one pass is pulled up by the outlier
  EXPECT_NEAR(robust[0], 1.0, 0.02);
  EXPECT_NEAR(robust[1], 0.5, 0.01);
  EXPECT_GT(residuals[25], 9.0);  // the outlier stays visible in the residuals
}

TEST(FitHuber, KeepsUnusedColumnsAtZero) {
  std::vector<double> x;
  std::vector<double> y;
  for (int i = 0; i < 10; ++i) {
    x.insert(x.end(), {1.0, 0.0});
    y.push_back(4.0);
  }
  std::vector<double> residuals;
  const auto beta = FitHuber(x, 10, 2, y, 5, 1.5, residuals);
  EXPECT_NEAR(beta[0], 4.0, 1e-3);
  EXPECT_EQ(beta[1], 0.0);
}

TEST(SparseRows, KeepsEachRowsNonzerosInColumnOrder) {
  SparseRows x(4);
  x.AppendDense(std::vector<double>{0.0, 2.0, 0.0, -1.0});
  x.AppendDense(std::vector<double>{0.0, 0.0, 0.0, 0.0});
  x.AppendDense(std::vector<double>{5.0, 0.0, 0.5, 0.0});
  ASSERT_EQ(x.rows(), 3u);
  EXPECT_EQ(x.cols(), 4u);
  EXPECT_EQ(x.index(), (std::vector<std::uint32_t>{1, 3, 0, 2}));
  EXPECT_EQ(x.value(), (std::vector<double>{2.0, -1.0, 5.0, 0.5}));
  EXPECT_EQ(x.end(0) - x.begin(0), 2u);
  EXPECT_EQ(x.begin(1), x.end(1));  // an empty row
  EXPECT_EQ(x.end(2), 4u);
}

TEST(FitHuber, OneEpochOnASparseDesignSolvesTheWeightedNormalEquations) {
  // A design like the calendar's (an intercept, one-hot groups, a dense harmonic) with outliers
  // and prior weights: one epoch is weighted least squares, as solved directly and densely.
  const std::size_t rows = 400;
  const std::size_t cols = 6;
  std::vector<double> x(rows * cols, 0.0);
  std::vector<double> y(rows);
  std::vector<double> prior(rows);
  testing::Noise noise(7);
  for (std::size_t r = 0; r < rows; ++r) {
    double* row = &x[r * cols];
    row[0] = 1.0;
    row[1 + r % 3] = 1.0;  // one of three groups (column 1, 2 or 3)
    row[4] = std::sin(static_cast<double>(r) / 20.0);
    row[5] = r % 7 == 0 ? 1.0 : 0.0;
    y[r] = 2.0 + 0.3 * row[2] - 0.2 * row[3] + 0.5 * row[4] + 0.1 * row[5] + 0.02 * noise.Next();
    if (r % 50 == 0) y[r] += 1.0;
    prior[r] = std::exp2(-static_cast<double>(rows - r) / 200.0);
  }
  SparseRows sparse(cols);
  for (std::size_t r = 0; r < rows; ++r) {
    sparse.AppendDense(std::span<const double>(&x[r * cols], cols));
  }
  Eigen::MatrixXd xtwx = Eigen::MatrixXd::Zero(cols, cols);
  Eigen::VectorXd xtwy = Eigen::VectorXd::Zero(cols);
  for (std::size_t r = 0; r < rows; ++r) {
    const Eigen::Map<const Eigen::VectorXd> row(&x[r * cols], static_cast<Eigen::Index>(cols));
    xtwx += prior[r] * row * row.transpose();
    xtwy += prior[r] * y[r] * row;
  }
  // Columns 1-3 sum to the intercept: the tiny ridge picks the minimum-norm solution, so compare
  // fitted values, which the collinearity does not affect.
  xtwx.diagonal().array() += 1e-10 * static_cast<double>(rows);
  const Eigen::VectorXd direct = xtwx.ldlt().solve(xtwy);
  std::vector<double> ols_residuals;
  const auto ols = FitHuber(sparse, y, 1, 1.5, ols_residuals, prior);
  for (std::size_t r = 0; r < rows; r += 37) {
    double fitted = 0.0;
    double expected = 0.0;
    for (std::size_t c = 0; c < cols; ++c) {
      fitted += x[r * cols + c] * ols[c];
      expected += x[r * cols + c] * direct[static_cast<Eigen::Index>(c)];
    }
    EXPECT_NEAR(fitted, expected, 1e-9) << "row " << r;
    EXPECT_NEAR(ols_residuals[r], y[r] - expected, 1e-9) << "row " << r;
  }
}

TEST(CalendarRegression, LoadStateRejectsFirstYearAfterLastYear) {
  CalendarRegression model({}, Params(2));
  model.Fit(BuildFrame(SyntheticSeries(2017, 2018, 2, 0.01), YearStart(2017), YearStart(2019)));
  const nlohmann::json good = model.SaveState();
  {
    CalendarRegression fresh({}, Params(2));
    EXPECT_NO_THROW(fresh.LoadState(good));
  }
  // An inverted year range is a corrupt artifact, reported as a StorageError, not an assert.
  nlohmann::json inverted = good;
  inverted["first_year"] = 2019;
  inverted["last_year"] = 2018;
  CalendarRegression fresh({}, Params(2));
  EXPECT_THROW(fresh.LoadState(inverted), StorageError);
  nlohmann::json far_inverted = good;
  far_inverted["first_year"] = 2018;
  far_inverted["last_year"] = 2000;
  EXPECT_THROW(fresh.LoadState(far_inverted), StorageError);
}

TEST(CalendarRegression, LoadStateRejectsInvalidDesignParameters) {
  CalendarRegression model({}, Params(2));
  model.Fit(BuildFrame(SyntheticSeries(2017, 2018, 2, 0.01), YearStart(2017), YearStart(2019)));
  const nlohmann::json good = model.SaveState();
  nlohmann::json negative_order = good;
  negative_order["fourier_order"] = -1;
  nlohmann::json no_level_years = good;
  no_level_years["level_years"] = 0;
  for (const nlohmann::json& state : {negative_order, no_level_years}) {
    CalendarRegression fresh({}, Params(2));
    EXPECT_THROW(fresh.LoadState(state), StorageError) << state.dump().substr(0, 200);
  }
}

TEST(CalendarRegression, LoadStateRejectsHugeOrFractionalDesignNumbers) {
  // A corrupt state must neither build a design of billions of columns nor convert numbers that
  // do not fit an int.
  CalendarRegression model({}, Params(2));
  model.Fit(BuildFrame(SyntheticSeries(2017, 2018, 2, 0.01), YearStart(2017), YearStart(2019)));
  const nlohmann::json good = model.SaveState();
  const std::vector<std::pair<std::string, nlohmann::json>> bad = {
      {"fourier_order", 200000000}, {"fourier_order", 183},       {"fourier_order", 1e300},
      {"first_year", -2000000000},  {"first_year", 2017.5},       {"last_year", 2147483647},
      {"last_year", 10000},         {"level_years", 4294967297U}, {"level_years", 2.5}};
  for (const auto& [key, value] : bad) {
    nlohmann::json state = good;
    state[key] = value;
    CalendarRegression fresh({}, Params(2));
    EXPECT_THROW(fresh.LoadState(state), StorageError) << key << " = " << value.dump();
  }
}

TEST(CalendarRegression, StaysAccurateOnNoiseFreeDataWithManyEpochs) {
  // A near-perfect fit has a robust scale near zero; without a floor, the Huber reweighting then
  // down-weights almost every day and the later epochs diverge from the exact solution.
  const TimeSeries series = SyntheticSeries(2015, 2018, 4);
  const Frame training = BuildFrame(series, YearStart(2015), YearStart(2019));
  for (int epochs : {1, 2, 5, 20, 100}) {
    SCOPED_TRACE("epochs " + std::to_string(epochs));
    CalendarRegression model({}, Params(4, epochs));
    model.Fit(training);
    double max_error = 0.0;
    for (std::size_t i = 0; i < training.size(); ++i) {
      max_error = std::max(
          max_error, std::abs(model.LogExpectation(training.days[i]) - std::log(training.load[i])));
    }
    EXPECT_LT(max_error, 1e-3);
    EXPECT_LT(model.residual_scale(), 1e-3);
    std::string worst;
    EXPECT_LT(MaxCoefficientError(model, CalendarDesign(4, 2015, 2018), &worst), 2e-3) << worst;
  }
}

TEST(FitHuber, StaysAccurateOnNoiseFreeDesignDataWithTwentyEpochs) {
  // The design matrix and exact log loads, handed to FitHuber directly.
  const int first_year = 2015;
  const int last_year = 2018;
  const CalendarDesign design(4, first_year, last_year);
  const std::vector<double> truth = testing::TrueCoefficients(design);
  const Frame training = BuildFrame(SyntheticSeries(first_year, last_year, 4),
                                    YearStart(first_year), YearStart(last_year + 1));
  const auto cols = static_cast<std::size_t>(design.cols());
  std::vector<double> x(training.size() * cols);
  std::vector<double> y(training.size());
  for (std::size_t r = 0; r < training.size(); ++r) {
    const CalendarDay& day = training.days[r];
    design.Fill(day, design.LevelWeights(day.date.year(), 1),
                std::span<double>(x.data() + r * cols, cols));
    y[r] = std::log(training.load[r]);
  }
  std::vector<double> residuals;
  const std::vector<double> beta = FitHuber(x, training.size(), cols, y, 20, 1.5, residuals);
  ASSERT_EQ(beta.size(), cols);
  ASSERT_EQ(residuals.size(), training.size());
  double max_residual = 0.0;
  for (double r : residuals) max_residual = std::max(max_residual, std::abs(r));
  EXPECT_LT(max_residual, 1e-3);
  // The fitted values reproduce the data, computed independently of the returned residuals.
  double max_fit_error = 0.0;
  for (std::size_t r = 0; r < training.size(); ++r) {
    double fitted = 0.0;
    for (std::size_t c = 0; c < cols; ++c) fitted += x[r * cols + c] * beta[c];
    max_fit_error = std::max(max_fit_error, std::abs(fitted - y[r]));
  }
  EXPECT_LT(max_fit_error, 1e-3);
  // Columns that fire get their generating coefficients back.
  for (std::size_t c = 0; c < cols; ++c) {
    bool used = false;
    for (std::size_t r = 0; r < training.size() && !used; ++r) used = x[r * cols + c] != 0.0;
    if (used) {
      EXPECT_NEAR(beta[c], truth[c], 2e-3) << design.names()[c];
    }
  }
}

}  // namespace
}  // namespace loadcast
