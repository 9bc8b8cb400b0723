// Commands about the history of the stored actuals: the revisions each year went through, and
// the days one revision changed.
#include <fmt/format.h>

#include <cmath>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/table.hpp"
#include "core/errors.hpp"

namespace loadcast::cli {
namespace {

std::string FormatRevisions(const std::vector<RevisionRecord>& revisions) {
  if (revisions.empty()) return "no revisions recorded\n";
  Table table(
      {"year", "revision", "created", "run", "days", "added", "changed", "largest", "source"});
  for (const RevisionRecord& r : revisions) {
    table.Add({std::to_string(r.year), std::to_string(r.revision), r.created_at,
               r.run_id ? std::to_string(*r.run_id) : "-", std::to_string(r.days),
               std::to_string(r.days_added), std::to_string(r.days_changed),
               r.largest_change_percent ? Pct(*r.largest_change_percent) : "-", r.source});
  }
  return table.Render();
}

std::string FormatChanges(const RevisionRecord& r, const std::vector<DayChange>& changes) {
  std::string out = fmt::format(
      "actuals of {} revision {} ({}), created {} by {}\n{} days, {} added, {} changed; kept as "
      "{}\n",
      r.year, r.revision, r.source, r.created_at,
      r.run_id ? fmt::format("run {}", *r.run_id) : std::string("no run"), r.days, r.days_added,
      r.days_changed, r.object);
  if (changes.empty()) return out + "no day changed value\n";
  Table table({"date", "old", "new", "change"});
  for (const DayChange& c : changes) {
    table.Add({c.date.ToIso(), Num(c.old_load, 3), Num(c.new_load, 3),
               fmt::format("{:+.2f}%", 100.0 * (c.new_load - c.old_load) / std::abs(c.old_load))});
  }
  return out + table.Render();
}

}  // namespace

void AddActualsCommand(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand(
      "actuals", "The history of the stored actuals: revisions and their changes");
  command->require_subcommand(1);

  auto* history = command->add_subcommand(
      "history",
      "The revisions of the actuals, newest first: when, from which file, by which "
      "run, days added and changed, the largest change");
  auto history_year = std::make_shared<int>(0);
  AddYearOption(*history, "--year", *history_year, "Only the revisions of this year");
  SetPrintAction(*history, action, [&context, history_year](bool) -> Output {
    const std::optional<int> year =
        *history_year == 0 ? std::nullopt : std::optional<int>(*history_year);
    const auto revisions = context.data().revisions().List(year);
    return {ToJsonArray(revisions), FormatRevisions(revisions)};
  });

  auto* diff = command->add_subcommand(
      "diff", "The days one revision changed, with their old and new loads");
  auto diff_year = std::make_shared<int>(0);
  auto revision = std::make_shared<int>(0);
  AddYearOption(*diff, "--year", *diff_year, "The year")->required();
  diff->add_option("--revision", *revision, "The revision (loadcast actuals history)")
      ->required()
      ->check(CLI::PositiveNumber);
  SetPrintAction(*diff, action, [&context, diff_year, revision](bool) -> Output {
    const auto found = context.data().revisions().Find(*diff_year, *revision);
    if (!found) {
      throw UsageError(fmt::format(
          "actuals diff: there is no revision {} of {} (loadcast actuals history --year {} lists "
          "them)",
          *revision, *diff_year, *diff_year));
    }
    const auto changes = context.data().revisions().Changes(found->id);
    nlohmann::json document = ToJson(*found);
    document["changes"] = ToJsonArray(changes);
    return {document, FormatChanges(*found, changes)};
  });
}

}  // namespace loadcast::cli
