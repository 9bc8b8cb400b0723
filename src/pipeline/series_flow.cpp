#include "pipeline/series_flow.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <unordered_map>

#include "core/errors.hpp"
#include "core/hash.hpp"
#include "core/metrics.hpp"
#include "core/parallel.hpp"
#include "core/problem_list.hpp"
#include "model/calendar_batch.hpp"
#include "model/kinds.hpp"
#include "pipeline/evaluator.hpp"
#include "pipeline/monitor.hpp"
#include "pipeline/prediction_checker.hpp"
#include "pipeline/validation_outcome.hpp"

namespace loadcast {
namespace {

// A series needs two whole years of consecutive days before the target year: the level, the
// weekly pattern by season and the holidays cannot be told apart in less.
constexpr int kMinTrainingDays = 730;
// Series per unit of work of the thread pool: enough to keep a block of lanes full.
constexpr std::size_t kChunkSeries = 64;

/// A series' days across the years read, gaps (a year it was missing from) as NaN.
struct History {
  Date start;
  std::vector<double> load;
  Date end() const { return start + static_cast<int>(load.size()); }
};

/// Appends a year's part of a series to its history.
void Append(History& history, const TimeSeries& part) {
  if (part.empty()) return;
  if (history.load.empty()) history.start = part.start();
  if (part.start() < history.end()) {
    throw DataError(fmt::format("series objects overlap at {}", part.start().ToIso()));
  }
  history.load.resize(static_cast<std::size_t>(part.start() - history.start), kMissing);
  history.load.insert(history.load.end(), part.values().begin(), part.values().end());
}

/// The series of the stored years [first, last], by name.
struct Panel {
  std::vector<std::string> names;
  std::vector<TimeSeries> histories;
  std::map<int, std::string> object_hashes;  // year -> content hash, for the run's subject
};

Panel Extract(DataController& data, int first, int last) {
  Panel panel;
  std::vector<History> histories;
  std::unordered_map<std::string, std::size_t> index;
  std::vector<int> years;
  for (const int year : data.series().Years()) {
    if (year >= first && year <= last) years.push_back(year);
  }
  // The years' objects are read and parsed side by side, then joined in year order.
  std::vector<SeriesTable> tables(years.size());
  ParallelFor(years.size(), [&](std::size_t y) { tables[y] = data.series().Load(years[y]); });
  for (std::size_t y = 0; y < years.size(); ++y) {
    SeriesTable& table = tables[y];
    panel.object_hashes[years[y]] = fmt::format("{} series", table.size());
    for (std::size_t i = 0; i < table.size(); ++i) {
      auto [it, inserted] = index.try_emplace(table.names[i], panel.names.size());
      if (inserted) {
        panel.names.push_back(table.names[i]);
        histories.emplace_back();
      }
      Append(histories[it->second], table.loads[i]);
    }
    table = SeriesTable();
  }
  panel.histories.reserve(histories.size());
  for (History& h : histories) panel.histories.emplace_back(h.start, std::move(h.load));
  return panel;
}

/// The training days of a series: the consecutive known days that end on the day before the
/// target year and start at most `training_years` years before it. Empty when the series does not
/// reach the target year's eve.
struct Window {
  Date from;
  Date to;
  int days() const { return to - from; }
};

std::optional<Window> TrainingWindow(const TimeSeries& history, int target_year,
                                     int training_years) {
  const Date to = Date::FromYmd(target_year, 1, 1);
  const Date earliest = Date::FromYmd(target_year - training_years, 1, 1);
  if (history.empty() || history.end() < to || to - 1 < history.start()) return std::nullopt;
  Date from = to;
  while (from > earliest && from - 1 >= history.start() && history.has(from - 1)) {
    from = from - 1;
  }
  if (from == to) return std::nullopt;
  return Window{from, to};
}

std::span<const double> Days(const TimeSeries& history, Date from, Date to) {
  return {history.values().data() + (from - history.start()), static_cast<std::size_t>(to - from)};
}

/// The alert `alert` about one series of the run: its subject is "series NAME" and its message
/// starts with the name.
AlertRecord AboutSeries(AlertRecord alert, int target_year, const std::string& series) {
  alert.message = fmt::format("series {}: {}", series, alert.message);
  alert.target_year = target_year;
  alert.horizon = Horizon::kYear;
  alert.subject = "series " + series;
  return alert;
}

AlertRecord SeriesAlert(int target_year, const std::string& series, AlertSeverity severity,
                        AlertSource source, const char* code, const std::string& message) {
  AlertRecord alert;
  alert.severity = severity;
  alert.source = source;
  alert.code = code;
  alert.message = message;
  return AboutSeries(std::move(alert), target_year, series);
}

/// Calls body(i) for every series i, chunks of series spread over the threads, and appends the
/// alerts each call adds to its own list to `alerts`, in series order: the alerts of a run are
/// the same whatever the number of threads.
void ForEachSeries(std::size_t count, std::vector<AlertRecord>& alerts,
                   const std::function<void(std::size_t, std::vector<AlertRecord>&)>& body) {
  const std::size_t chunks = (count + kChunkSeries - 1) / kChunkSeries;
  std::vector<std::vector<AlertRecord>> raised(chunks);
  ParallelFor(chunks, [&](std::size_t c) {
    const std::size_t end = std::min(count, (c + 1) * kChunkSeries);
    for (std::size_t i = c * kChunkSeries; i < end; ++i) body(i, raised[c]);
  });
  for (auto& list : raised) {
    alerts.insert(alerts.end(), std::make_move_iterator(list.begin()),
                  std::make_move_iterator(list.end()));
  }
}

std::optional<double> Median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  const auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  if (values.size() % 2 == 1) return *mid;
  return (*mid + *std::max_element(values.begin(), mid)) / 2.0;
}

SeriesCsvRules SeriesIngestRules(const Config& config, Date today) {
  return SeriesCsvRules{.max_daily_jump = config.max_daily_jump,
                        .max_load = config.series_max_load,
                        .earliest = Date::FromYmd(config.earliest_year, 1, 1),
                        .latest = today};
}

/// A file of a series ingest: its bytes, and what reading and checking it found.
struct SeriesFile {
  std::string source;   // the path as given
  std::string name;     // without folders
  std::string subject;  // "file NAME sha256:..."
  std::string bytes;
  ParsedSeriesCsv parsed;

