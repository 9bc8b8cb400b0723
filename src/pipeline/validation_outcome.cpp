#include "pipeline/validation_outcome.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "pipeline/validator.hpp"

namespace loadcast {

void RaiseFindingAlerts(Run& run, const std::vector<Finding>& findings,
                        const std::string& subject) {
  for (AlertRecord& alert : FindingAlerts(findings, subject)) run.Raise(std::move(alert));
}

void RaiseFindingAlerts(Run& run, const IngestPlan& plan) {
  for (const CheckedFile& file : plan.files) {
    RaiseFindingAlerts(run, file.findings,
                       fmt::format("file {} sha256:{}", file.name, file.sha256));
  }
}

std::string QuarantineReason(const CheckedFile& file, int64_t run_id) {
  nlohmann::json findings = nlohmann::json::array();
  for (const Finding& f : file.findings) {
    nlohmann::json j = {{"rule", f.rule},
                        {"code", "validation." + f.rule},
                        {"severity", SeverityName(f.severity)},
                        {"line", f.line},
                        {"problem", f.problem}};
    if (f.first_date) j["period_start"] = f.first_date->ToIso();
    if (f.last_date) j["period_end"] = f.last_date->ToIso();
    if (f.value) j["value"] = *f.value;
    if (f.threshold) j["threshold"] = *f.threshold;
    findings.push_back(std::move(j));
  }
  const nlohmann::json reason = {
      {"file", file.source},
      {"name", file.name},
      {"sha256", file.sha256},
      {"bytes", file.bytes.size()},
      {"run_id", run_id},
      {"message", RejectionMessage(file.findings)},
      {"findings", std::move(findings)},
      {"retry", "fix the file (see docs/operations.md, Quarantine), then: loadcast ingest FILE"}};
  return reason.dump(2) + "\n";
}

void QuarantineAndReject(Run& run, const IngestPlan& plan) {
  std::string kept;
  for (const CheckedFile& file : plan.files) {
    if (!file.rejected()) continue;
    const std::string key =
        run.data().quarantine().Keep(file.name, file.bytes, QuarantineReason(file, run.id()));
    kept += fmt::format("\n{}: quarantined as {}", file.source, run.data().BucketLocation(key));
  }
  std::string message = RejectionMessage(plan.findings());
  if (plan.files.size() > 1) {
    message += "\nnothing was stored, not even from the files that passed";
  }
  throw DataError(message + kept);
}

}  // namespace loadcast
