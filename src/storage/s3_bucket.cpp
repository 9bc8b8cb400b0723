#include "storage/s3_bucket.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "core/errors.hpp"
#include "core/hash.hpp"
#include "core/url.hpp"
#include "storage/object_key.hpp"

namespace loadcast {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::string Trim(std::string text, char c) {
  while (!text.empty() && text.front() == c) text.erase(text.begin());
  while (!text.empty() && text.back() == c) text.pop_back();
  return text;
}

void AppendUtf8(std::string& out, unsigned long code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

/// XML character data with its five predefined entities and character references replaced.
/// An unknown or malformed entity is a StorageError: a key read wrongly must not be used.
std::string XmlUnescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const auto end = text.find(';', i);
    if (end == std::string_view::npos || end - i > 12) {
      throw StorageError("S3 answered malformed XML: an unterminated '&' entity");
    }
    const std::string_view entity = text.substr(i + 1, end - i - 1);
    if (entity == "amp") {
      out += '&';
    } else if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else if (entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      const std::string digits(entity.substr(hex ? 2 : 1));
      char* stop = nullptr;
      const unsigned long code = std::strtoul(digits.c_str(), &stop, hex ? 16 : 10);
      if (digits.empty() || *stop != '\0' || code > 0x10FFFF) {
        throw StorageError(fmt::format("S3 answered malformed XML: bad reference '&{};'", entity));
      }
      AppendUtf8(out, code);
    } else {
      throw StorageError(fmt::format("S3 answered malformed XML: unknown entity '&{};'", entity));
    }
    i = end;
  }
  return out;
}

/// The unescaped text of every <tag>...</tag> element in `xml`, in order. S3's answers are flat
/// enough for this: the elements read here hold text only.
std::vector<std::string> XmlTexts(std::string_view xml, std::string_view tag) {
  std::vector<std::string> texts;
  const std::string open = fmt::format("<{}>", tag);
  const std::string close = fmt::format("</{}>", tag);
  std::size_t pos = 0;
  while ((pos = xml.find(open, pos)) != std::string_view::npos) {
    const std::size_t start = pos + open.size();
    const std::size_t end = xml.find(close, start);
    if (end == std::string_view::npos) {
      throw StorageError(fmt::format("S3 answered malformed XML: <{}> is not closed", tag));
    }
    texts.push_back(XmlUnescape(xml.substr(start, end - start)));
    pos = end + close.size();
  }
  return texts;
}

std::string XmlText(std::string_view xml, std::string_view tag) {
  auto texts = XmlTexts(xml, tag);
  return texts.empty() ? "" : texts.front();
}

/// " (S3 error Code: Message)" from an error answer's XML body, or "" when it has none.
std::string ErrorDetail(std::string_view body) {
  std::string code;
  std::string message;
  try {
    code = XmlText(body, "Code");
    message = XmlText(body, "Message");
  } catch (const StorageError&) {
    return "";
  }
  if (code.empty() && message.empty()) return "";
  // A server may quote the request back (its URL, a signature, a credential): shown redacted.
  return RedactText(
      fmt::format(" ({}{}{})", code, code.empty() || message.empty() ? "" : ": ", message));
}

