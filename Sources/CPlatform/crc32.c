#include "CPlatform.h"

#include <stddef.h>
#include <stdint.h>

/* CRC-32 of gzip (reflected polynomial 0xEDB88320) by carry-less multiplication: the input is folded 64 bytes at a
   time into four 128-bit lanes, the lanes into one, and the last 128 bits reduced to 32 with a Barrett step
   (Gopal et al., "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ Instruction", Intel, 2009).
   Each constant is x^n mod P for the n the fold distance needs, bit-reflected and shifted as the paper gives:
     fold by 64 bytes:  x^(512+32) and x^(512-32);  fold by 16 bytes: x^(128+32) and x^(128-32);
     128 to 64 bits: x^64;  Barrett: floor(x^64 / P) and P itself. */

#if defined(__x86_64__)
#include <immintrin.h>

#define SEGSCORE_CRC_TARGET __attribute__((target("pclmul,sse4.1")))

static const uint64_t k1 = 0x154442bd4, k2 = 0x1c6e41596; /* 64-byte fold */
static const uint64_t k3 = 0x1751997d0, k4 = 0x0ccaa009e; /* 16-byte fold */
static const uint64_t k5 = 0x163cd6124;                   /* 128 → 64 bits */
static const uint64_t poly = 0x1db710641, mu = 0x1f7011641;

SEGSCORE_CRC_TARGET static inline __m128i fold(__m128i x, __m128i k, __m128i data) {
    return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), data);
}

/* The raw (not inverted) CRC state after `length` bytes, `length` a multiple of 16 and at least 64; `lanes` are the
   four 16-byte lanes already folded up to `p` (the first 64 bytes, with the state folded in, when nothing was). */
SEGSCORE_CRC_TARGET static uint32_t crc32_lanes(__m128i x0, __m128i x1, __m128i x2, __m128i x3, const uint8_t *p,
                                               size_t length) {
    const __m128i k12 = _mm_set_epi64x((long long)k2, (long long)k1);
    while (length >= 64) {
        x0 = fold(x0, k12, _mm_loadu_si128((const __m128i *)p));
        x1 = fold(x1, k12, _mm_loadu_si128((const __m128i *)(p + 16)));
        x2 = fold(x2, k12, _mm_loadu_si128((const __m128i *)(p + 32)));
        x3 = fold(x3, k12, _mm_loadu_si128((const __m128i *)(p + 48)));
        p += 64;
        length -= 64;
    }
    const __m128i k34 = _mm_set_epi64x((long long)k4, (long long)k3);
    x0 = fold(x0, k34, x1);
    x0 = fold(x0, k34, x2);
    x0 = fold(x0, k34, x3);
    while (length >= 16) {
        x0 = fold(x0, k34, _mm_loadu_si128((const __m128i *)p));
        p += 16;
        length -= 16;
    }
    const __m128i mask32 = _mm_set_epi32(0, 0, 0, -1);
    /* 128 → 96 bits: the low half times x^(128-32) … */
    __m128i x = _mm_xor_si128(_mm_clmulepi64_si128(x0, k34, 0x10), _mm_srli_si128(x0, 8));
    /* … 96 → 64 bits. */
    x = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x, mask32), _mm_set_epi64x(0, (long long)k5), 0x00),
                      _mm_srli_si128(x, 4));
    /* Barrett reduction to 32 bits. */
    const __m128i pmu = _mm_set_epi64x((long long)mu, (long long)poly);
    __m128i t = _mm_clmulepi64_si128(_mm_and_si128(x, mask32), pmu, 0x10);
    t = _mm_clmulepi64_si128(_mm_and_si128(t, mask32), pmu, 0x00);
    return (uint32_t)_mm_extract_epi32(_mm_xor_si128(x, t), 1);
}

