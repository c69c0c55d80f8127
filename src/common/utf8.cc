#include "common/utf8.h"

#include <simdjson.h>

namespace telltale {
namespace {

// The length a character starting with `lead` has, or 0 for a byte no character starts with.
size_t CharacterLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

}  // namespace

std::string Utf8Excerpt(std::string_view text, size_t max_bytes) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t length = CharacterLength(static_cast<unsigned char>(text[at]));
    // simdjson decides what is valid (overlong forms and surrogates are not), as it does for
    // every body.
    bool valid = length > 0 && at + length <= text.size() &&
                 simdjson::validate_utf8(text.data() + at, length);
    if (!valid) length = 1;
    if (out.size() + length > max_bytes) break;
    if (valid) {
      out.append(text.substr(at, length));
    } else {
      out.push_back('?');
    }
    at += length;
  }
  return out;
}

}  // namespace telltale
