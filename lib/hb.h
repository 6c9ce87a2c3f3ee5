/*
 * hb.h: constants shared by every module and program.
 *
 * Exit codes are sysexits(3); DESIGN and each man page's EXIT STATUS
 * name them.  Library functions never exit (except on out-of-memory,
 * see xalloc.h); programs map their results to these codes.
 */
#ifndef HB_H
#define HB_H

#include <sysexits.h>

#ifndef HB_VERSION
#define HB_VERSION "0.0.0"
#endif

#define HB_CONF_DEFAULT	"/etc/hb/hb.conf"
#define HB_HOME_DEFAULT	"/var/lib/hb"

/* Longest subscriber ID, "channel:address", without the NUL. */
#define HB_ID_MAX	160

#endif /* HB_H */
