#ifndef KAMWATCH_CSCAN_SCAN_H
#define KAMWATCH_CSCAN_SCAN_H
// Bit masks of a 64-byte block for the CSV scanner: one bit per byte, bit k for byte k.
// Portable Swift SIMD has no movemask; these static inline functions (inlined by the Swift
// compiler) use SSE2 on x86-64, NEON on AArch64, and a byte loop elsewhere.

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__ARM_NEON) && defined(__aarch64__)
#include <arm_neon.h>
#endif

/// The masks of one block: quotes, delimiters and line ends together (`special`), quotes
/// alone, line ends alone, and bytes with the high bit set (not ASCII).
typedef struct {
    uint64_t special;
    uint64_t quotes;
    uint64_t lineEnds;
    uint64_t high;
} kw_block_masks;

/// UTF-8 classes of the bytes of a block: continuation bytes (80-BF) and leads of two-byte
/// sequences (C2-DF).
typedef struct {
    uint64_t continuations;
    uint64_t leads2;
} kw_utf8_masks;

#if defined(__SSE2__)

static inline uint64_t kw_mask16(__m128i eq) { return (uint64_t)(uint32_t)_mm_movemask_epi8(eq); }

/// The masks of the 64 bytes at `p` (all readable).
static inline kw_block_masks kw_scan_block(const uint8_t *p, uint8_t delimiter, uint8_t lineEnd) {
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i delim = _mm_set1_epi8((char)delimiter);
    const __m128i end = _mm_set1_epi8((char)lineEnd);
    kw_block_masks m = {0, 0, 0, 0};
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i q = _mm_cmpeq_epi8(v, quote);
        __m128i n = _mm_cmpeq_epi8(v, end);
        __m128i d = _mm_cmpeq_epi8(v, delim);
        unsigned shift = 16u * (unsigned)k;
        m.quotes |= kw_mask16(q) << shift;
        m.lineEnds |= kw_mask16(n) << shift;
        m.special |= kw_mask16(_mm_or_si128(_mm_or_si128(q, n), d)) << shift;
        m.high |= kw_mask16(v) << shift;
    }
    return m;
}

/// The UTF-8 classes of the 64 bytes at `p` (all readable).
static inline kw_utf8_masks kw_utf8_block(const uint8_t *p) {
    // As signed bytes: continuations are below C0; two-byte leads above C1 and below E0.
    const __m128i contTop = _mm_set1_epi8((char)0xC0);
    const __m128i leadLow = _mm_set1_epi8((char)0xC1);
    const __m128i leadTop = _mm_set1_epi8((char)0xE0);
    kw_utf8_masks m = {0, 0};
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        unsigned shift = 16u * (unsigned)k;
        m.continuations |= kw_mask16(_mm_cmplt_epi8(v, contTop)) << shift;
        m.leads2 |= kw_mask16(_mm_and_si128(_mm_cmpgt_epi8(v, leadLow), _mm_cmplt_epi8(v, leadTop))) << shift;
    }
    return m;
}

#elif defined(__ARM_NEON) && defined(__aarch64__)

/// Bit k set where byte k of the four 16-byte comparisons is 0xFF.
static inline uint64_t kw_mask64(uint8x16_t a, uint8x16_t b, uint8x16_t c, uint8x16_t d) {
    const uint8x16_t bit = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
    uint8x16_t s0 = vpaddq_u8(vandq_u8(a, bit), vandq_u8(b, bit));
    uint8x16_t s1 = vpaddq_u8(vandq_u8(c, bit), vandq_u8(d, bit));
    s0 = vpaddq_u8(s0, s1);
    s0 = vpaddq_u8(s0, s0);
    return vgetq_lane_u64(vreinterpretq_u64_u8(s0), 0);
}

