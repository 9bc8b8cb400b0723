// The version of this build of loadcast, recorded in every model artifact it trains.
#pragma once

#include <string_view>

namespace loadcast {

/// The release version, followed by "+g<commit>" when built from a git checkout
/// ("0.1.0+g8cd2a55"); set when the build is configured.
std::string_view CodeVersion();

}  // namespace loadcast
