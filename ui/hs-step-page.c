#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-a11y.h"
#include "hs-codes.h"
#include "hs-confirm-dialog.h"
#include "hs-messages.h"
#include "hs-step-page.h"
#include "hs-ui.h"

struct _HsStepPage
{
  AdwBin        parent_instance;

  HsEngine     *engine;          /* (owned) */
  HsStep        step;
  GCancellable *cancellable;     /* (owned) (nullable) */
  GPtrArray    *finding_rows;    /* (element-type GtkWidget) rows in findings_group */
  GPtrArray    *item_rows;       /* (element-type GtkWidget) rows in items_group */
  GPtrArray    *cred_checks;     /* (element-type GtkCheckButton) data "hs-ref" */
  GHashTable   *cred_choice;     /* ref → GINT(checked): kept across refreshes */
  char         *work_account;    /* (owned) (nullable) */
  const char   *settings_uri;
  gboolean      awaiting_settings;
  gboolean      busy_local;      /* an operation this page started is running */
  gboolean      account_recheck; /* step 4: the engine has not seen the chosen account yet */
  char         *failure_text;
  GStrv         pending_refs;    /* (owned) (nullable) kept while a removal runs */

  GtkWidget    *title_label;
  GtkWidget    *intro_label;
  GtkWidget    *verdict_box;
  GtkWidget    *verdict_indicator;
  GtkWidget    *verdict_spinner;
  GtkWidget    *verdict_icon;
  GtkWidget    *status_label;
  GtkWidget    *verdict_label;
  GtkWidget    *failure_revealer;
  GtkWidget    *failure_label;
  GtkWidget    *action_box;
  GtkWidget    *fix_button;
  GtkWidget    *fix_shield;
  GtkWidget    *fix_label;
  GtkWidget    *settings_button;
  GtkWidget    *fix_all_button;
  GtkWidget    *fix_note;
  GtkWidget    *items_group;
  GtkWidget    *findings_group;
  GtkWidget    *manual_expander;
  GtkWidget    *manual_label;
  GtkWidget    *check_again_button;
  GtkWidget    *code_label;
};

G_DEFINE_FINAL_TYPE (HsStepPage, hs_step_page, ADW_TYPE_BIN)

enum { PROP_0, PROP_ENGINE, PROP_STEP, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { SIGNAL_FIX_ALL, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- small helpers ---------------------------------------------------- */

static void
toast (HsStepPage *self, AdwToast *t)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    {
      /* Kept so tests can dismiss it before a screenshot. */
      g_object_set_data_full (G_OBJECT (overlay), "hs-last-toast", g_object_ref (t), g_object_unref);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), t);
    }
  else
    g_object_unref (g_object_ref_sink (t));
}

static void
toast_text (HsStepPage *self, const char *text)
{
  toast (self, adw_toast_new (text));
}

static void
report_error (HsStepPage *self, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, HS_ENGINE_ERROR, HS_ENGINE_ERROR_BUSY))
    toast_text (self, _("This step is still busy. Please wait a moment."));
  else
    {
      g_autofree char *text = NULL;
      g_warning ("Step %d: %s", self->step, error->message);
      /* TRANSLATORS: %s is a technical error message, usually in English. */
      text = g_strdup_printf (_("That did not work: %s"), error->message);
      toast_text (self, text);
    }
}

static void
set_style (GtkWidget *widget, const char *style)
{
  static const char *all[] = { "success", "warning", "error", "accent", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    gtk_widget_remove_css_class (widget, all[i]);
  if (style != NULL)
    gtk_widget_add_css_class (widget, style);
}

static GtkWidget *
row_new (const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

static void
row_add_suffix_text (GtkWidget *row, const char *text, const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  /* Short words; a wrapping label here gets squeezed to one word a line. */
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
}

/* libadwaita 1.2 ellipsizes a long group title ("Gespeicherte Anmeldungen
 * für Teams und Office" at 360 px) and has no property to change that:
 * its header labels wrap instead. */
static void
wrap_header_labels (GtkWidget *w, GtkWidget *group)
{
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      /* Only the group's own header, not the rows it holds. */
      if (GTK_IS_LIST_BOX (c))
        continue;
      if (GTK_IS_LABEL (c))
        {
          gtk_label_set_ellipsize (GTK_LABEL (c), PANGO_ELLIPSIZE_NONE);
          gtk_label_set_wrap (GTK_LABEL (c), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (c), PANGO_WRAP_WORD_CHAR);
        }
      else
        wrap_header_labels (c, group);
    }
}

/* Group titles and descriptions are markup in libadwaita 1.2. */
static void
set_group_text (GtkWidget *group, const char *title, const char *description)
{
  g_autofree char *t = g_markup_escape_text (title ? title : "", -1);
  g_autofree char *d = description ? g_markup_escape_text (description, -1) : NULL;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), t);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), d);
  wrap_header_labels (group, group);
}

