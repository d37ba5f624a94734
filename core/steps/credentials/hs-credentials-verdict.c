/* hs-credentials-verdict.c — step 2's verdict: the saved credentials the
 * platform listed, classified by the credential rules. Pure code. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-credentials-step.h"
#include "hs-step-table.h"

char *
hs_credential_ref (guint32 type, const char *target)
{
  return g_strdup_printf ("%u:%s", type, target);
}

gboolean
hs_credential_ref_parse (const char *ref, guint32 *type, const char **target)
{
  char *end = NULL;
  guint64 t;

  if (ref == NULL || !g_ascii_isdigit (ref[0]))
    return FALSE;
  t = g_ascii_strtoull (ref, &end, 10);
  if (end == NULL || *end != ':' || t == 0 || t > G_MAXUINT32 || end[1] == '\0')
    return FALSE;
  *type = (guint32) t;
  *target = end + 1;
  return TRUE;
}

HsResult *
hs_credentials_verdict (HsPortCode code, const HsPortStatus *status,
                        const HsCredentialList *list, const HsPatternSet *patterns)
{
  guint n_required = 0, n_optional = 0, n_keep = 0, n_required_unrestorable = 0, n_unrestorable = 0;
  HsResult *r;

  if (code != HS_PORT_OK)
    return hs_step_port_failure (HS_STEP_CREDENTIALS, code, status, HS_CODE_CREDS_NOT_APPLICABLE,
                                 code == HS_PORT_ACCESS_DENIED ? HS_CODE_CREDS_ACCESS_DENIED : HS_CODE_INTERNAL,
                                 code == HS_PORT_ACCESS_DENIED
                                 ? N_("Windows did not allow Handshake to read the saved sign-in details.")
                                 : N_("Handshake could not read the saved sign-in details."));

  for (gsize i = 0; i < list->n_items; i++)
    {
      HsCategory cat = hs_patterns_classify (patterns, list->items[i].target, NULL);
      n_required += cat == HS_CATEGORY_REQUIRED;
      n_optional += cat == HS_CATEGORY_OPTIONAL;
      n_keep += cat == HS_CATEGORY_KEEP;
      if (cat != HS_CATEGORY_KEEP && list->items[i].restorable == HS_TRI_NO)
        {
          n_unrestorable++;
          n_required_unrestorable += cat == HS_CATEGORY_REQUIRED;
        }
    }

  /* What is left can only go for good (Windows never handed out its
   * password): removing it takes the person's own, separate agreement. */
  if (n_required > 0 && n_required == n_required_unrestorable)
    r = hs_result_new (HS_STEP_CREDENTIALS, HS_STATUS_PROBLEM, HS_CODE_CREDS_UNRESTORABLE, HS_FIX_AUTOMATIC,
                       N_("Windows holds saved Teams sign-in details that cannot be put back once removed."));
  else if (n_required > 0)
    r = hs_result_new (HS_STEP_CREDENTIALS, HS_STATUS_PROBLEM, HS_CODE_CREDS_STALE, HS_FIX_AUTOMATIC,
                       N_("Windows holds saved Teams sign-in details that may be stale."));
  else if (n_optional > 0)
    r = hs_result_new (HS_STEP_CREDENTIALS, HS_STATUS_OK, HS_CODE_CREDS_OFFICE_ONLY, HS_FIX_AUTOMATIC,
                       N_("No saved Teams sign-in details were found; only Office ones, which can stay."));
  else
    r = hs_result_new (HS_STEP_CREDENTIALS, HS_STATUS_OK, HS_CODE_CREDS_OK, HS_FIX_NONE,
                       N_("No saved Teams sign-in details were found."));

  hs_result_add_int (r, "required_count", n_required);
  hs_result_add_int (r, "optional_count", n_optional);
  hs_result_add_int (r, "other_count", n_keep);
  hs_result_add_int (r, "unrestorable_count", n_unrestorable);

  for (gsize i = 0; i < list->n_items; i++)
    {
      const HsCredential *c = &list->items[i];
      const char *reason = NULL;
      HsCategory cat = hs_patterns_classify (patterns, c->target, &reason);
      g_autofree char *ref = NULL;
      HsItem *item;

      if (cat == HS_CATEGORY_KEEP)
        continue;
      ref = hs_credential_ref (c->type, c->target);
      item = hs_result_add_item (r, "credential");
      hs_item_add_string (item, "ref", ref, HS_SENSITIVITY_TEXT);
      hs_item_add_string (item, "target", c->target, HS_SENSITIVITY_TEXT);
      hs_item_add_string (item, "type", hs_cred_type_name (c->type), HS_SENSITIVITY_PUBLIC);
      hs_item_add_string (item, "category", hs_category_name (cat), HS_SENSITIVITY_PUBLIC);
      hs_item_add_string (item, "reason", reason, HS_SENSITIVITY_PUBLIC);
      if (c->user != NULL && c->user[0] != '\0')
        hs_item_add_string (item, "user", c->user, HS_SENSITIVITY_PERSONAL);
      hs_item_add_string (item, "persist", hs_cred_persist_name (c->persist), HS_SENSITIVITY_PUBLIC);
      /* "no": Windows keeps its password to itself, so a backup cannot put
       * it back; Windows asks for the password again after removing it. */
      hs_item_add_string (item, "restorable", hs_tri_name (c->restorable), HS_SENSITIVITY_PUBLIC);
      if (c->last_written_unix > 0)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (c->last_written_unix);
          g_autofree char *iso = dt ? g_date_time_format_iso8601 (dt) : NULL;
          if (iso != NULL)
            hs_item_add_string (item, "last_written", iso, HS_SENSITIVITY_PUBLIC);
        }
    }
  return r;
}
