// S3Bucket against a real S3-compatible server (s3rver, see tests/support/s3_server.hpp), and
// against a tiny local HTTP server for the retry policy.
#include "storage/s3_bucket.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "core/config.hpp"
#include "core/errors.hpp"
#include "storage/backends.hpp"
#include "support/s3_server.hpp"

namespace loadcast {
namespace {

using testing::S3Server;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class S3BucketTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<S3Server>(); }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    if (!server_->available()) GTEST_SKIP() << server_->skip_reason();
    bucket_name_ = server_->NewBucket();
    ASSERT_FALSE(bucket_name_.empty()) << server_->skip_reason();
  }

  S3Options Options(const std::string& prefix = "data") const {
    S3Options options;
    options.bucket = bucket_name_;
    options.prefix = prefix;
    options.endpoint = server_->endpoint();
    options.credentials = sigv4::Credentials{S3Server::kAccessKey, S3Server::kSecretKey, ""};
    options.retry_base_seconds = 0.01;
    return options;
  }

  static std::unique_ptr<S3Server> server_;
  std::string bucket_name_;
};

std::unique_ptr<S3Server> S3BucketTest::server_;

TEST_F(S3BucketTest, PutThenGetReturnsTheBytes) {
  S3Bucket bucket(Options());
  const std::string bytes = std::string("date,load\n2020-01-01,1\n") + '\0' + "\xff binary";
  bucket.Put("actuals/2020.csv", bytes);
  EXPECT_EQ(bucket.Get("actuals/2020.csv"), bytes);
  bucket.Put("actuals/2020.csv", "replaced");
  EXPECT_EQ(bucket.Get("actuals/2020.csv"), "replaced");
  bucket.Put("empty", "");
  EXPECT_EQ(bucket.Get("empty"), "");
}

TEST_F(S3BucketTest, GetOfMissingKeyIsNullopt) {
  S3Bucket bucket(Options());
  EXPECT_EQ(bucket.Get("actuals/1999.csv"), std::nullopt);
}

TEST_F(S3BucketTest, ListReturnsSortedKeysWithThePrefix) {
  S3Bucket bucket(Options());
  bucket.Put("models/year/b/model.json", "{}");
  bucket.Put("actuals/2021.csv", "x");
  bucket.Put("actuals/2006.csv", "x");
  EXPECT_EQ(bucket.List("actuals/"),
            (std::vector<std::string>{"actuals/2006.csv", "actuals/2021.csv"}));
  EXPECT_EQ(bucket.List(""), (std::vector<std::string>{"actuals/2006.csv", "actuals/2021.csv",
                                                       "models/year/b/model.json"}));
  EXPECT_TRUE(bucket.List("quarantine/").empty());
}

TEST_F(S3BucketTest, ListFollowsContinuationTokensAcrossPages) {
  S3Options options = Options();
  options.list_page_size = 7;
  S3Bucket bucket(options);
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) {
    expected.push_back(fmt::format("page/{:03}", i));
    bucket.Put(expected.back(), std::to_string(i));
  }
  EXPECT_EQ(bucket.List("page/"), expected);
}

TEST_F(S3BucketTest, RemoveDeletesAndIsIdempotent) {
  S3Bucket bucket(Options());
  bucket.Put("a", "1");
  bucket.Remove("a");
  EXPECT_EQ(bucket.Get("a"), std::nullopt);
  EXPECT_TRUE(bucket.List("").empty());
  EXPECT_NO_THROW(bucket.Remove("a"));
}

TEST_F(S3BucketTest, PrefixesIsolateStores) {
  S3Bucket one(Options("team/one"));
  S3Bucket two(Options("/team/two/"));
  S3Bucket root(Options(""));
  one.Put("actuals/2020.csv", "one");
  two.Put("actuals/2020.csv", "two");
  EXPECT_EQ(one.Get("actuals/2020.csv"), "one");
  EXPECT_EQ(two.Get("actuals/2020.csv"), "two");
  EXPECT_EQ(one.List(""), std::vector<std::string>{"actuals/2020.csv"});
  EXPECT_EQ(root.List("team/"),
            (std::vector<std::string>{"team/one/actuals/2020.csv", "team/two/actuals/2020.csv"}));
  EXPECT_EQ(one.Locate("actuals/2020.csv"), "s3://" + bucket_name_ + "/team/one/actuals/2020.csv");
}

