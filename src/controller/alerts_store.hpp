// Dataset "alerts" as the pipeline sees it: the alerts table (storage/datasets/alerts.hpp), and
// the notifier that each new warning or critical alert is handed to.
#pragma once

#include <cstdint>
#include <optional>

#include "storage/alert_notifier.hpp"
#include "storage/datasets/alerts.hpp"

namespace loadcast {

/// The reads and acknowledgements are the database dataset's own; what this class adds is the
/// notification on Add.
class AlertsStore : private AlertsDataset {
 public:
  /// `rows` is the database's alerts dataset (a handle on its connection); `notifier` may be
  /// null: alerts are stored only.
  AlertsStore(const AlertsDataset& rows, AlertNotifier* notifier)
      : AlertsDataset(rows), notifier_(notifier) {}

  /// Stores an alert (see AlertsDataset::Add) and, when it is new and a warning or critical,
  /// hands it to the notifier. A failed delivery is logged as a warning, never thrown: the alert
  /// is on record either way. The new id, or nothing when the alert was already on record.
  std::optional<int64_t> Add(const AlertRecord& alert);
  /// Stores an episode (see AlertsDataset::Track) and hands it to the notifier, as Add does,
  /// when it opened or escalated.
  EpisodeWrite Track(const AlertRecord& alert);

  // See AlertsDataset.
  using AlertsDataset::Acknowledge;
  using AlertsDataset::Count;
  using AlertsDataset::List;

 private:
  /// The alert as stored: created now unless set, fingerprinted, its texts escaped.
  static AlertRecord AsStored(const AlertRecord& alert);
  /// Hands a stored warning or critical alert to the notifier, if any.
  void Notify(const AlertRecord& stored);

  AlertNotifier* notifier_;
};

}  // namespace loadcast
