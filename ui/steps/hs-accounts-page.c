/* hs-accounts-page.c — step 4's page: the accounts Windows knows, a choice
 * of the one Teams uses (the others are marked to sign out), and Email &
 * accounts in Settings, checked again when the person comes back. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-a11y.h"
#include "hs-accounts-page.h"
#include "hs-codes.h"
#include "hs-messages.h"
#include "hs-ui.h"

struct _HsAccountsPage
{
  HsStepPage  parent_instance;

  GPtrArray  *account_rows;    /* (element-type AdwActionRow) data "hs-email", "hs-subtitle", … */
  char       *work_account;    /* (owned) (nullable) the account picked for Teams */
  gboolean    account_recheck; /* the engine has not seen the chosen account yet */
};

G_DEFINE_FINAL_TYPE (HsAccountsPage, hs_accounts_page, HS_TYPE_STEP_PAGE)

static const HsStepAdvice advice[] = {
  { HS_CODE_ACCOUNTS_UNVERIFIED,
    N_("Press “Check again”. If this keeps happening, follow the steps by hand below."), FALSE },
  { NULL }
};

static void update_account_marks (HsAccountsPage *self);

/* Where Windows keeps an account, in words Windows users know: "tbacct"
 * becomes "Windows sign-in broker". Unknown ids come back unchanged. */
static const char *
account_source_label (const char *id)
{
  static const struct { const char *id; const char *label; } map[] = {
    /* TRANSLATORS: where Windows keeps an account: the computer itself is
     * joined to the user's organisation (Microsoft Entra / Azure AD join). */
    { "aad_join",       N_("joined to your organisation") },
    /* TRANSLATORS: Settings > Accounts > Access work or school (use the
     * wording of the Windows Settings page in your language). */
    { "workplace_join", N_("added under Access work or school") },
    /* TRANSLATORS: the Windows component that hands out sign-ins to apps. */
    { "tbacct",         N_("Windows sign-in broker") },
    /* TRANSLATORS: a personal Microsoft account used to sign in to Windows. */
    { "identitycrl",    N_("Microsoft account on Windows") },
    /* TRANSLATORS: Microsoft Office (product name). */
    { "office",         N_("Office") },
    { "office_msa",     N_("Office") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (id, map[i].id) == 0)
      return _(map[i].label);
  return id;
}

/* A comma-separated list of source ids as a translated list. */
static char *
account_sources_text (const char *sources)
{
  g_auto(GStrv) ids = g_strsplit (sources ? sources : "", ",", -1);
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  for (char **id = ids; *id != NULL; id++)
    {
      const char *label;

      g_strstrip (*id);
      if (**id == '\0')
        continue;
      label = account_source_label (*id);
      /* office and office_msa read the same: say it once. */
      if (g_ptr_array_find_with_equal_func (seen, label, g_str_equal, NULL))
        continue;
      g_ptr_array_add (seen, (gpointer) label);
      if (out->len > 0)
        /* TRANSLATORS: between the items of a list, e.g. "Office, Windows sign-in broker". */
        g_string_append (out, C_("list separator", ", "));
      g_string_append (out, label);
    }
  return g_string_free (out, FALSE);
}

/* The engine marks the accounts (teams_account, remove_suggested) only for
 * the account it was told about: tell it, and check again so the result,
 * the report and the CLI agree with what the page shows. */
static void
send_work_account (HsAccountsPage *self)
{
  HsEngine *engine = hs_step_page_get_engine (HS_STEP_PAGE (self));
  HsStepState state;

  hs_engine_set_work_account (engine, self->work_account);
  state = hs_engine_get_state (engine, HS_STEP_ACCOUNTS);
  if (state == HS_STEP_STATE_DONE || state == HS_STEP_STATE_IDLE)
    hs_step_page_check_again (HS_STEP_PAGE (self));
  else
    /* Checked again when the running operation comes back. */
    self->account_recheck = TRUE;
}

static void
on_account_toggled (GtkCheckButton *check, HsAccountsPage *self)
{
  if (!gtk_check_button_get_active (check))
    return;
  g_free (self->work_account);
  self->work_account = g_strdup (g_object_get_data (G_OBJECT (check), "hs-email"));
  update_account_marks (self);
  send_work_account (self);
}

static void
update_account_marks (HsAccountsPage *self)
{
  for (guint i = 0; i < self->account_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->account_rows, i);
      const char *base = g_object_get_data (G_OBJECT (row), "hs-subtitle");
      const char *email = g_object_get_data (G_OBJECT (row), "hs-email");
      gboolean duplicate = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "hs-duplicate"));
      gboolean remove_suggested = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "hs-remove"));
      const char *mark = NULL;
      g_autofree char *subtitle = NULL;

      if (email == NULL)
        continue;
      if (self->work_account != NULL && g_ascii_strcasecmp (email, self->work_account) == 0)
        mark = duplicate ? _("Your Teams account. It is listed twice: keep one, sign the other out.")
                         : _("Your Teams account. Keep it.");
      else if (self->work_account != NULL || remove_suggested)
        mark = _("Sign this one out if you do not need it.");
      else if (duplicate)
        mark = _("Signed in more than once.");
      /* A second line under the account's description; both are whole sentences. */
      subtitle = mark ? g_strconcat (base, "\n", mark, NULL) : g_strdup (base);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
}

