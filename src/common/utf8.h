// Pieces of text quoted in messages and answers, which are JSON and so must stay UTF-8.
#ifndef TELLTALE_COMMON_UTF8_H_
#define TELLTALE_COMMON_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace telltale {

// At most `max_bytes` of `text`, cut between characters, never inside one; a byte that is not
// part of a valid UTF-8 character (a query parameter can hold any) is shown as '?'.
std::string Utf8Excerpt(std::string_view text, size_t max_bytes);

}  // namespace telltale

#endif  // TELLTALE_COMMON_UTF8_H_
