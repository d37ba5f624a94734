/* hs-win32-probe.h — output helpers shared by the probe's files
 * (hs-win32-probe.c, hs-win32-probe-creds.c, hs-win32-probe-time.c,
 * hs-win32-probe-net.c). */
#ifndef HS_WIN32_PROBE_H
#define HS_WIN32_PROBE_H

#include <stddef.h>

#include "hs-patterns.h"
#include "hs-win32.h"

extern int  first_field;
int         usage (const char *why);
void        put_value (const char *v);
void        field (const char *key, const char *value);
void        field_n (const char *key, const char *value, size_t n);
void        field_int (const char *key, long long v);
void        end_record (void);
const char *tri (HsTri t);
int         fail (const HsPortStatus *st);
int         load_patterns (const char *file, HsPatternSet *set);
int         parse_double (const char *s, double *out);
/* A --timeout value: 1–600000 ms, digits only. 0 when malformed. */
int         parse_timeout_ms (const char *s, uint32_t *out);
/* "--offset SECONDS" or "--ref TRUE_UTC_US:OFFSET_US:MONO_US" at argv[i]:
 * fills ref (an offset is tied to a stamp taken now); returns the number of
 * arguments used (2), 0 when argv[i] is neither, -1 when malformed. */
int         parse_clock_arg (int argc, char **argv, int i, HsClockReference *ref);

int         cmd_creds (int argc, char **argv);
int         cmd_time (int argc, char **argv);
int         cmd_elevated_action (int argc, char **argv);
int         cmd_elevate (int argc, char **argv);
int         cmd_net_check (int argc, char **argv);

#endif
