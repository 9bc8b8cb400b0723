#include "controller/alerts_store.hpp"

#include <spdlog/spdlog.h>

#include <exception>

#include "core/printable.hpp"
#include "storage/alerts.hpp"
#include "storage/database.hpp"

namespace loadcast {

AlertRecord AlertsStore::AsStored(const AlertRecord& alert) {
  // Filled in here rather than by the database, so that the notifier sends the alert exactly as
  // it is stored.
  AlertRecord stored = alert;
  if (stored.created_at.empty()) stored.created_at = UtcNow();
  if (stored.fingerprint.empty()) stored.fingerprint = AlertFingerprint(stored);
  // The message and subject are stored (and sent) with their control bytes escaped, so that a
  // file name with a newline or an escape sequence cannot forge lines wherever the alert is
  // shown. The fingerprint is of the alert as raised.
  stored.message = EscapeControlBytes(stored.message);
  stored.subject = EscapeControlBytes(stored.subject);
  return stored;
}

void AlertsStore::Notify(const AlertRecord& stored) {
  if (!notifier_ || !IsNotifiable(stored.severity)) return;
  try {
    notifier_->Notify(stored);
    spdlog::debug("alert {} sent to {}", stored.id, notifier_->location());
  } catch (const std::exception& e) {
    // The notifier's messages name the destination redacted; the alert stays on record.
    spdlog::warn("alert {} ({}) was stored but not delivered: {}", stored.id, stored.code,
                 e.what());
  }
}

std::optional<int64_t> AlertsStore::Add(const AlertRecord& alert) {
  AlertRecord stored = AsStored(alert);
  const auto id = AlertsDataset::Add(stored);
  if (!id) {
    spdlog::debug("alert {} ({}) is already on record", stored.code, stored.fingerprint);
    return id;
  }
  stored.id = *id;
  Notify(stored);
  return id;
}

EpisodeWrite AlertsStore::Track(const AlertRecord& alert) {
  AlertRecord stored = AsStored(alert);
  const EpisodeWrite write = AlertsDataset::Track(stored);
  stored.id = write.id;
  if (write.opened || write.escalated) Notify(stored);
  return write;
}

}  // namespace loadcast