static void
accounts_page_build_rows (HsStepPage *page, HsResult *r)
{
  HsAccountsPage *self = HS_ACCOUNTS_PAGE (page);
  HsEngine *engine = hs_step_page_get_engine (page);
  GPtrArray *items = hs_result_get_items (r);
  GtkCheckButton *group = NULL;
  GtkWidget *only_work_radio = NULL;
  const char *only_work = NULL;
  const char *engine_choice = NULL;
  guint n = 0, n_work = 0;
  g_autofree char *keep = g_strdup (self->work_account ? self->work_account
                                                        : hs_engine_get_work_account (engine));

  g_clear_pointer (&self->work_account, g_free);
  g_ptr_array_set_size (self->account_rows, 0);
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const HsItem *item = g_ptr_array_index (items, i);
      const char *email = hs_item_get_string (item, "email");
      const char *kind = hs_item_get_string (item, "kind");
      const char *sources = hs_item_get_string (item, "sources");
      g_autofree char *where = NULL;
      g_autofree char *found = NULL;
      g_autofree char *sub = NULL;
      const char *kind_text;
      GtkWidget *row, *radio;

      if (g_strcmp0 (item->kind, "account") != 0 || email == NULL)
        continue;
      if (g_strcmp0 (kind, "work") == 0)
        kind_text = _("Work or school account");
      else if (g_strcmp0 (kind, "personal") == 0)
        kind_text = _("Personal Microsoft account");
      else
        kind_text = _("Account of unknown kind");
      where = account_sources_text (sources);
      if (hs_item_get_bool (item, "join_record_only", FALSE))
        /* The record of who joined the device: often IT's, nothing to sign out. */
        found = g_strdup (_("Only the record of who joined this computer to your organisation (often your IT "
                            "department’s account). It is not counted as signed in."));
      else if (*where != '\0')
        /* TRANSLATORS: %s is a list of places in Windows where the account
         * was found, e.g. "Office, Windows sign-in broker". */
        found = g_strdup_printf (_("Found in: %s"), where);
      /* Two whole sentences, each on its own line. */
      sub = found ? g_strconcat (kind_text, "\n", found, NULL) : g_strdup (kind_text);
      row = hs_step_page_row_new (email, sub);
      if (hs_item_get_bool (item, "join_record_only", FALSE))
        {
          /* Nothing to choose or sign out: listed, so that it is explained. */
          hs_step_page_add_item (page, row);
          n++;
          continue;
        }
      radio = gtk_check_button_new ();
      gtk_widget_set_valign (radio, GTK_ALIGN_CENTER);
      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (radio), group);
      else
        group = GTK_CHECK_BUTTON (radio);
      g_object_set_data_full (G_OBJECT (radio), "hs-email", g_strdup (email), g_free);
      /* TRANSLATORS: accessible name of a choice; %s is an e-mail address. */
      {
        g_autofree char *a11y = g_strdup_printf (_("Use %s for Teams"), email);
        hs_a11y_set_label (radio, a11y);
      }
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), radio);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), radio);

      g_object_set_data_full (G_OBJECT (row), "hs-subtitle", g_strdup (sub), g_free);
      g_object_set_data_full (G_OBJECT (row), "hs-email", g_strdup (email), g_free);
      g_object_set_data (G_OBJECT (row), "hs-duplicate",
                         GINT_TO_POINTER (hs_item_get_bool (item, "duplicate", FALSE)));
      g_object_set_data (G_OBJECT (row), "hs-remove",
                         GINT_TO_POINTER (hs_item_get_bool (item, "remove_suggested", FALSE)));
      hs_step_page_add_item (page, row);
      g_ptr_array_add (self->account_rows, row);

      if (hs_item_get_bool (item, "teams_account", FALSE))
        engine_choice = email;
      if (g_strcmp0 (kind, "work") == 0)
        {
          n_work++;
          only_work = email;
          only_work_radio = radio;
        }
      /* The same address can be listed twice in different case (work and
       * personal): the first one wins, unless a later one matches exactly. */
      if (((keep != NULL && g_ascii_strcasecmp (keep, email) == 0) ||
           (keep == NULL && hs_item_get_bool (item, "teams_account", FALSE))) &&
          (self->work_account == NULL ||
           (keep != NULL && g_strcmp0 (keep, email) == 0 && g_strcmp0 (keep, self->work_account) != 0)))
        {
          gtk_check_button_set_active (GTK_CHECK_BUTTON (radio), TRUE);
          g_free (self->work_account);
          self->work_account = g_strdup (email);
        }
      g_signal_connect (radio, "toggled", G_CALLBACK (on_account_toggled), self);
      n++;
    }
  /* One work account: that is the one Teams uses. */
  if (self->work_account == NULL && n_work == 1)
    {
      g_signal_handlers_block_by_func (only_work_radio, on_account_toggled, self);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (only_work_radio), TRUE);
      g_signal_handlers_unblock_by_func (only_work_radio, on_account_toggled, self);
      self->work_account = g_strdup (only_work);
    }
  if (self->work_account != NULL &&
      (engine_choice == NULL || g_ascii_strcasecmp (engine_choice, self->work_account) != 0))
    {
      hs_engine_set_work_account (engine, self->work_account);
      self->account_recheck = TRUE;
    }
  hs_step_page_set_items_text (page, n > 0 ? _("Accounts signed in to Windows") : "",
                               n > 1 ? _("Pick the account you use for Teams. The others are the ones to sign out in Settings.") : NULL);
  update_account_marks (self);
}

