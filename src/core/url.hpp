// URLs as loadcast shows them to people: without the secrets they may carry.
#pragma once

#include <string>
#include <string_view>

namespace loadcast {

/// The URL with what may be a secret replaced by "***": the user info ("user:password@") and the
/// value of every query parameter whose name suggests a credential (token, key, secret, password,
/// signature, auth). Everything else is kept, so that the URL still says where it points. For
/// logs, error messages and the configuration recorded with each run.
std::string RedactUrl(std::string_view url);

}  // namespace loadcast
