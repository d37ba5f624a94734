/* hs-https-job.h — one HTTPS HEAD request for its Date header, on a thread
 * of its own.
 *
 * The first TLS connection of a process loads GIO modules and parses the
 * whole system trust store; libsoup does that synchronously on the thread
 * that drives the session. On a starved CPU (or under a sanitizer) that is
 * seconds of work, long past the probe's deadline, and no timeout or
 * GCancellable can interrupt CPU work. So the session lives on a private
 * thread and main context: the thread that asked only ever sees a callback,
 * and can walk away at its deadline whatever the job is doing.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  gboolean  answered;        /* a response with a Date header came back */
  char     *date;            /* (nullable): the Date header */
  gint64    send_usec;       /* real time: request headers written (after TLS) */
  gint64    recv_usec;       /* real time: response headers read */
  gboolean  tls_dates_only;  /* the certificate was accepted although its dates are invalid */
  char     *failure;         /* (nullable): English reason when !answered */
  gint64    finished_mono;   /* monotonic time the outcome was known */
} HsHttpsOutcome;

/* Runs in the context given to start, never after hs_https_job_stop(). */
typedef void (*HsHttpsJobDone) (const HsHttpsOutcome *outcome, gpointer user_data);

typedef struct _HsHttpsJob HsHttpsJob;

/* Starts the thread at once: it prepares the session and the trust store
 * (@ca_file, or the system's when NULL/empty) but sends nothing before
 * hs_https_job_go(). It gives up by itself at @deadline_mono (monotonic µs).
 * @done is called once, in @context. */
HsHttpsJob *hs_https_job_start (const char     *url,
                                const char     *ca_file,
                                gint64          deadline_mono,
                                GMainContext   *context,
                                HsHttpsJobDone  done,
                                gpointer        user_data,
                                GError        **error);

/* Sends the request as soon as the preparation is over. Any thread. */
void        hs_https_job_go    (HsHttpsJob *job);

/* Makes the thread give up and drops the caller's reference. Call it from
 * the thread that owns @context: @done is never called after it returns.
 * Never waits for the job thread. */
void        hs_https_job_stop  (HsHttpsJob *job);

G_END_DECLS