static void
add_finding_row (HsStepPage *self, GtkWidget *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->findings_group), row);
  g_ptr_array_add (self->finding_rows, row);
}

static void
add_item_row (HsStepPage *self, GtkWidget *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->items_group), row);
  g_ptr_array_add (self->item_rows, row);
}

static void
clear_rows (HsStepPage *self)
{
  for (guint i = 0; i < self->finding_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->findings_group),
                                  g_ptr_array_index (self->finding_rows, i));
  g_ptr_array_set_size (self->finding_rows, 0);
  for (guint i = 0; i < self->item_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->items_group),
                                  g_ptr_array_index (self->item_rows, i));
  g_ptr_array_set_size (self->item_rows, 0);
  g_ptr_array_set_size (self->cred_checks, 0);
}

/* ---- findings per step ------------------------------------------------ */

static const char *
service_state_text (const char *state)
{
  if (g_strcmp0 (state, "running") == 0)
    return _("Running");
  if (g_strcmp0 (state, "stopped") == 0)
    return _("Stopped");
  if (g_strcmp0 (state, "missing") == 0)
    return _("Missing");
  return _("Unknown");
}

static void
build_clock_findings (HsStepPage *self, HsResult *r)
{
  double offset;
  gboolean auto_time;
  gint64 zone;
  const char *service = hs_result_get_string (r, "service");

  if (hs_result_get_double (r, "offset_seconds", &offset))
    {
      g_autofree char *text = hs_ui_format_offset (offset);
      const char *source = hs_result_get_string (r, "source");
      g_autofree char *sub = NULL;
      GtkWidget *row;

      if (source != NULL && *source != '\0')
        /* TRANSLATORS: %s is a time server name such as time.windows.com. */
        sub = g_strdup_printf (_("Compared with %s"), source);
      row = row_new (text, sub);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("preferences-system-time-symbolic"));
      add_finding_row (self, row);
    }
  if (hs_result_get_int (r, "zone_error_minutes", &zone) && zone != 0)
    add_finding_row (self, row_new (_("The difference is a whole number of hours, which usually means the time zone is wrong."), NULL));
  if (hs_result_get_bool (r, "auto_time", &auto_time))
    {
      GtkWidget *row = row_new (_("Set time automatically"), NULL);
      row_add_suffix_text (row, auto_time ? _("On") : _("Off"), auto_time ? NULL : "warning");
      add_finding_row (self, row);
    }
  if (service != NULL)
    {
      /* TRANSLATORS: the Windows service that keeps the clock right. */
      GtkWidget *row = row_new (_("Windows Time service"), NULL);
      row_add_suffix_text (row, service_state_text (service),
                           g_strcmp0 (service, "running") == 0 ? NULL : "warning");
      add_finding_row (self, row);
    }
}

static void
on_cred_toggled (GtkCheckButton *check, HsStepPage *self)
{
  const char *ref = g_object_get_data (G_OBJECT (check), "hs-ref");

  g_hash_table_insert (self->cred_choice, g_strdup (ref),
                       GINT_TO_POINTER (gtk_check_button_get_active (check) ? 2 : 1));
}

