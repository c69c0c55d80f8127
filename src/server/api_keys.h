// API key secrets: generated from the operating system's random source, stored only as SHA-256.
// A secret is "tt_" followed by 43 URL-safe characters (256 random bits), so a hash suffices;
// there is nothing to brute-force that a slow hash would protect.
#ifndef TELLTALE_SERVER_API_KEYS_H_
#define TELLTALE_SERVER_API_KEYS_H_

#include <string>
#include <string_view>

namespace telltale {

std::string GenerateKeySecret();
// Lowercase hex SHA-256.
std::string HashKeySecret(std::string_view secret);
// What listings show of a secret: its first characters.
std::string KeyPrefix(std::string_view secret);

}  // namespace telltale

#endif  // TELLTALE_SERVER_API_KEYS_H_
