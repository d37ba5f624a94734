/* hs-sntp.h — SNTP (RFC 4330 / RFC 5905) packets as pure functions, no I/O.
 *
 * Timestamps are the 64-bit NTP format (32.32 fixed point, seconds since
 * 1900 modulo 2^32). Only differences between timestamps are ever used, in
 * wrapping 64-bit arithmetic, so era boundaries (2036) are harmless as long
 * as the two clocks are within 68 years of each other.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HS_SNTP_PACKET_SIZE  48
#define HS_SNTP_DEFAULT_PORT 123

typedef enum {
  HS_SNTP_VERDICT_OK = 0,
  HS_SNTP_VERDICT_TOO_SHORT,           /* fewer than 48 bytes */
  HS_SNTP_VERDICT_BAD_MODE,            /* mode is not 4 (server) */
  HS_SNTP_VERDICT_BAD_VERSION,         /* version outside 1..4 */
  HS_SNTP_VERDICT_ORIGINATE_MISMATCH,  /* not an answer to our request: spoofed or stale */
  HS_SNTP_VERDICT_KISS_O_DEATH,        /* stratum 0: see HsSntpReply.kiss_code */
  HS_SNTP_VERDICT_UNSYNCHRONISED,      /* leap indicator 3 */
  HS_SNTP_VERDICT_BAD_STRATUM,         /* stratum above 15 */
  HS_SNTP_VERDICT_ZERO_TRANSMIT,       /* transmit timestamp 0 */
} HsSntpVerdict;

typedef struct {
  guint8  leap;
  guint8  version;
  guint8  mode;
  guint8  stratum;
  char    kiss_code[5];       /* stratum 0 only: "RATE", "DENY", …; NUL-terminated, non-ASCII → '?' */
  double  root_delay;         /* seconds */
  double  root_dispersion;    /* seconds */
  guint64 originate;          /* T1 as echoed by the server */
  guint64 receive;            /* T2 */
  guint64 transmit;           /* T3 */
} HsSntpReply;

/* Unix time in microseconds ⇄ NTP timestamp. to_unix needs a pivot (a Unix
 * time near the expected result, e.g. now) to choose the NTP era. */
guint64        hs_sntp_timestamp_from_unix_usec (gint64 unix_usec);
gint64         hs_sntp_timestamp_to_unix_usec   (guint64 ntp, gint64 pivot_unix_usec);

/* Signed difference a − b in seconds, wrap-safe. */
double         hs_sntp_timestamp_diff           (guint64 a, guint64 b);

/* Client request: LI 0, version 4, mode 3, transmit = @transmit (T1). The
 * caller should randomise the low bits below its clock resolution so that
 * the echoed originate timestamp cannot be guessed by an off-path spoofer. */
void           hs_sntp_build_request            (guint8 packet[HS_SNTP_PACKET_SIZE],
                                                 guint64 transmit);

/* Checks a reply against every RFC 4330/5905 rule; @sent_transmit is the
 * transmit timestamp of our request. @reply is filled as far as parsed
 * (always when @len ≥ 48). */
HsSntpVerdict  hs_sntp_parse_reply              (const guint8 *data,
                                                 gsize len,
                                                 guint64 sent_transmit,
                                                 HsSntpReply *reply);

/* Stable English reason for logs and attempt lines ("Kiss-o'-Death", …). */
const char    *hs_sntp_verdict_to_string        (HsSntpVerdict verdict);

/* θ = ((T2−T1)+(T3−T4))/2 (positive: the SERVER is ahead of us) and
 * δ = (T4−T1)−(T3−T2), in seconds. Handshake's offset_seconds is −θ. */
void           hs_sntp_compute                  (guint64 t1,
                                                 guint64 t2,
                                                 guint64 t3,
                                                 guint64 t4,
                                                 double *theta,
                                                 double *delta);

G_END_DECLS
