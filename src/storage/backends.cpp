#include "storage/backends.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <vector>

#include "core/errors.hpp"
#include "core/url.hpp"
#include "storage/database.hpp"
#include "storage/local_bucket.hpp"
#include "storage/s3_bucket.hpp"

namespace loadcast {
namespace {

template <typename T>
struct Backend {
  std::string_view scheme;  // "" matches a plain path
  std::function<std::unique_ptr<T>(const Config&, const std::string& rest)> open;
};

/// Splits "scheme://rest"; a string without "://" is a plain path with an empty scheme.
std::pair<std::string, std::string> SplitUrl(const std::string& url) {
  const auto pos = url.find("://");
  if (pos == std::string::npos) return {"", url};
  return {url.substr(0, pos), url.substr(pos + 3)};
}

template <typename T>
std::unique_ptr<T> Open(const std::vector<Backend<T>>& table, const std::string& key,
                        const std::string& url, const Config& config) {
  const auto [scheme, rest] = SplitUrl(url);
  std::vector<std::string> valid;
  for (const auto& backend : table) {
    if (backend.scheme == scheme) return backend.open(config, rest);
    if (!backend.scheme.empty()) valid.push_back(std::string(backend.scheme) + "://");
  }
  throw ConfigError(fmt::format("{}: unsupported scheme '{}' in '{}' (valid: a path, {})", key,
                                scheme, RedactUrl(url), fmt::join(valid, ", ")));
}

}  // namespace

std::unique_ptr<ObjectStore> OpenObjectStore(const Config& config) {
  auto local = [](const Config& c, const std::string& path) -> std::unique_ptr<ObjectStore> {
    return std::make_unique<LocalBucket>(c.Resolve(path));
  };
  // "s3://bucket/prefix": the bucket is the URL's host, the prefix the rest of its path.
  auto s3 = [](const Config& c, const std::string& rest) -> std::unique_ptr<ObjectStore> {
    const auto slash = rest.find('/');
    S3Options options;
    options.bucket = rest.substr(0, slash);
    options.prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
    if (options.bucket.empty()) {
      throw ConfigError(fmt::format("storage.url: no bucket in '{}' (like s3://bucket/prefix)",
                                    RedactUrl(c.storage_url)));
    }
    options.endpoint = c.storage_s3.endpoint;
    options.region = c.storage_s3.region;
    options.path_style = c.storage_s3.path_style;
    options.timeout_seconds = c.storage_s3.timeout_seconds;
    options.max_retries = c.storage_s3.max_retries;
    return std::make_unique<S3Bucket>(std::move(options));
  };
  static const std::vector<Backend<ObjectStore>> kTable = {
      {"", local}, {"file", local}, {"s3", s3}};
  return Open(kTable, "storage.url", config.storage_url, config);
}

std::unique_ptr<Database> OpenDatabase(const Config& config) {
  auto sqlite = [](const Config& c, const std::string& path) -> std::unique_ptr<Database> {
    // "host=db password=..." is libpq's keyword form, not a file name: opening it as SQLite
    // would create a file named after the password.
    if (LooksLikeKeywordDsn(path)) {
      throw ConfigError(fmt::format(
          "database.url '{}' is a libpq keyword connection string, which loadcast does not "
          "read; give PostgreSQL as a postgresql:// URL instead, the password in PGPASSWORD",
          RedactUrl(path)));
    }
    return std::make_unique<SqliteDatabase>(c.Resolve(path));
  };
  // The whole URL: libpq reads the user, host, port, database and parameters from it.
  auto postgres = [](const Config& c, const std::string&) -> std::unique_ptr<Database> {
    return std::make_unique<PostgresDatabase>(c.database_url);
  };
  static const std::vector<Backend<Database>> kTable = {
      {"", sqlite}, {"sqlite", sqlite}, {"postgresql", postgres}, {"postgres", postgres}};
  return Open(kTable, "database.url", config.database_url, config);
}

std::vector<KeptFolder> LocalStoreFolders(const Config& config) {
  std::vector<KeptFolder> folders;
  const auto [storage_scheme, storage_path] = SplitUrl(config.storage_url);
  if (storage_scheme.empty() || storage_scheme == "file") {
    folders.push_back({config.Resolve(storage_path), "the bucket"});
  }
  const auto [database_scheme, database_path] = SplitUrl(config.database_url);
  if ((database_scheme.empty() || database_scheme == "sqlite") &&
      !LooksLikeKeywordDsn(database_path)) {
    folders.push_back({config.Resolve(database_path).parent_path(), "the database's folder"});
  }
  return folders;
}

std::unique_ptr<AlertNotifier> OpenAlertNotifier(const Config& config) {
  const std::string& url = config.alerts_webhook_url;
  if (url.empty()) return nullptr;
  auto webhook = [](const Config& c, const std::string&) -> std::unique_ptr<AlertNotifier> {
    return std::make_unique<WebhookNotifier>(c.alerts_webhook_url,
                                             c.alerts_webhook_timeout_seconds);
  };
  static const std::vector<Backend<AlertNotifier>> kTable = {{"http", webhook}, {"https", webhook}};
  const auto [scheme, rest] = SplitUrl(url);
  for (const auto& backend : kTable) {
    if (backend.scheme == scheme) return backend.open(config, rest);
  }
  // Not Open(): a path is no webhook, and the URL may hold a token that must not be shown.
  throw ConfigError(
      fmt::format("alerts.webhook_url: unsupported scheme '{}' in '{}' (valid: http://, https://)",
                  scheme, RedactUrl(url)));
}

}  // namespace loadcast