static inline kw_block_masks kw_scan_block(const uint8_t *p, uint8_t delimiter, uint8_t lineEnd) {
    const uint8x16_t quote = vdupq_n_u8('"');
    const uint8x16_t delim = vdupq_n_u8(delimiter);
    const uint8x16_t end = vdupq_n_u8(lineEnd);
    const uint8x16_t top = vdupq_n_u8(0x80);
    uint8x16_t v0 = vld1q_u8(p), v1 = vld1q_u8(p + 16), v2 = vld1q_u8(p + 32), v3 = vld1q_u8(p + 48);
    uint8x16_t q0 = vceqq_u8(v0, quote), q1 = vceqq_u8(v1, quote);
    uint8x16_t q2 = vceqq_u8(v2, quote), q3 = vceqq_u8(v3, quote);
    uint8x16_t n0 = vceqq_u8(v0, end), n1 = vceqq_u8(v1, end);
    uint8x16_t n2 = vceqq_u8(v2, end), n3 = vceqq_u8(v3, end);
    kw_block_masks m;
    m.quotes = kw_mask64(q0, q1, q2, q3);
    m.lineEnds = kw_mask64(n0, n1, n2, n3);
    m.special = kw_mask64(
        vorrq_u8(vorrq_u8(q0, n0), vceqq_u8(v0, delim)), vorrq_u8(vorrq_u8(q1, n1), vceqq_u8(v1, delim)),
        vorrq_u8(vorrq_u8(q2, n2), vceqq_u8(v2, delim)), vorrq_u8(vorrq_u8(q3, n3), vceqq_u8(v3, delim)));
    m.high = kw_mask64(vcgeq_u8(v0, top), vcgeq_u8(v1, top), vcgeq_u8(v2, top), vcgeq_u8(v3, top));
    return m;
}

/// Lanes of `v` within `lo...hi`.
static inline uint8x16_t kw_within(uint8x16_t v, uint8_t lo, uint8_t hi) {
    return vandq_u8(vcgeq_u8(v, vdupq_n_u8(lo)), vcleq_u8(v, vdupq_n_u8(hi)));
}

static inline kw_utf8_masks kw_utf8_block(const uint8_t *p) {
    uint8x16_t v0 = vld1q_u8(p), v1 = vld1q_u8(p + 16), v2 = vld1q_u8(p + 32), v3 = vld1q_u8(p + 48);
    kw_utf8_masks m;
    m.continuations = kw_mask64(kw_within(v0, 0x80, 0xBF), kw_within(v1, 0x80, 0xBF), kw_within(v2, 0x80, 0xBF),
                                kw_within(v3, 0x80, 0xBF));
    m.leads2 = kw_mask64(kw_within(v0, 0xC2, 0xDF), kw_within(v1, 0xC2, 0xDF), kw_within(v2, 0xC2, 0xDF),
                         kw_within(v3, 0xC2, 0xDF));
    return m;
}

#else

static inline kw_block_masks kw_scan_block(const uint8_t *p, uint8_t delimiter, uint8_t lineEnd) {
    kw_block_masks m = {0, 0, 0, 0};
    for (int k = 0; k < 64; k++) {
        uint8_t c = p[k];
        uint64_t bit = (uint64_t)1 << k;
        if (c == '"') m.quotes |= bit;
        if (c == lineEnd) m.lineEnds |= bit;
        if (c == '"' || c == lineEnd || c == delimiter) m.special |= bit;
        if (c >= 0x80) m.high |= bit;
    }
    return m;
}

static inline kw_utf8_masks kw_utf8_block(const uint8_t *p) {
    kw_utf8_masks m = {0, 0};
    for (int k = 0; k < 64; k++) {
        uint8_t c = p[k];
        if (c >= 0x80 && c <= 0xBF) m.continuations |= (uint64_t)1 << k;
        if (c >= 0xC2 && c <= 0xDF) m.leads2 |= (uint64_t)1 << k;
    }
    return m;
}

#endif

