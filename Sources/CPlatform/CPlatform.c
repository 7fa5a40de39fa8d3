#define _GNU_SOURCE
#include "CPlatform.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int segscore_available_cpus(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        int count = CPU_COUNT(&set);
        if (count > 0) return count;
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int)online : 1;
}

/* Runnable tasks on the whole machine, counted when /proc/loadavg is read ("0.52 0.58 0.59 2/345 12345": the
   fourth field is runnable/total), or -1. */
static long runnable_tasks(void) {
    const int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char text[160];
    const ssize_t length = read(fd, text, sizeof text - 1);
    close(fd);
    if (length <= 0) return -1;
    text[length] = '\0';
    const char *slash = strchr(text, '/');
    if (!slash) return -1;
    const char *start = slash;
    while (start > text && start[-1] != ' ') start--;
    return strtol(start, NULL, 10);
}

int segscore_free_cpus(void) {
    const int available = segscore_available_cpus();
    const long online = sysconf(_SC_NPROCESSORS_ONLN);
    // The count is the whole machine's: it says nothing about a subset of its CPUs.
    if (available <= 1 || available < online) return available;
    // A task that runs for a moment (the parent that just started this process, a kernel thread) shows up in
    // one reading now and then; a neighbour that keeps a core busy shows up in every one. So the fewest others
    // seen in three readings 0.1 ms apart count, and the readings stop as soon as one sees no other task.
    long others = -1;
    for (int reading = 0; reading < 3; reading++) {
        if (reading > 0) usleep(100);
        const long runnable = runnable_tasks();
        if (runnable < 0) return available;
        const long seen = runnable - 1;  // less this thread, the one that reads
        if (others < 0 || seen < others) others = seen;
        if (others <= 0) return available;
    }
    const long free = available - others;
    return free >= 1 ? (int)free : 1;
}

/* Guarded mappings: a fixed table read by the signal handler without locks. A slot is claimed by a CAS on
   `base` (0 = free); the handler only reads `base`/`length` and sets `faulted`. */
#define GUARD_SLOTS 256

struct guard {
    _Atomic uintptr_t base;
    _Atomic uintptr_t length;
    _Atomic int faulted;
};

static struct guard guards[GUARD_SLOTS];
static struct sigaction previous_bus;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void on_bus(int signal, siginfo_t *info, void *context) {
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int i = 0; i < GUARD_SLOTS; i++) {
        uintptr_t base = atomic_load(&guards[i].base);
        if (base == 0 || address < base || address - base >= atomic_load(&guards[i].length)) continue;
        long page = sysconf(_SC_PAGESIZE);
        void *start = (void *)(address & ~(uintptr_t)(page - 1));
        /* A page of zeros in place of the vanished file page; the faulting read is then retried. */
        if (mmap(start, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
            atomic_store(&guards[i].faulted, 1);
            return;
        }
        break;
    }
    /* Not ours (or no page could be mapped): behave as if no handler were installed. */
    sigaction(SIGBUS, &previous_bus, NULL);
    (void)context;
    raise(signal);
}

static void install_handler(void) {
    struct sigaction action;
    action.sa_sigaction = on_bus;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGBUS, &action, &previous_bus);
}

int segscore_guard_mapping(const void *base, unsigned long length) {
    if (base == NULL || length == 0) return -1;
    pthread_once(&install_once, install_handler);
    for (int i = 0; i < GUARD_SLOTS; i++) {
        uintptr_t expected = 0;
        /* Claim with a placeholder first so the handler never sees a base with a stale length. */
        if (atomic_compare_exchange_strong(&guards[i].base, &expected, (uintptr_t)1)) {
            atomic_store(&guards[i].faulted, 0);
            atomic_store(&guards[i].length, (uintptr_t)length);
            atomic_store(&guards[i].base, (uintptr_t)base);
            return i;
        }
    }
    return -1;
}

int segscore_mapping_faulted(int slot) {
    return slot >= 0 && slot < GUARD_SLOTS ? atomic_load(&guards[slot].faulted) : 0;
}

void segscore_unguard_mapping(int slot) {
    if (slot < 0 || slot >= GUARD_SLOTS) return;
    atomic_store(&guards[slot].length, 0);
    atomic_store(&guards[slot].base, 0);
}

#if defined(__x86_64__)
#include <immintrin.h>
__attribute__((target("avx"))) void segscore_clear_upper_registers(void) { _mm256_zeroupper(); }
#else
void segscore_clear_upper_registers(void) {}
#endif
