#ifndef SEGSCORE_CISAL_SHIM_H
#define SEGSCORE_CISAL_SHIM_H

// Intel's ISA-L inflate (Debian/Ubuntu: libisal-dev), used only when the package trait ISAL is enabled.
#include <isa-l/igzip_lib.h>

#endif
