// Runs the real loadcast binary in a folder and captures what it did, for integration tests.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "support/remote_backends.hpp"

namespace loadcast::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Runs build/loadcast with `args` in `cwd`, with `env` set on top of this environment,
/// capturing its exit code and both streams.
inline CliResult Loadcast(const std::filesystem::path& cwd, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env = {}) {
  const auto out = cwd / ".stdout";
  const auto err = cwd / ".stderr";
  std::string command = "cd " + ShellQuote(cwd.string()) + " && env";
  std::map<std::string, std::string> environment = BackendEnv(cwd);
  for (const auto& [name, value] : env) environment[name] = value;
  for (const auto& [name, value] : environment) {
    command += ' ';
    command += name;
    command += '=';
    command += ShellQuote(value);
  }
  command += ' ';
  command += ShellQuote(LOADCAST_BINARY);
  for (const auto& a : args) {
    command += ' ';
    command += ShellQuote(a);
  }
  command += " >";
  command += ShellQuote(out.string());
  command += " 2>";
  command += ShellQuote(err.string());
  const int status = std::system(command.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

/// The JSON document a successful command printed.
inline nlohmann::json Json(const CliResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

}  // namespace loadcast::testing
