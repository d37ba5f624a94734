/* hs-credentials-step.c — step 2's check, fix and restore.
 *
 * The fix backs up exactly the entries it removes (encrypted for the user,
 * never elevated: the vault is per user), then removes them one by one; a
 * backup that cannot be written means nothing is removed. An entry whose
 * password Windows never hands out cannot be backed up: it is skipped
 * unless the person agreed, on its own, to lose it. Restore puts a backup
 * back, entry by entry, never over an entry saved since (unless asked) and
 * never without its password.
 */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <stdlib.h>
#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-credentials-step.h"
#include "hs-step-table.h"

/* What happened to one entry of a removal or a restore. */
typedef struct {
  const char      *target;     /* in the tally's string chunk */
  guint32          type;
  const char      *outcome;    /* "deleted", "restored", "skipped", "not_found", … */
  HsCredSkipReason reason;
  guint32          os_error;
} EntryOutcome;

/* What a removal or a restore did, for its outcome. The entries' targets
 * are owned by the tally's string chunk. */
typedef struct {
  guint         n_done, n_vanished, n_skipped, n_failed;
  GArray       *entries;       /* (element-type EntryOutcome) */
  GStringChunk *targets;
} Tally;

static void
tally_free (Tally *t)
{
  g_array_unref (t->entries);
  g_string_chunk_free (t->targets);
  g_free (t);
}

static Tally *
tally (HsStepContext *ctx)
{
  Tally *t = hs_step_context_data (ctx, sizeof (Tally), (GDestroyNotify) tally_free);

  if (t->entries == NULL)
    {
      t->entries = g_array_new (FALSE, TRUE, sizeof (EntryOutcome));
      t->targets = g_string_chunk_new (256);
    }
  return t;
}

/* Counts and logs one entry. */
static void
tally_add (HsStepContext *ctx, const char *action, const char *target, guint32 type,
           HsPortCode code, const char *done, HsCredSkipReason reason, guint32 os_error)
{
  Tally *t = tally (ctx);
  EntryOutcome e = { g_string_chunk_insert (t->targets, target), type,
                     code == HS_PORT_OK ? done : hs_port_code_name (code), reason, os_error };

  g_array_append_val (t->entries, e);
  t->n_done += code == HS_PORT_OK;
  t->n_vanished += code == HS_PORT_NOT_FOUND;
  t->n_skipped += code == HS_PORT_SKIPPED;
  t->n_failed += code != HS_PORT_OK && code != HS_PORT_NOT_FOUND && code != HS_PORT_SKIPPED;
  if (code == HS_PORT_SKIPPED)
    hs_action_sink_add (&ctx->sink, ctx->step, action, "skipped", HS_SENSITIVITY_TEXT, "%s (%s)",
                        target, hs_cred_skip_reason_name (reason));
  else
    hs_action_sink_add (&ctx->sink, ctx->step, action, hs_port_code_name (code), HS_SENSITIVITY_TEXT,
                        "%s", target);
}

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
  g_auto(GStrv) refs_owned = ctx->credential_refs ? NULL : required_refs (ctx);
  char **refs = ctx->credential_refs ? ctx->credential_refs : refs_owned;
  guint n = g_strv_length (refs);
  g_autofree HsCredentialRef *crefs = g_new0 (HsCredentialRef, n ? n : 1);
  g_autofree HsCredentialOutcome *outcomes = g_new0 (HsCredentialOutcome, n ? n : 1);
  char *dir = NULL, *backup = NULL;

  tally (ctx);
  for (guint i = 0; i < n; i++)
    {
      if (!hs_credential_ref_parse (refs[i], &crefs[i].type, &crefs[i].target))
        {
          hs_port_status_set (&ctx->action_status, HS_PORT_BAD_INPUT, 0, "not a credential reference");
          ctx->action_code = HS_PORT_BAD_INPUT;
          return;
        }
      /* Only what the person agreed to lose, in a question of its own. */
      crefs[i].allow = ctx->allow_unrestorable ? HS_CRED_ALLOW_UNRESTORABLE : 0;
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
    tally_add (ctx, "delete_credential", crefs[i].target, crefs[i].type, outcomes[i].code, "deleted",
               outcomes[i].reason, outcomes[i].os_error);
  /* A credential that vanished on its own is not a failure, nor is one
   * left alone because it could not have been put back. */
  if (ctx->action_code == HS_PORT_NOT_FOUND || ctx->action_code == HS_PORT_SKIPPED)
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

  tally (ctx);
  ctx->action_code = pf->restore_credentials (pf->self, ctx->restore_path, ctx->restore_flags,
                                              &restored, &ctx->action_status);
  for (gsize i = 0; i < restored.n_items; i++)
    tally_add (ctx, "restore_credential", restored.items[i].target ? restored.items[i].target : "",
               restored.items[i].type, restored.items[i].code, "restored", restored.items[i].reason,
               restored.items[i].os_error);
  hs_action_sink_add (&ctx->sink, ctx->step, "restore", hs_port_code_name (ctx->action_code),
                      HS_SENSITIVITY_TEXT, "%zu credential(s) from %s%s", restored.n_restored,
                      ctx->restore_path,
                      ctx->restore_flags & HS_RESTORE_OVERWRITE_NEWER ? " (over newer entries)" : "");
  hs_port_restore_list_free (&restored);
}

