// SeparatorMask: which of 64 bytes are a field delimiter or a newline, as the bits of one word
// (bit i for byte i). Splitting quote-free CSV text then visits only the separators, one bit at a
// time, instead of scanning every byte of every field.
#ifndef TELLTALE_IO_SEPARATOR_MASK_H_
#define TELLTALE_IO_SEPARATOR_MASK_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace telltale {

// One byte at a time: the definition, and what machines without SSE2 use.
inline uint64_t SeparatorMaskPortable(const char* bytes, size_t length, char delimiter) {
  uint64_t mask = 0;
  for (size_t i = 0; i < length && i < 64; ++i) {
    if (bytes[i] == delimiter || bytes[i] == '\n') mask |= uint64_t{1} << i;
  }
  return mask;
}

// The mask of bytes[0, length), length <= 64; bytes past `length` are not read.
inline uint64_t SeparatorMask(const char* bytes, size_t length, char delimiter) {
#if defined(__SSE2__)
  alignas(16) char padded[64];
  if (length < 64) {
    std::memset(padded, 0, sizeof(padded));
    std::memcpy(padded, bytes, length);
    bytes = padded;
  }
  const __m128i delimiters = _mm_set1_epi8(delimiter);
  const __m128i newlines = _mm_set1_epi8('\n');
  uint64_t mask = 0;
  for (int part = 0; part < 4; ++part) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + 16 * part));
    const __m128i found =
        _mm_or_si128(_mm_cmpeq_epi8(chunk, delimiters), _mm_cmpeq_epi8(chunk, newlines));
    mask |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(found))) << (16 * part);
  }
  // Padding bytes are zero, a delimiter only if the delimiter is: they are masked off.
  return length < 64 ? mask & ((uint64_t{1} << length) - 1) : mask;
#else
  return SeparatorMaskPortable(bytes, length, delimiter);
#endif
}

}  // namespace telltale

#endif  // TELLTALE_IO_SEPARATOR_MASK_H_
