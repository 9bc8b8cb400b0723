#include "storage/alert_notifier.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/errors.hpp"
#include "core/url.hpp"
#include "storage/record_json.hpp"

namespace loadcast {
namespace {

/// Decodes %XX escapes (user info may hold reserved characters escaped).
std::string PercentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const std::string hex(text.substr(i + 1, 2));
      char* end = nullptr;
      const long value = std::strtol(hex.c_str(), &end, 16);
      if (end == hex.c_str() + 2) {
        out += static_cast<char>(value);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace

WebhookNotifier::WebhookNotifier(std::string url, double timeout_seconds)
    : url_(std::move(url)), timeout_seconds_(timeout_seconds) {
  const std::size_t scheme_end = url_.find("://");
  if (scheme_end == std::string::npos) {
    throw ConfigError(fmt::format("alerts.webhook_url '{}' is not a URL", RedactUrl(url_)));
  }
  const std::size_t authority = scheme_end + 3;
  const std::size_t authority_end = std::min(url_.find_first_of("/?#", authority), url_.size());
  std::string host_port = url_.substr(authority, authority_end - authority);
  const std::size_t at = host_port.rfind('@');
  if (at != std::string::npos) {
    const std::string user_info = host_port.substr(0, at);
    const std::size_t colon = user_info.find(':');
    user_ = PercentDecode(user_info.substr(0, colon));
    if (colon != std::string::npos) password_ = PercentDecode(user_info.substr(colon + 1));
    host_port = host_port.substr(at + 1);
  }
  if (host_port.empty()) {
    throw ConfigError(fmt::format("alerts.webhook_url '{}' names no host", RedactUrl(url_)));
  }
  origin_ = url_.substr(0, authority) + host_port;
  target_ = url_.substr(authority_end, url_.find('#', authority_end) - authority_end);
  if (target_.empty() || target_.front() != '/') target_ = "/" + target_;
}

std::string WebhookNotifier::location() const { return RedactUrl(url_); }

void WebhookNotifier::Notify(const AlertRecord& alert) {
  httplib::Client client(origin_);
  if (!client.is_valid()) {
    throw StorageError(fmt::format("webhook {}: cannot make a client for it", location()));
  }
  const double whole = std::floor(timeout_seconds_);
  const auto seconds = static_cast<time_t>(whole);
  const auto micros = static_cast<time_t>((timeout_seconds_ - whole) * 1e6);
  client.set_connection_timeout(seconds, micros);
  client.set_read_timeout(seconds, micros);
  client.set_write_timeout(seconds, micros);
  if (!user_.empty() || !password_.empty()) client.set_basic_auth(user_, password_);
  const auto result = client.Post(target_, ToJson(alert).dump(), "application/json");
  if (!result) {
    throw StorageError(
        fmt::format("webhook {}: {}", location(), httplib::to_string(result.error())));
  }
  if (result->status < 200 || result->status >= 300) {
    throw StorageError(fmt::format("webhook {}: answered HTTP {}", location(), result->status));
  }
}

}  // namespace loadcast
