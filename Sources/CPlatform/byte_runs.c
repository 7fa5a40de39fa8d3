#include "CPlatform.h"

#include <stdint.h>
#include <string.h>

/* Counting byte codes as runs. A label map is long stretches of one value: adding to the same table cell once per
   word (the loop this replaces) made every step wait for the previous store to that cell, and counting took a
   third of a compressed pair's CPU time. Here the stretch is kept in registers and the table is touched once per
   run: a step only finds where a code (or a pair of codes) changes from the voxel before, 32 voxels at a time in
   AVX2 registers (picked at run time) or 8 at a time in a 64-bit word. */

/* Adds the run that ends before `at` to its cell and starts the next one there. */
#define SEGSCORE_END_RUN(position)                                                                                    \
    do {                                                                                                              \
        const long at = (position);                                                                                   \
        table[cell] += (uint64_t)(at - start);                                                                        \
        start = at;                                                                                                   \
        cell = paired ? ((size_t)p[at] << shift | r[at]) : p[at];                                                     \
    } while (0)

static inline uint64_t load_word(const uint8_t *bytes) {
    uint64_t word;
    memcpy(&word, bytes, sizeof word);
    return word;
}

/* The word loop; `paired` is a constant at every call, so each caller gets its own copy without the tests. */
static inline void count_runs_words(const uint8_t *p, const uint8_t *r, long count, uint64_t *table, int shift,
                                    int paired) {
    if (count <= 0) return;
    long start = 0;
    size_t cell = paired ? ((size_t)p[0] << shift | r[0]) : p[0];
    long i = 1;
    for (; i + 8 <= count; i += 8) {
        uint64_t changes = load_word(p + i) ^ load_word(p + i - 1);
        if (paired) changes |= load_word(r + i) ^ load_word(r + i - 1);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        changes = __builtin_bswap64(changes);  // byte k of memory to bits 8k..8k+7, as on little-endian
#endif
        while (changes != 0) {
            const int bit = __builtin_ctzll(changes);
            changes &= ~((uint64_t)0xFF << (bit & ~7));
            SEGSCORE_END_RUN(i + bit / 8);
        }
    }
    for (; i < count; i++) {
        if (p[i] != p[i - 1] || (paired && r[i] != r[i - 1])) SEGSCORE_END_RUN(i);
    }
    table[cell] += (uint64_t)(count - start);
}

#if defined(__x86_64__)
#include <immintrin.h>

#define SEGSCORE_RUNS_TARGET __attribute__((target("avx2,bmi")))

SEGSCORE_RUNS_TARGET
static inline void count_runs_avx2(const uint8_t *p, const uint8_t *r, long count, uint64_t *table, int shift,
                                   int paired) {
    if (count <= 0) return;
    long start = 0;
    size_t cell = paired ? ((size_t)p[0] << shift | r[0]) : p[0];
    long i = 1;
    for (; i + 32 <= count; i += 32) {
        __m256i same = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i)),
                                         _mm256_loadu_si256((const __m256i *)(p + i - 1)));
        if (paired) {
            same = _mm256_and_si256(same, _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(r + i)),
                                                             _mm256_loadu_si256((const __m256i *)(r + i - 1))));
        }
        uint32_t changes = ~(uint32_t)_mm256_movemask_epi8(same);
        while (changes != 0) {
            const int lane = __builtin_ctz(changes);
            changes &= changes - 1;
            SEGSCORE_END_RUN(i + lane);
        }
    }
    for (; i < count; i++) {
        if (p[i] != p[i - 1] || (paired && r[i] != r[i - 1])) SEGSCORE_END_RUN(i);
    }
    table[cell] += (uint64_t)(count - start);
}

static int has_avx2(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi"); }
#else
static int has_avx2(void) { return 0; }
#define count_runs_avx2 count_runs_words
#endif

void segscore_count_byte_pairs(const uint8_t *p, const uint8_t *r, long count, uint64_t *table, int shift,
                               int portable) {
    if (!portable && has_avx2()) {
        count_runs_avx2(p, r, count, table, shift, 1);
    } else {
        count_runs_words(p, r, count, table, shift, 1);
    }
}

void segscore_count_bytes(const uint8_t *p, long count, uint64_t *table, int portable) {
    if (!portable && has_avx2()) {
        count_runs_avx2(p, NULL, count, table, 0, 0);
    } else {
        count_runs_words(p, NULL, count, table, 0, 0);
    }
}
