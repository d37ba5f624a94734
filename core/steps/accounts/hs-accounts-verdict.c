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

/* Personal accounts are listed in Email & accounts, work or school ones in
 * Access work or school. The page to send the person to is the one that
 * lists the accounts to sign out: every account but the one Teams uses
 * (the first work account when none was chosen), and the personal side of
 * an address signed in as both. */
const char *
hs_accounts_settings_page (const HsAccountList *list, const char *work_account)
{
  const char *teams = work_account;
  gboolean any = FALSE;

  for (gsize i = 0; teams == NULL && i < list->n_items; i++)
    if (!list->items[i].join_record_only && list->items[i].kind == HS_ACCOUNT_WORK)
      teams = list->items[i].email;
  for (gsize i = 0; i < list->n_items; i++)
    {
      const HsAccount *a = &list->items[i];

      if (a->join_record_only)
        continue;
      if (sources_mix_kinds (a->sources))
        return hs_account_settings_page (HS_ACCOUNT_PERSONAL);
      if (teams != NULL && a->kind == HS_ACCOUNT_WORK && g_ascii_strcasecmp (a->email ? a->email : "", teams) == 0)
        continue;
      if (a->kind != HS_ACCOUNT_WORK)
        return hs_account_settings_page (HS_ACCOUNT_PERSONAL);
      any = TRUE;
    }
  return hs_account_settings_page (any ? HS_ACCOUNT_WORK : HS_ACCOUNT_PERSONAL);
}

HsResult *
hs_accounts_verdict (HsPortCode code, const HsPortStatus *status,
                     const HsAccountList *list, const char *work_account)
{
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GHashTable) dup = NULL;
  guint n_work = 0, n_personal = 0, n_join_only = 0;
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
      char *key;

      /* The record of who joined the device (often IT's account) is not an
       * account signed in for this person, not by that alone. */
      if (a->join_record_only)
        {
          n_join_only++;
          continue;
        }
      key = g_utf8_casefold (a->email ? a->email : "", -1);
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
  hs_result_add_int (r, "join_record_count", n_join_only);
  /* No work account: it is added where work accounts are listed. */
  if (hs_result_get_fix (r) == HS_FIX_GUIDED)
    hs_result_add_string (r, "settings_page",
                          n_work == 0 && !duplicate ? hs_account_settings_page (HS_ACCOUNT_WORK)
                                                    : hs_accounts_settings_page (list, work_account),
                          HS_SENSITIVITY_PUBLIC);
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
      hs_item_add_bool (item, "duplicate", !a->join_record_only && g_hash_table_contains (dup, key));
      /* Where Windows lists it, so that it can be signed out there. */
      hs_item_add_string (item, "settings_page", hs_account_settings_page (a->kind), HS_SENSITIVITY_PUBLIC);
      if (a->join_record_only)
        {
          /* Nothing to sign out in Settings: the join is IT's business. */
          hs_item_add_bool (item, "join_record_only", TRUE);
          continue;
        }
      if (work_account != NULL)
        {
          hs_item_add_bool (item, "teams_account", is_choice);
          /* Everything but the Teams account is a candidate for removal. */
          hs_item_add_bool (item, "remove_suggested", !is_choice);
        }
    }
  return r;
}
