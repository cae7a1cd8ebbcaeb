#ifndef KAMWATCH_CSYSTEMD_SHIM_H
#define KAMWATCH_CSYSTEMD_SHIM_H
/* kamwatch sends CODE_FILE/CODE_LINE/CODE_FUNC itself (the Swift call site, not this header's). */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>
#include <systemd/sd-daemon.h>
#endif
