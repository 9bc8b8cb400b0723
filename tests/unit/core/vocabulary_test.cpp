#include "core/vocabulary.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

namespace loadcast {
namespace {

template <typename E>
void ExpectEveryNameRoundTrips() {
  for (std::size_t i = 0; i < VocabularyNames<E>().size(); ++i) {
    const E value = static_cast<E>(i);
    const auto parsed = FromName<E>(NameOf(value));
    ASSERT_TRUE(parsed.has_value()) << NameOf(value);
    EXPECT_EQ(*parsed, value);
  }
}

TEST(Vocabulary, EveryNameRoundTrips) {
  ExpectEveryNameRoundTrips<RunStatus>();
  ExpectEveryNameRoundTrips<AlertSeverity>();
  ExpectEveryNameRoundTrips<AlertSource>();
  ExpectEveryNameRoundTrips<CheckStatus>();
  ExpectEveryNameRoundTrips<WindowStatus>();
  ExpectEveryNameRoundTrips<SeriesStatus>();
  ExpectEveryNameRoundTrips<DecisionAction>();
  ExpectEveryNameRoundTrips<DecisionOutcome>();
}

TEST(Vocabulary, NamesAreWhatTheDatabaseStores) {
  EXPECT_EQ(NameOf(RunStatus::kSucceeded), "succeeded");
  EXPECT_EQ(NameOf(AlertSeverity::kCritical), "critical");
  EXPECT_EQ(NameOf(CheckStatus::kWarn), "warn");
  EXPECT_EQ(NameOf(DecisionOutcome::kRolledBack), "rolled_back");
}

TEST(Vocabulary, UnknownNameIsNothing) {
  EXPECT_FALSE(FromName<AlertSeverity>("error").has_value());
  EXPECT_FALSE(FromName<AlertSeverity>("").has_value());
  EXPECT_FALSE(FromName<RunStatus>("Succeeded").has_value());
}

TEST(Vocabulary, ParseNameListsTheValidNames) {
  EXPECT_EQ(ParseName<AlertSeverity>("warning"), AlertSeverity::kWarning);
  try {
    ParseName<AlertSeverity>("fatal");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "unknown severity 'fatal' (valid: info, warning, critical)");
  }
}

TEST(Vocabulary, SeveritiesAreOrdered) {
  EXPECT_EQ(MaxSeverity(AlertSeverity::kWarning, AlertSeverity::kCritical),
            AlertSeverity::kCritical);
  EXPECT_EQ(MaxSeverity(AlertSeverity::kWarning, AlertSeverity::kInfo), AlertSeverity::kWarning);
}

}  // namespace
}  // namespace loadcast