/// Copies `n` bytes from `src` to `dst` 16 at a time, so a short cell takes one or two moves
/// instead of a call: 16 bytes beyond the `n` must be readable at `src` and writable at `dst`
/// (a reader's buffer or a decoder's scratch, and a buffer kept with that slack).
static inline void kw_copy_padded(uint8_t *dst, const uint8_t *src, long n) {
#if defined(__SSE2__)
    if (n <= 32) {
        _mm_storeu_si128((__m128i *)dst, _mm_loadu_si128((const __m128i *)src));
        if (n > 16) _mm_storeu_si128((__m128i *)(dst + 16), _mm_loadu_si128((const __m128i *)(src + 16)));
        return;
    }
#elif defined(__ARM_NEON) && defined(__aarch64__)
    if (n <= 32) {
        vst1q_u8(dst, vld1q_u8(src));
        if (n > 16) vst1q_u8(dst + 16, vld1q_u8(src + 16));
        return;
    }
#endif
    __builtin_memcpy(dst, src, (unsigned long)n);
}

/// Copies `p[0..<n]` to `dst` with ASCII letters lower-cased, 16 bytes at a time (16 bytes
/// beyond the `n` readable at `p` and writable at `dst`): 1, or 0 when a byte is not ASCII
/// (then what was written means nothing), and always where SSE2 is missing.
static inline int kw_lower_ascii_padded(uint8_t *dst, const uint8_t *p, long n) {
#if defined(__SSE2__)
    // As signed bytes, letters A-Z lie above '@' and below '['; bytes >= 0x80 are negative.
    const __m128i above = _mm_set1_epi8('A' - 1);
    const __m128i below = _mm_set1_epi8('Z' + 1);
    const __m128i bit = _mm_set1_epi8(0x20);
    for (long k = 0; k < n; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + k));
        unsigned high = (unsigned)_mm_movemask_epi8(v);
        if (n - k < 16) high &= (1u << (n - k)) - 1;
        if (high != 0) return 0;
        __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, above), _mm_cmplt_epi8(v, below));
        _mm_storeu_si128((__m128i *)(dst + k), _mm_or_si128(v, _mm_and_si128(upper, bit)));
    }
    return 1;
#else
    (void)dst;
    (void)p;
    (void)n;
    return 0;
#endif
}

/// The value of `k` (0...8) ASCII digits at `p` (8 bytes readable), eight bytes at a time.
__attribute__((always_inline)) static inline uint64_t kw_digits8_word(uint64_t w, int k);

__attribute__((always_inline)) static inline uint64_t kw_digits8(const uint8_t *p, int k) {
    uint64_t w;
    __builtin_memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return kw_digits8_word(w, k);
}

/// `kw_digits8` of the eight bytes in `w`, the first in its lowest byte.
__attribute__((always_inline)) static inline uint64_t kw_digits8_word(uint64_t w, int k) {
    if (k == 0) return 0;
    // The digits to the top bytes (lower ones become leading zeros), then pairs, fours, eights.
    w = (w << (8 * (8 - k))) & 0x0F0F0F0F0F0F0F0FULL;
    w = (w * 2561) >> 8;
    w = ((w & 0x00FF00FF00FF00FFULL) * 6553601) >> 16;
    w = ((w & 0x0000FFFF0000FFFFULL) * 42949672960001ULL) >> 32;
    return w;
}

/// The value of `k` (0...16) ASCII digits at `p` (16 bytes readable).
__attribute__((always_inline)) static inline uint64_t kw_digits16(const uint8_t *p, int k) {
    if (k <= 8) return kw_digits8(p, k);
    return kw_digits8(p, k - 8) * 100000000ULL + kw_digits8(p + (k - 8), 8);
}

