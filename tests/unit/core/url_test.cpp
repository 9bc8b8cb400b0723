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

TEST(RedactUrl, RedactsSessionCodeAndSignatureLikeParametersWhateverTheirSpelling) {
  EXPECT_EQ(RedactUrl("https://h/x?code=c&hmac=h&jwt=j&credential=c2&sessionid=s&channel=ops"),
            "https://h/x?code=***&hmac=***&jwt=***&credential=***&sessionid=***&channel=ops");
  // A percent-encoded name is decoded before it is matched.
  EXPECT_EQ(RedactUrl("https://h/x?t%6fken=abc&%54OKEN=def"),
            "https://h/x?t%6fken=***&%54OKEN=***");
  EXPECT_EQ(RedactUrl("https://h/x?t%256fken=abc"), "https://h/x?t%256fken=***");
  // ';' separates parameters as '&' does.
  EXPECT_EQ(RedactUrl("https://h/x?channel=ops;token=abc"), "https://h/x?channel=ops;token=***");
  // A fragment's parameters follow the same rule.
  EXPECT_EQ(RedactUrl("https://h/cb#access_token=abc&state=1"),
            "https://h/cb#access_token=***&state=1");
  EXPECT_EQ(RedactUrl("https://h/x?channel=ops#sig=abc"), "https://h/x?channel=ops#sig=***");
}

TEST(RedactUrl, RedactsThePasswordOfALibpqKeywordString) {
  EXPECT_EQ(RedactUrl("host=db user=u password=PW dbname=x"),
            "host=db user=u password=*** dbname=x");
  EXPECT_EQ(RedactUrl("host=db password='a b\\' c' port=5432"), "host=db password=*** port=5432");
  EXPECT_EQ(RedactUrl("dbname = x password = PW"), "dbname = x password =***");
}

TEST(LooksLikeKeywordDsn, TellsKeywordStringsFromPathsAndUrls) {
  EXPECT_TRUE(LooksLikeKeywordDsn("host=db password=PW"));
  EXPECT_TRUE(LooksLikeKeywordDsn("  dbname = loadcast"));
  EXPECT_FALSE(LooksLikeKeywordDsn("var/loadcast.db"));
  EXPECT_FALSE(LooksLikeKeywordDsn("postgresql://u:p@h/db?host=x"));
  EXPECT_FALSE(LooksLikeKeywordDsn("runs=3.db"));
  EXPECT_FALSE(LooksLikeKeywordDsn(""));
}

TEST(RedactText, RedactsEveryUrlAndCredentialLikeParameterInAMessage) {
  EXPECT_EQ(RedactText("S3 endpoint 'http://u:PW@127.0.0.1:9/' needs a host"),
            "S3 endpoint 'http://***@127.0.0.1:9/' needs a host");
  EXPECT_EQ(RedactText("GET /b/k?X-Amz-Credential=AK%2F1&X-Amz-Signature=abc123 failed"),
            "GET /b/k?X-Amz-Credential=***&X-Amz-Signature=*** failed");
  EXPECT_EQ(RedactText("Signature=abc, Region=eu"), "Signature=***, Region=eu");
  EXPECT_EQ(RedactText("plain text: nothing to hide"), "plain text: nothing to hide");
}

}  // namespace
}  // namespace loadcast
