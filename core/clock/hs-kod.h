/* hs-kod.h — what NTP servers told us with a Kiss-o'-Death, kept for the
 * life of the process (RFC 5905 §7.4).
 *
 * DENY and RSTR: the server refuses us; it is never asked again while the
 * process runs. RATE: it wants fewer queries; it is not asked again for a
 * back-off that starts at 64 s and doubles with each further RATE, up to
 * one hour, and is forgotten once the server gives a valid answer. Other
 * kiss codes only spoil the one reply.
 *
 * Keys are the address asked, "ip:port". Times are monotonic (µs), so that
 * setting the clock (the fix this program offers) changes nothing. Safe to
 * use from any thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HS_KOD_RATE_FIRST_USEC (G_GINT64_CONSTANT (64) * G_USEC_PER_SEC)
#define HS_KOD_RATE_MAX_USEC   (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
/* The "until" of a server that must never be asked again. */
#define HS_KOD_FOREVER         G_MAXINT64

typedef struct _HsKodTable HsKodTable;

HsKodTable *hs_kod_table_new         (void);
void        hs_kod_table_free        (HsKodTable *table);
/* The table the clock probe uses; lives as long as the process. */
HsKodTable *hs_kod_table_get_default (void);

/* Notes a kiss with @code ("RATE", "DENY", …) from @server at @now.
 * Returns the monotonic time until which @server is avoided: now + back-off
 * for RATE, HS_KOD_FOREVER for DENY/RSTR, 0 when the code asks for nothing. */
gint64      hs_kod_table_note_kiss   (HsKodTable *table,
                                      const char *server,
                                      const char *code,
                                      gint64      now);

/* A valid answer from @server: its RATE history is forgotten. */
void        hs_kod_table_note_answer (HsKodTable *table,
                                      const char *server);

/* TRUE when @server must not be asked at @now; *reason (English, for an
 * attempt line) says why and for how long. */
gboolean    hs_kod_table_check       (HsKodTable *table,
                                      const char *server,
                                      gint64      now,
                                      char      **reason);

void        hs_kod_table_clear       (HsKodTable *table);

G_END_DECLS
