// Outbound notification of alerts: the interface the data controller calls once an alert is
// stored, and the webhook that POSTs it as JSON. Pipeline steps never see it.
#pragma once

#include <string>

#include "storage/records.hpp"

namespace loadcast {

class AlertNotifier {
 public:
  virtual ~AlertNotifier() = default;
  /// Delivers a stored alert; StorageError naming the destination (redacted) when it could not.
  virtual void Notify(const AlertRecord& alert) = 0;
  /// Where alerts go, for people: credentials redacted.
  virtual std::string location() const = 0;
};

/// POSTs each alert as its one JSON object (ToJson in storage/record_json.hpp) to an http:// or
/// https:// URL. User info in the URL ("user:password@") is sent as basic authentication. Any
/// answer but 2xx, a refused connection or a timeout is a failed delivery.
class WebhookNotifier final : public AlertNotifier {
 public:
  /// `timeout_seconds` bounds connecting, sending and reading, each.
  WebhookNotifier(std::string url, double timeout_seconds);

  void Notify(const AlertRecord& alert) override;
  std::string location() const override;

 private:
  std::string url_;
  std::string origin_;  // scheme://host[:port]
  std::string target_;  // path and query
  std::string user_;
  std::string password_;
  double timeout_seconds_;
};

}  // namespace loadcast
