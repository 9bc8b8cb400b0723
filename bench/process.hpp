// Child processes for the command benchmarks: run one, wait for it, and measure its wall time and
// peak resident memory (the kernel's high-water mark, from wait4).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace loadcast::bench {

struct ProcessResult {
  int exit_code = -1;    // -1 when the process did not exit normally
  double seconds = 0.0;  // wall time from start to exit
  double peak_mb = 0.0;  // maximum resident set size, MiB
  std::string out;       // standard output
  std::string err;       // standard error
};

/// Runs `argv` (argv[0] is a path) in `cwd` with the environment of this process and waits for
/// it. Standard output and error go to files in `cwd` and are read back after the exit, so
/// neither the pipes nor the reading count in the time.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::filesystem::path& cwd);

/// A fresh folder under the system's temporary folder, removed with this object.
class TempFolder {
 public:
  TempFolder();
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Median of `values` (the mean of the middle two for an even count); 0 for none.
double Median(std::vector<double> values);

}  // namespace loadcast::bench
