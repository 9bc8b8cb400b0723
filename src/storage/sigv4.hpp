// AWS Signature Version 4 for S3 requests, over OpenSSL's HMAC and SHA-256: the canonical request,
// the string to sign, the signing key and the Authorization header, as AWS documents them.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loadcast::sigv4 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty: none (long-term keys)
};

/// The parts of an HTTP request that the signature covers.
struct Request {
  std::string method;  // "GET", "PUT", ...
  std::string path;    // not encoded: "/bucket/my key.csv" (S3 encodes each segment once)
  std::vector<std::pair<std::string, std::string>> query;    // not encoded; "lifecycle" -> ""
  std::vector<std::pair<std::string, std::string>> headers;  // signed; need host, x-amz-date
  std::string payload_hash;  // lower-case hex SHA-256 of the body (x-amz-content-sha256)
};

/// What signing produced, including the intermediate texts (for tests and debugging; none
/// contains the secret key).
struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // lower-case hex
  std::string authorization;  // the Authorization header's value
};

/// Percent-encodes every byte but A-Z a-z 0-9 - _ . ~ (and '/' unless `encode_slash`), in
/// upper-case hex, as SigV4 requires.
std::string UriEncode(std::string_view text, bool encode_slash);
/// The canonical URI of a path: each '/'-separated segment encoded once; "" becomes "/".
std::string CanonicalUri(std::string_view path);
/// Encoded name=value pairs sorted by name, then value, joined with '&' (also usable as the
/// URL's query string).
std::string CanonicalQueryString(const std::vector<std::pair<std::string, std::string>>& query);

/// Raw (binary) HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);
/// The signing key of a day ("20130524"), region and service: the chained HMACs from "AWS4" +
/// the secret key.
std::string SigningKey(std::string_view secret_access_key, std::string_view date,
                       std::string_view region, std::string_view service);

std::string CanonicalRequest(const Request& request);
/// Signs `request`, whose headers must include "x-amz-date" (YYYYMMDD'T'HHMMSS'Z') and "host".
/// Header names may be in any case; values are trimmed and inner runs of spaces collapsed.
Signature Sign(const Request& request, const Credentials& credentials, std::string_view region,
               std::string_view service = "s3");

/// The x-amz-date value (basic ISO 8601, UTC) of a Unix time.
std::string AmzDate(long long unix_seconds);

}  // namespace loadcast::sigv4
