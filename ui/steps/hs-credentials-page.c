/* hs-credentials-page.c — step 2's page: the saved Teams and Office
 * sign-ins as a checklist (Teams ones ticked), a confirmation before
 * removing, and Undo, which puts the backup back. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-a11y.h"
#include "hs-codes.h"
#include "hs-confirm-dialog.h"
#include "hs-credentials-page.h"
#include "hs-messages.h"
#include "hs-ui.h"

struct _HsCredentialsPage
{
  HsStepPage  parent_instance;

  GPtrArray  *cred_checks;   /* (element-type GtkCheckButton) data "hs-ref" */
  GHashTable *cred_choice;   /* ref → GINT(checked): kept across refreshes */
  GStrv       pending_refs;  /* (owned) (nullable) kept while a removal runs */
};

G_DEFINE_FINAL_TYPE (HsCredentialsPage, hs_credentials_page, HS_TYPE_STEP_PAGE)

static const HsStepAdvice advice[] = {
  { HS_CODE_CREDS_ACCESS_DENIED,
    N_("Windows did not let Handshake read or remove the saved sign-ins. "
       "Remove them by hand with the steps below, or ask your IT support."), TRUE },
  { HS_CODE_CREDS_BACKUP_FAILED,
    N_("The backup could not be written, so nothing was removed. "
       "Make sure the disk is not full, then try again."), TRUE },
  { HS_CODE_CREDS_FIX_FAILED,
    N_("Some saved sign-ins could not be removed. A backup was kept. "
       "Try again, or remove the rest by hand with the steps below."), TRUE },
  { NULL }
};

static void
on_cred_toggled (GtkCheckButton *check, HsCredentialsPage *self)
{
  const char *ref = g_object_get_data (G_OBJECT (check), "hs-ref");

  g_hash_table_insert (self->cred_choice, g_strdup (ref),
                       GINT_TO_POINTER (gtk_check_button_get_active (check) ? 2 : 1));
}

static void
credentials_page_build_rows (HsStepPage *page, HsResult *r)
{
  HsCredentialsPage *self = HS_CREDENTIALS_PAGE (page);
  GPtrArray *items = hs_result_get_items (r);
  /* Tick boxes only while there is something to remove; afterwards the
   * list just shows what is left. */
  gboolean choose = !hs_ui_status_is_done (hs_result_get_status (r));
  guint n = 0;

  g_ptr_array_set_size (self->cred_checks, 0);

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
        row = hs_step_page_row_new (target ? target : ref, sub);
      }
      if (!choose)
        {
          hs_step_page_add_item (page, row);
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
      hs_step_page_add_item (page, row);
      n++;
    }
  hs_step_page_set_items_text (page, n > 0 ? _("Saved sign-ins for Teams and Office") : "",
                               n > 0 && choose ? _("Ticked entries are removed when you press “Remove selected”.") : NULL);
}

static void
on_restore_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsCredentialsPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsResult) r = hs_engine_restore_finish (HS_ENGINE (source), res, &error);

  if (r == NULL)
    hs_step_page_report_error (HS_STEP_PAGE (self), error);
  else
    hs_step_page_toast_text (HS_STEP_PAGE (self), _("The saved sign-ins were put back."));
  hs_step_page_refresh (HS_STEP_PAGE (self));
}

static void
on_undo_clicked (AdwToast *t, HsCredentialsPage *self)
{
  HsEngine *engine = hs_step_page_get_engine (HS_STEP_PAGE (self));

  if (engine == NULL)
    return;
  hs_engine_restore_async (engine, NULL, hs_step_page_get_cancellable (HS_STEP_PAGE (self)),
                           on_restore_done, g_object_ref (self));
}

static GStrv
selected_refs (HsCredentialsPage *self, gboolean *any_optional)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  HsResult *r = hs_engine_get_result (hs_step_page_get_engine (HS_STEP_PAGE (self)), HS_STEP_CREDENTIALS);

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
on_remove_confirmed (HsConfirmDialog *dialog, gboolean confirmed, HsCredentialsPage *self)
{
  gboolean any_optional;
  HsFixOptions options = { 0 };

  if (!confirmed)
    return;
  g_clear_pointer (&self->pending_refs, g_strfreev);
  self->pending_refs = selected_refs (self, &any_optional);
  options.credential_refs = (const char * const *) self->pending_refs;
  hs_step_page_run_fix (HS_STEP_PAGE (self), &options);
}

static void
credentials_page_fix (HsStepPage *page)
{
  HsCredentialsPage *self = HS_CREDENTIALS_PAGE (page);
  gboolean any_optional;
  g_auto(GStrv) refs = selected_refs (self, &any_optional);
  guint n = g_strv_length (refs);
  g_autofree char *heading = NULL;
  HsConfirmDialog *dialog;

  if (n == 0)
    {
      hs_step_page_toast_text (HS_STEP_PAGE (self), _("Tick at least one sign-in to remove."));
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
}

static void
credentials_page_fix_done (HsStepPage *page, HsResult *r)
{
  HsCredentialsPage *self = HS_CREDENTIALS_PAGE (page);
  HsEngine *engine = hs_step_page_get_engine (page);

  g_clear_pointer (&self->pending_refs, g_strfreev);
  if (r != NULL && engine != NULL && hs_ui_status_is_done (hs_result_get_status (r)) &&
      hs_engine_get_last_backup (engine) != NULL)
    {
      AdwToast *t = adw_toast_new (_("Sign-ins removed. A backup was kept."));
      adw_toast_set_button_label (t, _("_Undo"));
      adw_toast_set_timeout (t, 10);
      g_signal_connect_object (t, "button-clicked", G_CALLBACK (on_undo_clicked), self, 0);
      hs_step_page_toast (page, t);
    }
}

static void
credentials_page_describe_fix (HsStepPage *self, HsResult *r, HsStepPageFix *fix)
{
  fix->fix_label = _("_Remove selected");
  fix->note = _("A backup is made first, so removed sign-ins can be put back.");
}

/* The ticks follow the step: not while it is busy. */
static void
credentials_page_refreshed (HsStepPage *page, HsResult *r, gboolean busy)
{
  HsCredentialsPage *self = HS_CREDENTIALS_PAGE (page);

  for (guint i = 0; i < self->cred_checks->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->cred_checks, i), !busy);
}

static void
hs_credentials_page_finalize (GObject *object)
{
  HsCredentialsPage *self = HS_CREDENTIALS_PAGE (object);

  g_ptr_array_unref (self->cred_checks);
  g_hash_table_unref (self->cred_choice);
  g_strfreev (self->pending_refs);
  G_OBJECT_CLASS (hs_credentials_page_parent_class)->finalize (object);
}

static void
hs_credentials_page_class_init (HsCredentialsPageClass *klass)
{
  HsStepPageClass *page_class = HS_STEP_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = hs_credentials_page_finalize;
  page_class->step = HS_STEP_CREDENTIALS;
  page_class->advice = advice;
  page_class->fix_all_question =
    N_("Handshake will run each automatic fix in turn. Saved Teams sign-ins are removed "
       "after a backup, so Teams will ask you to sign in again. Office sign-ins stay.");
  page_class->build_rows = credentials_page_build_rows;
  page_class->describe_fix = credentials_page_describe_fix;
  page_class->fix = credentials_page_fix;
  page_class->fix_done = credentials_page_fix_done;
  page_class->refreshed = credentials_page_refreshed;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               HS_UI_RESOURCE_PATH "hs-credentials-page.ui");
}

static void
hs_credentials_page_init (HsCredentialsPage *self)
{
  self->cred_checks = g_ptr_array_new ();
  self->cred_choice = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}
