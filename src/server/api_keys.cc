#include "server/api_keys.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace telltale {

std::string GenerateKeySecret() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  unsigned char random[43];
  if (RAND_bytes(random, sizeof(random)) != 1) {
    throw std::runtime_error("the system random source failed");
  }
  std::string secret = "tt_";
  for (unsigned char byte : random) secret += kAlphabet[byte & 63];  // 6 bits each: 258 bits
  return secret;
}

std::string HashKeySecret(std::string_view secret) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(secret.data(), secret.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

std::string KeyPrefix(std::string_view secret) { return std::string(secret.substr(0, 10)); }

}  // namespace telltale
