#ifndef SEGSCORE_CPLATFORM_H
#define SEGSCORE_CPLATFORM_H

#include <stdint.h>

/// The number of CPUs this process may run on: its affinity mask, which `taskset`, cgroups-aware launchers and
/// batch schedulers set (glibc's `sched_getaffinity` + `CPU_COUNT`, which Swift cannot import as they need
/// `_GNU_SOURCE` and a macro). Falls back to the online CPU count.
int segscore_available_cpus(void);

/// The CPUs of ``segscore_available_cpus`` that no other task is keeping busy (at least 1): the machine's
/// runnable tasks (`/proc/loadavg`, counted when read; the fewest of up to three readings 0.1 ms apart, so that a
/// task running for a moment is not taken for a neighbour) less the calling thread, taken from the available
/// CPUs when the process may use every online CPU (with a subset, the machine-wide count says nothing about it
/// and all of the subset is reported). A second thread only pays off on a free core: beside a process
/// that keeps one of two cores busy, two threads took turns on the shared core and ran slower than one.
int segscore_free_cpus(void);

/// Registers a read-only file mapping so that reading it after the file shrank does not kill the process.
///
/// Touching a mapped page past a file's new end raises SIGBUS, which no Swift code can catch. While a mapping is
/// registered, a process-wide SIGBUS handler maps a page of zeros over the faulting page and flags the mapping;
/// the reader sees the flag after its slab (`segscore_mapping_faulted`) and reports the file as changed instead
/// of using the zeros. A SIGBUS outside every registered mapping is delivered as before (the process dies).
/// Returns a slot to pass to the other two functions, or -1 when all slots are taken (the mapping then works
/// unguarded, as before).
int segscore_guard_mapping(const void *base, unsigned long length);

/// Whether a SIGBUS was survived inside the mapping of `slot` since it was registered.
int segscore_mapping_faulted(int slot);

/// Forgets `slot` (before the mapping is unmapped).
void segscore_unguard_mapping(int slot);

/// Whether ``segscore_crc32`` runs on carry-less multiplication here (x86-64 with PCLMULQDQ and SSE4.1): several
/// times faster than zlib 1.2's table-driven `crc32`. Without it, callers keep zlib's own check.
int segscore_crc32_is_fast(void);

/// The gzip CRC-32 of `length` bytes continued from `crc` (0 to start), as zlib's `crc32`. Call only when
/// ``segscore_crc32_is_fast`` says so: its fallback is bit by bit.
unsigned int segscore_crc32(unsigned int crc, const void *bytes, unsigned long length);

/// Whether ``segscore_surfel_row_marks`` runs here (x86-64 with AVX2); without it, callers test blocks themselves.
int segscore_surfel_row_marks_is_fast(void);

/// Marks the 2×2×2 blocks of one row of byte codes that hold more than one code: bit `gx % 64` of `marks[gx / 64]`
/// for each block 1 ≤ gx < `width` whose voxels (rows `a`, `b`, `c`, `d` at `gx − 1` and `gx`) are not all equal
/// to `a[gx]`. Writes `(width + 63) / 64` words; returns whether any block is marked. Needs `width` > 32, and
/// only when ``segscore_surfel_row_marks_is_fast`` says so.
int segscore_surfel_row_marks(const uint8_t *a, const uint8_t *b, const uint8_t *c, const uint8_t *d, long width,
                              uint64_t *marks);

/// Adds the voxels of each pair of byte codes to `table[prediction << shift | reference]`, for `count` voxels of
/// `prediction` and `reference`. The table is touched once per run of equal pairs, not per voxel: label maps are
/// long runs. AVX2 where the CPU has it unless `portable` (the tests run both), 64-bit words otherwise.
void segscore_count_byte_pairs(const uint8_t *prediction, const uint8_t *reference, long count, uint64_t *table,
                               int shift, int portable);

/// Adds the voxels of each byte code to `table[code]`, for `count` voxels of `codes`, as runs (see above).
void segscore_count_bytes(const uint8_t *codes, long count, uint64_t *table, int portable);

/// Clears the upper halves of the vector registers (`vzeroupper`; nothing off x86-64). ISA-L's inflate returns
/// with them dirty, and the SSE code compiled for the portable x86-64 baseline — the MONAI sums, `expf` — then ran
/// two to three times slower after every call (the softmax loss took 0.32 s instead of 0.22 s).
void segscore_clear_upper_registers(void);

#endif