  /// Adds a problem found beyond the file's own rows (at its seams with the stored days).
  void Problem(const char* rule, int line, std::string problem) {
    ++parsed.problems;
    if (parsed.findings.size() >= ProblemList::kMaxListed) return;
    Finding f;
    f.rule = rule;
    f.source = source;
    f.line = line;
    f.problem = std::move(problem);
    parsed.findings.push_back(std::move(f));
  }
};

/// "source:line: problem" for each problem of a file, as a DataError would list them.
std::string SeriesProblems(const SeriesFile& file) {
  ProblemList problems(file.source);
  for (const Finding& f : file.parsed.findings) problems.Add(f.line, f.problem);
  for (std::size_t i = file.parsed.findings.size(); i < file.parsed.problems; ++i) {
    problems.Add(0, "");
  }
  return problems.Text();
}

/// A daily_jump problem at `line` when the file's load of `day` is further than `limit` from the
/// stored load of the day next to it, `stored_day` (before or after; no load there: no problem).
/// The jump is measured from the earlier day to the later, as the file's own days are.
void CheckSeamJump(SeriesFile& file, const std::string& name, int line, Date stored_day,
                   double stored, Date day, double load, double limit) {
  if (!(stored > 0.0)) return;
  const bool before = stored_day < day;
  const double jump = std::abs(before ? load / stored - 1.0 : stored / load - 1.0);
  if (jump <= limit) return;
  file.Problem("daily_jump", line,
               before ? fmt::format("series {}: the load {} of {} is {:.0f}% away from the stored "
                                    "day before ({}); the limit is {:.0f}%",
                                    name, load, day.ToIso(), 100.0 * jump, stored, 100.0 * limit)
                      : fmt::format("series {}: the stored load of the day after {} ({}) is "
                                    "{:.0f}% away from the load {}; the limit is {:.0f}%",
                                    name, day.ToIso(), stored, 100.0 * jump, load, 100.0 * limit));
}

/// A year's series as they will be stored, and where each is in it.
struct YearTable {
  SeriesTable table;
  std::unordered_map<std::string, std::size_t> index;
};

/// The stored series overlaid with the files' (in file order), for the years the files touch,
/// and the write locks that keep those years and their neighbours as read until stored.
struct SeriesMerge {
  std::vector<std::unique_ptr<HeldLock>> locks;
  std::map<int, YearTable> years;  // read: touched, and neighbours looked at
  std::set<int> written;           // the years that change
  std::size_t series = 0;          // distinct series in the files
};

/// Merges the files' series into the stored years, under the years' write locks, and checks
/// each file's series where it meets the stored days: no missing day in between (missing_day)
/// and no jump larger than the rules allow (daily_jump), from the day before its first day and
/// to the day after its last. Problems are added to the files.
SeriesMerge MergeWithStored(DataController& data, const SeriesCsvRules& rules,
                            std::vector<SeriesFile>& files) {
  SeriesMerge merge;
  std::set<int> locked;
  std::unordered_map<std::string, bool> names;
  for (const SeriesFile& file : files) {
    const SeriesTable& table = file.parsed.table;
    for (std::size_t i = 0; i < table.size(); ++i) {
      names.emplace(table.names[i], true);
      for (int year = table.loads[i].start().year(); year <= (table.loads[i].end() - 1).year();
           ++year) {
        locked.insert({year - 1, year, year + 1});
      }
    }
  }
  merge.series = names.size();
  merge.locks = data.LockYears(data.series(), locked);

  const auto year_table = [&](int year) -> YearTable& {
    auto [it, inserted] = merge.years.try_emplace(year);
    if (inserted) {
      it->second.table = data.series().Load(year);
      for (std::size_t i = 0; i < it->second.table.size(); ++i) {
        it->second.index.emplace(it->second.table.names[i], i);
      }
    }
    return it->second;
  };
  for (const SeriesFile& file : files) {
    const SeriesTable& table = file.parsed.table;
    for (std::size_t i = 0; i < table.size(); ++i) {
      const TimeSeries& load = table.loads[i];
      for (int year = load.start().year(); year <= (load.end() - 1).year(); ++year) {
        YearTable& merged = year_table(year);
        TimeSeries part = load.slice(Date::FromYmd(year, 1, 1), Date::FromYmd(year + 1, 1, 1));
        auto [it, inserted] = merged.index.try_emplace(table.names[i], merged.table.size());
        if (inserted) {
          merged.table.names.push_back(table.names[i]);
          merged.table.loads.push_back(std::move(part));
        } else {
          TimeSeries& series = merged.table.loads[it->second];
          for (std::size_t d = 0; d < part.size(); ++d)
            series.set(part.date_at(d), part.values()[d]);
        }
        merge.written.insert(year);
      }
    }
  }

  // The merged load of a series on a day: NaN when not stored and in no file.
  const auto merged_at = [&](const std::string& name, Date date) {
    YearTable& merged = year_table(date.year());
    const auto it = merged.index.find(name);
    return it == merged.index.end() ? kMissing : merged.table.loads[it->second].at(date);
  };
  for (SeriesFile& file : files) {
    const SeriesTable& table = file.parsed.table;
    for (std::size_t i = 0; i < table.size(); ++i) {
      const std::string& name = table.names[i];
      const Date first = table.loads[i].start();
      const Date last = table.loads[i].end() - 1;
      const RowSpan lines = table.lines[i];
      for (int year = first.year(); year <= last.year(); ++year) {
        const YearTable& merged = merge.years.at(year);
        const TimeSeries& series = merged.table.loads[merged.index.at(name)];
        if (series.count_known() != series.size()) {
          file.Problem("missing_day", lines.first,
                       fmt::format("series {}: {} would have missing days between the stored days "
                                   "and the file's ({} to {} stored and in the files)",
                                   name, year, series.start().ToIso(), (series.end() - 1).ToIso()));
        }
      }
      if (!rules.max_daily_jump) continue;
      // The file's first and last days against the stored days next to them.
      CheckSeamJump(file, name, lines.first, first - 1, merged_at(name, first - 1), first,
                    table.loads[i].at(first), *rules.max_daily_jump);
      CheckSeamJump(file, name, lines.last, last + 1, merged_at(name, last + 1), last,
                    table.loads[i].at(last), *rules.max_daily_jump);
    }
  }
  return merge;
}

}  // namespace

