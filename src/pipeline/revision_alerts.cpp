#include "pipeline/revision_alerts.hpp"

#include <fmt/format.h>

#include <cmath>

namespace loadcast {

std::optional<AlertRecord> RevisionAlert(const StoredRevision& revision, const Config& config,
                                         const std::string& location) {
  const RevisionRecord& r = revision.record;
  if (r.days_changed == 0 || !revision.largest) return std::nullopt;
  const DayChange& day = *revision.largest;
  const double percent = 100.0 * (day.new_load - day.old_load) / std::abs(day.old_load);
  const double share = r.days > 0 ? static_cast<double>(r.days_changed) / r.days : 1.0;
  const bool too_many = share > config.revision_max_changed_share;
  const bool too_large =
      r.largest_change_percent.value_or(0.0) > config.revision_max_change_percent;
  AlertRecord alert;
  alert.severity = too_many || too_large ? AlertSeverity::kCritical : AlertSeverity::kWarning;
  alert.source = AlertSource::kValidation;
  alert.code = "data.revised";
  std::string limits;
  if (too_many) {
    limits += fmt::format(
        "; more than {:g}% of the year's days changed "
        "(validation.revision_max_changed_share)",
        100.0 * config.revision_max_changed_share);
  }
  if (too_large) {
    limits += fmt::format(
        "; a day changed by more than {:g}% "
        "(validation.revision_max_change_percent)",
        config.revision_max_change_percent);
  }
  alert.message = fmt::format(
      "actuals of {} revised by {}: {} of {} days changed value ({:.1f}%), the largest on {} "
      "from {:.1f} to {:.1f} ({:+.1f}%){}; stored as revision {} ({}), the previous revisions "
      "kept: "
      "loadcast actuals diff --year {} --revision {}",
      r.year, r.source, r.days_changed, r.days, 100.0 * share, day.date.ToIso(), day.old_load,
      day.new_load, percent, limits, r.revision, location, r.year, r.revision);
  alert.period_start = Date::FromYmd(r.year, 1, 1);
  alert.period_end = Date::FromYmd(r.year, 12, 31);
  // One alert per revision: the object it made is what it is about.
  alert.subject = fmt::format("{} revision {} sha256:{}", r.object, r.revision, r.sha256);
  alert.value = r.largest_change_percent;
  alert.threshold = config.revision_max_change_percent;
  return alert;
}

void RaiseRevisionAlerts(Run& run, const IngestReport& report) {
  for (const StoredRevision& revision : report.revisions) {
    auto alert =
        RevisionAlert(revision, run.config(), run.data().BucketLocation(revision.record.object));
    if (alert) run.Raise(std::move(*alert));
  }
}

}  // namespace loadcast
