/* hs-credentials-step.c — step 2's check, fix and restore.
 *
 * The fix backs up exactly the entries it removes (encrypted for the user,
 * never elevated: the vault is per user), then removes them one by one; a
 * backup that cannot be written means nothing is removed. Restore puts a
 * backup back.
 */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <stdlib.h>
#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-credentials-step.h"
#include "hs-step-table.h"

/* What a removal did, for its outcome. */
typedef struct {
  guint n_deleted, n_vanished, n_failed;
} Removal;

/* Run in a worker thread. */
static HsResult *
credentials_check (HsStepContext *ctx)
{
  HsPlatform *pf = ctx->platform;
  HsCredentialList list = { 0 };
  HsPortStatus st = { 0 };
  HsPortCode code = pf->list_credentials (pf->self, &list, &st);
  HsResult *r = hs_credentials_verdict (code, &st, &list, ctx->patterns);

  hs_port_credentials_free (&list);
  return r;
}

static char **
required_refs (HsStepContext *ctx)
{
  HsPlatform *pf = ctx->platform;
  HsCredentialList list = { 0 };
  HsPortStatus st = { 0 };
  GPtrArray *refs = g_ptr_array_new ();

  if (pf->list_credentials (pf->self, &list, &st) == HS_PORT_OK)
    for (gsize i = 0; i < list.n_items; i++)
      if (hs_patterns_classify (ctx->patterns, list.items[i].target, NULL) == HS_CATEGORY_REQUIRED)
        g_ptr_array_add (refs, hs_credential_ref (list.items[i].type, list.items[i].target));
  hs_port_credentials_free (&list);
  g_ptr_array_add (refs, NULL);
  return (char **) g_ptr_array_free (refs, FALSE);
}

/* Run in a worker thread. */
static void
credentials_fix (HsStepContext *ctx)
{
  HsPlatform *pf = ctx->platform;
  Removal *removal = hs_step_context_data (ctx, sizeof (Removal), g_free);
  g_auto(GStrv) refs_owned = ctx->credential_refs ? NULL : required_refs (ctx);
  char **refs = ctx->credential_refs ? ctx->credential_refs : refs_owned;
  guint n = g_strv_length (refs);
  g_autofree HsCredentialRef *crefs = g_new0 (HsCredentialRef, n ? n : 1);
  g_autofree HsCredentialOutcome *outcomes = g_new0 (HsCredentialOutcome, n ? n : 1);
  char *dir = NULL, *backup = NULL;

  for (guint i = 0; i < n; i++)
    if (!hs_credential_ref_parse (refs[i], &crefs[i].type, &crefs[i].target))
      {
        hs_port_status_set (&ctx->action_status, HS_PORT_BAD_INPUT, 0, "not a credential reference");
        ctx->action_code = HS_PORT_BAD_INPUT;
        return;
      }
  if (n == 0)
    {
      ctx->action_code = HS_PORT_OK;
      return;
    }
  ctx->action_code = pf->backup_dir (pf->self, &dir, &ctx->action_status);
  if (ctx->action_code != HS_PORT_OK)
    return;
  ctx->action_code = pf->delete_credentials (pf->self, crefs, n, dir, &backup, outcomes,
                                             &ctx->cancel, &ctx->action_status);
  free (dir);
  if (backup != NULL)
    {
      ctx->backup_path = g_strdup (backup);
      hs_action_sink_add (&ctx->sink, ctx->step, "backup", "ok", HS_SENSITIVITY_TEXT, "%s", backup);
      free (backup);
    }
  else
    {
      hs_action_sink_add (&ctx->sink, ctx->step, "backup", hs_port_code_name (ctx->action_code),
                          HS_SENSITIVITY_TEXT, "%s", ctx->action_status.detail);
      return;   /* nothing was deleted */
    }
  for (guint i = 0; i < n; i++)
    {
      removal->n_deleted += outcomes[i].code == HS_PORT_OK;
      removal->n_vanished += outcomes[i].code == HS_PORT_NOT_FOUND;
      removal->n_failed += outcomes[i].code != HS_PORT_OK && outcomes[i].code != HS_PORT_NOT_FOUND;
      hs_action_sink_add (&ctx->sink, ctx->step, "delete_credential", hs_port_code_name (outcomes[i].code),
                          HS_SENSITIVITY_TEXT, "%s", crefs[i].target);
    }
  /* A credential that vanished on its own is not a failure. */
  if (ctx->action_code == HS_PORT_NOT_FOUND)
    ctx->action_code = HS_PORT_OK;
}

