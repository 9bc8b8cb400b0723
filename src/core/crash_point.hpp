// Crash points: named places in the write paths where loadcast can be made to die at once, as if
// killed with SIGKILL or by a power cut, so that tests can check that what it holds survives
// intact. A point does nothing unless the environment variable LOADCAST_CRASH_AT names it:
//   LOADCAST_CRASH_AT=after:train loadcast run --target-year 2020
// The points are listed in docs/reliability.md.
#pragma once

#include <string_view>

namespace loadcast {

/// The environment variable that names the point to crash at.
inline constexpr const char* kCrashAtVariable = "LOADCAST_CRASH_AT";

/// Kills the process with SIGKILL when LOADCAST_CRASH_AT equals `name`: no destructor, flush or
/// handler runs, exactly as when the process is killed from outside.
void CrashPoint(std::string_view name);

}  // namespace loadcast