TEST_F(S3BucketTest, KeysWithSpacesUnicodeAndXmlCharactersRoundTrip) {
  S3Bucket bucket(Options());
  const std::vector<std::string> keys = {"a b/c d.csv", "caf\xc3\xa9/\xe2\x82\xac.csv",
                                         "x&y<z>'q\".csv", "plus+eq=pct%20.csv"};
  for (const auto& key : keys) bucket.Put(key, key);
  for (const auto& key : keys) EXPECT_EQ(bucket.Get(key), key) << key;
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(bucket.List(""), sorted);
}

TEST_F(S3BucketTest, MissingBucketIsAStorageErrorNamingIt) {
  S3Options options = Options();
  options.bucket = "no-such-bucket-loadcast";
  S3Bucket bucket(options);
  try {
    bucket.List("");
    FAIL() << "no error";
  } catch (const StorageError& e) {
    EXPECT_TRUE(Contains(e.what(), "no-such-bucket-loadcast")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "does not exist")) << e.what();
  }
  EXPECT_THROW(bucket.Put("a", "1"), StorageError);
  EXPECT_THROW(bucket.Get("a"), StorageError);
}

TEST_F(S3BucketTest, UnknownAccessKeyIsAStorageErrorAboutCredentials) {
  S3Options options = Options();
  options.credentials->access_key_id = "NOT-A-KEY";
  options.credentials->secret_access_key = "not-the-secret-xyz";
  S3Bucket bucket(options);
  try {
    bucket.Put("actuals/2020.csv", "x");
    FAIL() << "no error";
  } catch (const StorageError& e) {
    const std::string message = e.what();
    EXPECT_TRUE(Contains(message, "HTTP 403")) << message;
    EXPECT_TRUE(Contains(message, "credentials")) << message;
    EXPECT_TRUE(Contains(message, "InvalidAccessKeyId")) << message;
    EXPECT_TRUE(Contains(message, bucket_name_ + "/data/actuals/2020.csv")) << message;
    EXPECT_FALSE(Contains(message, "not-the-secret-xyz")) << message;
  }
}

TEST_F(S3BucketTest, WrongSecretIsAStorageErrorAboutCredentials) {
  // s3rver checks the access key but not SigV4 signatures; a server that does (MinIO, AWS) can
  // be given in LOADCAST_TEST_S3_ENDPOINT.
  S3Options options = Options();
  options.credentials->secret_access_key = "not-the-secret-xyz";
  S3Bucket bucket(options);
  try {
    bucket.Put("actuals/2020.csv", "x");
    GTEST_SKIP() << "the server at " << options.endpoint
                 << " does not verify SigV4 signatures (s3rver); point LOADCAST_TEST_S3_ENDPOINT "
                    "at one that does (MinIO, AWS)";
  } catch (const StorageError& e) {
    const std::string message = e.what();
    EXPECT_TRUE(Contains(message, "HTTP 403")) << message;
    EXPECT_TRUE(Contains(message, "credentials")) << message;
    EXPECT_TRUE(Contains(message, "SignatureDoesNotMatch")) << message;
    EXPECT_TRUE(Contains(message, bucket_name_)) << message;
    EXPECT_FALSE(Contains(message, "not-the-secret-xyz")) << message;
  }
}