/// A plain number `[sign]digits[MARKdigits]` of at most 15 digits in `p[0..<n]` (32 bytes
/// readable from `p`), `mark` the decimal mark: 1 and its value in `*value`, the integer of its
/// digits divided by a power of ten (both exact, so one rounding); 0 for any other text, and
/// always where SSE2 is missing. Always inlined: `mark` is a constant at each use.
__attribute__((always_inline)) static inline int kw_plain_number_mark(const uint8_t *p, long n, uint8_t mark,
                                                                      double *value) {
#if defined(__SSE2__)
    static const double powers[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    if (n < 1 || n > 16) return 0;
    int negative = p[0] == '-';
    int start = negative || p[0] == '+';
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    __m128i isDigit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
    unsigned cell = ((1u << n) - 1) & ~((1u << start) - 1);
    unsigned digits = (unsigned)_mm_movemask_epi8(isDigit) & cell;
    unsigned dots = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)mark))) & cell;
    // Digits and at most one dot, at most 15 digits (no POPCNT in baseline x86-64: counted from n).
    if ((digits | dots) != cell || digits == 0 || (dots & (dots - 1)) != 0) return 0;
    if ((int)n - start - (dots != 0) > 15) return 0;
    int intCount, fracCount;
    if (dots == 0) {
        intCount = (int)n - start;
        fracCount = 0;
    } else {
        int dot = __builtin_ctz(dots);
        intCount = dot - start;
        fracCount = (int)n - dot - 1;
        if (intCount == 0 || fracCount == 0) return 0;
    }
    uint64_t m;
    if (fracCount > 0 && intCount + fracCount <= 8) {
        // Eight digits at most: the word at the first digit up to the mark and the word one
        // byte later from there on are the digits alone, read at once (the same integer).
        uint64_t before, after;
        __builtin_memcpy(&before, p + start, 8);
        __builtin_memcpy(&after, p + start + 1, 8);
        uint64_t low = ((uint64_t)1 << (8 * intCount)) - 1;
        m = kw_digits8_word((before & low) | (after & ~low), intCount + fracCount);
    } else if (fracCount > 0) {
        m = kw_digits16(p + start, intCount);
        static const uint64_t scale[16] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                           100000000, 1000000000, 10000000000ULL, 100000000000ULL,
                                           1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
                                           1000000000000000ULL};
        m = m * scale[fracCount] + kw_digits16(p + start + intCount + 1, fracCount);
    } else {
        m = kw_digits16(p + start, intCount);
    }
    // m < 10^15: converted as a signed integer (one instruction), the same value.
    double x = (double)(int64_t)m / powers[fracCount];
    *value = negative ? -x : x;
    return 1;
#else
    (void)p;
    (void)n;
    (void)mark;
    (void)value;
    return 0;
#endif
}

/// A plain number `[sign]digits[.digits]` of at most 15 digits in `p[0..<n]` (32 bytes readable
/// from `p`): 1 and its value in `*value`, the integer of its digits divided by a power of ten
/// (both exact, so one rounding); 0 for any other text, and always where SSE2 is missing.
static inline int kw_plain_number(const uint8_t *p, long n, double *value) {
    return kw_plain_number_mark(p, n, '.', value);
}

/// `kw_plain_number` with a decimal comma: `[sign]digits[,digits]`, at most 15 digits.
static inline int kw_comma_number(const uint8_t *p, long n, double *value) {
    return kw_plain_number_mark(p, n, ',', value);
}

