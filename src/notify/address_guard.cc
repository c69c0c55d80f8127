#include "notify/address_guard.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>
#include <optional>
#include <sstream>

namespace telltale {
namespace {

std::array<uint8_t, 16> Mapped(const in_addr& v4) {
  std::array<uint8_t, 16> out{};
  out[10] = 0xff;
  out[11] = 0xff;
  std::memcpy(out.data() + 12, &v4, 4);
  return out;
}

std::optional<Network> ParseNetwork(const std::string& text) {
  Network network;
  size_t slash = text.find('/');
  std::string address = text.substr(0, slash);
  in_addr v4{};
  in6_addr v6{};
  int width = 0;
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    network.address = Mapped(v4);
    width = 32;
  } else if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
    std::memcpy(network.address.data(), &v6, 16);
    width = 128;
  } else {
    return std::nullopt;
  }
  int prefix = width;
  if (slash != std::string::npos) {
    try {
      size_t used = 0;
      prefix = std::stoi(text.substr(slash + 1), &used);
      if (used != text.size() - slash - 1) return std::nullopt;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (prefix < 0 || prefix > width) return std::nullopt;
  network.prefix = prefix + (128 - width);
  return network;
}

// Ranges no receiver is reached in unless allowed.
const std::vector<Network>& InternalNetworks() {
  static const std::vector<Network> networks = [] {
    std::vector<Network> list;
    for (const char* cidr :
         {"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
          "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4",
          "240.0.0.0/4", "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8"}) {
      list.push_back(*ParseNetwork(cidr));
    }
    return list;
  }();
  return networks;
}

}  // namespace

bool Network::Contains(const std::array<uint8_t, 16>& candidate) const {
  int bits = prefix;
  for (size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((candidate[i] & mask) != (address[i] & mask)) return false;
  }
  return true;
}

Result<std::vector<Network>> ParseNetworks(const std::string& list) {
  std::vector<Network> networks;
  std::stringstream stream(list);
  std::string entry;
  while (std::getline(stream, entry, ',')) {
    entry.erase(0, entry.find_first_not_of(" \t"));
    entry.erase(entry.find_last_not_of(" \t") + 1);
    if (entry.empty()) continue;
    std::optional<Network> network = ParseNetwork(entry);
    if (!network) {
      return Status::InvalidArgument("'" + entry + "' is not a network such as 127.0.0.0/8");
    }
    networks.push_back(*network);
  }
  return networks;
}

std::string HostOf(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  size_t start = scheme + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? end : end - start);
  if (size_t at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    return close == std::string::npos ? "" : authority.substr(1, close - 1);
  }
  return authority.substr(0, authority.find(':'));
}

bool AddressGuard::MayReach(const std::array<uint8_t, 16>& address) const {
  for (const Network& allowed : allowed_) {
    if (allowed.Contains(address)) return true;
  }
  for (const Network& internal : InternalNetworks()) {
    if (internal.Contains(address)) return false;
  }
  return true;
}

Result<std::string> AddressGuard::Check(const std::string& url) const {
  std::string host = HostOf(url);
  if (host.empty()) return Status::InvalidArgument("'" + url + "' has no host");
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int error = getaddrinfo(host.c_str(), nullptr, &hints, &found); error != 0) {
    return Status::Unavailable("cannot resolve '" + host + "': " + gai_strerror(error));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, freeaddrinfo);
  std::string first;
  for (addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    std::array<uint8_t, 16> address{};
    if (entry->ai_family == AF_INET) {
      address = Mapped(reinterpret_cast<sockaddr_in*>(entry->ai_addr)->sin_addr);
    } else if (entry->ai_family == AF_INET6) {
      std::memcpy(address.data(), &reinterpret_cast<sockaddr_in6*>(entry->ai_addr)->sin6_addr, 16);
    } else {
      continue;
    }
    if (!MayReach(address)) {
      return Status::InvalidArgument(
          "receiver '" + host +
          "' is in a private, loopback or link-local network; allow it with notify_allow_networks");
    }
    if (first.empty()) {
      char text[INET6_ADDRSTRLEN] = {};
      const void* raw =
          entry->ai_family == AF_INET
              ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(entry->ai_addr)->sin_addr)
              : static_cast<const void*>(
                    &reinterpret_cast<sockaddr_in6*>(entry->ai_addr)->sin6_addr);
      if (inet_ntop(entry->ai_family, raw, text, sizeof(text)) != nullptr) first = text;
    }
  }
  if (first.empty()) return Status::Unavailable("'" + host + "' has no address");
  return first;
}

}  // namespace telltale