SEGSCORE_CRC_TARGET static uint32_t crc32_folded(uint32_t state, const uint8_t *p, size_t length) {
    __m128i x0 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), _mm_cvtsi32_si128((int)state));
    return crc32_lanes(x0, _mm_loadu_si128((const __m128i *)(p + 16)), _mm_loadu_si128((const __m128i *)(p + 32)),
                       _mm_loadu_si128((const __m128i *)(p + 48)), p + 64, length - 64);
}

/* The same with 512-bit carry-less multiplies (VPCLMULQDQ), four times the bytes per instruction: 256 bytes a
   step in four 64-byte lanes, which then fold into one (x^(512±32), the 16-byte lanes' 64-byte constants) and
   hand over to crc32_lanes. `length` a multiple of 16 and at least 256. */
#define SEGSCORE_CRC512_TARGET __attribute__((target("avx512f,avx512vl,vpclmulqdq,pclmul,sse4.1")))

static const uint64_t k256a = 0x11542778a, k256b = 0x1322d1430; /* 256-byte fold: x^(2048±32) */

SEGSCORE_CRC512_TARGET static inline __m512i fold512(__m512i x, __m512i k, __m512i data) {
    return _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(x, k, 0x00), _mm512_clmulepi64_epi128(x, k, 0x11),
                                     data, 0x96);
}

SEGSCORE_CRC512_TARGET static uint32_t crc32_folded512(uint32_t state, const uint8_t *p, size_t length) {
    __m512i z0 = _mm512_xor_si512(_mm512_loadu_si512(p), _mm512_zextsi128_si512(_mm_cvtsi32_si128((int)state)));
    __m512i z1 = _mm512_loadu_si512(p + 64);
    __m512i z2 = _mm512_loadu_si512(p + 128);
    __m512i z3 = _mm512_loadu_si512(p + 192);
    p += 256;
    length -= 256;
    const __m512i k256 = _mm512_broadcast_i32x4(_mm_set_epi64x((long long)k256b, (long long)k256a));
    while (length >= 256) {
        z0 = fold512(z0, k256, _mm512_loadu_si512(p));
        z1 = fold512(z1, k256, _mm512_loadu_si512(p + 64));
        z2 = fold512(z2, k256, _mm512_loadu_si512(p + 128));
        z3 = fold512(z3, k256, _mm512_loadu_si512(p + 192));
        p += 256;
        length -= 256;
    }
    const __m512i k64 = _mm512_broadcast_i32x4(_mm_set_epi64x((long long)k2, (long long)k1));
    z1 = fold512(z0, k64, z1);
    z2 = fold512(z1, k64, z2);
    z3 = fold512(z2, k64, z3);
    return crc32_lanes(_mm512_extracti32x4_epi32(z3, 0), _mm512_extracti32x4_epi32(z3, 1),
                       _mm512_extracti32x4_epi32(z3, 2), _mm512_extracti32x4_epi32(z3, 3), p, length);
}

static int has_vpclmul512(void) {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("vpclmulqdq");
}

int segscore_crc32_is_fast(void) {
    return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}
#else
int segscore_crc32_is_fast(void) { return 0; }
#endif

/* Bit by bit, for the few bytes around the folded part. */
static uint32_t crc32_bits(uint32_t state, const uint8_t *p, size_t length) {
    while (length--) {
        state ^= *p++;
        for (int bit = 0; bit < 8; bit++) state = (state >> 1) ^ (0xEDB88320u & (0u - (state & 1)));
    }
    return state;
}

uint32_t segscore_crc32(uint32_t crc, const void *bytes, size_t length) {
    const uint8_t *p = bytes;
    uint32_t state = ~crc;
#if defined(__x86_64__)
    if (length >= 64 && segscore_crc32_is_fast()) {
        size_t folded = length & ~(size_t)15;
        state = folded >= 1024 && has_vpclmul512() ? crc32_folded512(state, p, folded) : crc32_folded(state, p, folded);
        p += folded;
        length -= folded;
    }
#endif
    return ~crc32_bits(state, p, length);
}
