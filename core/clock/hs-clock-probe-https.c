/* hs-clock-probe-https.c — the probe's HTTPS Date fallback: the Date
 * header of one HTTPS response, bracketed by when the request went out and
 * the response came in. */
#include "config.h"

#include "hs-clock-probe-private.h"
#include "hs-http-date.h"

gboolean
hs_clock_https_url_is_valid (const char *url)
{
  g_autoptr(GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host;

  if (uri == NULL || g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    return FALSE;
  host = g_uri_get_host (uri);
  return host != NULL && *host != '\0' && g_uri_get_port (uri) != 0;
}

static void
https_fail (HsClockProbe *probe, const char *reason)
{
  if (probe->https_done)
    return;
  probe->https_done = TRUE;
  hs_clock_probe_add_attempt (probe, "%s: %s", probe->options->https_url, reason);
  hs_clock_probe_check_exhausted (probe);
}

/* HTTPS counts as under way from here: no fallback timer is needed. */
static void
https_mark_started (HsClockProbe *probe)
{
  probe->https_started = TRUE;
  hs_clock_probe_destroy_source (&probe->fallback_source);
}

/* In the probe's context; never after the job was stopped, so the probe is
 * alive and not finished. */
static void
https_on_outcome (const HsHttpsOutcome *out, gpointer data)
{
  HsClockProbe *probe = data;
  HsHttpDateOffset off;
  HsClockMeasurement *m;

  if (probe->finished || probe->https_done)
    return;
  if (out->finished_mono > probe->deadline_usec)
    {
      https_fail (probe, "answered after the overall deadline");
      return;
    }
  if (!probe->https_started)
    /* Only a failure can come before the request was wanted (CA file). */
    https_mark_started (probe);
  if (!out->answered)
    {
      https_fail (probe, out->failure ? out->failure : "failed");
      return;
    }
  /* Tightest bracket around the server's stamp: request headers written
   * (after connect and TLS) to response headers read. */
  if (!hs_http_date_compute (out->date, out->send_usec, out->recv_usec, &off))
    {
      g_autofree char *reason = g_strdup_printf ("unparsable Date header “%s”", out->date);
      https_fail (probe, reason);
      return;
    }

  probe->https_done = TRUE;
  m = probe->result;
  m->ok = TRUE;
  m->offset_seconds = off.offset_seconds;
  m->uncertainty_seconds = off.uncertainty_seconds;
  m->delay_seconds = off.delay_seconds;
  m->source = g_strdup (probe->options->https_url);
  m->method = g_strdup ("https-date");
  m->tls_dates_invalid = out->tls_dates_only;
  hs_clock_probe_add_attempt (probe, "%s: Date “%s”, offset %+.3f s%s", probe->options->https_url, out->date,
               off.offset_seconds,
               out->tls_dates_only ? ", certificate dates invalid (evidence of skew)" : "");
  hs_clock_probe_finish (probe);
}

/* At once, so that the session and the trust store are ready by the time
 * the request is wanted; nothing is sent before hs_clock_probe_start_https(). */
void
hs_clock_probe_prepare_https (HsClockProbe *probe)
{
  g_autoptr(GError) error = NULL;

  if (!probe->https_enabled || probe->https_prepared)
    return;
  probe->https_prepared = TRUE;
  /* The Date of a plain-HTTP (or any other) answer is anyone's to forge. */
  if (!hs_clock_https_url_is_valid (probe->options->https_url))
    {
      https_mark_started (probe);
      https_fail (probe, "not tried: not an https:// URL with a host");
      return;
    }
  probe->https_job = hs_https_job_start (probe->options->https_url, probe->options->https_ca_file,
                                         probe->deadline_usec, probe->context,
                                         https_on_outcome, probe, &error);
  if (probe->https_job == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("could not start: %s", error->message);

      https_mark_started (probe);
      https_fail (probe, reason);
    }
}

void
hs_clock_probe_start_https (HsClockProbe *probe)
{
  if (probe->finished || !probe->https_enabled)
    return;
  hs_clock_probe_prepare_https (probe);
  if (probe->https_started || probe->https_job == NULL)
    return;
  https_mark_started (probe);
  hs_https_job_go (probe->https_job);
}

