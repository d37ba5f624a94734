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
      f->stamped = pf->clock_stamp (pf->self, &f->stamp, &st) == HS_PORT_OK;
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
  /* Read now, as the measurement comes in (two cheap clock reads, fine on
   * this context): the offset holds for this moment. */
  if (m->ok)
    {
      HsPortStatus st = { 0 };
      f->stamped = ctx->platform->clock_stamp (ctx->platform->self, &f->stamp, &st) == HS_PORT_OK;
    }
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
  int exit_code = -1;
  HsClockReference ref = { 0 };

  if (ctx->last != NULL && g_str_equal (hs_result_get_code (ctx->last), HS_CODE_CLOCK_TIMEZONE))
    {
      ctx->action_code = pf->open_settings (pf->self, "ms-settings:dateandtime", &ctx->action_status);
      hs_action_sink_add (&ctx->sink, ctx->step, "open_settings", hs_port_code_name (ctx->action_code),
                          HS_SENSITIVITY_PUBLIC, "ms-settings:dateandtime");
      return;
    }
  pf->time_settings (pf->self, &settings, &st);
  /* The offset as it was measured, with the clocks read at that moment: the
   * helper checks that the clock has not moved since and refuses a stale
   * measurement (HS_PORT_STALE) instead of stepping the clock by it. */
  hs_clock_reference_from_result (ctx->last, &ref);
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
  ctx->action_code = pf->elevate (pf->self, "clock-fix", &ref, ctx->owner_window, &exit_code,
                                  &ctx->cancel, &ctx->action_status);
  hs_action_sink_add (&ctx->sink, ctx->step, "elevate_clock_fix", hs_port_code_name (ctx->action_code),
                      HS_SENSITIVITY_TEXT, "exit code %d%s%s", exit_code,
                      ctx->action_status.detail[0] ? ": " : "", ctx->action_status.detail);
}

/* Only an automatic fix, or the Date & time page for a wrong zone: what a
 * policy or the domain sets is the organisation's, and a fix that is
 * waiting for Windows has nothing to add. */
static char *
clock_refuse_fix (HsResult *last, const HsFixOptions *options)
{
  char *why = hs_step_refuse_fix (last);

  if (why == NULL && hs_result_get_fix (last) == HS_FIX_GUIDED &&
      !g_str_equal (hs_result_get_code (last), HS_CODE_CLOCK_TIMEZONE))
    why = g_strdup_printf ("step 1 (%s) is for the person or their IT support to fix",
                           hs_result_get_code (last));
  return why;
}

/* How each way a fix falls short is said, when the re-check is not right. */
static const struct {
  HsPortCode    port;
  const char   *code;
  gboolean      keep_fix;   /* the re-check's fix stays on offer */
  HsFixKind     fix;
  const char   *summary;
} shortfalls[] = {
  { HS_PORT_MANAGED, HS_CODE_CLOCK_MANAGED, FALSE, HS_FIX_GUIDED,
    N_("Your organisation manages this computer’s clock, and it is off: contact your IT support.") },
  { HS_PORT_NO_EFFECT, HS_CODE_CLOCK_FIX_NO_EFFECT, FALSE, HS_FIX_GUIDED,
    N_("Windows accepted the change but the clock is still off.") },
  { HS_PORT_PENDING, HS_CODE_CLOCK_FIX_PENDING, FALSE, HS_FIX_NONE,
    N_("Windows is correcting the clock gradually.") },
  /* The re-check has just measured again: the next try has a fresh
   * measurement, so the fix stays on offer. */
  { HS_PORT_STALE, HS_CODE_CLOCK_FIX_STALE, TRUE, HS_FIX_NONE,
    N_("The clock was not changed because its measurement was out of date. It has been measured again.") },
};

/* Success is what the re-check measures; when it is not right, each way
 * the fix can fall short says its own thing. */
static HsResult *
clock_fix_outcome (const HsStepContext *ctx, HsResult *check)
{
  HsStatus st = hs_result_get_status (check);
  HsResult *r = NULL;

  if (hs_status_is_good (st) && ctx->action_code != HS_PORT_DECLINED &&
      ctx->action_code != HS_PORT_CANCELLED)
    r = hs_result_derive (check, hs_clock_step.fixed.status, hs_clock_step.fixed.code, HS_FIX_NONE,
                          hs_clock_step.fixed.summary);
  for (guint i = 0; r == NULL && i < G_N_ELEMENTS (shortfalls); i++)
    if (ctx->action_code == shortfalls[i].port)
      r = hs_result_derive (check, st == HS_STATUS_OK ? HS_STATUS_PROBLEM : st, shortfalls[i].code,
                            shortfalls[i].keep_fix ? hs_result_get_fix (check) : shortfalls[i].fix,
                            shortfalls[i].summary);
  if (r == NULL)
    return hs_step_fix_outcome (&hs_clock_step, ctx, check);
  hs_step_add_fix_error (ctx, r);
  return r;
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

  const char *tz_blocked = hs_result_get_string (result, "policy_tz_auto_blocked");

  if (g_str_equal (code, HS_CODE_CLOCK_TIMEZONE) && g_strcmp0 (tz_blocked, "yes") == 0)
    return _("Open Settings > Time & language > Date & time and choose the right time zone yourself: "
             "your organisation has turned off setting it automatically.");
  if (g_str_equal (code, HS_CODE_CLOCK_TIMEZONE))
    return _("Open Settings > Time & language > Date & time and choose the right time zone (or turn on \"Set time zone automatically\").");
  if (g_str_equal (code, HS_CODE_CLOCK_TIMEZONE_MANAGED))
    return _("Your organisation sets the time zone of this computer: ask your IT support to correct it.");
  if (g_str_equal (code, HS_CODE_CLOCK_DOMAIN) ||
      (g_str_equal (code, HS_CODE_CLOCK_MANAGED) && hs_result_get_status (result) != HS_STATUS_OK))
    return _("Your organisation manages the clock of this computer: ask your IT support.");
  if (g_str_equal (code, HS_CODE_CLOCK_FIX_NO_EFFECT))
    return _("Set the time by hand: open Settings > Time & language > Date & time, turn off \"Set time automatically\", "
             "choose Change and enter the right time.");
  if (g_str_equal (code, HS_CODE_CLOCK_FIX_PENDING))
    return _("Windows is correcting the clock gradually: check again in a few minutes.");
  return NULL;
}

const HsStepInfo hs_clock_step = {
  .number = HS_STEP_CLOCK,
  .id = "clock",
  .check = clock_check,
  .check_async = clock_check_async,
  .check_finish = clock_check_finish,
  .fix = clock_fix,
  .refuse_fix = clock_refuse_fix,
  .fix_outcome = clock_fix_outcome,
  .fixed = { HS_STATUS_FIXED, HS_CODE_CLOCK_FIXED,
             N_("The clock is now set automatically and is right.") },
  .failed = { HS_STATUS_PROBLEM, HS_CODE_CLOCK_FIX_FAILED,
              N_("Windows refused to change the clock settings.") },
  .declined = { HS_STATUS_PROBLEM, HS_CODE_CLOCK_FIX_DECLINED,
                N_("The administrator permission was not given, so the clock was not changed.") },
  .describe_fix = clock_describe_fix,
  .guide = clock_guide,
};