static void
accounts_page_describe_fix (HsStepPage *self, HsResult *r, HsStepPageFix *fix)
{
  const char *page = r ? hs_result_get_string (r, "settings_page") : NULL;

  if (r == NULL || hs_ui_status_is_done (hs_result_get_status (r)))
    return;
  /* The page that lists the accounts to sign out: work or school ones are
   * under Access work or school, personal ones under Email & accounts. */
  if (g_strcmp0 (page, "ms-settings:workplace") == 0 &&
      g_str_equal (hs_result_get_code (r), HS_CODE_ACCOUNTS_NO_WORK))
    {
      fix->settings_label = _("_Open Access work or school");
      fix->settings_uri = "ms-settings:workplace";
      fix->note = _("Connect the work or school account you use for Teams there. When you come back here, "
                    "this step is checked again.");
    }
  else if (g_strcmp0 (page, "ms-settings:workplace") == 0)
    {
      fix->settings_label = _("_Open Access work or school");
      fix->settings_uri = "ms-settings:workplace";
      fix->note = _("Disconnect the extra work or school accounts there. When you come back here, "
                    "this step is checked again.");
    }
  else
    {
      fix->settings_label = _("_Open Email & accounts");
      fix->settings_uri = "ms-settings:emailandaccounts";
      fix->note = _("Sign out the extra accounts there. When you come back here, this step is checked again.");
    }
}

static void
accounts_page_refreshed (HsStepPage *page, HsResult *r, gboolean busy)
{
  HsAccountsPage *self = HS_ACCOUNTS_PAGE (page);

  if (!busy && self->account_recheck)
    {
      self->account_recheck = FALSE;
      hs_step_page_check_again (page);
    }
}

static void
hs_accounts_page_finalize (GObject *object)
{
  HsAccountsPage *self = HS_ACCOUNTS_PAGE (object);

  g_ptr_array_unref (self->account_rows);
  g_free (self->work_account);
  G_OBJECT_CLASS (hs_accounts_page_parent_class)->finalize (object);
}

static void
hs_accounts_page_class_init (HsAccountsPageClass *klass)
{
  HsStepPageClass *page_class = HS_STEP_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = hs_accounts_page_finalize;
  page_class->step = HS_STEP_ACCOUNTS;
  /* TRANSLATORS: short name of step 4: accounts signed in to Windows. */
  page_class->short_name = N_("Accounts");
  page_class->advice = advice;
  page_class->build_rows = accounts_page_build_rows;
  page_class->describe_fix = accounts_page_describe_fix;
  page_class->refreshed = accounts_page_refreshed;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               HS_UI_RESOURCE_PATH "hs-accounts-page.ui");
}

static void
hs_accounts_page_init (HsAccountsPage *self)
{
  self->account_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
hs_step_page_get_work_account (HsStepPage *page)
{
  return HS_IS_ACCOUNTS_PAGE (page) ? HS_ACCOUNTS_PAGE (page)->work_account : NULL;
}
