#include "core/url.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace loadcast {
namespace {

constexpr std::string_view kRedacted = "***";

/// Parts of parameter names that mark a credential, matched case-insensitively.
constexpr std::array<std::string_view, 12> kSecretNameParts = {"token", "key", "secret", "pass",
                                                               "pwd",   "sig", "auth",   "code",
                                                               "hmac",  "jwt", "cred",   "session"};

/// libpq's connection keywords that can start a keyword connection string.
constexpr std::array<std::string_view, 14> kDsnKeywords = {"host",
                                                           "hostaddr",
                                                           "port",
                                                           "dbname",
                                                           "user",
                                                           "password",
                                                           "passfile",
                                                           "sslmode",
                                                           "service",
                                                           "options",
                                                           "sslcert",
                                                           "sslkey",
                                                           "connect_timeout",
                                                           "target_session_attrs"};

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// The name percent-decoded ('+' read as a space) and lower-cased: "T%6fKen" reads "token".
std::string DecodedLowerName(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '%' && i + 2 < name.size() && HexDigit(name[i + 1]) >= 0 &&
        HexDigit(name[i + 2]) >= 0) {
      c = static_cast<char>(HexDigit(name[i + 1]) * 16 + HexDigit(name[i + 2]));
      i += 2;
    } else if (c == '+') {
      c = ' ';
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool NamesASecret(std::string_view name) {
  // Decoded until it no longer changes, so that an encoded '%' ("t%256fken") hides nothing.
  std::string lower = DecodedLowerName(name);
  for (int round = 0; round < 4; ++round) {
    std::string again = DecodedLowerName(lower);
    if (again == lower) break;
    lower = std::move(again);
  }
  return std::any_of(kSecretNameParts.begin(), kSecretNameParts.end(),
                     [&](std::string_view part) { return lower.find(part) != std::string::npos; });
}

/// Parameters "a=1&token=x;sig=y" with the values of secret-looking parameters redacted.
std::string RedactParameters(std::string_view parameters) {
  std::string out;
  std::size_t start = 0;
  while (start <= parameters.size()) {
    const std::size_t end = std::min(parameters.find_first_of("&;", start), parameters.size());
    const std::string_view pair = parameters.substr(start, end - start);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && NamesASecret(pair.substr(0, eq))) {
      out += pair.substr(0, eq + 1);
      out += kRedacted;
    } else {
      out += pair;
    }
    if (end < parameters.size()) out += parameters[end];
    start = end + 1;
  }
  return out;
}

/// A libpq keyword string with the values of secret-looking keywords redacted; a value may be
/// single-quoted with backslash escapes.
std::string RedactKeywordDsn(std::string_view dsn) {
  std::string out;
  std::size_t i = 0;
  while (i < dsn.size()) {
    const std::size_t eq = dsn.find('=', i);
    if (eq == std::string_view::npos) {
      out += dsn.substr(i);
      break;
    }
    const std::string_view name = dsn.substr(i, eq - i);
    out += name;
    out += '=';
    std::size_t j = eq + 1;
    while (j < dsn.size() && (dsn[j] == ' ' || dsn[j] == '\t')) ++j;
    std::size_t value_end = j;
    if (value_end < dsn.size() && dsn[value_end] == '\'') {
      ++value_end;
      while (value_end < dsn.size() && dsn[value_end] != '\'') {
        value_end += dsn[value_end] == '\\' ? 2 : 1;
      }
      value_end = std::min(value_end + 1, dsn.size());
    } else {
      while (value_end < dsn.size() && dsn[value_end] != ' ' && dsn[value_end] != '\t') {
        ++value_end;
      }
    }
    out += NamesASecret(name) ? std::string(kRedacted)
                              : std::string(dsn.substr(eq + 1, value_end - eq - 1));
    i = value_end;
    while (i < dsn.size() && (dsn[i] == ' ' || dsn[i] == '\t')) out += dsn[i++];
  }
  return out;
}

}  // namespace

bool LooksLikeKeywordDsn(std::string_view text) {
  if (text.find("://") != std::string_view::npos) return false;
  std::size_t start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) return false;
  const std::size_t eq = text.find('=', start);
  if (eq == std::string_view::npos) return false;
  std::string_view name = text.substr(start, eq - start);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  return std::find(kDsnKeywords.begin(), kDsnKeywords.end(), name) != kDsnKeywords.end();
}

std::string RedactUrl(std::string_view url) {
  if (LooksLikeKeywordDsn(url)) return RedactKeywordDsn(url);
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
    out += RedactParameters(before_fragment.substr(question + 1));
  }
  // A fragment may carry parameters too (an OAuth access_token, for one).
  if (fragment != std::string_view::npos) {
    out += '#';
    out += RedactParameters(rest.substr(fragment + 1));
  }
  return out;
}

std::string RedactText(std::string_view text) {
  // Words are separated by white space and by the quotes and brackets messages put around
  // values; each word that holds a URL or a parameter list is redacted as one.
  constexpr std::string_view kSeparators = " \t\r\n'\"<>()[]{},";
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = text.find_first_not_of(kSeparators, i);
    out += text.substr(i, std::min(start, text.size()) - i);
    if (start == std::string_view::npos) break;
    const std::size_t end = std::min(text.find_first_of(kSeparators, start), text.size());
    const std::string_view word = text.substr(start, end - start);
    if (word.find("://") != std::string_view::npos) {
      const std::size_t scheme = word.find("://");
      // Whatever precedes the scheme's letters ("endpoint=http://...") stays as it is.
      std::size_t url_start = scheme;
      while (url_start > 0 && std::isalpha(static_cast<unsigned char>(word[url_start - 1]))) {
        --url_start;
      }
      out += RedactParameters(word.substr(0, url_start));
      out += RedactUrl(word.substr(url_start));
    } else if (word.find('=') != std::string_view::npos) {
      out += RedactParameters(word);
    } else {
      out += word;
    }
    i = end;
  }
  return out;
}

}  // namespace loadcast