static void
build_credential_items (HsStepPage *self, HsResult *r)
{
  GPtrArray *items = hs_result_get_items (r);
  /* Tick boxes only while there is something to remove; afterwards the
   * list just shows what is left. */
  gboolean choose = !hs_ui_status_is_done (hs_result_get_status (r));
  guint n = 0;

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const HsItem *item = g_ptr_array_index (items, i);
      const char *ref = hs_item_get_string (item, "ref");
      const char *target = hs_item_get_string (item, "target");
      const char *category = hs_item_get_string (item, "category");
      const char *user = hs_item_get_string (item, "user");
      gboolean required = g_strcmp0 (category, "required") == 0;
      gpointer choice;
      GtkWidget *row, *check;

      if (g_strcmp0 (item->kind, "credential") != 0 || ref == NULL)
        continue;
      {
        const char *what = !choose ? (required ? _("Teams sign-in.") : _("Office sign-in. It can stay."))
                           : required ? _("Teams sign-in. Removing it makes Teams ask you to sign in again.")
                           : _("Office sign-in. Removing it also signs Office apps out, so it is not selected.");
        g_autofree char *saved_for = NULL;
        g_autofree char *sub = NULL;

        if (user != NULL)
          /* TRANSLATORS: %s is the user name or e-mail address saved with the sign-in. */
          saved_for = g_strdup_printf (_("Saved for %s"), user);
        /* Two whole sentences on two lines. */
        sub = saved_for ? g_strconcat (what, "\n", saved_for, NULL) : g_strdup (what);
        row = row_new (target ? target : ref, sub);
      }
      if (!choose)
        {
          add_item_row (self, row);
          n++;
          continue;
        }
      check = gtk_check_button_new ();
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      choice = g_hash_table_lookup (self->cred_choice, ref);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   choice != NULL ? GPOINTER_TO_INT (choice) == 2 : required);
      g_object_set_data_full (G_OBJECT (check), "hs-ref", g_strdup (ref), g_free);
      hs_a11y_set_label (check, target ? target : ref);
      hs_a11y_set_description (check, required ? _("Teams sign-in") : _("Office sign-in"));
      g_signal_connect (check, "toggled", G_CALLBACK (on_cred_toggled), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_ptr_array_add (self->cred_checks, check);
      add_item_row (self, row);
      n++;
    }
  set_group_text (self->items_group, n > 0 ? _("Saved sign-ins for Teams and Office") : "",
                  n > 0 && choose ? _("Ticked entries are removed when you press “Remove selected”.") : NULL);
}

static void
build_broker_items (HsStepPage *self, HsResult *r)
{
  GPtrArray *items = hs_result_get_items (r);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const HsItem *item = g_ptr_array_index (items, i);
      const char *family = hs_item_get_string (item, "family");
      const char *registered = hs_item_get_string (item, "registered");
      const char *title;
      GtkWidget *row;

      if (g_strcmp0 (item->kind, "package") != 0 || family == NULL)
        continue;
      if (g_str_has_prefix (family, "Microsoft.AAD.BrokerPlugin"))
        title = _("Work or school sign-in helper");
      else if (g_str_has_prefix (family, "Microsoft.Windows.CloudExperienceHost"))
        title = _("Microsoft account sign-in helper");
      else
        title = family;
      row = row_new (title, family);
      if (g_strcmp0 (registered, "yes") == 0)
        row_add_suffix_text (row, _("Set up"), NULL);
      else if (g_strcmp0 (registered, "no") == 0)
        row_add_suffix_text (row, _("Not set up for you"), "error");
      else
        row_add_suffix_text (row, _("Unknown"), "dim-label");
      add_finding_row (self, row);
    }
}

static void update_account_marks (HsStepPage *self);
static void check_again (HsStepPage *self);

/* The engine marks the accounts (teams_account, remove_suggested) only for
 * the account it was told about: tell it, and check again so the result,
 * the report and the CLI agree with what the page shows. */
static void
send_work_account (HsStepPage *self)
{
  HsStepState state;

  hs_engine_set_work_account (self->engine, self->work_account);
  state = hs_engine_get_state (self->engine, self->step);
  if (state == HS_STEP_STATE_DONE || state == HS_STEP_STATE_IDLE)
    check_again (self);
  else
    /* Checked again when the running operation comes back. */
    self->account_recheck = TRUE;
}

static void
on_account_toggled (GtkCheckButton *check, HsStepPage *self)
{
  if (!gtk_check_button_get_active (check))
    return;
  g_free (self->work_account);
  self->work_account = g_strdup (g_object_get_data (G_OBJECT (check), "hs-email"));
  update_account_marks (self);
  send_work_account (self);
}

