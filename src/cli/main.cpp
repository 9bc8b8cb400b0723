// loadcast's entry point: parse the command line, run the chosen command, and map any error to
// its exit code in this one place.
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "core/printable.hpp"
#include "core/url.hpp"

namespace {

/// A log record's message with its control bytes escaped (the pattern's %*): a file name or a
/// request path in a message cannot break the line or colour the terminal.
class EscapedMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm& /*time*/,
              spdlog::memory_buf_t& dest) override {
    const std::string escaped =
        loadcast::EscapeControlBytes(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedMessage>();
  }
};

/// An error's message as shown: secrets redacted, control bytes escaped.
std::string Shown(const std::exception& e) {
  return loadcast::EscapeControlBytes(loadcast::RedactText(e.what()));
}

std::string_view Label(loadcast::ExitCode code) {
  switch (code) {
    case loadcast::ExitCode::kUsage:
      return "error";
    case loadcast::ExitCode::kDataRejected:
      return "data rejected";
    case loadcast::ExitCode::kForecastRejected:
      return "forecast rejected";
    case loadcast::ExitCode::kBusy:
      return "busy";
    default:
      return "internal error";
  }
}

}  // namespace

int main(int argc, char** argv) {
  using loadcast::ExitCode;
  // Logs go to standard error so that standard output carries only results (tables or JSON).
  spdlog::set_default_logger(spdlog::stderr_color_mt("loadcast"));
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<EscapedMessage>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %*");
  spdlog::set_formatter(std::move(formatter));
  spdlog::set_level(spdlog::level::info);

  CLI::App app{"loadcast: forecasts daily electricity load, end to end"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the command
  loadcast::cli::GlobalOptions options;
  app.add_option("--config", options.config_path, "YAML config file (defaults apply without one)");
  app.add_option("--log-level", options.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_option("--jobs", options.jobs,
                 "Threads for independent work such as backtest folds (default: the number of "
                 "processors); results do not depend on it")
      ->check(CLI::Range(1, 1024));
  app.set_version_flag("--version", std::string("loadcast ") + LOADCAST_VERSION);

  loadcast::cli::Context context(options);
  loadcast::cli::Action action;
  loadcast::cli::AddIngestCommand(app, context, action);
  loadcast::cli::AddValidateCommand(app, context, action);
  loadcast::cli::AddTrainCommand(app, context, action);
  loadcast::cli::AddPredictCommand(app, context, action);
  loadcast::cli::AddEvaluateCommand(app, context, action);
  loadcast::cli::AddRunCommand(app, context, action);
  loadcast::cli::AddModelsCommand(app, context, action);
  loadcast::cli::AddBacktestCommand(app, context, action);
  loadcast::cli::AddMonitorCommand(app, context, action);
  loadcast::cli::AddAlertsCommand(app, context, action);
  loadcast::cli::AddRunsCommand(app, context, action);
  loadcast::cli::AddMetricsCommand(app, context, action);
  loadcast::cli::AddServeCommand(app, context, action);
  loadcast::cli::AddReportCommand(app, context, action);
  loadcast::cli::AddSeriesCommand(app, context, action);
  loadcast::cli::AddActualsCommand(app, context, action);
  loadcast::cli::AddConfigCommand(app, context, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
  }
  loadcast::SetJobs(options.jobs);
  try {
    return action();
  } catch (const loadcast::StorageError& e) {
    // The storage or database failed (full, read-only, unreachable): not a bug.
    std::cerr << "loadcast: storage error: " << Shown(e) << "\n";
    return static_cast<int>(e.exit_code());
  } catch (const loadcast::Error& e) {
    std::cerr << "loadcast: " << Label(e.exit_code()) << ": " << Shown(e) << "\n";
    return static_cast<int>(e.exit_code());
  } catch (const std::exception& e) {
    std::cerr << "loadcast: internal error: " << Shown(e) << "\n";
    return static_cast<int>(ExitCode::kInternal);
  }
}
