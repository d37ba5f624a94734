/* hs-credentials-page-undo.c — step 2's page after a removal: Undo puts
 * the backup back, never over a sign-in saved since (Teams signs in again
 * after a restart) and never without its password; what was kept is said,
 * and "Put back anyway" writes over the newer ones once the person
 * confirms. Each entry's fate is listed under "What was found". */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-codes.h"
#include "hs-confirm-dialog.h"
#include "hs-credentials-page-private.h"
#include "hs-messages.h"

static void start_restore (HsCredentialsPage *self, guint32 flags);

/* What became of one entry, in a word or two and a sentence. */
static void
describe_outcome (const HsItem *item, const char **word, const char **why, const char **style)
{
  const char *outcome = hs_item_get_string (item, "outcome");
  const char *reason = hs_item_get_string (item, "reason");

  *why = NULL;
  *style = NULL;
  if (g_strcmp0 (outcome, "deleted") == 0)
    /* TRANSLATORS: what became of a saved sign-in: it was removed. */
    *word = C_("sign-in", "Removed");
  else if (g_strcmp0 (outcome, "restored") == 0)
    /* TRANSLATORS: what became of a saved sign-in: Undo put it back. */
    *word = C_("sign-in", "Put back");
  else if (g_strcmp0 (outcome, "not_found") == 0)
    /* TRANSLATORS: what became of a saved sign-in: it had gone already. */
    *word = C_("sign-in", "Already gone");
  else if (g_strcmp0 (reason, "unrestorable") == 0)
    {
      /* TRANSLATORS: what became of a saved sign-in: it was not removed. */
      *word = C_("sign-in", "Left in place");
      *why = _("It cannot be put back once removed, and you did not agree to lose it.");
      *style = "warning";
    }
  else if (g_strcmp0 (reason, "newer_exists") == 0 || g_strcmp0 (reason, "exists_age_unknown") == 0)
    {
      /* TRANSLATORS: what became of a saved sign-in: the one saved since was kept. */
      *word = C_("sign-in", "Newer one kept");
      *why = _("A newer sign-in was saved after the backup, so the backup did not replace it.");
      *style = "warning";
    }
  else if (g_strcmp0 (reason, "no_secret") == 0)
    {
      /* TRANSLATORS: what became of a saved sign-in: Undo could not bring it back. */
      *word = C_("sign-in", "Not put back");
      *why = _("Windows never gave out its password, so there was nothing to put back. "
               "Signing in again saves it anew.");
      *style = "warning";
    }
  else
    {
      /* TRANSLATORS: what became of a saved sign-in: Windows refused. */
      *word = C_("sign-in", "Failed");
      *style = "error";
    }
}

void
hs_credentials_page_add_outcomes (HsCredentialsPage *self, HsResult *r)
{
  GPtrArray *items = hs_result_get_items (r);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const HsItem *item = g_ptr_array_index (items, i);
      const char *word, *why, *style;
      GtkWidget *row;

      if (g_strcmp0 (item->kind, "removal") != 0 && g_strcmp0 (item->kind, "restoration") != 0)
        continue;
      describe_outcome (item, &word, &why, &style);
      row = hs_step_page_row_new (hs_item_get_string (item, "target"), why);
      hs_step_page_row_add_suffix (row, word, style);
      hs_step_page_add_finding (HS_STEP_PAGE (self), row);
    }
}

/* How many entries of a restore were kept back, and why. */
static void
count_skipped (HsResult *r, guint *newer, guint *no_secret)
{
  GPtrArray *items = hs_result_get_items (r);

  *newer = *no_secret = 0;
  for (guint i = 0; i < items->len; i++)
    {
      const HsItem *item = g_ptr_array_index (items, i);
      const char *reason = hs_item_get_string (item, "reason");

      if (g_strcmp0 (item->kind, "restoration") != 0)
        continue;
      *newer += g_strcmp0 (reason, "newer_exists") == 0 || g_strcmp0 (reason, "exists_age_unknown") == 0;
      *no_secret += g_strcmp0 (reason, "no_secret") == 0;
    }
}

static void
on_overwrite_confirmed (HsConfirmDialog *dialog, gboolean confirmed, HsCredentialsPage *self)
{
  if (confirmed)
    start_restore (self, HS_RESTORE_OVERWRITE_NEWER);
}