SeriesIngestResult SeriesIngestFlow(DataController& data, const Config& config,
                                    const std::vector<std::filesystem::path>& files) {
  SeriesIngestResult result;
  ExecuteRun(data, config, "series-ingest", std::nullopt, std::nullopt, [&](Run& run) {
    result.run_id = run.id();
    const SeriesCsvRules rules = SeriesIngestRules(config, Date::Today());
    // Every file is read and checked, alone then merged with the stored series, before anything
    // is stored.
    SeriesMerge merge = run.Step("validate", [&] {
      std::vector<SeriesFile> inputs;
      for (const auto& file : files) {
        SeriesFile input;
        input.source = file.string();
        input.name = file.filename().string();
        input.bytes = run.data().ReadSeriesInputFile(file);
        input.subject =
            fmt::format("file {} sha256:{}", input.name, Sha256Hex(input.bytes).substr(0, 16));
        input.parsed = ReadSeriesCsv(input.bytes, input.source, rules);
        inputs.push_back(std::move(input));
      }
      const bool parsed = std::all_of(inputs.begin(), inputs.end(),
                                      [](const SeriesFile& f) { return f.parsed.problems == 0; });
      SeriesMerge merged;
      if (parsed) merged = MergeWithStored(run.data(), rules, inputs);
      std::vector<std::string> subjects;
      std::string rejection;
      for (const SeriesFile& input : inputs) {
        subjects.push_back(input.subject);
        RaiseFindingAlerts(run, input.parsed.findings, input.subject);
        if (input.parsed.problems == 0) continue;
        const std::string message = SeriesProblems(input);
        const nlohmann::json reason = {{"file", input.source},
                                       {"run_id", run.id()},
                                       {"problems", input.parsed.problems},
                                       {"message", message}};
        const std::string key =
            run.data().quarantine().Keep(input.name, input.bytes, reason.dump(2));
        rejection += fmt::format("{}{}\n{} kept as {}", rejection.empty() ? "" : "\n", message,
                                 input.source, run.data().BucketLocation(key));
      }
      run.SetSubject(fmt::format("{}", fmt::join(subjects, ", ")));
      if (!rejection.empty()) throw DataError(rejection);
      for (const SeriesFile& input : inputs) result.rows += input.parsed.table.rows;
      return merged;
    });
    result.series = merge.series;
    run.Step("store", [&] {
      for (const int year : merge.written) {
        const SeriesTable& table = merge.years.at(year).table;
        run.data().series().Save(year, table.names, table.loads);
        result.years.push_back(year);
      }
    });
  });
  return result;
}

