/* hs-broker-step.c — step 3's check and fix: both sign-in packages are
 * looked up and, when needed, registered again — as the user, never
 * elevated, since the packages are per user. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-broker-step.h"
#include "hs-step-table.h"

static const char * const families[] = { HS_BROKER_FAMILY, HS_CXH_FAMILY };

/* Run in a worker thread. */
static HsResult *
broker_check (HsStepContext *ctx)
{
  HsPlatform *pf = ctx->platform;
  HsPackageState states[G_N_ELEMENTS (families)];
  HsPortStatus st = { 0 };
  HsPortCode code = HS_PORT_OK;

  memset (states, 0, sizeof states);
  for (guint i = 0; i < G_N_ELEMENTS (families) && code == HS_PORT_OK; i++)
    code = pf->package_state (pf->self, families[i], &states[i], &ctx->cancel, &st);
  return hs_broker_verdict (code, &st, states, G_N_ELEMENTS (families));
}

/* Run in a worker thread. */
static void
broker_fix (HsStepContext *ctx)
{
  HsPlatform *pf = ctx->platform;

  ctx->action_code = HS_PORT_OK;
  /* Microsoft's guidance re-registers both packages, as the user. */
  for (guint i = 0; i < G_N_ELEMENTS (families) && ctx->action_code == HS_PORT_OK; i++)
    {
      ctx->action_code = pf->reregister_package (pf->self, families[i], &ctx->cancel, &ctx->action_status);
      hs_action_sink_add (&ctx->sink, ctx->step, "reregister_package", hs_port_code_name (ctx->action_code),
                          HS_SENSITIVITY_TEXT, "%s%s%s", families[i],
                          ctx->action_status.detail[0] ? ": " : "", ctx->action_status.detail);
    }
}

/* Missing package files are not something re-registering can mend. */
static char *
broker_refuse_fix (HsResult *last, const HsFixOptions *options)
{
  char *why = hs_step_refuse_fix (last);

  if (why == NULL && hs_result_get_fix (last) == HS_FIX_GUIDED)
    why = g_strdup ("step 3 needs a Windows repair that Handshake cannot do");
  return why;
}

static char *
broker_describe_fix (HsResult *result)
{
  return g_strdup (_("  Step 3: register the Windows sign-in component again (closes apps that use it)\n"));
}

static const char *
broker_guide (HsResult *result)
{
  if (g_str_equal (hs_result_get_code (result), HS_CODE_BROKER_MANIFEST_MISSING))
    return _("The sign-in component's files are missing: repair Windows (Settings > System > Recovery) or ask your IT support.");
  if (g_str_equal (hs_result_get_code (result), HS_CODE_BROKER_SERVICING))
    return _("Windows is updating the sign-in component: wait until it is done (or restart the computer), then check again.");
  return NULL;
}

const HsStepInfo hs_broker_step = {
  .number = HS_STEP_BROKER,
  .id = "broker",
  .per_user = TRUE,
  .check = broker_check,
  .fix = broker_fix,
  .refuse_fix = broker_refuse_fix,
  .fixed = { HS_STATUS_NEEDS_RESTART, HS_CODE_BROKER_REREGISTERED,
             N_("The sign-in component was registered again. Restart the computer to finish.") },
  .failed = { HS_STATUS_PROBLEM, HS_CODE_BROKER_FIX_FAILED,
              N_("Registering the sign-in component again failed.") },
  .describe_fix = broker_describe_fix,
  .guide = broker_guide,
};
