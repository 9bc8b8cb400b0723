#include "core/process.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <fstream>
#include <sstream>

namespace loadcast {

std::string HostName() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

std::optional<std::string> ProcessStartTime(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!in || !std::getline(in, stat)) return std::nullopt;
  // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  // Fields 3 (state) to 22 (starttime): the 20th after the name.
  for (int i = 3; i <= 22; ++i) {
    if (!(fields >> field)) return std::nullopt;
  }
  return field;
}

ProcessIdentity CurrentProcess() {
  const int pid = static_cast<int>(::getpid());
  return {HostName(), pid, ProcessStartTime(pid).value_or("")};
}

bool ProcessGone(const ProcessIdentity& process) {
  if (process.pid <= 0 || process.host.empty() || process.host != HostName()) return false;
  if (::kill(process.pid, 0) != 0 && errno == ESRCH) return true;
  if (process.started.empty()) return false;
  const auto started = ProcessStartTime(process.pid);
  return started && *started != process.started;
}

}  // namespace loadcast