static void
on_put_back_anyway (AdwToast *toast, HsCredentialsPage *self)
{
  guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toast), "hs-newer"));
  g_autofree char *heading = g_strdup_printf (ngettext ("Replace the newer sign-in?",
                                                        "Replace the %u newer sign-ins?", n), n);
  HsConfirmDialog *dialog =
    hs_confirm_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                           ngettext ("A newer sign-in was saved after the backup, probably because Teams "
                                     "signed in again. Putting the backup back replaces it with the older one.",
                                     "Newer sign-ins were saved after the backup, probably because Teams "
                                     "signed in again. Putting the backup back replaces them with the older ones.", n),
                           _("Put back _anyway"), TRUE);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_overwrite_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The restore's outcome in a toast; newer entries kept come with the
 * offer to put the older ones back anyway. */
static void
say_restored (HsCredentialsPage *self, HsResult *r)
{
  guint newer, no_secret;
  gint64 restored = 0;
  GString *text = g_string_new (NULL);
  AdwToast *toast;

  if (!g_str_equal (hs_result_get_code (r), HS_CODE_CREDS_RESTORE_PARTIAL))
    {
      hs_step_page_toast_text (HS_STEP_PAGE (self),
                               g_str_equal (hs_result_get_code (r), HS_CODE_CREDS_RESTORED)
                               ? _("The saved sign-ins were put back.") : hs_result_get_summary (r));
      g_string_free (text, TRUE);
      return;
    }
  count_skipped (r, &newer, &no_secret);
  hs_result_get_int (r, "restored_count", &restored);
  g_string_append_printf (text, ngettext ("%u sign-in was put back.", "%u sign-ins were put back.",
                                          (guint) restored), (guint) restored);
  if (newer > 0)
    g_string_append_printf (text, " %s", ngettext ("A newer one was kept.", "Newer ones were kept.", newer));
  if (no_secret > 0)
    g_string_append_printf (text, " %s", ngettext ("One had no password to put back.",
                                                  "Some had no password to put back.", no_secret));
  toast = adw_toast_new (text->str);
  if (newer > 0)
    {
      adw_toast_set_button_label (toast, _("Put back _anyway"));
      adw_toast_set_timeout (toast, 0);
      g_object_set_data (G_OBJECT (toast), "hs-newer", GUINT_TO_POINTER (newer));
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_put_back_anyway), self, 0);
    }
  hs_step_page_toast (HS_STEP_PAGE (self), toast);
  g_string_free (text, TRUE);
}

static void
on_restore_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsCredentialsPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsResult) r = hs_engine_restore_finish (HS_ENGINE (source), res, &error);

  if (r == NULL)
    hs_step_page_report_error (HS_STEP_PAGE (self), error);
  else if (hs_step_page_get_engine (HS_STEP_PAGE (self)) != NULL)
    say_restored (self, r);
  hs_step_page_refresh (HS_STEP_PAGE (self));
}

static void
start_restore (HsCredentialsPage *self, guint32 flags)
{
  HsEngine *engine = hs_step_page_get_engine (HS_STEP_PAGE (self));

  if (engine == NULL || self->restore_path == NULL)
    return;
  hs_engine_restore_full_async (engine, self->restore_path, flags,
                                hs_step_page_get_cancellable (HS_STEP_PAGE (self)),
                                on_restore_done, g_object_ref (self));
}

static void
on_undo_clicked (AdwToast *t, HsCredentialsPage *self)
{
  start_restore (self, 0);
}

void
hs_credentials_page_offer_undo (HsCredentialsPage *self)
{
  HsEngine *engine = hs_step_page_get_engine (HS_STEP_PAGE (self));
  HsResult *r = hs_engine_get_result (engine, HS_STEP_CREDENTIALS);
  gint64 deleted = 0, skipped = 0;
  g_autofree char *text = NULL;
  AdwToast *t;

  if (r == NULL || hs_engine_get_last_backup (engine) == NULL ||
      !hs_result_get_int (r, "deleted_count", &deleted) || deleted == 0)
    return;
  /* Undo puts back this removal's backup, whatever comes after. */
  g_free (self->restore_path);
  self->restore_path = g_strdup (hs_engine_get_last_backup (engine));
  hs_result_get_int (r, "skipped_count", &skipped);
  if (skipped > 0)
    text = g_strdup_printf (ngettext ("Sign-ins removed, a backup was kept. %u was left in place: it cannot be put back once removed.",
                                      "Sign-ins removed, a backup was kept. %u were left in place: they cannot be put back once removed.",
                                      (guint) skipped), (guint) skipped);
  t = adw_toast_new (text ? text : _("Sign-ins removed. A backup was kept."));
  adw_toast_set_button_label (t, _("_Undo"));
  adw_toast_set_timeout (t, 10);
  g_signal_connect_object (t, "button-clicked", G_CALLBACK (on_undo_clicked), self, 0);
  hs_step_page_toast (HS_STEP_PAGE (self), t);
}