std::size_t WriteToString(char* data, std::size_t size, std::size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

/// Failures worth another attempt: the server may be restarting, overloaded or unreachable for
/// a moment.
bool IsTransient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

S3Bucket::S3Bucket(S3Options options) : options_(std::move(options)) {
  static std::once_flag curl_init;
  std::call_once(curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  if (options_.bucket.empty()) throw ConfigError("S3 bucket: the bucket name is empty");
  options_.prefix = Trim(options_.prefix, '/');
  if (options_.region.empty()) options_.region = Env("AWS_REGION");
  if (options_.region.empty()) options_.region = Env("AWS_DEFAULT_REGION");
  if (options_.region.empty()) options_.region = "us-east-1";
  if (!options_.path_style) options_.path_style = !options_.endpoint.empty();
  if (options_.endpoint.empty()) {
    options_.endpoint = fmt::format("https://s3.{}.amazonaws.com", options_.region);
  }
  if (!options_.credentials) {
    options_.credentials = sigv4::Credentials{
        Env("AWS_ACCESS_KEY_ID"), Env("AWS_SECRET_ACCESS_KEY"), Env("AWS_SESSION_TOKEN")};
  }
  if (options_.credentials->access_key_id.empty() ||
      options_.credentials->secret_access_key.empty()) {
    throw ConfigError(fmt::format(
        "S3 bucket '{}': no credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and "
        "AWS_SESSION_TOKEN for temporary ones)",
        options_.bucket));
  }

  // The endpoint as messages show it: user info in it is a credential.
  const std::string shown_endpoint = RedactUrl(options_.endpoint);
  const auto scheme_end = options_.endpoint.find("://");
  if (scheme_end == std::string::npos) {
    throw ConfigError(
        fmt::format("S3 endpoint '{}' is not a URL (like http://host:port)", shown_endpoint));
  }
  scheme_ = options_.endpoint.substr(0, scheme_end);
  if (scheme_ != "http" && scheme_ != "https") {
    throw ConfigError(fmt::format("S3 endpoint '{}': unsupported scheme '{}' (valid: http, https)",
                                  shown_endpoint, scheme_));
  }
  const std::string rest = options_.endpoint.substr(scheme_end + 3);
  const auto slash = rest.find('/');
  authority_ = rest.substr(0, slash);
  base_path_ = slash == std::string::npos ? "" : Trim(rest.substr(slash), '/');
  if (!base_path_.empty()) base_path_ = "/" + base_path_;
  if (authority_.empty() || authority_.find('@') != std::string::npos) {
    throw ConfigError(
        fmt::format("S3 endpoint '{}' needs a host (and no user info)", shown_endpoint));
  }
}

std::string S3Bucket::ObjectKey(const std::string& key) const {
  CheckObjectKey(key);
  return options_.prefix.empty() ? key : options_.prefix + "/" + key;
}

std::string S3Bucket::Locate(const std::string& key) const {
  return fmt::format("s3://{}/{}", options_.bucket, ObjectKey(key));
}

S3Bucket::Response S3Bucket::Send(const std::string& method, const std::string& object_key,
                                  const std::vector<std::pair<std::string, std::string>>& query,
                                  std::string_view body, const std::string& what) const {
  const bool path_style = options_.path_style.value_or(true);
  const std::string host = path_style ? authority_ : options_.bucket + "." + authority_;
  std::string path = base_path_;
  if (path_style) path += "/" + options_.bucket;
  if (!object_key.empty() || !path_style) path += "/" + object_key;

  sigv4::Request request{.method = method,
                         .path = path,
                         .query = query,
                         .headers = {},
                         .payload_hash = Sha256Hex(body)};
  std::string url = scheme_ + "://" + host + sigv4::CanonicalUri(path);
  const std::string query_string = sigv4::CanonicalQueryString(query);
  if (!query_string.empty()) url += "?" + query_string;

  const int attempts = std::max(0, options_.max_retries) + 1;
  thread_local std::mt19937 random(std::random_device{}());
  for (int attempt = 1;; ++attempt) {
    const auto now = std::chrono::system_clock::now();
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    request.headers = {{"host", host},
                       {"x-amz-date", sigv4::AmzDate(seconds)},
                       {"x-amz-content-sha256", request.payload_hash}};
    if (!options_.credentials->session_token.empty()) {
      request.headers.emplace_back("x-amz-security-token", options_.credentials->session_token);
    }
    const sigv4::Signature signature = sigv4::Sign(request, *options_.credentials, options_.region);

    std::unique_ptr<curl_slist, SlistDeleter> headers;
    auto add_header = [&headers](const std::string& line) {
      curl_slist* list = curl_slist_append(headers.get(), line.c_str());
      if (list == nullptr) throw StorageError("S3: out of memory building a request");
      (void)headers.release();
      headers.reset(list);
    };
    for (const auto& [name, value] : request.headers) add_header(name + ": " + value);
    add_header("Authorization: " + signature.authorization);
    add_header("Expect:");  // no 100-continue round trip before a PUT's body

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) throw StorageError("S3: cannot create a curl handle");
    Response response;
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "loadcast");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &WriteToString);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
    const double total = std::max(0.001, options_.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(total * 1000));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min(total, options_.connect_timeout_seconds) * 1000));
    if (method == "GET") {
      curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else if (method == "PUT") {
      add_header("Content-Type: application/octet-stream");
      curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.empty() ? "" : body.data());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    } else {
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    }

    const CURLcode code = curl_easy_perform(c);
    std::string failure;
    bool retry = false;
    if (code != CURLE_OK) {
      failure = fmt::format("{} ({})", curl_easy_strerror(code), RedactUrl(options_.endpoint));
      retry = IsTransient(code);
    } else {
      curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
      if (response.status >= 200 && response.status < 300) return response;
      failure = fmt::format("HTTP {}{}", response.status, ErrorDetail(response.body));
      retry = response.status >= 500 || response.status == 429;
    }
    if (retry && attempt < attempts) {
      // Exponential backoff with full jitter in its upper half, so that clients retrying at
      // once spread out.
      const double delay = std::min(20.0, options_.retry_base_seconds * std::pow(2, attempt - 1));
      std::uniform_real_distribution<double> jitter(0.5, 1.0);
      std::this_thread::sleep_for(std::chrono::duration<double>(delay * jitter(random)));
      continue;
    }
    const std::string tries = attempt > 1 ? fmt::format(" after {} attempts", attempt) : "";
    if (code != CURLE_OK || response.status >= 500 || response.status == 429) {
      throw StorageError(fmt::format("S3 {} failed{}: {}", what, tries, failure));
    }
    const std::string error_code = XmlText(response.body, "Code");
    if (response.status == 404 && error_code == "NoSuchBucket") {
      throw StorageError(fmt::format("S3 {} failed: bucket '{}' does not exist at {}{}", what,
                                     options_.bucket, RedactUrl(options_.endpoint),
                                     ErrorDetail(response.body)));
    }
    if (response.status == 404) return response;
    if (response.status == 403) {
      throw StorageError(fmt::format(
          "S3 {} failed: access denied, {}; check the credentials (AWS_ACCESS_KEY_ID, "
          "AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) and their permissions on bucket '{}'",
          what, failure, options_.bucket));
    }
    throw StorageError(fmt::format("S3 {} failed: {}", what, failure));
  }
}

