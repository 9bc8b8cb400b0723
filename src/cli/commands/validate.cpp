// `loadcast validate`: the validation suite as a dry run of ingest, and the suite itself.
#include <fmt/format.h>

#include <iostream>
#include <map>

#include "cli/commands.hpp"
#include "pipeline/extractor.hpp"
#include "pipeline/validator.hpp"

namespace loadcast::cli {
namespace {

nlohmann::json FindingJson(const Finding& f) {
  nlohmann::json j = {{"rule", f.rule},
                      {"code", "validation." + f.rule},
                      {"severity", SeverityName(f.severity)},
                      {"source", f.source},
                      {"line", f.line},
                      {"problem", f.problem}};
  j["period_start"] = f.first_date ? nlohmann::json(f.first_date->ToIso()) : nullptr;
  j["period_end"] = f.last_date ? nlohmann::json(f.last_date->ToIso()) : nullptr;
  j["value"] = f.value ? nlohmann::json(*f.value) : nullptr;
  j["threshold"] = f.threshold ? nlohmann::json(*f.threshold) : nullptr;
  return j;
}

std::string Status(const CheckedFile& file) {
  std::size_t errors = 0;
  for (const Finding& f : file.findings) errors += f.severity == Severity::kError ? 1 : 0;
  const std::size_t warnings = file.findings.size() - errors;
  auto count = [](std::size_t n, std::string_view what) {
    return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s");
  };
  if (errors > 0) {
    return fmt::format("rejected: {}, {}", count(errors, "error"), count(warnings, "warning"));
  }
  if (warnings > 0) return fmt::format("would be stored with {}", count(warnings, "warning"));
  return "passes";
}

nlohmann::json PlanJson(const IngestPlan& plan) {
  nlohmann::json files = nlohmann::json::array();
  for (const CheckedFile& file : plan.files) {
    nlohmann::json findings = nlohmann::json::array();
    for (const Finding& f : file.findings) findings.push_back(FindingJson(f));
    files.push_back({{"file", file.source},
                     {"sha256", file.sha256},
                     {"rejected", file.rejected()},
                     {"findings", findings}});
  }
  return {{"rejected", plan.rejected()}, {"files", files}};
}

/// Per file, its status, then its findings grouped by rule in the order of the suite.
std::string FormatPlan(const IngestPlan& plan) {
  std::string out;
  for (const CheckedFile& file : plan.files) {
    out +=
        fmt::format("{} (sha256 {}): {}\n", file.source, file.sha256.substr(0, 16), Status(file));
    for (const ValidationRule& rule : ValidationSuite()) {
      std::vector<const Finding*> found;
      for (const Finding& f : file.findings) {
        if (f.rule == rule.name) found.push_back(&f);
      }
      if (found.empty()) continue;
      out += fmt::format("  {:<8} {:<20} {} finding{}\n", SeverityName(rule.severity), rule.name,
                         found.size(), found.size() == 1 ? "" : "s");
      for (const Finding* f : found) {
        out += f->line > 0 ? fmt::format("    {}:{}: {}\n", f->source, f->line, f->problem)
                           : fmt::format("    {}: {}\n", f->source, f->problem);
      }
    }
  }
  return out;
}

nlohmann::json RulesJson(const Config& config) {
  nlohmann::json rules = nlohmann::json::array();
  for (const ValidationRule& rule : ValidationSuite()) {
    rules.push_back({{"rule", rule.name},
                     {"code", fmt::format("validation.{}", rule.name)},
                     {"severity", SeverityName(rule.severity)},
                     {"stage", rule.stage},
                     {"threshold_key", rule.threshold_key},
                     {"threshold", RuleThreshold(rule, config)},
                     {"description", rule.description},
                     {"action", rule.action}});
  }
  return rules;
}

}  // namespace

void AddValidateCommand(CLI::App& app, Context& context, Action& action) {
  struct Options {
    std::vector<std::string> files;
    bool rules = false;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "validate",
      "Run the validation suite on load CSV files as ingest would, against the stored data, and "
      "print the findings per rule; stores nothing (exit 3 when a file would be rejected)");
  command->add_option("files", options->files, "CSV files with a date,load header");
  command->add_flag("--rules", options->rules,
                    "Print the rules of the suite (Markdown table) with their thresholds instead");
  command->add_flag("--json", options->json, "Print one JSON document");
  command->callback([&context, &action, options] {
    if (!options->rules && options->files.empty()) {
      throw CLI::ValidationError("validate", "give files to validate, or --rules");
    }
    action = [&context, options] {
      if (options->rules) {
        Print(options->json, RulesJson(context.config()),
              ValidationRulesReference(context.config()));
        return 0;
      }
      const std::vector<std::filesystem::path> files(options->files.begin(), options->files.end());
      const Validator validator(context.config(), Date::Today());
      const IngestPlan plan = Extractor(context.data(), validator).Plan(files);
      Print(options->json, PlanJson(plan), FormatPlan(plan));
      RejectIfErrors(plan.findings());
      return 0;
    };
  });
}

}  // namespace loadcast::cli
