#include "pipeline/promotion_gate.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "pipeline/model_registry.hpp"
#include "support/expect.hpp"
#include "support/records.hpp"

namespace loadcast {
namespace {

MetricRow Year(int year, double mape, double skill = 0.3) {
  MetricRow r;
  r.scope = "year";
  r.period = std::to_string(year);
  r.days = 365;
  r.mape = mape;
  r.mae = mape * 8000.0;
  r.rmse = mape * 10000.0;
  r.skill = skill;
  r.naive_mape = mape / (1.0 - skill);
  return r;
}

ValidationScores Scores(const std::vector<double>& mapes, double skill = 0.3) {
  ValidationScores s;
  for (std::size_t i = 0; i < mapes.size(); ++i) {
    s.years.push_back(Year(2018 + static_cast<int>(i), mapes[i], skill));
  }
  s = RestrictScores(s, s.year_list());  // takes the mean
  s.first_input_year = 2008;
  s.last_input_year = 2020;
  s.data_hash = "data";
  return s;
}

ModelRecord Model(int64_t id, const std::string& spec = "spec", const std::string& data = "data",
                  const std::string& trained_to = "2020-12-31") {
  ModelRecord m = testing::MakeModel(0, Horizon::kYear, 2021, "v" + std::to_string(id));
  m.id = id;
  m.number = static_cast<int>(id);
  m.trained_to = testing::Day(trained_to);
  m.spec_hash = spec;
  m.data_hash = data;
  return m;
}

GateChampion Champion(const ModelRecord& model, const std::vector<double>& mapes) {
  return {model, Scores(mapes), "rescored"};
}

GateVerdict Decide(const GateCandidate& candidate, const std::optional<GateChampion>& champion,
                   RegistrySettings settings = {}) {
  return DecidePromotion(candidate, champion, settings, Horizon::kYear, 2021);
}

TEST(ValidationScores, AveragesTheYearsAndDescribesThem) {
  const ValidationScores s = Scores({3.0, 4.0, 8.0});
  EXPECT_EQ(s.year_list(), (std::vector<int>{2018, 2019, 2020}));
  EXPECT_EQ(s.Describe(), "2018-2020");
  EXPECT_DOUBLE_EQ(s.mean.mape, 5.0);
  EXPECT_EQ(s.mean.days, 3 * 365);
  EXPECT_EQ(s.mean.scope, "mean");
  EXPECT_EQ(ValidationScores{}.Describe(), "none");
}

TEST(ValidationScores, RestrictKeepsTheGivenYearsAndAveragesAgain) {
  const ValidationScores s = RestrictScores(Scores({3.0, 4.0, 8.0}), {2019, 2020});
  EXPECT_EQ(s.year_list(), (std::vector<int>{2019, 2020}));
  EXPECT_DOUBLE_EQ(s.mean.mape, 6.0);
  EXPECT_EQ(s.data_hash, "data");
}

TEST(ValidationScores, RoundTripThroughTheArtifact) {
  const ValidationScores s = Scores({3.0, 4.5});
  const nlohmann::json artifact = {{"validation", ValidationToJson(s)}};
  const auto back = ValidationFromArtifact(nlohmann::json::parse(artifact.dump()));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->year_list(), s.year_list());
  EXPECT_DOUBLE_EQ(back->mean.mape, s.mean.mape);
  EXPECT_DOUBLE_EQ(back->years[1].rmse, s.years[1].rmse);
  EXPECT_EQ(back->first_input_year, 2008);
  EXPECT_EQ(back->last_input_year, 2020);
  EXPECT_EQ(back->data_hash, "data");
  EXPECT_EQ(ValidationFromArtifact(nlohmann::json::object()), std::nullopt);
  EXPECT_THROW(ValidationFromArtifact({{"validation", {{"years", 1}}}}), StorageError);
}

TEST(MetricValue, PicksTheConfiguredMetric) {
  const MetricRow r = Year(2020, 4.0);
  EXPECT_DOUBLE_EQ(MetricValue(r, "mape"), 4.0);
  EXPECT_DOUBLE_EQ(MetricValue(r, "mae"), 32000.0);
  EXPECT_DOUBLE_EQ(MetricValue(r, "rmse"), 40000.0);
}

TEST(DecidePromotion, TheFirstModelBecomesChampion) {
  const GateVerdict v = Decide({Model(1), Scores({3.0, 4.0})}, std::nullopt);
  EXPECT_EQ(v.decision.outcome, "promoted");
  EXPECT_EQ(v.decision.action, "gate");
  EXPECT_EQ(v.decision.candidate_id, 1);
  EXPECT_EQ(v.decision.champion_id, std::nullopt);
  EXPECT_DOUBLE_EQ(*v.decision.candidate_value, 3.5);
  EXPECT_EQ(v.decision.validation, "backtest 2018-2019");
  EXPECT_CONTAINS(v.decision.reason, "first year model");
  EXPECT_EQ(v.change.champion, 1);
  EXPECT_TRUE(v.change.clear_challenger);
}

TEST(DecidePromotion, ABetterCandidateBeyondTheMarginIsPromoted) {
  const GateVerdict v =
      Decide({Model(2, "new-spec"), Scores({3.0, 3.0, 3.0})}, Champion(Model(1), {3.5, 3.5, 3.5}));
  EXPECT_EQ(v.decision.outcome, "promoted");
  EXPECT_EQ(v.decision.champion_id, 1);
  EXPECT_DOUBLE_EQ(*v.decision.candidate_value, 3.0);
  EXPECT_DOUBLE_EQ(*v.decision.champion_value, 3.5);
  EXPECT_NEAR(*v.decision.improvement, 0.5 / 3.5, 1e-12);
  EXPECT_DOUBLE_EQ(*v.decision.min_improvement, 0.01);
  EXPECT_EQ(v.decision.metric, "mape");
  EXPECT_CONTAINS(v.decision.reason, "better on backtest 2018-2020");
  EXPECT_EQ(v.change.champion, 2);
}

TEST(DecidePromotion, ACandidateWithinTheMarginStaysChallenger) {
  // 0.5% better where 1% is required.
  const GateVerdict v =
      Decide({Model(2, "new-spec"), Scores({3.98, 3.98})}, Champion(Model(1), {4.0, 4.0}));
  EXPECT_EQ(v.decision.outcome, "rejected");
  EXPECT_NEAR(*v.decision.improvement, 0.005, 1e-12);
  EXPECT_CONTAINS(v.decision.reason, "not better enough");
  EXPECT_FALSE(v.change.champion.has_value());
  EXPECT_EQ(v.change.challenger, 2);
  // A zero margin promotes it.
  RegistrySettings lenient;
  lenient.min_improvement = 0.0;
  EXPECT_EQ(
      Decide({Model(2, "new-spec"), Scores({3.98, 3.98})}, Champion(Model(1), {4.0, 4.0}), lenient)
          .decision.outcome,
      "promoted");
}

TEST(DecidePromotion, AWorseCandidateIsRejectedWithBothFigures) {
  const GateVerdict v =
      Decide({Model(2, "weak"), Scores({6.0, 6.0})}, Champion(Model(1), {4.0, 4.0}));
  EXPECT_EQ(v.decision.outcome, "rejected");
  EXPECT_DOUBLE_EQ(*v.decision.candidate_value, 6.0);
  EXPECT_DOUBLE_EQ(*v.decision.champion_value, 4.0);
  EXPECT_LT(*v.decision.improvement, 0.0);
  EXPECT_CONTAINS(v.decision.reason, "model 1 (year v1)");
}

TEST(DecidePromotion, TheConfiguredMetricDecides) {
  RegistrySettings by_rmse;
  by_rmse.metric = "rmse";
  ValidationScores candidate = Scores({3.0, 3.0});        // better MAPE...
  for (MetricRow& r : candidate.years) r.rmse = 50000.0;  // ...worse RMSE
  candidate = RestrictScores(candidate, candidate.year_list());
  const GateVerdict v =
      Decide({Model(2, "new-spec"), candidate}, Champion(Model(1), {4.0, 4.0}), by_rmse);
  EXPECT_EQ(v.decision.metric, "rmse");
  EXPECT_EQ(v.decision.outcome, "rejected");
  EXPECT_DOUBLE_EQ(*v.decision.candidate_value, 50000.0);
  EXPECT_DOUBLE_EQ(*v.decision.champion_value, 40000.0);
}

TEST(DecidePromotion, AbsoluteLimitsRejectEvenABetterCandidate) {
  RegistrySettings strict;
  strict.max_mape_year = 3.0;
  const GateVerdict over =
      Decide({Model(2, "new"), Scores({3.2, 3.2})}, Champion(Model(1), {5.0, 5.0}), strict);
  EXPECT_EQ(over.decision.outcome, "rejected");
  EXPECT_CONTAINS(over.decision.reason, "above the 3.000% limit");

  const GateVerdict unskilled =
      Decide({Model(2, "new"), Scores({3.2, 3.2}, -0.1)}, Champion(Model(1), {5.0, 5.0}));
  EXPECT_EQ(unskilled.decision.outcome, "rejected");
  EXPECT_CONTAINS(unskilled.decision.reason, "against the seasonal naive");

  const GateVerdict unvalidated =
      Decide({Model(2, "new"), ValidationScores{}}, Champion(Model(1), {5.0}));
  EXPECT_EQ(unvalidated.decision.outcome, "rejected");
  EXPECT_CONTAINS(unvalidated.decision.reason, "no year before 2021");
}

TEST(DecidePromotion, TheSameSpecificationOnChangedDataRefreshesTheChampion) {
  // Scored on the same folds, the same specification scores the same: the gate cannot tell them
  // apart, and the model fitted on the data as it is now replaces the one fitted on old data.
  const GateVerdict v = Decide({Model(2, "spec", "new-data"), Scores({4.0, 4.0})},
                               Champion(Model(1, "spec", "old-data"), {4.0, 4.0}));
  EXPECT_EQ(v.decision.outcome, "promoted");
  EXPECT_CONTAINS(v.decision.reason, "refresh");
  // The same specification on the same data (another build of the code) must still be better.
  EXPECT_EQ(Decide({Model(2, "spec", "data"), Scores({4.0, 4.0})},
                   Champion(Model(1, "spec", "data"), {4.0, 4.0}))
                .decision.outcome,
            "rejected");
}

TEST(DecidePromotion, AChampionThatHasSeenTheTargetYearGivesWay) {
  const GateVerdict v =
      Decide({Model(2, "new"), Scores({5.0, 5.0})},
             Champion(Model(1, "spec", "data", /*trained_to=*/"2021-12-31"), {4.0, 4.0}));
  EXPECT_EQ(v.decision.outcome, "promoted");
  EXPECT_CONTAINS(v.decision.reason, "cannot forecast 2021");
}

ModelDecision Decision(const std::string& outcome, int64_t candidate,
                       std::optional<int64_t> champion) {
  ModelDecision d;
  d.outcome = ParseName<DecisionOutcome>(outcome);
  d.candidate_id = candidate;
  d.champion_id = champion;
  return d;
}

TEST(ChampionLineage, FollowsPromotionsAndRollbacks) {
  EXPECT_TRUE(ChampionLineage({}).empty());
  const std::vector<ModelDecision> decisions = {
      Decision("promoted", 1, std::nullopt),
      Decision("rejected", 2, 1),
      Decision("promoted", 3, 1),
      Decision("promoted", 4, 3),
      Decision("rolled_back", 3, 4),
  };
  EXPECT_EQ(ChampionLineage(decisions), (std::vector<int64_t>{1, 3}));
  std::vector<ModelDecision> twice = decisions;
  twice.push_back(Decision("rolled_back", 1, 3));
  EXPECT_EQ(ChampionLineage(twice), (std::vector<int64_t>{1}));
  twice.push_back(Decision("promoted", 4, 1));
  EXPECT_EQ(ChampionLineage(twice), (std::vector<int64_t>{1, 4}));
}

}  // namespace
}  // namespace loadcast
