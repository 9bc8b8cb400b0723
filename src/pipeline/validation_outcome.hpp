// What the pipeline does with the findings of the validation suite: every finding becomes an
// alert of the run, and an ingest with errors keeps each rejected file in the bucket's quarantine
// with its findings, then fails with exit code 3, having stored nothing else.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "pipeline/extractor.hpp"
#include "pipeline/run.hpp"

namespace loadcast {

/// Raises the alerts of findings about one source (see FindingAlerts); `subject` names the data
/// checked (a file and its SHA-256, the actuals objects read).
void RaiseFindingAlerts(Run& run, const std::vector<Finding>& findings, const std::string& subject);
/// Raises the alerts of every file's findings, each with the subject "file <name> sha256:<hex>".
void RaiseFindingAlerts(Run& run, const IngestPlan& plan);

/// The reason kept beside a quarantined file: JSON naming the file, its hash and size, the run,
/// every finding (rule, severity, line, problem, period, value, threshold) and the rejection
/// message.
std::string QuarantineReason(const CheckedFile& file, int64_t run_id);

/// Quarantines every rejected file of the plan and throws DataError: the errors, then where each
/// file was kept. The actuals and the data tables are untouched.
[[noreturn]] void QuarantineAndReject(Run& run, const IngestPlan& plan);

}  // namespace loadcast
