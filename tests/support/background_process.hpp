// Runs the real loadcast binary in the background (a server), reads the first line it prints,
// and stops it with SIGTERM, for integration tests.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/remote_backends.hpp"

namespace loadcast::testing {

class BackgroundProcess {
 public:
  /// Starts build/loadcast with `args` in `cwd`, with `env` set on top of this environment;
  /// standard error goes to cwd/.background.stderr.
  BackgroundProcess(const std::filesystem::path& cwd, const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env = {}) {
    std::map<std::string, std::string> environment = BackendEnv(cwd);
    for (const auto& [name, value] : env) environment[name] = value;
    int fds[2];
    if (pipe(fds) != 0) return;
    const std::string err = (cwd / ".background.stderr").string();
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err_fd >= 0) dup2(err_fd, STDERR_FILENO);
      if (chdir(cwd.c_str()) != 0) _exit(127);
      for (const auto& [name, value] : environment) setenv(name.c_str(), value.c_str(), 1);
      std::vector<char*> argv;
      std::string binary = LOADCAST_BINARY;
      argv.push_back(binary.data());
      std::vector<std::string> copies = args;
      for (std::string& a : copies) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fds[0];
  }
  ~BackgroundProcess() {
    Stop();
    if (out_ >= 0) close(out_);
  }
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  /// The first line the process printed (without its newline); empty when it printed none
  /// within `timeout` or exited first.
  std::string FirstLine(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out_ >= 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char c = 0;
      if (read(out_, &c, 1) != 1) break;
      if (c == '\n') return line;
      line += c;
    }
    return "";
  }

  /// The process id while it runs (-1 once it was waited for or could not start).
  pid_t pid() const { return pid_; }

  /// Sends SIGTERM and waits; the exit code (-1 when it did not exit normally or ran no more).
  int Stop() {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, SIGTERM);
    return Wait();
  }

  /// Sends `signal` (SIGKILL: no chance to clean up) and waits; the exit code as for Wait.
  int Kill(int signal = SIGKILL) {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, signal);
    return Wait();
  }

  /// Waits for the process to end on its own; its exit code (-1 when killed by a signal).
  int Wait() {
    if (pid_ <= 0) return exit_code_;
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    signal_ = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return exit_code_;
  }

  /// The signal that ended the process (0 when it exited, or has not ended yet).
  int TermSignal() const { return signal_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int exit_code_ = -1;
  int signal_ = 0;
};

}  // namespace loadcast::testing
