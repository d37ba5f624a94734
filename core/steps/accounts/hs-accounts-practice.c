/* hs-accounts-practice.c — step 4 on the practice machine: the accounts
 * Windows knows, and a simulated person who signs out of what the Settings
 * page they are sent to lists (or does nothing): Email & accounts, the
 * personal accounts; Access work or school, the work accounts but the
 * first one. An account known only from the device's join record (source
 * aad_join alone) is IT's and stays.
 *
 * Scenario: [accounts] check; one [account NAME] per account (email, kind,
 * sources); [fixes] accounts.
 */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hs-accounts-step.h"
#include "hs-practice-private.h"

typedef struct {
  char          *email;
  HsAccountKind  kind;
  char          *sources;
} SimAccount;

typedef struct {
  GPtrArray  *accounts;     /* (element-type SimAccount) */
  HsPortCode  list_code;    /* how listing goes */
  char       *fix;          /* "resolve", "ignore" */
} AccountsSim;

static void
sim_account_free (gpointer p)
{
  SimAccount *a = p;

  g_free (a->email);
  g_free (a->sources);
  g_free (a);
}

static void
accounts_sim_free (gpointer data)
{
  AccountsSim *v = data;

  g_ptr_array_unref (v->accounts);
  g_free (v->fix);
  g_free (v);
}

static gboolean
accounts_load_item (gpointer state, HsScenario *s, const char *g, GError **error)
{
  static const char * const known[] = { "email", "kind", "sources", NULL };
  static const char * const kinds[] = { "work", "personal", NULL };
  AccountsSim *v = state;
  g_autofree char *kind = NULL;
  SimAccount *a;

  if (!hs_scenario_check_keys (s, g, known, error) ||
      !hs_scenario_get_choice (s, g, "kind", "work", kinds, &kind, error))
    return FALSE;
  a = g_new0 (SimAccount, 1);
  a->email = hs_scenario_get_str (s, g, "email", "");
  a->kind = g_str_equal (kind, "work") ? HS_ACCOUNT_WORK : HS_ACCOUNT_PERSONAL;
  a->sources = hs_scenario_get_str (s, g, "sources", a->kind == HS_ACCOUNT_WORK ? "workplace_join" : "identitycrl");
  if (strchr (a->email, '@') == NULL)
    {
      sim_account_free (a);
      return hs_scenario_fail_key (s, error, g, "email", "expected an e-mail address");
    }
  g_ptr_array_add (v->accounts, a);
  return TRUE;
}

static gpointer
accounts_sim_new (void)
{
  AccountsSim *v = g_new0 (AccountsSim, 1);

  v->accounts = g_ptr_array_new_with_free_func (sim_account_free);
  return v;
}

static gboolean
accounts_load (gpointer state, HsScenario *s, GError **error)
{
  static const char * const known[] = { "check", NULL };
  static const char * const outcome[] = { "resolve", "ignore", NULL };
  AccountsSim *v = state;

  return hs_scenario_check_keys (s, "accounts", known, error) &&
         hs_scenario_get_port_code (s, "accounts", "check", &v->list_code, error) &&
         hs_scenario_get_choice (s, "fixes", "accounts", "resolve", outcome, &v->fix, error);
}

static HsPortCode
practice_list_accounts (void *self, HsAccountList *out, HsPortStatus *st)
{
  HsPractice *p = self;
  AccountsSim *v = p->state[HS_STEP_ACCOUNTS];
  HS_PRACTICE_LOCKED (p);

  out->items = NULL;
  out->n_items = 0;
  if (v->list_code != HS_PORT_OK)
    {
      hs_port_status_set (st, v->list_code, 5, "simulated: registry read refused");
      return v->list_code;
    }
  out->items = calloc (v->accounts->len ? v->accounts->len : 1, sizeof *out->items);
  for (guint i = 0; i < v->accounts->len; i++)
    {
      SimAccount *a = g_ptr_array_index (v->accounts, i);
      out->items[i].email = strdup (a->email);
      out->items[i].kind = a->kind;
      out->items[i].sources = strdup (a->sources);
      /* As the Windows layer says it: every source is the join record. */
      out->items[i].join_record_only = g_str_equal (a->sources, "aad_join");
    }
  out->n_items = v->accounts->len;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static gboolean
personal_source (const char *source)
{
  return g_str_equal (source, "identitycrl") || g_str_equal (source, "office_msa");
}

/* What is left of an account signed in as both kinds once its personal side
 * is signed out. */
static void
drop_personal_sources (SimAccount *a)
{
  g_auto(GStrv) sources = g_strsplit (a->sources, ",", -1);
  GString *kept = g_string_new (NULL);

  for (char **s = sources; *s; s++)
    if (!personal_source (*s))
      g_string_append_printf (kept, "%s%s", kept->len ? "," : "", *s);
  g_free (a->sources);
  a->sources = g_string_free (kept, FALSE);
}

/* The simulated person follows the guided step on the Settings page they
 * were sent to, and signs out there of what they do not use for Teams. */
static void
simulate_user_in_accounts (AccountsSim *v, HsAccountKind listed)
{
  SimAccount *keep = NULL;

  if (g_str_equal (v->fix, "ignore"))
    return;
  for (guint i = 0; i < v->accounts->len && keep == NULL; i++)
    {
      SimAccount *a = g_ptr_array_index (v->accounts, i);
      if (a->kind == HS_ACCOUNT_WORK && !g_str_equal (a->sources, "aad_join"))
        keep = a;
    }
  for (guint i = v->accounts->len; i-- > 0;)
    {
      SimAccount *a = g_ptr_array_index (v->accounts, i);

      if (a == keep || g_str_equal (a->sources, "aad_join") || a->kind != listed)
        continue;
      g_ptr_array_remove_index (v->accounts, i);
    }
  if (keep != NULL && listed == HS_ACCOUNT_PERSONAL)
    drop_personal_sources (keep);
}

static void
accounts_open_settings (gpointer state, const char *uri)
{
  if (g_str_equal (uri, hs_account_settings_page (HS_ACCOUNT_PERSONAL)))
    simulate_user_in_accounts (state, HS_ACCOUNT_PERSONAL);
  else if (g_str_equal (uri, hs_account_settings_page (HS_ACCOUNT_WORK)))
    simulate_user_in_accounts (state, HS_ACCOUNT_WORK);
}

static void
accounts_install (HsPlatform *platform)
{
  platform->list_accounts = practice_list_accounts;
}

static const char * const fixes_keys[] = { "accounts", NULL };

const HsPracticeStep hs_accounts_practice = {
  .group = "accounts",
  .item_prefix = "account ",
  .fixes_keys = fixes_keys,
  .new_state = accounts_sim_new,
  .free_state = accounts_sim_free,
  .load_item = accounts_load_item,
  .load = accounts_load,
  .install = accounts_install,
  .open_settings = accounts_open_settings,
};
