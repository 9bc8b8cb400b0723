// The dashboard's JSON API, one function per endpoint (docs/dashboard.md): each reads what it
// shows through the data controller and answers the JSON document of the contract. The server
// and the report both serve these documents, so that a page reads the same data either way.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "controller/data_controller.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"

namespace loadcast::web {

/// What was asked for does not exist (a run id, a year with nothing published): HTTP 404.
class NotFoundError : public UsageError {
 public:
  using UsageError::UsageError;
};

/// The alerts a page asks for by default (and a report embeds).
inline constexpr int kDefaultAlertLimit = 200;
/// The runs `GET /api/runs` lists by default.
inline constexpr int kDefaultRunLimit = 50;

/// GET /api/overview: per horizon the champion, the challenger and the latest evaluated year;
/// the open alerts by severity; the 10 latest runs.
nlohmann::json Overview(const DataController& data, const Config& config);

/// GET /api/years/{year}?horizon=: the current forecast of the year against the actuals, its
/// scores (year and months), thresholds, checks, the latest monitor run and the year's alerts.
/// NotFoundError when nothing is published for the year and horizon.
nlohmann::json YearView(const DataController& data, const Config& config, int year,
                        Horizon horizon);

/// GET /api/backtests: the latest backtest of each target year, per horizon.
nlohmann::json Backtests(const DataController& data, const Config& config);

/// GET /api/alerts: the alerts the filter selects, newest first. UsageError for a severity or
/// source that does not exist, or a bound that is not a date.
nlohmann::json Alerts(const DataController& data, const Config& config, const AlertFilter& filter);

/// GET /api/models?horizon=: the models (each with its aliases and validation scores), the
/// aliases and the decisions, of one horizon or all.
nlohmann::json Models(const DataController& data, const Config& config,
                      std::optional<Horizon> horizon);

/// GET /api/runs?limit=: the latest runs, newest first.
nlohmann::json Runs(const DataController& data, const Config& config, int limit);

/// GET /api/runs/{id}: a run (with its inputs) and its config, model, checks, alerts and
/// decisions.
/// NotFoundError when there is no such run.
nlohmann::json RunDetail(const DataController& data, const Config& config, int64_t id);

/// The series a `GET /api/series` lists by default.
inline constexpr int kDefaultSeriesLimit = 500;

/// What `GET /api/series` asks for: a series run (0: the latest succeeded one, of `target_year`
/// when given), the series whose name contains `search`, of one status, worst MAPE first or by
/// name, at most `limit` of them.
struct SeriesListQuery {
  int64_t run_id = 0;
  std::optional<int> target_year;
  std::string search;
  std::optional<SeriesStatus> status;  // none: every status
  std::string sort = "series";         // series or mape
  int limit = kDefaultSeriesLimit;
};

/// GET /api/series: a many-series run's counts by status, its score summary and the series the
/// query selects ({"run_id": null, ...} when no series run is on record). UsageError for a
/// status or sort that does not exist.
nlohmann::json SeriesList(const DataController& data, const SeriesListQuery& query);

/// GET /api/series/{name}?run=: one series' result with its forecast day by day. NotFoundError
/// when the run has no such series.
nlohmann::json SeriesDetail(const DataController& data, const std::string& name, int64_t run_id);

/// POST /api/alerts/{id}/ack: acknowledges an alert. NotFoundError when there is no such alert.
nlohmann::json AcknowledgeAlert(DataController& data, int64_t id);

}  // namespace loadcast::web
