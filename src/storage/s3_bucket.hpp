// A bucket in an S3-compatible object store (AWS S3, MinIO, s3rver, ...), over HTTP with libcurl
// and requests signed with AWS Signature Version 4.
#pragma once

#include <optional>
#include <string>

#include "storage/object_store.hpp"
#include "storage/sigv4.hpp"

namespace loadcast {

struct S3Options {
  std::string bucket;
  /// Keys are stored under "<prefix>/"; leading and trailing '/' are ignored; empty: the root.
  std::string prefix;
  /// "http://127.0.0.1:4569"; empty: "https://s3.<region>.amazonaws.com".
  std::string endpoint;
  /// Empty: AWS_REGION, else AWS_DEFAULT_REGION, else "us-east-1".
  std::string region;
  /// Path-style URLs (endpoint/bucket/key) rather than virtual-hosted ones (bucket.host/key);
  /// unset: path-style when an endpoint is given.
  std::optional<bool> path_style;
  double timeout_seconds = 30;          // each request as a whole
  double connect_timeout_seconds = 10;  // each connection (at most timeout_seconds)
  /// Retries after a 5xx, a 429 or a connection failure or timeout (0: one attempt only).
  int max_retries = 4;
  /// The first retry waits about this long, each next one twice as long (with jitter).
  double retry_base_seconds = 0.2;
  /// Keys asked for per ListObjectsV2 page (S3 answers at most 1000).
  int list_page_size = 1000;
  /// Unset: from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
  std::optional<sigv4::Credentials> credentials;
};

class S3Bucket final : public ObjectStore {
 public:
  /// ConfigError when the bucket name is empty or no credentials are given or set.
  explicit S3Bucket(S3Options options);
  std::optional<std::string> Get(const std::string& key) const override;
  /// One PUT: S3 stores an object atomically.
  void Put(const std::string& key, std::string_view bytes) override;
  std::vector<std::string> List(const std::string& prefix) const override;
  void Remove(const std::string& key) override;
  /// "s3://bucket/prefix/key".
  std::string Locate(const std::string& key) const override;

  struct Response {
    long status = 0;
    std::string body;
  };

 private:
  /// Sends one signed request, retrying transient failures; throws StorageError on failures
  /// other than a 404, which is returned for the caller to judge.
  Response Send(const std::string& method, const std::string& object_key,
                const std::vector<std::pair<std::string, std::string>>& query,
                std::string_view body, const std::string& what) const;
  std::string ObjectKey(const std::string& key) const;

  S3Options options_;
  std::string scheme_;     // "http" or "https"
  std::string authority_;  // host[:port] of the endpoint
  std::string base_path_;  // path of the endpoint, without a trailing '/'
};

}  // namespace loadcast