static void
update_account_marks (HsStepPage *self)
{
  for (guint i = 0; i < self->item_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->item_rows, i);
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
build_account_items (HsStepPage *self, HsResult *r)
{
  GPtrArray *items = hs_result_get_items (r);
  GtkCheckButton *group = NULL;
  GtkWidget *only_work_radio = NULL;
  const char *only_work = NULL;
  const char *engine_choice = NULL;
  guint n = 0, n_work = 0;
  g_autofree char *keep = g_strdup (self->work_account ? self->work_account
                                                        : hs_engine_get_work_account (self->engine));

  g_clear_pointer (&self->work_account, g_free);
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
      where = hs_ui_account_sources_text (sources);
      if (*where != '\0')
        /* TRANSLATORS: %s is a list of places in Windows where the account
         * was found, e.g. "Office, Windows sign-in broker". */
        found = g_strdup_printf (_("Found in: %s"), where);
      /* Two whole sentences, each on its own line. */
      sub = found ? g_strconcat (kind_text, "\n", found, NULL) : g_strdup (kind_text);
      row = row_new (email, sub);
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
      add_item_row (self, row);

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
      hs_engine_set_work_account (self->engine, self->work_account);
      self->account_recheck = TRUE;
    }
  set_group_text (self->items_group, n > 0 ? _("Accounts signed in to Windows") : "",
                  n > 1 ? _("Pick the account you use for Teams. The others are the ones to sign out in Email & accounts.") : NULL);
  update_account_marks (self);
}

static void
build_common_findings (HsStepPage *self, HsResult *r)
{
  const char *reason = hs_result_get_string (r, "reason");
  const char *error = hs_result_get_string (r, "error");

  if (reason != NULL && *reason != '\0')
    /* TRANSLATORS: title of a row with a technical explanation, usually in English. */
    add_finding_row (self, row_new (_("Details"), reason));
  else if (error != NULL && *error != '\0' && g_strcmp0 (error, "ok") != 0)
    add_finding_row (self, row_new (_("Details"), error));
}

static void
build_rows (HsStepPage *self, HsResult *r)
{
  clear_rows (self);
  set_group_text (self->items_group, NULL, NULL);
  if (r != NULL)
    {
      switch (self->step)
        {
        case HS_STEP_CLOCK: build_clock_findings (self, r); break;
        case HS_STEP_CREDENTIALS: build_credential_items (self, r); break;
        case HS_STEP_BROKER: build_broker_items (self, r); break;
        case HS_STEP_ACCOUNTS: build_account_items (self, r); break;
        default: break;
        }
      build_common_findings (self, r);
    }
  gtk_widget_set_visible (self->findings_group, self->finding_rows->len > 0);
  gtk_widget_set_visible (self->items_group, self->item_rows->len > 0);
}

/* ---- state → widgets -------------------------------------------------- */

static void
update_fix_widgets (HsStepPage *self, HsResult *r, gboolean busy)
{
  HsFixKind fix = r ? hs_result_get_fix (r) : HS_FIX_NONE;
  HsStatus status = r ? hs_result_get_status (r) : HS_STATUS_OK;
  const char *code = r ? hs_result_get_code (r) : NULL;
  gboolean automatic = (fix == HS_FIX_AUTOMATIC || fix == HS_FIX_AUTOMATIC_ADMIN) &&
                       !hs_ui_status_is_done (status);
  const char *fix_text = NULL, *note = NULL, *settings_text = NULL;

  self->settings_uri = NULL;
  switch (self->step)
    {
    case HS_STEP_CLOCK:
      fix_text = _("_Fix the clock");
      if (g_strcmp0 (code, HS_CODE_CLOCK_TIMEZONE) == 0)
        {
          settings_text = _("Open Date & _time settings");
          self->settings_uri = "ms-settings:dateandtime";
          note = _("Choose your time zone there, then come back: Handshake checks again.");
        }
      break;
    case HS_STEP_CREDENTIALS:
      fix_text = _("_Remove selected");
      note = _("A backup is made first, so removed sign-ins can be put back.");
      break;
    case HS_STEP_BROKER:
      fix_text = _("_Set it up again");
      note = _("This runs as you, without administrator rights. Restart the computer afterwards.");
      break;
    case HS_STEP_ACCOUNTS:
      if (r != NULL && !hs_ui_status_is_done (status))
        {
          settings_text = _("_Open Email & accounts");
          self->settings_uri = "ms-settings:emailandaccounts";
          note = _("Sign out the extra accounts there. When you come back here, this step is checked again.");
        }
      break;
    default:
      break;
    }

  if (automatic && fix == HS_FIX_AUTOMATIC_ADMIN)
    note = _("Windows will ask for permission to change this. Choose “Yes”.");
  else if (!automatic && self->settings_uri == NULL)
    note = NULL;

  gtk_label_set_text_with_mnemonic (GTK_LABEL (self->fix_label), fix_text ? fix_text : "");
  gtk_widget_set_visible (self->fix_button, automatic && fix_text != NULL);
  gtk_widget_set_visible (self->fix_shield, fix == HS_FIX_AUTOMATIC_ADMIN);
  if (fix_text != NULL)
    {
      g_autofree char *plain = NULL;
      gunichar accel = 0;
      pango_parse_markup (fix_text, -1, '_', NULL, &plain, &accel, NULL);
      hs_a11y_set_label (self->fix_button, plain ? plain : fix_text);
      hs_a11y_set_description (self->fix_button, fix == HS_FIX_AUTOMATIC_ADMIN
                               ? _("Needs administrator permission") : note);
    }
  gtk_widget_set_visible (self->settings_button, self->settings_uri != NULL);
  if (settings_text != NULL)
    gtk_button_set_label (GTK_BUTTON (self->settings_button), settings_text);
  gtk_label_set_text (GTK_LABEL (self->fix_note), note ? note : "");
  gtk_widget_set_visible (self->fix_note, note != NULL);
  gtk_widget_set_visible (self->action_box,
                          gtk_widget_get_visible (self->fix_button) ||
                          gtk_widget_get_visible (self->settings_button) ||
                          gtk_widget_get_visible (self->fix_all_button));

  gtk_widget_set_sensitive (self->fix_button, !busy);
  gtk_widget_set_sensitive (self->settings_button, !busy);
  gtk_widget_set_sensitive (self->fix_all_button, !busy);
  gtk_widget_set_sensitive (self->check_again_button, !busy);
}