TEST(S3BucketOptionsTest, CredentialsComeFromTheEnvironment) {
  setenv("AWS_ACCESS_KEY_ID", "", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "", 1);
  S3Options options;
  options.bucket = "b";
  options.endpoint = "http://127.0.0.1:1";
  EXPECT_THROW(S3Bucket{options}, ConfigError);
  setenv("AWS_ACCESS_KEY_ID", "id", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
  EXPECT_NO_THROW(S3Bucket{options});
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  options.bucket = "";
  options.credentials = sigv4::Credentials{"id", "secret", ""};
  EXPECT_THROW(S3Bucket{options}, ConfigError);
  options.bucket = "b";
  options.endpoint = "ftp://host";
  EXPECT_THROW(S3Bucket{options}, ConfigError);
}

TEST(S3BucketOptionsTest, OpenObjectStoreBuildsAnS3BucketFromAnS3Url) {
  Config config = DefaultConfig("/tmp");
  config.storage_url = "s3://my-bucket/team/loadcast/";
  config.storage_s3.endpoint = "http://127.0.0.1:1";
  setenv("AWS_ACCESS_KEY_ID", "id", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
  const auto store = OpenObjectStore(config);
  EXPECT_EQ(store->Locate("actuals/2020.csv"), "s3://my-bucket/team/loadcast/actuals/2020.csv");
  config.storage_url = "s3:///prefix";
  EXPECT_THROW(OpenObjectStore(config), ConfigError);
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  config.storage_url = "s3://my-bucket";
  EXPECT_THROW(OpenObjectStore(config), ConfigError);  // no credentials
}

/// A local HTTP server that answers each request with the next status of a script (the last
/// repeating), counting the requests, and checks that they are signed.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    auto handler = [this](const httplib::Request& request, httplib::Response& response) {
      const int n = count_++;
      if (!request.get_header_value("Authorization").starts_with("AWS4-HMAC-SHA256 ")) {
        response.status = 400;
        return;
      }
      response.status = statuses_[std::min<std::size_t>(n, statuses_.size() - 1)];
      if (response.status == 200) {
        response.set_content("payload", "application/octet-stream");
      } else {
        response.set_content(fmt::format("<?xml version=\"1.0\"?><Error><Code>{}</Code>"
                                         "<Message>scripted</Message></Error>",
                                         response.status == 403 ? "AccessDenied" : "SlowDown"),
                             "application/xml");
      }
    };
    server_.Get(".*", handler);
    server_.Put(".*", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~ScriptedServer() {
    server_.stop();
    thread_.join();
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int count() const { return count_; }

 private:
  std::vector<int> statuses_;
  std::atomic<int> count_{0};
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

S3Options ScriptedOptions(const std::string& endpoint) {
  S3Options options;
  options.bucket = "b";
  options.endpoint = endpoint;
  options.credentials = sigv4::Credentials{"id", "secret", "session"};
  options.retry_base_seconds = 0.01;
  options.max_retries = 4;
  return options;
}

TEST(S3BucketRetryTest, RetriesServerErrorsUntilSuccess) {
  ScriptedServer server({503, 503, 200});
  S3Bucket bucket(ScriptedOptions(server.endpoint()));
  EXPECT_EQ(bucket.Get("k"), "payload");
  EXPECT_EQ(server.count(), 3);
}

TEST(S3BucketRetryTest, RetriesThrottlingThenGivesUpNamingTheAttempts) {
  ScriptedServer server({429});
  S3Options options = ScriptedOptions(server.endpoint());
  options.max_retries = 2;
  S3Bucket bucket(options);
  try {
    bucket.Put("k", "v");
    FAIL() << "no error";
  } catch (const StorageError& e) {
    EXPECT_TRUE(Contains(e.what(), "after 3 attempts")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "429")) << e.what();
  }
  EXPECT_EQ(server.count(), 3);
}

TEST(S3BucketRetryTest, DoesNotRetryAccessDenied) {
  ScriptedServer server({403, 200});
  S3Bucket bucket(ScriptedOptions(server.endpoint()));
  try {
    bucket.Get("k");
    FAIL() << "no error";
  } catch (const StorageError& e) {
    EXPECT_TRUE(Contains(e.what(), "AccessDenied: scripted")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "credentials")) << e.what();
    EXPECT_FALSE(Contains(e.what(), "secret,")) << e.what();
  }
  EXPECT_EQ(server.count(), 1);
}

/// A loopback socket bound to a free port, listening (connections queue, nobody answers) or not
/// (connections are refused); closed when it goes out of scope.
class LoopbackSocket {
 public:
  explicit LoopbackSocket(bool listening) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), length), 0);
    EXPECT_EQ(getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length), 0);
    port_ = ntohs(address.sin_port);
    if (listening) {
      EXPECT_EQ(listen(fd_, 8), 0);
    }
  }
  ~LoopbackSocket() { close(fd_); }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_;
  int port_ = 0;
};

TEST(S3BucketRetryTest, RetriesRefusedConnections) {
  LoopbackSocket closed(/*listening=*/false);
  S3Options options = ScriptedOptions(closed.endpoint());
  options.max_retries = 1;
  S3Bucket bucket(options);
  try {
    bucket.Get("k");
    FAIL() << "no error";
  } catch (const StorageError& e) {
    EXPECT_TRUE(Contains(e.what(), "after 2 attempts")) << e.what();
    EXPECT_TRUE(Contains(e.what(), closed.endpoint())) << e.what();
  }
}

TEST(S3BucketRetryTest, RetriesTimeouts) {
  LoopbackSocket silent(/*listening=*/true);
  S3Options options = ScriptedOptions(silent.endpoint());
  options.max_retries = 1;
  options.timeout_seconds = 0.3;
  S3Bucket bucket(options);
  const auto start = std::chrono::steady_clock::now();
  try {
    bucket.Get("k");
    FAIL() << "no error";
  } catch (const StorageError& e) {
    EXPECT_TRUE(Contains(e.what(), "after 2 attempts")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "imeout")) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace loadcast
