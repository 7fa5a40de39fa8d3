#ifndef SEGSCORE_CZLIB_SHIM_H
#define SEGSCORE_CZLIB_SHIM_H

// `next_in` becomes `const Bytef *`, so a read-only mapping can feed inflate directly.
#define ZLIB_CONST 1
#include <zlib.h>

// inflateInit2 is a function-like macro, which Swift cannot import.
static inline int CZlib_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

// deflateInit2 is a macro too; tests use it to write gzip fixtures.
static inline int CZlib_deflateInit2(z_streamp strm, int level, int windowBits) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

#endif
