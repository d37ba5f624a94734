/* hs-step.c — what every step shares: the action log lines, port failures
 * as verdicts, the shape of a fix's outcome. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-step.h"

void
hs_action_sink_add (HsActionSink *sink, HsStep step, const char *action,
                    const char *outcome, HsSensitivity detail_sensitivity,
                    const char *detail_fmt, ...)
{
  HsAction *a;
  va_list ap;

  if (sink == NULL || sink->actions == NULL)
    return;
  a = g_new0 (HsAction, 1);
  a->time = g_date_time_new_now_utc ();
  a->step = step;
  a->action = g_strdup (action);
  a->outcome = g_strdup (outcome);
  if (detail_fmt != NULL)
    {
      va_start (ap, detail_fmt);
      a->detail = g_strdup_vprintf (detail_fmt, ap);
      va_end (ap);
    }
  a->detail_sensitivity = detail_sensitivity;
  g_ptr_array_add (sink->actions, a);
}

void
hs_action_free (HsAction *action)
{
  if (action == NULL)
    return;
  g_date_time_unref (action->time);
  g_free (action->action);
  g_free (action->outcome);
  g_free (action->detail);
  g_free (action);
}

const char *
hs_tri_name (HsTri t)
{
  return t == HS_TRI_YES ? "yes" : t == HS_TRI_NO ? "no" : "unknown";
}

HsResult *
hs_step_port_failure (HsStep step, HsPortCode code, const HsPortStatus *status,
                      const char *na_code, const char *unverified_code,
                      const char *unverified_summary)
{
  HsResult *r;

  if (code == HS_PORT_CANCELLED)
    r = hs_result_new (step, HS_STATUS_UNVERIFIED, HS_CODE_CANCELLED, HS_FIX_NONE,
                       N_("The check was stopped before it finished."));
  else if (code == HS_PORT_UNSUPPORTED && na_code != NULL)
    r = hs_result_new (step, HS_STATUS_NOT_APPLICABLE, na_code, HS_FIX_NONE,
                       N_("This step only applies to Windows."));
  else
    r = hs_result_new (step, HS_STATUS_UNVERIFIED, unverified_code, HS_FIX_NONE, unverified_summary);

  hs_result_add_string (r, "error", hs_port_code_name (code), HS_SENSITIVITY_PUBLIC);
  if (status != NULL && status->os_error != 0)
    hs_result_add_int (r, "os_error", status->os_error);
  if (status != NULL && status->detail[0] != '\0')
    hs_result_add_string (r, "reason", status->detail, HS_SENSITIVITY_TEXT);
  return r;
}

HsResult *
hs_step_wrong_user (HsStep step, const HsUserContext *user)
{
  HsResult *r = hs_result_new (step, HS_STATUS_UNVERIFIED, HS_CODE_WRONG_USER, HS_FIX_NONE,
                               N_("Handshake runs as another account than the person signed in to this "
                                  "computer, so it cannot check or fix this step."));

  hs_result_add_string (r, "process_user", user->process_user, HS_SENSITIVITY_PERSONAL);
  hs_result_add_string (r, "session_user", user->session_user, HS_SENSITIVITY_PERSONAL);
  hs_result_add_int (r, "session_id", user->session_id);
  hs_result_add_string (r, "same_user", hs_tri_name (user->same_user), HS_SENSITIVITY_PUBLIC);
  return r;
}

char *
hs_step_refuse_fix (HsResult *last)
{
  if (hs_result_get_fix (last) != HS_FIX_NONE)
    return NULL;
  return g_strdup_printf ("step %d (%s) has nothing to fix", hs_result_get_step (last),
                          hs_result_get_code (last));
}

static HsResult *
derive (HsResult *check, const HsStepOutcome *o, HsStatus status, HsFixKind fix)
{
  return hs_result_derive (check, status, o->code ? o->code : hs_result_get_code (check), fix,
                           o->summary);
}

HsResult *
hs_step_derive_outcome (const HsStepInfo *info, const HsStepContext *ctx, HsResult *check)
{
  HsStatus st = hs_result_get_status (check);
  HsFixKind fix = hs_result_get_fix (check);

  if (ctx->action_code == HS_PORT_OK && hs_status_is_good (st))
    return derive (check, &info->fixed, info->fixed.status, HS_FIX_NONE);
  /* It ran, but the re-check says it did not help; or it was stopped and
   * the re-check tells how far it got. */
  if (ctx->action_code == HS_PORT_OK || ctx->action_code == HS_PORT_CANCELLED)
    return g_object_ref (check);
  if (ctx->action_code == HS_PORT_DECLINED && info->declined.code != NULL)
    return derive (check, &info->declined, st, fix);
  return derive (check, &info->failed, st == HS_STATUS_OK ? HS_STATUS_PROBLEM : st, fix);
}

void
hs_step_add_fix_error (const HsStepContext *ctx, HsResult *r)
{
  if (ctx->action_code == HS_PORT_OK)
    return;
  hs_result_add_string (r, "fix_error", hs_port_code_name (ctx->action_code), HS_SENSITIVITY_PUBLIC);
  if (ctx->action_status.os_error != 0)
    hs_result_add_int (r, "fix_os_error", ctx->action_status.os_error);
  if (ctx->action_status.detail[0] != '\0')
    hs_result_add_string (r, "fix_reason", ctx->action_status.detail, HS_SENSITIVITY_TEXT);
}

HsResult *
hs_step_fix_outcome (const HsStepInfo *info, const HsStepContext *ctx, HsResult *check)
{
  HsResult *r = hs_step_derive_outcome (info, ctx, check);

  hs_step_add_fix_error (ctx, r);
  return r;
}

gpointer
hs_step_context_data (HsStepContext *ctx, gsize size, GDestroyNotify free_func)
{
  if (ctx->data == NULL)
    {
      ctx->data = g_malloc0 (size);
      ctx->data_free = free_func;
    }
  return ctx->data;
}
