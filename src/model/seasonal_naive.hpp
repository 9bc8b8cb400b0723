// The benchmark: the load of the same weekday 52 weeks earlier (104, 156... where the nearer one is
// not known yet).
#pragma once

#include "model/forecaster.hpp"
#include "model/kinds.hpp"

namespace loadcast {

class SeasonalNaive final : public Forecaster {
 public:
  static constexpr std::string_view kKind = "seasonal_naive";
  static constexpr int kLagDays = 364;

  explicit SeasonalNaive(const CommonModelParams& common = {});
  std::string_view kind() const override { return kKind; }
  void Fit(const Frame& training) override;
  Forecast Predict(const Frame& targets, const TimeSeries& known) const override;
  std::vector<std::string> Features() const override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

 private:
  double coverage_;
  // Quantiles of log(load / load 52 weeks earlier) in training, for the interval.
  double lower_log_ratio_ = 0.0;
  double upper_log_ratio_ = 0.0;
};

}  // namespace loadcast
