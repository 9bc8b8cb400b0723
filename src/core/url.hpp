// URLs as loadcast shows them to people: without the secrets they may carry.
#pragma once

#include <string>
#include <string_view>

namespace loadcast {

/// The URL with what may be a secret replaced by "***", by one rule for every URL loadcast prints,
/// logs or stores (the database and storage URLs, the S3 endpoint, the webhook URL):
/// - the user info ("user:password@");
/// - the value of every query or fragment parameter whose name, percent-decoded and
///   case-insensitively, contains a part that suggests a credential (token, key, secret, pass,
///   pwd, sig, auth, code, hmac, jwt, cred, session); parameters are separated by '&' or ';';
/// - for a libpq keyword connection string (LooksLikeKeywordDsn), the value of every keyword
///   named so (password=***).
/// Everything else is kept, so that the URL still says where it points.
std::string RedactUrl(std::string_view url);

/// Free text (an error message, a server's answer) with the same rule applied to every URL in it
/// and to every "name=value" whose name suggests a credential (X-Amz-Signature=***).
std::string RedactText(std::string_view text);

/// Whether `text` is a libpq keyword connection string ("host=db user=u password=p"), rather
/// than a URL or a path: it has no "://" and starts with a libpq keyword and '='.
bool LooksLikeKeywordDsn(std::string_view text);

}  // namespace loadcast
