// The address guard: notification receivers are refused when their host resolves into a private,
// loopback, link-local (cloud metadata at 169.254.169.254 included) or otherwise internal range,
// unless the configuration allows that network. It keeps a monitor definition from turning the
// server into a way to reach inside its own network.
#ifndef TELLTALE_NOTIFY_ADDRESS_GUARD_H_
#define TELLTALE_NOTIFY_ADDRESS_GUARD_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "telltale/result.h"

namespace telltale {

// An IPv4 or IPv6 network; IPv4 addresses are kept as IPv4-mapped IPv6.
struct Network {
  std::array<uint8_t, 16> address{};
  int prefix = 0;  // bits, of the 128-bit form
  bool Contains(const std::array<uint8_t, 16>& candidate) const;
};

// "127.0.0.0/8,::1/128" -> networks; InvalidArgument names the entry that is not a CIDR.
Result<std::vector<Network>> ParseNetworks(const std::string& list);

class AddressGuard {
 public:
  explicit AddressGuard(std::vector<Network> allowed) : allowed_(std::move(allowed)) {}
  // The address to connect to (numeric, so the connection goes where the check looked) when every
  // address the URL's host resolves to may be reached.
  Result<std::string> Check(const std::string& url) const;
  // The same for an already resolved address (16 bytes, IPv4-mapped for IPv4).
  bool MayReach(const std::array<uint8_t, 16>& address) const;

 private:
  std::vector<Network> allowed_;
};

// The host of an http(s) URL ("[::1]" without brackets), or empty.
std::string HostOf(const std::string& url);

}  // namespace telltale

#endif  // TELLTALE_NOTIFY_ADDRESS_GUARD_H_