std::optional<std::string> S3Bucket::Get(const std::string& key) const {
  const std::string object_key = ObjectKey(key);
  Response response = Send("GET", object_key, {}, {}, "get of " + Locate(key));
  if (response.status == 404) return std::nullopt;  // NoSuchKey
  return std::move(response.body);
}

void S3Bucket::Put(const std::string& key, std::string_view bytes) {
  const std::string object_key = ObjectKey(key);
  const Response response = Send("PUT", object_key, {}, bytes, "put of " + Locate(key));
  if (response.status == 404) {
    throw StorageError(
        fmt::format("S3 put of {} failed: HTTP 404{}", Locate(key), ErrorDetail(response.body)));
  }
}

std::vector<std::string> S3Bucket::List(const std::string& prefix) const {
  const std::string full_prefix = options_.prefix.empty() ? prefix : options_.prefix + "/" + prefix;
  const std::string what = fmt::format("list of s3://{}/{}", options_.bucket, full_prefix);
  std::vector<std::string> keys;
  std::string token;
  for (;;) {
    std::vector<std::pair<std::string, std::string>> query = {
        {"list-type", "2"},
        {"prefix", full_prefix},
        {"max-keys", std::to_string(std::clamp(options_.list_page_size, 1, 1000))}};
    if (!token.empty()) query.emplace_back("continuation-token", token);
    const Response response = Send("GET", "", query, {}, what);
    if (response.status == 404) {
      throw StorageError(fmt::format("S3 {} failed: HTTP 404{}", what, ErrorDetail(response.body)));
    }
    const std::size_t strip = options_.prefix.empty() ? 0 : options_.prefix.size() + 1;
    for (const std::string& key : XmlTexts(response.body, "Key")) {
      if (key.size() > strip && key.starts_with(full_prefix)) keys.push_back(key.substr(strip));
    }
    if (XmlText(response.body, "IsTruncated") != "true") break;
    const std::string next = XmlText(response.body, "NextContinuationToken");
    if (next.empty() || next == token) {
      throw StorageError(
          fmt::format("S3 {} failed: a truncated page without a new continuation token", what));
    }
    token = next;
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

void S3Bucket::Remove(const std::string& key) {
  // S3 answers 204 for a key that does not exist: removing is idempotent, as for LocalBucket.
  Send("DELETE", ObjectKey(key), {}, {}, "remove of " + Locate(key));
}

}  // namespace loadcast
