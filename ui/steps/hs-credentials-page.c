/* hs-credentials-page.c — step 2's page: the saved Teams and Office
 * sign-ins as a checklist (Teams ones ticked), a confirmation before
 * removing, and a second, separate one for entries that cannot be put
 * back: Windows keeps their password to itself, so no backup holds it. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-a11y.h"
#include "hs-codes.h"
#include "hs-confirm-dialog.h"
#include "hs-credentials-page-private.h"
#include "hs-messages.h"
#include "hs-ui.h"

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
  { HS_CODE_CREDS_UNRESTORABLE,
    N_("What is left cannot be put back once removed: Windows keeps its password to itself. "
       "If you are ready to type the password again, tick it and press “Remove selected”."), FALSE },
  { HS_CODE_CREDS_RESTORE_PARTIAL,
    N_("Some sign-ins were not put back: newer ones were saved after the backup, or Windows "
       "never gave out their password. The list below says which."), FALSE },
  { HS_CODE_CREDS_RESTORE_FAILED,
    /* TRANSLATORS: shown when Undo could not put the removed sign-ins back. */
    N_("The backup could not be put back, so nothing was changed. The backup file is kept: "
       "copy the report on the last page and send it to your IT support."), TRUE },
  { HS_CODE_CREDS_RESTORED,
    /* TRANSLATORS: shown after Undo put the removed sign-ins back. */
    N_("The removed sign-ins are saved again. If Teams still does not sign in, remove them again."), FALSE },
  { NULL }
};

static void
on_cred_toggled (GtkCheckButton *check, HsCredentialsPage *self)
{
  const char *ref = g_object_get_data (G_OBJECT (check), "hs-ref");

  g_hash_table_insert (self->cred_choice, g_strdup (ref),
                       GINT_TO_POINTER (gtk_check_button_get_active (check) ? 2 : 1));
}

/* What a row says about an entry: what it is, what removing it does. */
static char *
entry_subtitle (gboolean required, gboolean choose, gboolean restorable, const char *user)
{
  const char *what = !choose ? (required ? _("Teams sign-in.") : _("Office sign-in. It can stay."))
                     : required ? _("Teams sign-in. Removing it makes Teams ask you to sign in again.")
                     : _("Office sign-in. Removing it also signs Office apps out, so it is not selected.");
  GString *sub = g_string_new (what);

  if (!restorable)
    /* TRANSLATORS: said of a saved sign-in whose password Windows does not
     * hand out, so that a backup cannot hold it. */
    g_string_append_printf (sub, "\n%s", _("Cannot be undone: Windows will ask for the password again."));
  if (user != NULL)
    {
      g_string_append_c (sub, '\n');
      /* TRANSLATORS: %s is the user name or e-mail address saved with the sign-in. */
      g_string_append_printf (sub, _("Saved for %s"), user);
    }
  return g_string_free (sub, FALSE);
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
      gboolean required = g_strcmp0 (hs_item_get_string (item, "category"), "required") == 0;
      gboolean restorable = g_strcmp0 (hs_item_get_string (item, "restorable"), "no") != 0;
      g_autofree char *sub = NULL;
      gpointer choice;
      GtkWidget *row, *check;

      if (g_strcmp0 (item->kind, "credential") != 0 || ref == NULL)
        continue;
      sub = entry_subtitle (required, choose, restorable, hs_item_get_string (item, "user"));
      row = hs_step_page_row_new (target ? target : ref, sub);
      n++;
      if (!choose)
        {
          hs_step_page_add_item (page, row);
          continue;
        }
      check = gtk_check_button_new ();
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      choice = g_hash_table_lookup (self->cred_choice, ref);
      /* One that cannot be put back is never ticked for the person. */
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   choice != NULL ? GPOINTER_TO_INT (choice) == 2 : required && restorable);
      g_object_set_data_full (G_OBJECT (check), "hs-ref", g_strdup (ref), g_free);
      g_object_set_data_full (G_OBJECT (check), "hs-target", g_strdup (target ? target : ref), g_free);
      g_object_set_data (G_OBJECT (check), "hs-unrestorable", GINT_TO_POINTER (!restorable));
      hs_a11y_set_label (check, target ? target : ref);
      hs_a11y_set_description (check, !restorable ? _("Cannot be undone: Windows will ask for the password again.")
                                      : required ? _("Teams sign-in") : _("Office sign-in"));
      g_signal_connect (check, "toggled", G_CALLBACK (on_cred_toggled), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_ptr_array_add (self->cred_checks, check);
      hs_step_page_add_item (page, row);
    }
  hs_step_page_set_items_text (page, n > 0 ? _("Saved sign-ins for Teams and Office") : "",
                               n > 0 && choose ? _("Ticked entries are removed when you press “Remove selected”.") : NULL);
  hs_credentials_page_add_outcomes (self, r);
}

/* The ticked refs; which of them are Office ones, and (copies of) the
 * targets of those that cannot be put back. */
static GStrv
selected_refs (HsCredentialsPage *self, gboolean *any_optional, GPtrArray *unrestorable)
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
      if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "hs-unrestorable")))
        g_ptr_array_add (unrestorable, g_strdup (g_object_get_data (G_OBJECT (check), "hs-target")));
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

/* Removes what is ticked; entries that cannot be put back only when the
 * person said so in the question of their own (else Windows layer skips
 * them and they are reported as left in place). */
