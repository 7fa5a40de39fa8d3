#ifndef SEGSCORE_CPLATFORM_H
#define SEGSCORE_CPLATFORM_H

/// The number of CPUs this process may run on: its affinity mask, which `taskset`, cgroups-aware launchers and
/// batch schedulers set (glibc's `sched_getaffinity` + `CPU_COUNT`, which Swift cannot import as they need
/// `_GNU_SOURCE` and a macro). Falls back to the online CPU count.
int segscore_available_cpus(void);

#endif
