/* hs-clock-probe.h — measures this computer's clock against trusted time.
 *
 * Several SNTP servers are asked at once (RFC 4330/5905), the first valid
 * answer wins; when none answers in time, the Date header of an HTTPS
 * response (libsoup 3) is the fallback. The whole measurement is bounded by
 * timeout_ms. Real on every platform.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HS_CLOCK_DEFAULT_TIMEOUT_MS 3000
#define HS_CLOCK_DEFAULT_HTTPS_URL  "https://login.microsoftonline.com/"

typedef struct {
  /* "host", "host:port", "[v6]:port"; NULL or empty: the defaults
   * (time.windows.com and two independent public servers). */
  char   **servers;
  /* NULL: the default URL; "" disables the HTTPS fallback. */
  char    *https_url;
  /* CA bundle to trust for the HTTPS fallback instead of the system's
   * (tests use a self-signed certificate); NULL: system trust. */
  char    *https_ca_file;
  /* Bound on the whole measurement; 0: HS_CLOCK_DEFAULT_TIMEOUT_MS. */
  guint    timeout_ms;
} HsClockProbeOptions;

/* Whether a string is a server a probe can ask ("host", "host:port",
 * "[v6]:port", a bare IPv6 literal; port 1–65535), and whether a URL is one
 * the HTTPS fallback may use (https:// with a host and a valid port; "" is
 * the fallback turned off, not a URL). The probe refuses the others without
 * sending anything; callers check first to tell the person. */
gboolean             hs_clock_server_is_valid    (const char *server);
gboolean             hs_clock_https_url_is_valid (const char *url);

HsClockProbeOptions *hs_clock_probe_options_copy (const HsClockProbeOptions *options);
void                 hs_clock_probe_options_free (HsClockProbeOptions *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsClockProbeOptions, hs_clock_probe_options_free)

typedef struct {
  gboolean  ok;                   /* FALSE: no source answered; see attempts */
  double    offset_seconds;       /* positive: this computer is AHEAD of true time */
  double    uncertainty_seconds;  /* SNTP: delay/2 + server dispersion; HTTPS: ≥ 0.5 s */
  double    delay_seconds;        /* round trip (SNTP) or request time (HTTPS) */
  char     *source;               /* e.g. "ntp://127.0.0.1:12345" or "https://login.microsoftonline.com/" */
  char     *method;               /* "sntp" or "https-date" */
  gboolean  tls_dates_invalid;    /* HTTPS certificate failed on validity dates only */
  /* One line per source tried, English: "time.windows.com:123: timed out". */
  GPtrArray *attempts;            /* (element-type utf8) */
} HsClockMeasurement;

void                 hs_clock_measurement_free (HsClockMeasurement *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsClockMeasurement, hs_clock_measurement_free)

/* Never fails for network reasons (ok = FALSE instead); fails with
 * G_IO_ERROR_CANCELLED when cancelled. */
void                 hs_clock_probe_measure_async  (const HsClockProbeOptions *options,
                                                    GCancellable *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer user_data);
HsClockMeasurement  *hs_clock_probe_measure_finish (GAsyncResult *result, GError **error);

G_END_DECLS
