// Backends are chosen by the scheme of a URL, from one table per kind of store.
#pragma once

#include <memory>
#include <string>

#include "core/config.hpp"
#include "storage/alert_notifier.hpp"
#include "storage/database.hpp"
#include "storage/object_store.hpp"

namespace loadcast {

/// The bucket for `storage.url`: a plain path or file:// URL opens a LocalBucket.
std::unique_ptr<ObjectStore> OpenObjectStore(const Config& config);
/// The database for `database.url`: a plain path or sqlite:// URL opens a SqliteDatabase.
std::unique_ptr<Database> OpenDatabase(const Config& config);
/// The notifier for `alerts.webhook_url`: an http:// or https:// URL opens a WebhookNotifier;
/// an empty URL, none (nullptr).
std::unique_ptr<AlertNotifier> OpenAlertNotifier(const Config& config);

}  // namespace loadcast
