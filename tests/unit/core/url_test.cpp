#include "core/url.hpp"

#include <gtest/gtest.h>

namespace loadcast {
namespace {

TEST(RedactUrl, KeepsAUrlWithoutSecretsAsItIs) {
  for (const char* url : {"http://127.0.0.1:8080/hook", "https://hooks.example.com/a/b?channel=ops",
                          "https://example.com", "", "not a url", "http://host/path#frag"}) {
    EXPECT_EQ(RedactUrl(url), url);
  }
}

TEST(RedactUrl, RedactsTheUserInfo) {
  EXPECT_EQ(RedactUrl("https://user:pa55@hooks.example.com/x"), "https://***@hooks.example.com/x");
  EXPECT_EQ(RedactUrl("http://apikey@host:81/"), "http://***@host:81/");
  // An '@' after the authority is not user info.
  EXPECT_EQ(RedactUrl("http://host/p@th?to=a@b"), "http://host/p@th?to=a@b");
}

TEST(RedactUrl, RedactsTheValuesOfCredentialLikeQueryParameters) {
  EXPECT_EQ(RedactUrl("https://h/x?token=abc&channel=ops"), "https://h/x?token=***&channel=ops");
  EXPECT_EQ(RedactUrl("https://h/x?a=1&API_KEY=k&access_token=t&sig=s&Password=p&auth=z#top"),
            "https://h/x?a=1&API_KEY=***&access_token=***&sig=***&Password=***&auth=***#top");
  EXPECT_EQ(RedactUrl("https://u:p@h/x?secret=1"), "https://***@h/x?secret=***");
}

}  // namespace
}  // namespace loadcast
