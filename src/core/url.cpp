#include "core/url.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace loadcast {
namespace {

constexpr std::string_view kRedacted = "***";

/// Parts of query parameter names that mark a credential, matched case-insensitively.
constexpr std::array<std::string_view, 7> kSecretNameParts = {"token", "key", "secret", "pass",
                                                              "pwd",   "sig", "auth"};

bool NamesASecret(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::any_of(kSecretNameParts.begin(), kSecretNameParts.end(),
                     [&](std::string_view part) { return lower.find(part) != std::string::npos; });
}

/// Query "a=1&token=x" with the values of secret-looking parameters redacted.
std::string RedactQuery(std::string_view query) {
  std::string out;
  std::size_t start = 0;
  while (start <= query.size()) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    const std::string_view pair = query.substr(start, end - start);
    const std::size_t eq = pair.find('=');
    if (start > 0) out += '&';
    if (eq != std::string_view::npos && NamesASecret(pair.substr(0, eq))) {
      out += pair.substr(0, eq + 1);
      out += kRedacted;
    } else {
      out += pair;
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string RedactUrl(std::string_view url) {
  std::string out;
  // The authority starts after "scheme://" and ends at the first '/', '?' or '#'.
  const std::size_t scheme_end = url.find("://");
  const std::size_t authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const std::size_t authority_end = std::min(url.find_first_of("/?#", authority), url.size());
  const std::size_t at = url.substr(0, authority_end).rfind('@');
  if (at != std::string_view::npos && at >= authority) {
    out += url.substr(0, authority);
    out += kRedacted;
    out += url.substr(at, authority_end - at);
  } else {
    out += url.substr(0, authority_end);
  }
  std::string_view rest = url.substr(authority_end);
  const std::size_t fragment = rest.find('#');
  const std::string_view before_fragment = rest.substr(0, fragment);
  const std::size_t question = before_fragment.find('?');
  if (question == std::string_view::npos) {
    out += before_fragment;
  } else {
    out += before_fragment.substr(0, question + 1);
    out += RedactQuery(before_fragment.substr(question + 1));
  }
  if (fragment != std::string_view::npos) out += rest.substr(fragment);
  return out;
}

}  // namespace loadcast
