// Fuzzes the config loader (core/config.hpp) with arbitrary bytes as the YAML config file.
// LoadConfig either returns a config or throws ConfigError naming the file; any other exception is
// a bug. A config it accepts is dumped (DumpConfig, the text recorded with each run) and loaded
// again: the same settings come back.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "core/errors.hpp"
#include "fuzz_check.hpp"

namespace {

using loadcast::fuzz::Check;

/// A file in memory (memfd) that LoadConfig reads through its /proc path: nothing is left on
/// disk, however the fuzzer exits.
class MemoryFile {
 public:
  explicit MemoryFile(const char* name) : fd_(memfd_create(name, 0)) {
    Check(fd_ >= 0, "memfd_create gives a file for the fuzz input");
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  /// Replaces the content with `text` and returns the path to read it from.
  const std::filesystem::path& Write(std::string_view text) const {
    Check(ftruncate(fd_, 0) == 0 &&
              pwrite(fd_, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size()),
          "the fuzz input is written to its file");
    return path_;
  }

 private:
  int fd_;
  std::filesystem::path path_;
};

/// Loads `text` as a config file; nullopt when LoadConfig rejects it with a ConfigError that
/// names the file. Any other exception aborts with its message.
std::optional<loadcast::Config> Load(const MemoryFile& file, std::string_view text) {
  const std::filesystem::path& path = file.Write(text);
  try {
    return loadcast::LoadConfig(path, "/fuzz-base-dir");
  } catch (const loadcast::ConfigError& e) {
    Check(std::string_view(e.what()).starts_with(path.string() + ":"),
          "a ConfigError names the config file");
    return std::nullopt;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "LoadConfig let through an exception other than ConfigError: %s\n",
                 e.what());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The settings come from the input alone.
  for (const loadcast::EnvironmentOverride& o : loadcast::EnvironmentOverrides()) {
    unsetenv(o.variable.c_str());
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const MemoryFile input("input.yaml");
  static const MemoryFile dumped("dumped.yaml");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto config = Load(input, text);
  if (!config) return 0;
  const std::string dump = loadcast::DumpConfig(*config);
  const auto reloaded = Load(dumped, dump);
  Check(reloaded.has_value(), "the dumped config loads");
  Check(loadcast::DumpConfig(*reloaded) == dump, "the dumped config loads the same settings");
  return 0;
}
