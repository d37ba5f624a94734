/* hs-net-probe-win32.c — one endpoint measured on Windows (hs-net-probe.h),
 * through the Windows layer's plain-C hs_win32_net_check: WinHTTP's proxy
 * settings, Winsock, WinHTTP and CryptoAPI (core/win32/hs-win32-netcheck.c).
 * The call blocks this worker thread until its deadline at the latest and
 * polls the cancellable. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include "hs-net-probe.h"
#include "hs-win32.h"

typedef struct {
  HsNetStageFunc on_stage;
  gpointer       data;
} Stages;

static void
forward_stage (HsNetStage stage, void *data)
{
  Stages *s = data;

  if (s->on_stage != NULL)
    s->on_stage (stage, s->data);
}

static int
is_cancelled (void *cancellable)
{
  return g_cancellable_is_cancelled (cancellable);
}

void
hs_net_probe_prepare (void)
{
  /* Nothing to load ahead: WinHTTP and the certificate store are Windows'. */
}

void
hs_net_probe_endpoint (const char *url, const HsNetCheckOptions *options, gint64 deadline_mono,
                       GCancellable *cancellable, HsNetStageFunc on_stage, gpointer data,
                       HsNetFacts *facts)
{
  Stages stages = { on_stage, data };
  HsPortCancel cancel = { is_cancelled, cancellable };
  HsPortStatus st = { 0 };
  gint64 left_ms = (deadline_mono - g_get_monotonic_time ()) / 1000;

  if (left_ms < 1)
    {
      facts->failure = HS_NET_FAIL_TIMEOUT;
      g_strlcpy (facts->detail, "no time left", sizeof facts->detail);
      return;
    }
  hs_win32_net_check (url, options->ca_file, options->public_roots, (guint32) left_ms, &cancel,
                      forward_stage, &stages, facts, &st);
  if (facts->failure == HS_NET_FAIL_TIMEOUT)
    g_snprintf (facts->detail, sizeof facts->detail, "no answer within %u ms (%s)",
                options->timeout_ms, hs_net_stage_name (facts->stage));
}
