#include "notify/smtp_client.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cstring>
#include <memory>
#include <mutex>

#include "notify/address_guard.h"

namespace telltale {
namespace {

struct Reader {
  const std::string& text;
  size_t offset = 0;
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* user) {
  auto* reader = static_cast<Reader*>(user);
  size_t left = reader->text.size() - reader->offset;
  size_t n = std::min(left, size * count);
  std::memcpy(buffer, reader->text.data() + reader->offset, n);
  reader->offset += n;
  return n;
}

int PortOf(const std::string& url) {
  bool tls = url.rfind("smtps://", 0) == 0;
  std::string host = HostOf(url);
  size_t at = url.find(host) + host.size();
  if (at < url.size() && url[at] == ']') ++at;
  if (at < url.size() && url[at] == ':') {
    try {
      return std::stoi(url.substr(at + 1));
    } catch (const std::exception&) {
    }
  }
  return tls ? 465 : 25;
}

}  // namespace

SmtpOutcome SendMail(const ChannelSpec& channel, const std::string& message,
                     const std::string& address, int timeout_seconds) {
  static std::once_flag initialized;
  std::call_once(initialized, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  SmtpOutcome outcome;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    outcome.retry = true;
    outcome.error = "cannot start an SMTP session";
    return outcome;
  }
  std::string host = HostOf(channel.url);
  bool ipv6 = address.find(':') != std::string::npos;
  std::string pin =
      fmt::format("{}:{}:{}", host, PortOf(channel.url), ipv6 ? "[" + address + "]" : address);
  curl_slist* resolve = curl_slist_append(nullptr, pin.c_str());
  curl_slist* recipients = nullptr;
  for (const std::string& to : channel.to) {
    recipients = curl_slist_append(recipients, ("<" + to + ">").c_str());
  }
  std::string from = "<" + channel.from + ">";
  Reader reader{message};
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, channel.url.c_str());
  curl_easy_setopt(handle, CURLOPT_RESOLVE, resolve);
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, ReadMessage);
  curl_easy_setopt(handle, CURLOPT_READDATA, &reader);
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(timeout_seconds));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout_seconds));
  curl_easy_setopt(handle, CURLOPT_USE_SSL,
                   static_cast<long>(channel.require_starttls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  if (!channel.username.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, channel.username.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, channel.password.c_str());
  }
  CURLcode result = curl_easy_perform(handle);
  long code = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(recipients);
  curl_slist_free_all(resolve);
  if (result == CURLE_OK) {
    outcome.delivered = true;
    return outcome;
  }
  // SMTP 4xx replies and network trouble are temporary; 5xx replies and refused logins are not.
  outcome.retry = (code >= 400 && code < 500) ||
                  (code == 0 && result != CURLE_LOGIN_DENIED && result != CURLE_USE_SSL_FAILED);
  outcome.error = fmt::format("SMTP {}: {}{}", host, curl_easy_strerror(result),
                              code ? fmt::format(" (reply {})", code) : "");
  return outcome;
}

}  // namespace telltale
