// Backends are chosen by the scheme of a URL, from one table per kind of store.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "storage/alert_notifier.hpp"
#include "storage/database.hpp"
#include "storage/local_files.hpp"
#include "storage/object_store.hpp"

namespace loadcast {

/// The bucket for `storage.url`: a plain path or file:// URL opens a LocalBucket.
std::unique_ptr<ObjectStore> OpenObjectStore(const Config& config);
/// The database for `database.url`: a plain path or sqlite:// URL opens a SqliteDatabase.
std::unique_ptr<Database> OpenDatabase(const Config& config);
/// The local folders the config's stores keep their files in: the bucket's folder when
/// storage.url is a path or file:// URL, the folder holding the SQLite file when database.url is
/// one. No output file may be written inside them.
std::vector<KeptFolder> LocalStoreFolders(const Config& config);
/// The notifier for `alerts.webhook_url`: an http:// or https:// URL opens a WebhookNotifier;
/// an empty URL, none (nullptr).
std::unique_ptr<AlertNotifier> OpenAlertNotifier(const Config& config);

}  // namespace loadcast
