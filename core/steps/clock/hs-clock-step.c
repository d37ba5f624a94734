/* hs-clock-step.c — step 1's check and fix.
 *
 * The check reads the time settings on a worker thread; the offset comes
 * from the platform when it simulates one, else from a real measurement
 * over the network, which runs asynchronously on the main context. The fix
 * turns automatic time on and resynchronises, with one administrator
 * prompt; a wrong time zone is the person's to pick in Settings.
 */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-clock-step.h"
#include "hs-step-table.h"

static void
clock_facts_free (gpointer data)
{
  HsClockFacts *f = data;

  g_free ((char *) f->source);
  g_free ((char *) f->method);
  if (f->attempts)
    g_ptr_array_unref (f->attempts);
  g_free (f);
}

static HsClockFacts *
clock_facts (HsStepContext *ctx)
{
  return hs_step_context_data (ctx, sizeof (HsClockFacts), clock_facts_free);
}

/* Run in a worker thread. */
static HsResult *
clock_check (HsStepContext *ctx)
{
  HsPlatform *pf = ctx->platform;
  HsClockFacts *f = clock_facts (ctx);
  HsOffsetSample sample = { 0 };
  HsPortStatus st = { 0 };
  HsPortCode code;

  f->after_fix = ctx->after_fix;
  f->settings_code = pf->time_settings (pf->self, &f->settings, &st);
  code = pf->clock_offset (pf->self, &sample, &st);
  if (code == HS_PORT_OK)
    {
      f->measured = TRUE;
      f->offset_seconds = sample.offset_seconds;
      f->uncertainty_seconds = sample.uncertainty_seconds;
      f->source = g_strdup (sample.source);
      f->method = g_strdup ("simulated");
    }
  else if (code != HS_PORT_UNSUPPORTED)
    {
      f->attempts = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (f->attempts, g_strdup (st.detail));
    }
  else
    return NULL;   /* measure over the network, on the main context */
  return hs_clock_verdict (f);
}

static void
clock_check_async (HsStepContext *ctx, GAsyncReadyCallback callback, gpointer user_data)
{
  hs_action_sink_add (&ctx->sink, HS_STEP_CLOCK, "measure_clock", "started", HS_SENSITIVITY_PUBLIC, NULL);
  hs_clock_probe_measure_async (ctx->clock_options, ctx->cancellable, callback, user_data);
}

static HsResult *
clock_check_finish (HsStepContext *ctx, GAsyncResult *result)
{
  HsClockFacts *f = clock_facts (ctx);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsClockMeasurement) m = hs_clock_probe_measure_finish (result, &error);

  if (m == NULL)
    {
      HsPortStatus st = { 0 };
      hs_port_status_set (&st, HS_PORT_CANCELLED, 0, "%s", error->message);
      return hs_step_port_failure (HS_STEP_CLOCK, HS_PORT_CANCELLED, &st, NULL, HS_CODE_CLOCK_UNREACHABLE,
                                   N_("No time source could be reached, so the clock could not be checked."));
    }
  f->measured = m->ok;
  f->offset_seconds = m->offset_seconds;
  f->uncertainty_seconds = m->uncertainty_seconds;
  f->source = g_strdup (m->source);
  f->method = g_strdup (m->method);
  f->tls_dates_invalid = m->tls_dates_invalid;
  f->attempts = g_ptr_array_ref (m->attempts);
  return hs_clock_verdict (f);
}

/* Run in a worker thread. */
static void
clock_fix (HsStepContext *ctx)
{
  HsPlatform *pf = ctx->platform;
  HsTimeSettings settings = { 0 };
  HsPortStatus st = { 0 };
  double last_offset = 0;
  gboolean last_offset_known = ctx->last != NULL &&
                               hs_result_get_double (ctx->last, "offset_seconds", &last_offset);
  int exit_code = -1;
  HsClockStamp stamp = { 0 };
  HsClockReference ref = { 0 };

  if (ctx->last != NULL && g_str_equal (hs_result_get_code (ctx->last), HS_CODE_CLOCK_TIMEZONE))
    {
      ctx->action_code = pf->open_settings (pf->self, "ms-settings:dateandtime", &ctx->action_status);
      hs_action_sink_add (&ctx->sink, ctx->step, "open_settings", hs_port_code_name (ctx->action_code),
                          HS_SENSITIVITY_PUBLIC, "ms-settings:dateandtime");
      return;
    }
  pf->time_settings (pf->self, &settings, &st);
  /* The last measured offset tied to a stamp taken now (as before: the offset
   * is applied to the clock as it is now). */
  if (last_offset_known && pf->clock_stamp (pf->self, &stamp, &st) == HS_PORT_OK)
    hs_clock_reference_make (&ref, &stamp, last_offset);
  if (settings.elevated == HS_TRI_YES)
    {
      ctx->action_code = pf->enable_auto_time (pf->self, &ctx->action_status);
      hs_action_sink_add (&ctx->sink, ctx->step, "enable_auto_time", hs_port_code_name (ctx->action_code),
                          HS_SENSITIVITY_TEXT, "%s", ctx->action_status.detail);
      if (ctx->action_code == HS_PORT_OK)
        {
          ctx->action_code = pf->resync (pf->self, &ref, &ctx->cancel, &ctx->action_status);
          hs_action_sink_add (&ctx->sink, ctx->step, "resync", hs_port_code_name (ctx->action_code),
                              HS_SENSITIVITY_TEXT, "%s", ctx->action_status.detail);
        }
      return;
    }
  /* One administrator prompt for the whole clock fix. */
  ctx->action_code = pf->elevate (pf->self, "clock-fix", &ref, 0, &exit_code,
                                  &ctx->cancel, &ctx->action_status);
  hs_action_sink_add (&ctx->sink, ctx->step, "elevate_clock_fix", hs_port_code_name (ctx->action_code),
                      HS_SENSITIVITY_TEXT, "exit code %d%s%s", exit_code,
                      ctx->action_status.detail[0] ? ": " : "", ctx->action_status.detail);
}

static char *
clock_describe_fix (HsResult *result)
{
  return g_strdup (_("  Step 1: turn on automatic time and synchronise the clock (asks for administrator permission)\n"));
}

static const char *
clock_guide (HsResult *result)
{
  const char *code = hs_result_get_code (result);

  if (g_str_equal (code, HS_CODE_CLOCK_TIMEZONE))
    return _("Open Settings > Time & language > Date & time and choose the right time zone (or turn on \"Set time zone automatically\").");
  if (g_str_equal (code, HS_CODE_CLOCK_DOMAIN))
    return _("Your organisation manages the clock of this computer: ask your IT support.");
  return NULL;
}

const HsStepInfo hs_clock_step = {
  .number = HS_STEP_CLOCK,
  .id = "clock",
  .check = clock_check,
  .check_async = clock_check_async,
  .check_finish = clock_check_finish,
  .fix = clock_fix,
  .fixed = { HS_STATUS_FIXED, HS_CODE_CLOCK_FIXED,
             N_("The clock is now set automatically and is right.") },
  .failed = { HS_STATUS_PROBLEM, HS_CODE_CLOCK_FIX_FAILED,
              N_("Windows refused to change the clock settings.") },
  .declined = { HS_STATUS_PROBLEM, HS_CODE_CLOCK_FIX_DECLINED,
                N_("The administrator permission was not given, so the clock was not changed.") },
  .describe_fix = clock_describe_fix,
  .guide = clock_guide,
};
