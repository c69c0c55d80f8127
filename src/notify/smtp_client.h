// Sends one e-mail over SMTP with libcurl: smtp:// upgrades with STARTTLS when the server offers
// it (or must, with starttls: true), smtps:// is TLS from the start; AUTH when a username is set.
#ifndef TELLTALE_NOTIFY_SMTP_CLIENT_H_
#define TELLTALE_NOTIFY_SMTP_CLIENT_H_

#include <string>

#include "notify/channel_spec.h"

namespace telltale {

struct SmtpOutcome {
  bool delivered = false;
  bool retry = false;  // the server or network may take it later
  std::string error;
};

// `address` is the numeric address the host was checked at; the connection goes there.
SmtpOutcome SendMail(const ChannelSpec& channel, const std::string& message,
                     const std::string& address, int timeout_seconds);

}  // namespace telltale

#endif  // TELLTALE_NOTIFY_SMTP_CLIENT_H_