/* Explicit choices may remove Office entries the verdict would leave. */
static char *
credentials_refuse_fix (HsResult *last, const HsFixOptions *options)
{
  if (options != NULL && options->credential_refs != NULL)
    return NULL;
  return hs_step_refuse_fix (last);
}

/* Run in a worker thread. */
static void
credentials_restore (HsStepContext *ctx)
{
  HsPlatform *pf = ctx->platform;
  HsRestoreList restored = { 0 };
  size_t n;

  ctx->action_code = pf->restore_credentials (pf->self, ctx->restore_path, 0, &restored,
                                              &ctx->action_status);
  n = restored.n_restored;
  hs_port_restore_list_free (&restored);
  hs_action_sink_add (&ctx->sink, ctx->step, "restore", hs_port_code_name (ctx->action_code),
                      HS_SENSITIVITY_TEXT, "%zu credential(s) from %s", n, ctx->restore_path);
}

static HsResult *
credentials_fix_outcome (const HsStepContext *ctx, HsResult *check)
{
  HsStatus st = hs_result_get_status (check);
  HsFixKind fix = hs_result_get_fix (check);
  const Removal *removal = ctx->data;
  HsResult *r;

  if (ctx->restore_path != NULL)
    r = ctx->action_code != HS_PORT_OK
        ? hs_result_derive (check, st, HS_CODE_CREDS_FIX_FAILED, fix, N_("The backup could not be put back."))
        : hs_result_derive (check, st, HS_CODE_CREDS_RESTORED, fix,
                            N_("The removed sign-in details were put back."));
  else if (ctx->action_code != HS_PORT_OK && ctx->action_code != HS_PORT_DECLINED &&
           ctx->action_code != HS_PORT_CANCELLED && ctx->backup_path == NULL)
    r = hs_result_derive (check, st, HS_CODE_CREDS_BACKUP_FAILED, fix,
                          N_("The backup could not be written, so nothing was removed."));
  else
    r = hs_step_derive_outcome (&hs_credentials_step, ctx, check);

  hs_step_add_fix_error (ctx, r);
  if (ctx->backup_path != NULL)
    {
      hs_result_add_string (r, "backup", ctx->backup_path, HS_SENSITIVITY_TEXT);
      hs_result_add_int (r, "deleted_count", removal->n_deleted);
      hs_result_add_int (r, "vanished_count", removal->n_vanished);
      hs_result_add_int (r, "failed_count", removal->n_failed);
    }
  return r;
}

static char *
credentials_describe_fix (HsResult *result)
{
  gint64 n = 0;

  hs_result_get_int (result, "required_count", &n);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "  Step 2: back up, then remove %d saved Teams sign-in entry\n",
                                       "  Step 2: back up, then remove %d saved Teams sign-in entries\n",
                                       (gulong) n), (int) n);
}

const HsStepInfo hs_credentials_step = {
  .number = HS_STEP_CREDENTIALS,
  .id = "credentials",
  .check = credentials_check,
  .fix = credentials_fix,
  .refuse_fix = credentials_refuse_fix,
  .restore = credentials_restore,
  .fix_outcome = credentials_fix_outcome,
  .fixed = { HS_STATUS_FIXED, HS_CODE_CREDS_REMOVED,
             N_("The stale sign-in details were backed up and removed.") },
  .failed = { HS_STATUS_PROBLEM, HS_CODE_CREDS_FIX_FAILED,
              N_("Windows refused to remove some of the saved sign-in details.") },
  .describe_fix = credentials_describe_fix,
};
