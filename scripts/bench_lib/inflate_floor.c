/* zlib floor for scripts/bench: inflate (or read, for plain .nii) every file given on the command
 * line, one after the other, into one reused buffer on one thread; print the seconds taken and the
 * bytes produced.  gzread reads uncompressed files transparently, so `.nii` gives the read floor.
 * Build: gcc -O2 -o inflate_floor inflate_floor.c -lz
 * Usage: inflate_floor FILE...   ->  "<seconds> <bytes>" on stdout                                  */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <zlib.h>

#define BUF (1u << 20)

int main(int argc, char **argv) {
    static unsigned char buf[BUF];
    struct timespec t0, t1;
    unsigned long long total = 0, check = 0;
    if (argc < 2) { fprintf(stderr, "usage: %s FILE...\n", argv[0]); return 2; }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 1; i < argc; i++) {
        gzFile f = gzopen(argv[i], "rb");
        if (!f) { fprintf(stderr, "cannot open %s\n", argv[i]); return 3; }
        gzbuffer(f, 256u << 10);
        for (;;) {
            int n = gzread(f, buf, BUF);
            if (n < 0) { int e; fprintf(stderr, "%s: %s\n", argv[i], gzerror(f, &e)); return 3; }
            if (n == 0) break;
            total += (unsigned)n;
            check += buf[n - 1];  /* touch the output */
        }
        gzclose(f);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    printf("%.6f %llu %llu\n", s, total, check);
    return 0;
}