/* Every entry of a removal or restore, with what happened to it. */
static void
add_entries (HsResult *r, const Tally *t, const char *kind)
{
  for (guint i = 0; t != NULL && t->entries != NULL && i < t->entries->len; i++)
    {
      const EntryOutcome *e = &g_array_index (t->entries, EntryOutcome, i);
      HsItem *item = hs_result_add_item (r, kind);

      hs_item_add_string (item, "target", e->target, HS_SENSITIVITY_TEXT);
      hs_item_add_string (item, "type", hs_cred_type_name (e->type), HS_SENSITIVITY_PUBLIC);
      hs_item_add_string (item, "outcome", e->outcome, HS_SENSITIVITY_PUBLIC);
      if (e->reason != HS_CRED_SKIP_NONE)
        hs_item_add_string (item, "reason", hs_cred_skip_reason_name (e->reason), HS_SENSITIVITY_PUBLIC);
      if (e->os_error != 0)
        hs_item_add_int (item, "os_error", e->os_error);
    }
}

/* A restore has its own verdict, whatever the re-check says, so that its
 * status, its code and handshake-cli's exit code agree: the entries put
 * back are the ones the fix found stale, so a success is a warning (the fix
 * is offered again), and a failure a problem. Skipped on purpose (a newer
 * entry kept, nothing without its password) is not a failure. */
static HsResult *
restore_outcome (const HsStepContext *ctx, HsResult *check)
{
  HsFixKind fix = hs_result_get_fix (check);

  if (ctx->action_code == HS_PORT_OK)
    return hs_result_derive (check, HS_STATUS_WARNING, HS_CODE_CREDS_RESTORED, fix,
                             N_("The removed sign-in details were put back."));
  if (ctx->action_code == HS_PORT_SKIPPED)
    return hs_result_derive (check, HS_STATUS_WARNING, HS_CODE_CREDS_RESTORE_PARTIAL, fix,
                             N_("Some removed sign-in details were not put back: newer ones were saved "
                                "since, or Windows never gave out their password."));
  return hs_result_derive (check, HS_STATUS_PROBLEM, HS_CODE_CREDS_RESTORE_FAILED, fix,
                           N_("The backup could not be put back."));
}

static HsResult *
credentials_fix_outcome (const HsStepContext *ctx, HsResult *check)
{
  HsStatus st = hs_result_get_status (check);
  HsFixKind fix = hs_result_get_fix (check);
  const Tally *t = ctx->data;
  HsResult *r;

  if (ctx->restore_path != NULL)
    r = restore_outcome (ctx, check);
  else if (ctx->action_code != HS_PORT_OK && ctx->action_code != HS_PORT_DECLINED &&
           ctx->action_code != HS_PORT_CANCELLED && ctx->backup_path == NULL)
    r = hs_result_derive (check, st, HS_CODE_CREDS_BACKUP_FAILED, fix,
                          N_("The backup could not be written, so nothing was removed."));
  else
    r = hs_step_derive_outcome (&hs_credentials_step, ctx, check);

  hs_step_add_fix_error (ctx, r);
  if (ctx->restore_path != NULL && t != NULL)
    {
      hs_result_add_int (r, "restored_count", t->n_done);
      hs_result_add_int (r, "skipped_count", t->n_skipped);
      hs_result_add_int (r, "failed_count", t->n_failed);
      add_entries (r, t, "restoration");
    }
  else if (ctx->backup_path != NULL && t != NULL)
    {
      hs_result_add_string (r, "backup", ctx->backup_path, HS_SENSITIVITY_TEXT);
      hs_result_add_int (r, "deleted_count", t->n_done);
      hs_result_add_int (r, "vanished_count", t->n_vanished);
      hs_result_add_int (r, "skipped_count", t->n_skipped);
      hs_result_add_int (r, "failed_count", t->n_failed);
      add_entries (r, t, "removal");
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
  .per_user = TRUE,
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
