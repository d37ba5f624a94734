/* hs-http-date.h — clock offset from an HTTP Date header (1 s resolution). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double offset_seconds;       /* positive: this computer is AHEAD of the server */
  double uncertainty_seconds;  /* 0.5 s (truncation to whole seconds) + half the request time */
  double delay_seconds;        /* request time: receive − send */
} HsHttpDateOffset;

/* Parses any HTTP date format (RFC 7231 IMF-fixdate, RFC 850, asctime);
 * FALSE on garbage. */
gboolean hs_http_date_parse   (const char *header, gint64 *unix_seconds);

/* The server stamped the Date somewhere between @send_unix_usec and
 * @recv_unix_usec (our clock); its true time then was Date + [0, 1) s. */
gboolean hs_http_date_compute (const char *header,
                               gint64 send_unix_usec,
                               gint64 recv_unix_usec,
                               HsHttpDateOffset *out);

G_END_DECLS
