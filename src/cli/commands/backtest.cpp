#include <fmt/format.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace loadcast::cli {
namespace {

/// A status line at the bottom of a terminal's standard error, rewritten in place with '\r'.
/// Logs also go to standard error, so while the line is shown this sink stands in front of the
/// logger's sinks: it blanks the line, lets them write the record, and draws the line again
/// below it, so that records never run into the line.
class ProgressSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit ProgressSink(std::vector<spdlog::sink_ptr> inner) : inner_(std::move(inner)) {}

  const std::vector<spdlog::sink_ptr>& inner() const { return inner_; }

  void Show(std::string text) {
    std::lock_guard<std::mutex> lock(mutex_);
    Blank();
    text_ = std::move(text);
    Draw();
  }

  void Clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    Blank();
    text_.clear();
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    Blank();
    for (const auto& sink : inner_) {
      if (sink->should_log(msg.level)) sink->log(msg);
    }
    for (const auto& sink : inner_) sink->flush();
    Draw();
  }
  void flush_() override {
    for (const auto& sink : inner_) sink->flush();
  }

 private:
  // Spaces rather than an erase-line escape sequence: they work on every terminal.
  void Blank() {
    if (text_.empty()) return;
    std::fprintf(stderr, "\r%s\r", std::string(text_.size(), ' ').c_str());
    std::fflush(stderr);
  }
  void Draw() {
    if (text_.empty()) return;
    std::fprintf(stderr, "\r%s", text_.c_str());
    std::fflush(stderr);
  }

  std::vector<spdlog::sink_ptr> inner_;
  std::string text_;
};

/// Shows a progress line on standard error while it lives, only when standard error is a
/// terminal: redirected to a file or a pipe, '\r' rewrites would only garble the log.
class ProgressLine {
 public:
  ProgressLine() {
    if (!isatty(STDERR_FILENO)) return;
    auto& sinks = spdlog::default_logger()->sinks();
    sink_ = std::make_shared<ProgressSink>(sinks);
    sinks = {sink_};
  }
  ~ProgressLine() {
    if (!sink_) return;
    sink_->Clear();
    spdlog::default_logger()->sinks() = sink_->inner();
  }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void Show(std::string text) {
    if (sink_) sink_->Show(std::move(text));
  }

 private:
  std::shared_ptr<ProgressSink> sink_;
};

}  // namespace

void AddBacktestCommand(CLI::App& app, Context& context, Action& action) {
  struct Options {
    int from = 0;
    int to = 0;
    std::string horizon = "year";
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "backtest",
      "Rolling-origin backtest: fit on the years before each year in [--from, --to], forecast "
      "and score it (registers no model)");
  AddYearOption(*command, "--from", options->from, "First year to forecast")->required();
  AddYearOption(*command, "--to", options->to, "Last year to forecast (not before --from)")
      ->required();
  command
      ->add_option("--horizon", options->horizon, "year (one-shot, whole year) or day (day-ahead)")
      ->check(CLI::IsMember({"year", "day"}))
      ->capture_default_str();
  SetPrintAction(*command, action, [&context, options](bool) -> Output {
    const Config& config = context.config();
    DataController& data = context.data();
    BacktestResult result;
    {
      ProgressLine progress;
      result =
          BacktestFlow(data, config, options->from, options->to, ParseHorizon(options->horizon),
                       [&progress](int year, int index, int count) {
                         progress.Show(fmt::format("backtest {} ({}/{})", year, index, count));
                       });
    }
    return {ToJson(result), FormatBacktest(result)};
  });
}

}  // namespace loadcast::cli
