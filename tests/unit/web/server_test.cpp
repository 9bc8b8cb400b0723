#include "web/server.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "web_fixture.hpp"

namespace loadcast::web {
namespace {

using nlohmann::json;

TEST(IsLoopback, IsTrueForLoopbackAddressesOnly) {
  EXPECT_TRUE(IsLoopback("127.0.0.1"));
  EXPECT_TRUE(IsLoopback("127.1.2.3"));
  EXPECT_TRUE(IsLoopback("localhost"));
  EXPECT_TRUE(IsLoopback("::1"));
  EXPECT_FALSE(IsLoopback("0.0.0.0"));
  EXPECT_FALSE(IsLoopback("192.168.1.10"));
  EXPECT_FALSE(IsLoopback("::"));
}

TEST(HostMatches, TakesTheBoundAddressLoopbackNamesAndListedHostsOnly) {
  EXPECT_TRUE(HostMatches("127.0.0.1:8080", "127.0.0.1", 8080, ""));
  EXPECT_TRUE(HostMatches("localhost:8080", "127.0.0.1", 8080, ""));
  EXPECT_TRUE(HostMatches("[::1]:8080", "::1", 8080, ""));
  EXPECT_TRUE(HostMatches("127.0.0.1", "127.0.0.1", 80, ""));
  EXPECT_FALSE(HostMatches("127.0.0.1", "127.0.0.1", 8080, ""));
  EXPECT_FALSE(HostMatches("127.0.0.1:8081", "127.0.0.1", 8080, ""));
  EXPECT_FALSE(HostMatches("evil.example:8080", "127.0.0.1", 8080, ""));
  EXPECT_FALSE(HostMatches("", "127.0.0.1", 8080, ""));
  EXPECT_FALSE(HostMatches("localhost:8080", "192.168.1.10", 8080, ""));
  // A wildcard bind answers to any address, never to a name not listed.
  EXPECT_TRUE(HostMatches("192.168.1.10:8080", "0.0.0.0", 8080, ""));
  EXPECT_FALSE(HostMatches("evil.example:8080", "0.0.0.0", 8080, ""));
  EXPECT_TRUE(HostMatches("Dash.Example.com:8080", "0.0.0.0", 8080, "dash.example.com"));
  EXPECT_TRUE(HostMatches("proxy.example:443", "127.0.0.1", 8080, "x.example, proxy.example:443"));
  EXPECT_FALSE(HostMatches("proxy.example:444", "127.0.0.1", 8080, "proxy.example:443"));
}

TEST(SecretMatches, NeedsTheWholeNonEmptySecret) {
  EXPECT_TRUE(SecretMatches("abc123", "abc123"));
  EXPECT_FALSE(SecretMatches("abc12", "abc123"));
  EXPECT_FALSE(SecretMatches("abc1234", "abc123"));
  EXPECT_FALSE(SecretMatches("", ""));
}

TEST(BearerMatches, NeedsTheSchemeAndTheWholeToken) {
  EXPECT_TRUE(BearerMatches("Bearer s3cret", "s3cret"));
  EXPECT_FALSE(BearerMatches("Bearer s3cre", "s3cret"));
  EXPECT_FALSE(BearerMatches("Bearer s3cretx", "s3cret"));
  EXPECT_FALSE(BearerMatches("s3cret", "s3cret"));
  EXPECT_FALSE(BearerMatches("Basic s3cret", "s3cret"));
  EXPECT_FALSE(BearerMatches("", "s3cret"));
  EXPECT_FALSE(BearerMatches("Bearer ", ""));
}

class ServerTest : public WebTest {};

TEST_F(ServerTest, RefusesAnAddressOtherThanLoopbackWithoutAToken) {
  EXPECT_THROW(DashboardServer(data(), config(), {.host = "0.0.0.0", .port = 0, .token = ""}),
               UsageError);
  EXPECT_THROW(DashboardServer(data(), config(), {.host = "0.0.0.0", .port = 0, .token = "t"}),
               UsageError);
  EXPECT_NO_THROW(DashboardServer(data(), config(),
                                  {.host = "0.0.0.0", .port = 0, .token = "sixteen-chars-ok"}));
}

TEST_F(ServerTest, ServesPagesAndApiOnAFreePort) {
  DashboardServer server(data(), config(), {.host = "127.0.0.1", .port = 0, .token = "t0k"});
  const int port = server.Bind();
  ASSERT_GT(port, 0);
  std::thread listening([&] { server.Listen(); });
  httplib::Client client("127.0.0.1", port);

  auto page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");

  auto runs = client.Get("/api/runs?limit=1");
  ASSERT_TRUE(runs);
  EXPECT_EQ(runs->status, 200);
  EXPECT_EQ(runs->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(json::parse(runs->body)["runs"].size(), 1u);

  auto bad = client.Get("/api/runs?limit=many");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["error"]["status"], 400);

  auto traversal = client.Get("/assets/../CMakeLists.txt");
  ASSERT_TRUE(traversal);
  EXPECT_EQ(traversal->status, 404);

  // On loopback with a token, reads are open and the acknowledgement needs the token.
  auto ack = client.Post("/api/alerts/999999/ack");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->status, 401);
  ack = client.Post("/api/alerts/999999/ack", {{"Authorization", "Bearer t0k"}}, "", "text/plain");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->status, 403);  // without the page's CSRF token

  // A method no route takes needs the token before the path is looked at.
  auto wrong = client.Delete("/api/overview");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  wrong = client.Delete("/api/overview", {{"Authorization", "Bearer t0k"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->get_header_value("Allow"), "GET");

  server.Stop();
  listening.join();
}

}  // namespace
}  // namespace loadcast::web