void
hs_step_page_refresh (HsStepPage *self)
{
  HsStepState state;
  HsResult *r;
  gboolean busy;
  const char *status_text, *verdict;
  g_autofree char *a11y = NULL;

  g_return_if_fail (HS_IS_STEP_PAGE (self));
  /* An operation may finish after the window closed. */
  if (self->engine == NULL)
    return;

  state = hs_engine_get_state (self->engine, self->step);
  r = hs_engine_get_result (self->engine, self->step);
  busy = state == HS_STEP_STATE_CHECKING || state == HS_STEP_STATE_FIXING;

  if (busy)
    {
      status_text = state == HS_STEP_STATE_CHECKING ? _("Checking…") : _("Fixing…");
      verdict = r ? hs_result_get_summary (r) : _("One moment, please.");
      gtk_spinner_start (GTK_SPINNER (self->verdict_spinner));
      gtk_stack_set_visible_child_name (GTK_STACK (self->verdict_indicator), "spinner");
      set_style (self->status_label, NULL);
    }
  else if (r != NULL)
    {
      HsStatus status = hs_result_get_status (r);

      status_text = hs_ui_status_label (status);
      verdict = hs_result_get_summary (r);
      gtk_spinner_stop (GTK_SPINNER (self->verdict_spinner));
      gtk_image_set_from_icon_name (GTK_IMAGE (self->verdict_icon), hs_ui_status_icon (status));
      set_style (self->verdict_icon, hs_ui_status_style (status));
      set_style (self->status_label, hs_ui_status_style (status));
      gtk_stack_set_visible_child_name (GTK_STACK (self->verdict_indicator), "icon");
      hs_a11y_set_label (self->verdict_icon, status_text);
    }
  else
    {
      status_text = _("Not checked yet");
      verdict = _("Press “Check again” to check this step.");
      gtk_spinner_stop (GTK_SPINNER (self->verdict_spinner));
      gtk_image_set_from_icon_name (GTK_IMAGE (self->verdict_icon), "content-loading-symbolic");
      set_style (self->verdict_icon, "dim-label");
      set_style (self->status_label, NULL);
      gtk_stack_set_visible_child_name (GTK_STACK (self->verdict_indicator), "icon");
      hs_a11y_set_label (self->verdict_icon, status_text);
    }

  gtk_label_set_text (GTK_LABEL (self->status_label), status_text);
  gtk_label_set_text (GTK_LABEL (self->verdict_label), verdict);
  /* GTK 4.8 cannot announce; a changed description on the verdict is what
   * screen readers pick up. */
  /* TRANSLATORS: accessible text of the verdict: status word, then the sentence. */
  a11y = g_strdup_printf (_("%s: %s"), status_text, verdict);
  hs_a11y_set_label (self->verdict_box, a11y);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdict_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, a11y, -1);

  if (r != NULL)
    {
      const char *code = hs_result_get_code (r);
      const char *advice = hs_ui_failure_advice (code);
      g_autofree char *code_text = NULL;

      /* TRANSLATORS: %s is a stable code for support staff, e.g. "clock.skew"; do not translate it. */
      code_text = g_strdup_printf (_("Code: %s"), code);
      gtk_label_set_text (GTK_LABEL (self->code_label), code_text);
      g_free (self->failure_text);
      self->failure_text = g_strdup (advice ? advice : "");
      gtk_label_set_text (GTK_LABEL (self->failure_label), self->failure_text);
      gtk_revealer_set_reveal_child (GTK_REVEALER (self->failure_revealer), advice != NULL);
      gtk_widget_set_visible (self->failure_revealer, advice != NULL);
      if (advice != NULL)
        hs_a11y_set_description (self->failure_label, advice);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->code_label), "");
      gtk_revealer_set_reveal_child (GTK_REVEALER (self->failure_revealer), FALSE);
      gtk_widget_set_visible (self->failure_revealer, FALSE);
    }

  if (!busy)
    build_rows (self, r);
  for (guint i = 0; i < self->cred_checks->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->cred_checks, i), !busy);
  update_fix_widgets (self, r, busy);
  if (!busy && self->account_recheck)
    {
      self->account_recheck = FALSE;
      check_again (self);
    }
}

