// What the pipeline says about revised actuals: an ingest that changed the load of days already
// stored raises one data.revised alert per revision, a warning, critical past the limits of
// validation.revision_max_changed_share and validation.revision_max_change_percent. The data
// is stored either way: a revision is the source correcting itself, and refusing it would keep
// the wrong values; the alert makes sure someone looks.
#pragma once

#include "core/config.hpp"
#include "pipeline/extractor.hpp"
#include "pipeline/run.hpp"

namespace loadcast {

/// The data.revised alert of a revision; nothing when it changed no day (days only added).
std::optional<AlertRecord> RevisionAlert(const StoredRevision& revision, const Config& config,
                                         const std::string& location);
/// Raises the alerts of the revisions an ingest recorded.
void RaiseRevisionAlerts(Run& run, const IngestReport& report);

}  // namespace loadcast
