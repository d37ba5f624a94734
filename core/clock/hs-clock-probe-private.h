/* hs-clock-probe-private.h — shared by the files of the clock probe:
 * hs-clock-probe.c (one measurement from start to verdict: options, the
 * overall deadline, cancellation), hs-clock-probe-sntp.c (the SNTP
 * queries) and hs-clock-probe-https.c (the HTTPS Date fallback). */
#pragma once

#include "hs-clock-probe.h"
#include "hs-https-job.h"

G_BEGIN_DECLS

typedef struct _HsClockProbe HsClockProbe;

typedef struct {
  HsClockProbe          *probe;          /* (unowned): the query list of the probe owns us */
  char           *label;          /* "host:port" as shown in attempt lines */
  char           *host;           /* (nullable): NULL when the server string was garbage */
  guint16         port;
  GList          *addresses;      /* (owned) (element-type GInetAddress): still to try */
  GSocket        *socket;         /* (owned) (nullable) */
  GSource        *recv_source;    /* (owned) (nullable) */
  GSource        *timeout_source; /* (owned) (nullable) */
  char           *asked;          /* (nullable): "ip:port" of the request in flight, the Kiss-o'-Death key */
  guint64         sent_transmit;  /* T1 in NTP format, as written in the request */
  gboolean        done;
} HsClockQuery;

struct _HsClockProbe {
  /* Input */
  HsClockProbeOptions *options;           /* (owned) */
  GMainContext        *context;           /* (owned): where the caller wants its callback */
  GCancellable        *user_cancellable;  /* (owned) (nullable) */

  /* In progress */
  GTask              *task;               /* (unowned): the task owns us as task data */
  GCancellable       *internal;           /* (owned): cancelled when the probe ends */
  gulong              cancel_handler;     /* on user_cancellable; 0 once disconnected */
  GSource            *deadline_source;    /* (owned) (nullable) */
  GSource            *fallback_source;    /* (owned) (nullable) */
  GPtrArray          *queries;            /* (owned) (element-type HsClockQuery) */
  guint               sntp_pending;
  gint64              deadline_usec;      /* monotonic */
  gboolean            https_enabled;
  gboolean            https_prepared;
  gboolean            https_started;
  gboolean            https_done;
  HsHttpsJob         *https_job;          /* (owned) (nullable): stopped when the probe ends */
  HsClockMeasurement *result;             /* (owned) (nullable): NULL once returned */
  gboolean            finished;
};

/* hs-clock-probe.c. All run in the probe's context. */
void     hs_clock_probe_add_attempt      (HsClockProbe *probe, const char *format, ...) G_GNUC_PRINTF (2, 3);
void     hs_clock_probe_destroy_source   (GSource **source);
GSource *hs_clock_probe_attach_timeout   (HsClockProbe *probe, guint ms, GSourceFunc func, gpointer data);
guint    hs_clock_probe_remaining_ms     (HsClockProbe *probe);
/* Ends the probe once: stops every query and returns to the caller. */
void     hs_clock_probe_finish           (HsClockProbe *probe);
/* Called whenever a source settles without a winner. */
void     hs_clock_probe_check_exhausted  (HsClockProbe *probe);

/* hs-clock-probe-sntp.c */
HsClockQuery *hs_clock_query_new   (HsClockProbe *probe, const char *server);
void          hs_clock_query_start (HsClockQuery *q);
void          hs_clock_query_fail  (HsClockQuery *q, const char *reason);
void          hs_clock_query_close (HsClockQuery *q);
void          hs_clock_query_free  (HsClockQuery *q);

/* hs-clock-probe-https.c */
/* At once, so that the session and the trust store are ready by the time
 * the request is wanted; nothing is sent before start_https. */
void     hs_clock_probe_prepare_https    (HsClockProbe *probe);
void     hs_clock_probe_start_https      (HsClockProbe *probe);

G_END_DECLS