static void
on_step_changed (HsEngine *engine, HsStep step, HsStepState state, HsStepPage *self)
{
  if (step == self->step)
    hs_step_page_refresh (self);
}

/* ---- actions ---------------------------------------------------------- */

static void
on_check_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsStepPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsResult) r = hs_engine_check_step_finish (HS_ENGINE (source), res, &error);

  self->busy_local = FALSE;
  if (r == NULL)
    report_error (self, error);
  hs_step_page_refresh (self);
}

static void
check_again (HsStepPage *self)
{
  self->busy_local = TRUE;
  hs_engine_check_step_async (self->engine, self->step, self->cancellable,
                              on_check_done, g_object_ref (self));
}

static void
on_check_again_clicked (HsStepPage *self)
{
  check_again (self);
}

static void
on_restore_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsStepPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsResult) r = hs_engine_restore_finish (HS_ENGINE (source), res, &error);

  if (r == NULL)
    report_error (self, error);
  else
    toast_text (self, _("The saved sign-ins were put back."));
  hs_step_page_refresh (self);
}

static void
on_undo_clicked (AdwToast *t, HsStepPage *self)
{
  if (self->engine == NULL)
    return;
  hs_engine_restore_async (self->engine, NULL, self->cancellable, on_restore_done, g_object_ref (self));
}

static void
on_fix_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsStepPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsResult) r = hs_engine_fix_step_finish (HS_ENGINE (source), res, &error);

  self->busy_local = FALSE;
  g_clear_pointer (&self->pending_refs, g_strfreev);
  if (r == NULL)
    report_error (self, error);
  else if (self->engine == NULL)
    return;
  else if (self->step == HS_STEP_CREDENTIALS && hs_ui_status_is_done (hs_result_get_status (r)) &&
           hs_engine_get_last_backup (self->engine) != NULL)
    {
      AdwToast *t = adw_toast_new (_("Sign-ins removed. A backup was kept."));
      adw_toast_set_button_label (t, _("_Undo"));
      adw_toast_set_timeout (t, 10);
      g_signal_connect_object (t, "button-clicked", G_CALLBACK (on_undo_clicked), self, 0);
      toast (self, t);
    }
  hs_step_page_refresh (self);
}

static void
run_fix (HsStepPage *self, const HsFixOptions *options)
{
  self->busy_local = TRUE;
  hs_engine_fix_step_async (self->engine, self->step, options, self->cancellable,
                            on_fix_done, g_object_ref (self));
}

static GStrv
selected_refs (HsStepPage *self, gboolean *any_optional)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  HsResult *r = hs_engine_get_result (self->engine, self->step);

  *any_optional = FALSE;
  for (guint i = 0; i < self->cred_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->cred_checks, i);
      const char *ref = g_object_get_data (G_OBJECT (check), "hs-ref");

      if (!gtk_check_button_get_active (check))
        continue;
      g_strv_builder_add (b, ref);
      for (guint j = 0; r != NULL && j < hs_result_get_items (r)->len; j++)
        {
          const HsItem *item = g_ptr_array_index (hs_result_get_items (r), j);
          if (g_strcmp0 (hs_item_get_string (item, "ref"), ref) == 0 &&
              g_strcmp0 (hs_item_get_string (item, "category"), "required") != 0)
            *any_optional = TRUE;
        }
    }
  return g_strv_builder_end (b);
}

