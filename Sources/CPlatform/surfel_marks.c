#include "CPlatform.h"

#include <stdint.h>
#include <string.h>

/* The surfel scan's test of a row of 2x2x2 blocks, 32 blocks per step in AVX2 registers. The portable build of
   Swift targets SSE2, where the same test takes two halves of every operation and a chain of reductions; the
   scan runs it over every block of both images, so here it is written once for the wider registers and picked
   at run time. */

#if defined(__x86_64__)
#include <immintrin.h>

#define SEGSCORE_MARKS_TARGET __attribute__((target("avx2")))

SEGSCORE_MARKS_TARGET
static inline __m256i differs(const uint8_t *row, long before, long start, __m256i own) {
    return _mm256_or_si256(_mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(row + before)), own),
                           _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(row + start)), own));
}

SEGSCORE_MARKS_TARGET
int segscore_surfel_row_marks(const uint8_t *a, const uint8_t *b, const uint8_t *c, const uint8_t *d, long width,
                              uint64_t *marks) {
    memset(marks, 0, (size_t)((width + 63) / 64) * sizeof(uint64_t));
    int any = 0;
    const __m256i zero = _mm256_setzero_si256();
    for (long gx = 1; gx < width;) {
        // The last step ends at the row's end, overlapping the one before: its lanes repeat marks already set.
        const long start = gx < width - 32 ? gx : width - 32;
        const long before = start - 1;
        const __m256i own = _mm256_loadu_si256((const __m256i *)(a + start));
        __m256i differ = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(a + before)), own);
        differ = _mm256_or_si256(differ, differs(b, before, start, own));
        differ = _mm256_or_si256(differ, differs(c, before, start, own));
        differ = _mm256_or_si256(differ, differs(d, before, start, own));
        const uint32_t lanes = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(differ, zero));
        if (lanes != 0) {
            any = 1;
            const long word = start >> 6;
            const int shift = (int)(start & 63);
            marks[word] |= (uint64_t)lanes << shift;
            if (shift > 32) marks[word + 1] |= (uint64_t)lanes >> (64 - shift);
        }
        gx = start + 32;
    }
    return any;
}

int segscore_surfel_row_marks_is_fast(void) { return __builtin_cpu_supports("avx2"); }
#else
int segscore_surfel_row_marks(const uint8_t *a, const uint8_t *b, const uint8_t *c, const uint8_t *d, long width,
                              uint64_t *marks) {
    (void)a, (void)b, (void)c, (void)d, (void)width, (void)marks;
    return 0;
}

int segscore_surfel_row_marks_is_fast(void) { return 0; }
#endif