static void
run_removal (HsCredentialsPage *self, gboolean allow_unrestorable)
{
  gboolean any_optional;
  g_autoptr(GPtrArray) unrestorable = g_ptr_array_new_with_free_func (g_free);
  HsFixOptions options = { 0 };

  g_clear_pointer (&self->pending_refs, g_strfreev);
  self->pending_refs = selected_refs (self, &any_optional, unrestorable);
  options.credential_refs = (const char * const *) self->pending_refs;
  options.allow_unrestorable = allow_unrestorable;
  hs_step_page_run_fix (HS_STEP_PAGE (self), &options);
}

static void
on_unrestorable_answered (HsConfirmDialog *dialog, gboolean confirmed, HsCredentialsPage *self)
{
  gboolean others = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "hs-others"));

  /* "Keep them": the others the person agreed to remove still go. */
  if (confirmed || others)
    run_removal (self, confirmed);
}

/* The question of its own: these entries go for good. */
static void
ask_unrestorable (HsCredentialsPage *self, GPtrArray *targets, gboolean others)
{
  guint n = targets->len;
  g_autofree char *heading = NULL;
  GString *list = g_string_new (NULL);
  HsConfirmDialog *dialog;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (list, "%s• %s", i ? "\n" : "", (const char *) g_ptr_array_index (targets, i));
  heading = g_strdup_printf (ngettext ("Remove a sign-in that cannot be put back?",
                                       "Remove %u sign-ins that cannot be put back?", n), n);
  dialog = hs_confirm_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                  ngettext ("Windows keeps the password of this sign-in to itself, so the backup "
                                            "cannot hold it and Undo cannot bring it back. Windows will ask for "
                                            "the password again.",
                                            "Windows keeps the passwords of these sign-ins to itself, so the backup "
                                            "cannot hold them and Undo cannot bring them back. Windows will ask for "
                                            "the passwords again.", n),
                                  _("Remove for _good"), TRUE);
  hs_confirm_dialog_set_details (dialog, list->str);
  if (others)
    hs_confirm_dialog_set_cancel_label (dialog, ngettext ("_Keep it", "_Keep them", n));
  g_object_set_data (G_OBJECT (dialog), "hs-others", GINT_TO_POINTER (others));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unrestorable_answered), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  g_string_free (list, TRUE);
}

static void
on_remove_confirmed (HsConfirmDialog *dialog, gboolean confirmed, HsCredentialsPage *self)
{
  gboolean any_optional;
  g_autoptr(GPtrArray) unrestorable = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) refs = NULL;

  if (!confirmed)
    return;
  refs = selected_refs (self, &any_optional, unrestorable);
  if (unrestorable->len > 0)
    ask_unrestorable (self, unrestorable, TRUE);
  else
    run_removal (self, FALSE);
}

static void
credentials_page_fix (HsStepPage *page)
{
  HsCredentialsPage *self = HS_CREDENTIALS_PAGE (page);
  gboolean any_optional;
  g_autoptr(GPtrArray) unrestorable = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) refs = selected_refs (self, &any_optional, unrestorable);
  guint n = g_strv_length (refs);
  g_autofree char *heading = NULL;
  HsConfirmDialog *dialog;

  if (n == 0)
    {
      hs_step_page_toast_text (HS_STEP_PAGE (self), _("Tick at least one sign-in to remove."));
      return;
    }
  /* Only entries that cannot be put back: their own question, alone. */
  if (unrestorable->len == n)
    {
      ask_unrestorable (self, unrestorable, FALSE);
      return;
    }
  n -= unrestorable->len;
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

  g_clear_pointer (&self->pending_refs, g_strfreev);
  if (r != NULL && hs_step_page_get_engine (page) != NULL)
    hs_credentials_page_offer_undo (self);
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

/* What is left can only go with its own question, which "Fix everything"
 * does not ask. */
static gboolean
credentials_page_fix_all_applies (HsStepPageClass *klass, HsResult *r)
{
  return !g_str_equal (hs_result_get_code (r), HS_CODE_CREDS_UNRESTORABLE);
}

GtkCheckButton *
hs_credentials_page_get_check (HsCredentialsPage *self, const char *target)
{
  for (guint i = 0; i < self->cred_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->cred_checks, i);
      if (g_strcmp0 (g_object_get_data (G_OBJECT (check), "hs-target"), target) == 0)
        return check;
    }
  return NULL;
}

static void
hs_credentials_page_finalize (GObject *object)
{
  HsCredentialsPage *self = HS_CREDENTIALS_PAGE (object);

  g_ptr_array_unref (self->cred_checks);
  g_hash_table_unref (self->cred_choice);
  g_strfreev (self->pending_refs);
  g_free (self->restore_path);
  G_OBJECT_CLASS (hs_credentials_page_parent_class)->finalize (object);
}

static void
hs_credentials_page_class_init (HsCredentialsPageClass *klass)
{
  HsStepPageClass *page_class = HS_STEP_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = hs_credentials_page_finalize;
  page_class->step = HS_STEP_CREDENTIALS;
  /* TRANSLATORS: short name of step 2: sign-in details Windows keeps in Credential Manager. */
  page_class->short_name = N_("Saved sign-ins");
  page_class->advice = advice;
  page_class->fix_all_question =
    N_("Handshake will run each automatic fix in turn. Saved Teams sign-ins are removed "
       "after a backup, so Teams will ask you to sign in again. Office sign-ins stay.");
  page_class->build_rows = credentials_page_build_rows;
  page_class->describe_fix = credentials_page_describe_fix;
  page_class->fix = credentials_page_fix;
  page_class->fix_done = credentials_page_fix_done;
  page_class->refreshed = credentials_page_refreshed;
  page_class->fix_all_applies = credentials_page_fix_all_applies;
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
