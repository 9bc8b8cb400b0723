// Which process this is, and whether a process recorded earlier on this machine still runs: how
// the runs table tells a run whose process was killed from one still working, and how the local
// bucket tells a killed write's temporary file from a live one.
#pragma once

#include <optional>
#include <string>

namespace loadcast {

/// A process as recorded: the machine, its pid there, and when it started (the start time in
/// clock ticks since boot, as /proc/<pid>/stat gives it; empty where /proc is not available),
/// which tells it from a later process that reused the pid.
struct ProcessIdentity {
  std::string host;
  int pid = 0;
  std::string started;
};

/// This process.
ProcessIdentity CurrentProcess();
/// The host name of this machine.
std::string HostName();
/// The start time of process `pid` on this machine (see ProcessIdentity::started); nothing when
/// no such process runs or /proc cannot tell.
std::optional<std::string> ProcessStartTime(int pid);
/// True only when `process` ran on this machine and is gone: no process has its pid, or the
/// process with its pid started at another time (the pid was reused). A process of another
/// machine is never known to be gone.
bool ProcessGone(const ProcessIdentity& process);

}  // namespace loadcast