static void
on_remove_confirmed (HsConfirmDialog *dialog, gboolean confirmed, HsStepPage *self)
{
  gboolean any_optional;
  HsFixOptions options = { 0 };

  if (!confirmed)
    return;
  g_clear_pointer (&self->pending_refs, g_strfreev);
  self->pending_refs = selected_refs (self, &any_optional);
  options.credential_refs = (const char * const *) self->pending_refs;
  run_fix (self, &options);
}

static void
on_fix_clicked (HsStepPage *self)
{
  if (self->step == HS_STEP_CREDENTIALS)
    {
      gboolean any_optional;
      g_auto(GStrv) refs = selected_refs (self, &any_optional);
      guint n = g_strv_length (refs);
      g_autofree char *heading = NULL;
      HsConfirmDialog *dialog;

      if (n == 0)
        {
          toast_text (self, _("Tick at least one sign-in to remove."));
          return;
        }
      heading = g_strdup_printf (ngettext ("Remove %u saved sign-in?", "Remove %u saved sign-ins?", n), n);
      dialog = hs_confirm_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                      any_optional
                                      ? _("Handshake makes a backup first, so you can undo this. Teams and Office apps will ask you to sign in again.")
                                      : _("Handshake makes a backup first, so you can undo this. Teams will ask you to sign in again."),
                                      _("_Remove"), TRUE);
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_confirmed), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  else
    {
      HsFixOptions options = { 0 };
      options.work_account = self->work_account;
      run_fix (self, &options);
    }
}

static void
on_settings_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsStepPage) self = data;
  g_autoptr(GError) error = NULL;

  if (!hs_engine_open_settings_finish (HS_ENGINE (source), res, &error) || self->engine == NULL)
    {
      self->awaiting_settings = FALSE;
      report_error (self, error);
    }
  else if (hs_engine_is_practice (self->engine))
    {
      /* No Settings window opens, so focus never comes back: the simulated
       * person has already done it; check again now. */
      toast_text (self, _("Practice mode: Windows Settings would open now."));
      self->awaiting_settings = FALSE;
      check_again (self);
    }
}

static void
on_settings_clicked (HsStepPage *self)
{
  if (self->settings_uri == NULL)
    return;
  self->awaiting_settings = TRUE;
  hs_engine_open_settings_async (self->engine, self->settings_uri, self->cancellable,
                                 on_settings_done, g_object_ref (self));
}

static void
on_fix_all_clicked (HsStepPage *self)
{
  g_signal_emit (self, signals[SIGNAL_FIX_ALL], 0);
}

/* ---- GObject ---------------------------------------------------------- */

static void
hs_step_page_constructed (GObject *object)
{
  HsStepPage *self = HS_STEP_PAGE (object);

  G_OBJECT_CLASS (hs_step_page_parent_class)->constructed (object);
  g_assert (self->engine != NULL);

  gtk_label_set_text (GTK_LABEL (self->title_label), hs_ui_step_title (self->step));
  gtk_label_set_text (GTK_LABEL (self->intro_label), hs_ui_step_intro (self->step));
  gtk_label_set_text (GTK_LABEL (self->manual_label), hs_ui_step_manual (self->step));
  hs_a11y_set_label (self->manual_expander, _("Do it by hand"));
  hs_a11y_set_label (self->check_again_button, _("Check again"));
  hs_a11y_set_label (self->fix_all_button, _("Fix everything"));
  g_signal_connect_object (self->engine, "step-changed", G_CALLBACK (on_step_changed), self, 0);
  hs_step_page_refresh (self);
}

static void
hs_step_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  HsStepPage *self = HS_STEP_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    case PROP_STEP:
      self->step = (HsStep) g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_step_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HsStepPage *self = HS_STEP_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_STEP:
      g_value_set_int (value, self->step);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_step_page_dispose (GObject *object)
{
  HsStepPage *self = HS_STEP_PAGE (object);

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_STEP_PAGE);
  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (hs_step_page_parent_class)->dispose (object);
}

