/* hs-accounts-verdict.c — step 4's verdict: the work, school and personal
 * accounts Windows knows, and which one the user said Teams uses. Pure
 * code. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-accounts-step.h"
#include "hs-step-table.h"

static gboolean
sources_mix_kinds (const char *sources)
{
  g_auto(GStrv) parts = g_strsplit (sources ? sources : "", ",", -1);
  gboolean personal = FALSE, work = FALSE;

  for (char **p = parts; *p != NULL; p++)
    {
      if (g_str_equal (*p, "identitycrl") || g_str_equal (*p, "office_msa"))
        personal = TRUE;
      else if (**p != '\0' && !g_str_equal (*p, "office"))
        work = TRUE;
    }
  return personal && work;
}

HsResult *
hs_accounts_verdict (HsPortCode code, const HsPortStatus *status,
                     const HsAccountList *list, const char *work_account)
{
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GHashTable) dup = NULL;
  guint n_work = 0, n_personal = 0;
  gboolean duplicate = FALSE;
  HsResult *r;

  if (code != HS_PORT_OK)
    return hs_step_port_failure (HS_STEP_ACCOUNTS, code, status, HS_CODE_ACCOUNTS_NOT_APPLICABLE,
                                 HS_CODE_ACCOUNTS_UNVERIFIED,
                                 N_("Handshake could not read the accounts on this computer."));

  /* The same address seen twice (or as both work and personal) is what
   * confuses the account bridge; platforms fold by address, so both the
   * raw duplicates and folded mixed sources count. */
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  dup = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (gsize i = 0; i < list->n_items; i++)
    {
      const HsAccount *a = &list->items[i];
      char *key = g_utf8_casefold (a->email ? a->email : "", -1);

      n_work += a->kind == HS_ACCOUNT_WORK;
      n_personal += a->kind == HS_ACCOUNT_PERSONAL;
      if (g_hash_table_contains (seen, key) || sources_mix_kinds (a->sources))
        {
          duplicate = TRUE;
          g_hash_table_add (dup, g_strdup (key));
        }
      g_hash_table_add (seen, key);
    }

  if (duplicate)
    r = hs_result_new (HS_STEP_ACCOUNTS, HS_STATUS_PROBLEM, HS_CODE_ACCOUNTS_DUPLICATE, HS_FIX_GUIDED,
                       N_("The same account is signed in to Windows more than once."));
  else if (n_work > 1 || (n_work >= 1 && n_personal >= 1))
    r = hs_result_new (HS_STEP_ACCOUNTS, HS_STATUS_WARNING, HS_CODE_ACCOUNTS_SEVERAL, HS_FIX_GUIDED,
                       N_("Several accounts are signed in to Windows, which can confuse Teams."));
  else if (n_work == 0)
    r = hs_result_new (HS_STEP_ACCOUNTS, HS_STATUS_WARNING, HS_CODE_ACCOUNTS_NO_WORK, HS_FIX_GUIDED,
                       N_("No work or school account is signed in to Windows."));
  else
    r = hs_result_new (HS_STEP_ACCOUNTS, HS_STATUS_OK, HS_CODE_ACCOUNTS_OK, HS_FIX_NONE,
                       N_("Only one work account is signed in to Windows."));

  hs_result_add_int (r, "work_count", n_work);
  hs_result_add_int (r, "personal_count", n_personal);
  for (gsize i = 0; i < list->n_items; i++)
    {
      const HsAccount *a = &list->items[i];
      g_autofree char *key = g_utf8_casefold (a->email ? a->email : "", -1);
      gboolean is_choice = work_account != NULL &&
                           g_ascii_strcasecmp (work_account, a->email ? a->email : "") == 0;
      HsItem *item = hs_result_add_item (r, "account");

      hs_item_add_string (item, "email", a->email, HS_SENSITIVITY_PERSONAL);
      hs_item_add_string (item, "kind", hs_account_kind_name (a->kind), HS_SENSITIVITY_PUBLIC);
      hs_item_add_string (item, "sources", a->sources, HS_SENSITIVITY_PUBLIC);
      hs_item_add_bool (item, "duplicate", g_hash_table_contains (dup, key));
      if (work_account != NULL)
        {
          hs_item_add_bool (item, "teams_account", is_choice);
          /* Everything but the Teams account is a candidate for removal. */
          hs_item_add_bool (item, "remove_suggested", !is_choice);
        }
    }
  return r;
}