SeriesRunResult SeriesRunFlow(DataController& data, const Config& config, int target_year) {
  SeriesRunResult result;
  result.target_year = target_year;
  const ModelSpec params = ModelSpecOf(config, Horizon::kYear);
  ExecuteRun(data, config, "series-run", target_year, Horizon::kYear, [&](Run& run) {
    result.run_id = run.id();
    const Panel panel = run.Step("extract", [&] {
      // The training years, and at least the years the annual_total check compares with.
      Panel read = Extract(run.data(),
                           target_year - std::max(params.common.training_years, kAnnualTotalYears),
                           target_year);
      std::string hashes;
      for (const auto& [year, hash] : read.object_hashes) hashes += fmt::format("{} ", year);
      run.SetSubject(fmt::format("series objects {}", hashes));
      if (read.names.empty()) {
        throw DataError(
            fmt::format("no series stored for {}-{}: ingest them first (loadcast series ingest)",
                        target_year - params.common.training_years, target_year - 1));
      }
      return read;
    });
    const Date target_from = Date::FromYmd(target_year, 1, 1);
    const Date target_to = Date::FromYmd(target_year + 1, 1, 1);
    // Validate: every series needs consecutive history up to the target year.
    std::vector<std::optional<Window>> windows(panel.names.size());
    result.series.resize(panel.names.size());
    run.Step("validate", [&] {
      for (std::size_t i = 0; i < panel.names.size(); ++i) {
        SeriesResultRow& row = result.series[i];
        row.series = panel.names[i];
        row.target_year = target_year;
        row.status = SeriesStatus::kOk;
        windows[i] = TrainingWindow(panel.histories[i], target_year, params.common.training_years);
        if (!windows[i]) {
          row.status = SeriesStatus::kFailed;
          row.message = fmt::format("no load for {}, the day before the target year",
                                    (target_from - 1).ToIso());
        } else if (windows[i]->days() < kMinTrainingDays) {
          row.status = SeriesStatus::kFailed;
          row.message = fmt::format(
              "{} consecutive days of history before {} ({} to {}); at least {} are needed",
              windows[i]->days(), target_year, windows[i]->from.ToIso(),
              (windows[i]->to - 1).ToIso(), kMinTrainingDays);
          windows[i].reset();
        } else {
          row.train_from = windows[i]->from;
          row.train_to = windows[i]->to;
        }
      }
    });
    std::vector<double> level_shifts(panel.names.size(), 0.0);  // see CalendarBatch
    run.Step("train_and_forecast", [&] {
      // One design per distinct training window (usually one for all series).
      std::map<int32_t, std::size_t> batch_of_start;
      std::vector<Date> starts;
      for (const auto& w : windows) {
        if (w && batch_of_start.emplace(w->from.days(), starts.size()).second) {
          starts.push_back(w->from);
        }
      }
      std::vector<std::optional<CalendarBatch>> batches(starts.size());
      ParallelFor(starts.size(), [&](std::size_t b) {
        batches[b].emplace(params.common, CalendarParamsOf(params), starts[b], target_from,
                           target_from, target_to);
      });
      // Chunks of series of one design, spread over the threads; each chunk is fitted lanes at
      // a time (CalendarBatch::FitPredictMany).
      struct Chunk {
        std::size_t batch = 0;
        std::vector<std::size_t> series;
      };
      std::vector<Chunk> chunks;
      std::vector<std::size_t> open_chunk(starts.size(), SIZE_MAX);
      for (std::size_t i = 0; i < windows.size(); ++i) {
        if (!windows[i]) continue;
        const std::size_t b = batch_of_start.at(windows[i]->from.days());
        if (open_chunk[b] == SIZE_MAX || chunks[open_chunk[b]].series.size() == kChunkSeries) {
          open_chunk[b] = chunks.size();
          chunks.push_back({b, {}});
        }
        chunks[open_chunk[b]].series.push_back(i);
      }
      ParallelFor(chunks.size(), [&](std::size_t c) {
        const Chunk& chunk = chunks[c];
        std::vector<std::span<const double>> loads;
        for (const std::size_t i : chunk.series) {
          loads.push_back(Days(panel.histories[i], windows[i]->from, windows[i]->to));
        }
        std::vector<SeriesForecast> forecasts = batches[chunk.batch]->FitPredictMany(loads);
        for (std::size_t k = 0; k < chunk.series.size(); ++k) {
          SeriesResultRow& row = result.series[chunk.series[k]];
          row.iterations = forecasts[k].iterations;
          level_shifts[chunk.series[k]] = forecasts[k].level_shift;
          row.forecast_start = target_from;
          row.forecast = std::move(forecasts[k].mean);
          row.lower = std::move(forecasts[k].lower);
          row.upper = std::move(forecasts[k].upper);
        }
      });
    });
    // Alerts are raised in the publish step, with the results.
    std::vector<AlertRecord> alerts;
    for (const SeriesResultRow& row : result.series) {
      if (row.status == SeriesStatus::kFailed) {
        alerts.push_back(SeriesAlert(target_year, row.series, AlertSeverity::kCritical,
                                     AlertSource::kValidation, "series_history", row.message));
      }
    }
    // Each forecast is checked, monitored and scored by the steps of a single-series forecast,
    // against its own series' history.
    std::vector<Date> target_days;
    for (Date d = target_from; d < target_to; ++d) target_days.push_back(d);
    // What the checks and the scores read of the dates, the same for every series: once a run.
    const TargetCalendar calendar(target_year, target_days);
    run.Step("check", [&] {
      ForEachSeries(panel.names.size(), alerts, [&](std::size_t i, std::vector<AlertRecord>& out) {
        if (!windows[i]) return;
        SeriesResultRow& row = result.series[i];
        Forecast forecast{target_days, std::move(row.forecast), std::move(row.lower),
                          std::move(row.upper)};
        const CheckBasis basis{calendar, Days(panel.histories[i], windows[i]->from, windows[i]->to),
                               panel.histories[i]};
        std::vector<std::string> found;
        bool failed = false;
        for (const CheckOutcome& outcome : RunPredictionChecks(forecast, basis, config)) {
          if (outcome.row.status == CheckStatus::kPass) continue;
          failed = failed || outcome.row.status == CheckStatus::kFail;
          found.push_back(fmt::format("{}: {}", outcome.row.check, outcome.row.detail));
          out.push_back(AboutSeries(CheckAlert(outcome), target_year, row.series));
        }
        if (found.empty()) {
          row.forecast = std::move(forecast.mean);
          row.lower = std::move(forecast.lower);
          row.upper = std::move(forecast.upper);
          return;
        }
        row.message = fmt::format("{}", fmt::join(found, "; "));
        // A forecast that failed a check is not published, as a single-series one is not.
        row.status = failed ? SeriesStatus::kFailed : SeriesStatus::kWarning;
        if (failed) {
          row.forecast_start.reset();
        } else {
          row.forecast = std::move(forecast.mean);
          row.lower = std::move(forecast.lower);
          row.upper = std::move(forecast.upper);
        }
      });
    });
    // Drift: how far each series' last level_days training days ran from its calendar fit, by
    // the monitor's mean-shift rule (MeasureLevelDrift). A series whose forecast failed a check
    // is monitored too: a shifted level is often why its forecast failed.
    run.Step("monitor", [&] {
      ForEachSeries(panel.names.size(), alerts, [&](std::size_t i, std::vector<AlertRecord>& out) {
        if (!windows[i]) return;
        SeriesResultRow& row = result.series[i];
        const LevelDrift drift = MeasureLevelDrift(
            level_shifts[i], target_from, CalendarParamsOf(params).level_days, config.monitor);
        row.drift = drift.shift_percent;
        if (drift.status == WindowStatus::kPass) return;
        AlertRecord alert =
            SeriesAlert(target_year, row.series,
                        drift.status == WindowStatus::kCritical ? AlertSeverity::kCritical
                                                                : AlertSeverity::kWarning,
                        AlertSource::kDrift, "series_drift", drift.reason);
        alert.period_start = drift.start;
        alert.period_end = drift.end;
        alert.value = drift.shift_percent;
        alert.threshold = drift.threshold;
        out.push_back(std::move(alert));
        if (row.status == SeriesStatus::kOk) row.status = SeriesStatus::kWarning;
        row.message += (row.message.empty() ? "" : "; ") + drift.reason;
      });
    });
    // Scores: the evaluator's, of each forecast against its series' actuals of the target year.
    run.Step("evaluate", [&] {
      std::vector<std::optional<MetricRow>> scores(panel.names.size());
      ForEachSeries(panel.names.size(), alerts, [&](std::size_t i, std::vector<AlertRecord>& out) {
        SeriesResultRow& row = result.series[i];
        const TimeSeries& history = panel.histories[i];
        if (row.forecast.empty() || history.end() <= target_from) return;
        const auto evaluation = EvaluateForecast(row.forecast, history, calendar, Horizon::kYear);
        if (!evaluation) return;
        const MetricRow& year = evaluation->year;
        row.days = year.days;
        row.mape = year.mape;
        row.mae = year.mae;
        row.rmse = year.rmse;
        row.bias = year.bias;
        scores[i] = year;
        for (ScoreFinding& finding : JudgeScore(year, target_year, Horizon::kYear, config)) {
          AlertRecord alert;
          alert.severity = AlertSeverity::kWarning;
          alert.source = AlertSource::kPerformance;
          alert.code = std::move(finding.code);
          alert.message = std::move(finding.message);
          alert.period_start = target_from;
          alert.period_end = target_to - 1;
          alert.value = finding.value;
          alert.threshold = finding.threshold;
          out.push_back(AboutSeries(std::move(alert), target_year, row.series));
        }
      });
      // The median over the scored series, and the MAPE of their sum over the days every scored
      // series has.
      std::vector<double> mapes;
      std::vector<double> total_actual(target_days.size(), 0.0);
      std::vector<double> total_forecast(target_days.size(), 0.0);
      std::vector<std::size_t> counted(target_days.size(), 0);
      for (std::size_t i = 0; i < panel.names.size(); ++i) {
        if (!scores[i]) continue;
        mapes.push_back(scores[i]->mape);
        const SeriesResultRow& row = result.series[i];
        for (std::size_t d = 0; d < target_days.size(); ++d) {
          const double actual = panel.histories[i].at(target_days[d]);
          if (std::isnan(actual)) continue;
          total_actual[d] += actual;
          total_forecast[d] += row.forecast[d];
          ++counted[d];
        }
      }
      result.scored = mapes.size();
      result.median_mape = Median(mapes);
      for (std::size_t d = 0; d < counted.size(); ++d) {
        if (counted[d] != result.scored) total_actual[d] = kMissing;
      }
      if (result.scored > 0) result.aggregate_mape = Score(total_actual, total_forecast).mape;
    });
    run.Step("publish", [&] {
      for (const SeriesResultRow& row : result.series) {
        ++(row.status == SeriesStatus::kOk        ? result.ok
           : row.status == SeriesStatus::kWarning ? result.warning
                                                  : result.failed);
      }
      for (AlertRecord& alert : alerts) {
        alert.run_id = run.id();
        run.Raise(std::move(alert));
      }
      for (SeriesResultRow& row : result.series) row.run_id = run.id();
      run.data().series_results().Save(run.id(), result.series);
    });
    result.timings = run.timings();
  });
  return result;
}

}  // namespace loadcast