static void
hs_step_page_finalize (GObject *object)
{
  HsStepPage *self = HS_STEP_PAGE (object);

  g_ptr_array_unref (self->finding_rows);
  g_ptr_array_unref (self->item_rows);
  g_ptr_array_unref (self->cred_checks);
  g_hash_table_unref (self->cred_choice);
  g_free (self->work_account);
  g_free (self->failure_text);
  g_strfreev (self->pending_refs);
  G_OBJECT_CLASS (hs_step_page_parent_class)->finalize (object);
}

static void
hs_step_page_class_init (HsStepPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hs_step_page_constructed;
  object_class->set_property = hs_step_page_set_property;
  object_class->get_property = hs_step_page_get_property;
  object_class->dispose = hs_step_page_dispose;
  object_class->finalize = hs_step_page_finalize;

  props[PROP_ENGINE] = g_param_spec_object ("engine", NULL, NULL, HS_TYPE_ENGINE,
                                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_STEP] = g_param_spec_int ("step", NULL, NULL, HS_STEP_CLOCK, HS_STEP_ACCOUNTS, HS_STEP_CLOCK,
                                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_FIX_ALL] =
    g_signal_new ("fix-all", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, HS_UI_RESOURCE_PATH "hs-step-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, verdict_indicator);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, verdict_spinner);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, failure_revealer);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, failure_label);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, action_box);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, fix_button);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, fix_shield);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, fix_label);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, settings_button);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, fix_all_button);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, fix_note);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, items_group);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, findings_group);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, manual_expander);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, manual_label);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, check_again_button);
  gtk_widget_class_bind_template_child (widget_class, HsStepPage, code_label);
  gtk_widget_class_bind_template_callback (widget_class, on_fix_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_settings_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_fix_all_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_check_again_clicked);
}

static void
hs_step_page_init (HsStepPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->finding_rows = g_ptr_array_new ();
  self->item_rows = g_ptr_array_new ();
  self->cred_checks = g_ptr_array_new ();
  self->cred_choice = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_label_set_mnemonic_widget (GTK_LABEL (self->fix_label), self->fix_button);
}

GtkWidget *
hs_step_page_new (HsEngine *engine, HsStep step)
{
  return g_object_new (HS_TYPE_STEP_PAGE, "engine", engine, "step", (int) step, NULL);
}

HsStep
hs_step_page_get_step (HsStepPage *self)
{
  return self->step;
}

void
hs_step_page_set_cancellable (HsStepPage *self, GCancellable *cancellable)
{
  g_return_if_fail (HS_IS_STEP_PAGE (self));
  g_set_object (&self->cancellable, cancellable);
}

void
hs_step_page_set_show_fix_all (HsStepPage *self, gboolean show)
{
  g_return_if_fail (HS_IS_STEP_PAGE (self));
  gtk_widget_set_visible (self->fix_all_button, show);
  gtk_widget_set_visible (self->action_box,
                          gtk_widget_get_visible (self->fix_button) ||
                          gtk_widget_get_visible (self->settings_button) || show);
}

void
hs_step_page_window_activated (HsStepPage *self)
{
  g_return_if_fail (HS_IS_STEP_PAGE (self));
  if (!self->awaiting_settings)
    return;
  self->awaiting_settings = FALSE;
  if (hs_engine_get_state (self->engine, self->step) == HS_STEP_STATE_DONE ||
      hs_engine_get_state (self->engine, self->step) == HS_STEP_STATE_IDLE)
    check_again (self);
}

const char *
hs_step_page_get_work_account (HsStepPage *self)
{
  return self->work_account;
}

GtkWidget *hs_step_page_get_fix_button (HsStepPage *self) { return self->fix_button; }
GtkWidget *hs_step_page_get_settings_button (HsStepPage *self) { return self->settings_button; }
GtkWidget *hs_step_page_get_check_again_button (HsStepPage *self) { return self->check_again_button; }

const char *
hs_step_page_get_verdict_text (HsStepPage *self)
{
  return gtk_label_get_text (GTK_LABEL (self->verdict_label));
}

const char *
hs_step_page_get_status_text (HsStepPage *self)
{
  return gtk_label_get_text (GTK_LABEL (self->status_label));
}

const char *
hs_step_page_get_failure_text (HsStepPage *self)
{
  return self->failure_text ? self->failure_text : "";
}

gboolean
hs_step_page_get_failure_visible (HsStepPage *self)
{
  return gtk_widget_get_visible (self->failure_revealer) &&
         gtk_revealer_get_reveal_child (GTK_REVEALER (self->failure_revealer));
}
