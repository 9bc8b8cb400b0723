#include "storage/alert_notifier.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/config.hpp"
#include "core/errors.hpp"
#include "storage/alerts.hpp"
#include "storage/backends.hpp"
#include "storage/record_json.hpp"
#include "support/expect.hpp"
#include "support/records.hpp"
#include "support/test_webhook.hpp"

namespace loadcast {
namespace {

using testing::ClosedLoopbackPort;
using testing::TestWebhook;

TEST(AlertFingerprint, DependsOnWhatTheAlertIsAboutOnly) {
  const AlertRecord a = testing::SampleAlert();
  EXPECT_EQ(AlertFingerprint(a).size(), 64u);
  AlertRecord same = a;
  same.id = 1;
  same.run_id = 99;
  same.created_at = "2030-01-01T00:00:00.000Z";
  same.message = "other words";
  same.value = 3.0;
  same.threshold = 2.0;
  same.severity = AlertSeverity::kWarning;
  same.acknowledged = true;
  EXPECT_EQ(AlertFingerprint(same), AlertFingerprint(a));
  AlertRecord other = a;
  other.subject += "x";
  EXPECT_NE(AlertFingerprint(other), AlertFingerprint(a));
  other = a;
  other.target_year = 2021;
  EXPECT_NE(AlertFingerprint(other), AlertFingerprint(a));
  // Fields are not simply concatenated: moving text from one field to the next changes it.
  AlertRecord left = a;
  left.period_start = testing::Day("2021-01-01");
  left.period_end = std::nullopt;
  AlertRecord right = a;
  right.period_start = std::nullopt;
  right.period_end = testing::Day("2021-01-01");
  EXPECT_NE(AlertFingerprint(left), AlertFingerprint(right));
}

TEST(IsNotifiable, IsWarningAndCritical) {
  EXPECT_FALSE(IsNotifiable(AlertSeverity::kInfo));
  EXPECT_TRUE(IsNotifiable(AlertSeverity::kWarning));
  EXPECT_TRUE(IsNotifiable(AlertSeverity::kCritical));
}

TEST(WebhookNotifier, PostsTheAlertAsJson) {
  TestWebhook hook;
  WebhookNotifier notifier(hook.Url("/alerts/in?channel=ops"), 5.0);
  notifier.Notify(testing::SampleAlert());
  const auto received = hook.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].path, "/alerts/in");
  EXPECT_EQ(received[0].query, "channel=ops;");
  EXPECT_EQ(received[0].content_type, "application/json");
  EXPECT_EQ(received[0].authorization, "");
  // The alert's one JSON form, as `alerts --json` and the dashboard give it.
  EXPECT_EQ(nlohmann::json::parse(received[0].body), ToJson(testing::SampleAlert()));
}

TEST(WebhookNotifier, SendsUserInfoAsBasicAuthentication) {
  TestWebhook hook;
  const std::string url = hook.Url();
  WebhookNotifier notifier("http://bot:p%40ss@" + url.substr(7), 5.0);
  notifier.Notify(testing::SampleAlert());
  ASSERT_EQ(hook.received().size(), 1u);
  // base64("bot:p@ss")
  EXPECT_EQ(hook.received()[0].authorization, "Basic Ym90OnBAc3M=");
  EXPECT_EQ(notifier.location(), "http://***@" + url.substr(7));
}

TEST(WebhookNotifier, AnErrorAnswerIsAFailedDelivery) {
  TestWebhook hook(500);
  WebhookNotifier notifier(hook.Url(), 5.0);
  try {
    notifier.Notify(testing::SampleAlert());
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    EXPECT_CONTAINS(std::string(e.what()), "HTTP 500");
    EXPECT_CONTAINS(std::string(e.what()), hook.Url());
  }
}

TEST(WebhookNotifier, AnUnreachableUrlFailsWithoutShowingItsToken) {
  const std::string url =
      "http://127.0.0.1:" + std::to_string(ClosedLoopbackPort()) + "/hook?token=s3cr3t&channel=ops";
  WebhookNotifier notifier(url, 0.5);
  try {
    notifier.Notify(testing::SampleAlert());
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find("s3cr3t"), std::string::npos) << message;
    EXPECT_CONTAINS(message, "token=***&channel=ops");
  }
}

TEST(OpenAlertNotifier, IsNoneWithoutAUrlAndAWebhookForHttpAndHttps) {
  Config config = DefaultConfig(".");
  EXPECT_EQ(OpenAlertNotifier(config), nullptr);
  config.alerts_webhook_url = "http://127.0.0.1:9/hook";
  auto http = OpenAlertNotifier(config);
  ASSERT_NE(http, nullptr);
  EXPECT_EQ(http->location(), "http://127.0.0.1:9/hook");
  config.alerts_webhook_url = "https://hooks.example.com/x?token=abc";
  auto https = OpenAlertNotifier(config);
  ASSERT_NE(https, nullptr);
  EXPECT_EQ(https->location(), "https://hooks.example.com/x?token=***");
}

TEST(OpenAlertNotifier, RejectsOtherSchemesWithoutShowingTheSecret) {
  Config config = DefaultConfig(".");
  for (const char* url : {"ftp://u:secret@host/x", "hooks.example.com/x?token=secret"}) {
    config.alerts_webhook_url = url;
    try {
      OpenAlertNotifier(config);
      ADD_FAILURE() << "accepted " << url;
    } catch (const ConfigError& e) {
      const std::string message = e.what();
      EXPECT_CONTAINS(message, "alerts.webhook_url");
      EXPECT_CONTAINS(message, "http://, https://");
      EXPECT_EQ(message.find("secret"), std::string::npos) << message;
    }
  }
}

}  // namespace
}  // namespace loadcast