/// A number `[sign]digits[MARKdigits]` whose integer digits may be grouped by three (`1 234`,
/// the separator a space, U+00A0 or U+202F, first group of one to three digits), MARK `.` or,
/// with `comma`, also `,`; at most 15 digits: 1 and its value in `*value`, as
/// `kw_plain_number_mark` (the integer of its digits over a power of ten, one rounding); 0 for
/// any other text, which the full parser then reads. One pass, no reads beyond `p[n - 1]`.
static inline int kw_grouped_number(const uint8_t *p, long n, int comma, double *value) {
    static const double powers[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    if (n < 1 || n > 64) return 0;
    long i = 0;
    int negative = 0;
    if (p[0] == '-' || p[0] == '+') {
        negative = p[0] == '-';
        i = 1;
    }
    uint64_t m = 0;
    long digits = 0;
    long group = 0;  // digits since the last separator (or the start)
    long groups = 0;  // separators seen
    while (i < n) {
        unsigned d = (unsigned)p[i] - '0';
        if (d <= 9) {
            m = m * 10 + d;
            digits++;
            group++;
            i++;
            continue;
        }
        long sep = 0;
        if (p[i] == ' ') {
            sep = 1;
        } else if (p[i] == 0xC2 && i + 1 < n && p[i + 1] == 0xA0) {
            sep = 2;
        } else if (p[i] == 0xE2 && i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0xAF) {
            sep = 3;
        }
        if (sep == 0) break;
        if (groups == 0 ? (group < 1 || group > 3) : group != 3) return 0;
        groups++;
        group = 0;
        i += sep;
    }
    if (group < 1 || (groups > 0 && group != 3)) return 0;
    long fracCount = 0;
    if (i < n) {
        if (!(p[i] == '.' || (comma && p[i] == ','))) return 0;
        i++;
        long fracStart = i;
        while (i < n) {
            unsigned d = (unsigned)p[i] - '0';
            if (d > 9) return 0;
            m = m * 10 + d;
            i++;
        }
        fracCount = i - fracStart;
        if (fracCount == 0) return 0;
        digits += fracCount;
    }
    // More digits may have wrapped `m`: not read here.
    if (digits > 15) return 0;
    // m < 10^15: converted as a signed integer (one instruction), the same value.
    double x = (double)(int64_t)m / powers[fracCount];
    *value = negative ? -x : x;
    return 1;
}

/// A `YYYY-MM-DD` day in `p[0..<10]` (16 bytes readable): 1 and its fields, or 0 for any other
/// text (and always where SSE2 is missing).
static inline int kw_iso_date(const uint8_t *p, int *year, int *month, int *day) {
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    unsigned digits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d));
    unsigned dashes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
    // Digits at 0-3, 5-6 and 8-9; dashes at 4 and 7.
    if ((digits & 0x3FF) != 0x36F || (dashes & 0x90) != 0x90) return 0;
    *year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    *month = (p[5] - '0') * 10 + (p[6] - '0');
    *day = (p[8] - '0') * 10 + (p[9] - '0');
    return 1;
#else
    (void)p;
    (void)year;
    (void)month;
    (void)day;
    return 0;
#endif
}

/// A `DD.MM.YYYY` day in `p[0..<n]`, alone (`n` 10) or followed by ` HH:MM` (`n` 16) or
/// ` HH:MM:SS` (`n` 19) with an hour below 24 and minutes below 60 (32 bytes readable): 1 and
/// its fields, or 0 for any other text (and always where SSE2 is missing). The fields are not
/// checked against the calendar.
static inline int kw_dmy_date(const uint8_t *p, long n, int *year, int *month, int *day) {
#if defined(__SSE2__)
    if (n != 10 && n != 16 && n != 19) return 0;
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    unsigned digits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d));
    unsigned dots = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
    // Digits at 0-1, 3-4 and 6-9; dots at 2 and 5.
    if ((digits & 0x3FF) != 0x3DB || (dots & 0x24) != 0x24) return 0;
    if (n > 10) {
        // ` HH:MM` at 10-15 (digits at 11-12 and 14-15), then `:SS` at 16-18.
        if (p[10] != ' ' || p[13] != ':' || (digits & 0xD800u) != 0xD800u) return 0;
        int hour = (p[11] - '0') * 10 + (p[12] - '0');
        int minute = (p[14] - '0') * 10 + (p[15] - '0');
        if (hour >= 24 || minute >= 60) return 0;
        if (n == 19) {
            unsigned s0 = (unsigned)(p[17] - '0'), s1 = (unsigned)(p[18] - '0');
            if (p[16] != ':' || s0 > 9 || s1 > 9) return 0;
        }
    }
    *day = (p[0] - '0') * 10 + (p[1] - '0');
    *month = (p[3] - '0') * 10 + (p[4] - '0');
    *year = (p[6] - '0') * 1000 + (p[7] - '0') * 100 + (p[8] - '0') * 10 + (p[9] - '0');
    return 1;
#else
    (void)p;
    (void)n;
    (void)year;
    (void)month;
    (void)day;
    return 0;
#endif
}

#endif
