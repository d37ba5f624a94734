/* test-ui-secret.c — a secret planted in the practice vault never reaches
 * anything the wizard shows: every label, text view, entry, tooltip and
 * window title of every window (the wizard's pages and the confirmation
 * dialog that lists what will be deleted), read before the checks, after
 * them, on each step page, after the credential fix and on the finish page,
 * plus the report the finish page offers to copy or save. This is the text
 * a screenshot can show. The scenario is the one tests/fault/test-fault-
 * secrets.c runs through the engine, the log and the CLI. */
#define G_LOG_DOMAIN "Handshake-UI-Test"
#include "config.h"

#include <string.h>

#include "hs-test-util.h"
#include "hs-test-engine.h"
#include "hs-confirm-dialog.h"
#include "hs-finish-page.h"
#include "hs-step-page.h"
#include "hs-welcome-page.h"

#define TIMEOUT_MS 30000

static void
append (GString *all, const char *text)
{
  if (text != NULL && *text != '\0')
    {
      g_string_append (all, text);
      g_string_append_c (all, '\n');
    }
}

static void
collect_widget (GtkWidget *widget, GString *all)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  append (all, tooltip);
  if (GTK_IS_LABEL (widget))
    append (all, gtk_label_get_text (GTK_LABEL (widget)));
  else if (GTK_IS_EDITABLE (widget))
    append (all, gtk_editable_get_text (GTK_EDITABLE (widget)));
  else if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
      append (all, text);
    }
  if (GTK_IS_WINDOW (widget))
    append (all, gtk_window_get_title (GTK_WINDOW (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widget (child, all);
}

/* Everything on screen or one click away, in every toplevel. */
static char *
collect_all_text (void)
{
  GString *all = g_string_new (NULL);
  GListModel *toplevels = gtk_window_get_toplevels ();   /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);
      collect_widget (w, all);
    }
  return g_string_free (all, FALSE);
}

/* Collects, checks and returns the text; the caller checks it saw what it
 * expected, which proves the walk reached the widgets that matter. */
static char *
check_now (const char *when)
{
  char *text = collect_all_text ();

  g_test_message ("%s: %zu bytes of text on screen", when, strlen (text));
  hs_test_assert_no_secret (when, text);
  return text;
}

static void
test_secret_never_shown (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_for_data (hs_test_secret_scenario, "secret.ini");
  HsWindow *window = hs_test_window_new (engine, "secret.ini", 900);
  HsWelcomePage *welcome = HS_WELCOME_PAGE (hs_window_get_welcome_page (window));
  g_autofree char *t0 = check_now ("on the welcome page");

  hs_test_click (hs_welcome_page_get_start_button (welcome));
  g_assert_true (hs_test_wait_checked (window, TIMEOUT_MS));
  for (HsStep step = HS_STEP_CLOCK; step <= HS_STEP_ACCOUNTS; step++)
    {
      g_autofree char *when = g_strdup_printf ("on step page %d after the checks", step);
      g_autofree char *t = NULL;

      hs_window_show_page (window, step);
      hs_test_spin (100);
      t = check_now (when);
      if (step == HS_STEP_CREDENTIALS)
        g_assert_nonnull (strstr (t, "msteams_adalsso/adal_context_0"));
    }

  /* the confirmation dialog lists what will go: it must not show the blob */
  hs_window_show_page (window, HS_STEP_CREDENTIALS);
  hs_test_click (hs_step_page_get_fix_button (HS_STEP_PAGE (hs_window_get_step_page (window,
                                                                                       HS_STEP_CREDENTIALS))));
  g_assert_true (hs_test_wait_dialog (window, 3000));
  {
    g_autofree char *t = check_now ("in the confirmation dialog");
    g_assert_nonnull (strstr (t, "msteams_adalsso/adal_context_0"));
  }
  g_assert_true (hs_test_confirm (window, TRUE));
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  g_free (check_now ("after the credential fix"));

  hs_window_show_page (window, HS_STEP_ACCOUNTS + 1);   /* the finish page */
  hs_test_spin (100);
  {
    HsFinishPage *finish = HS_FINISH_PAGE (hs_window_get_finish_page (window));
    g_autofree char *t = check_now ("on the finish page");
    g_autofree char *report = hs_finish_page_get_report_text (finish);

    g_assert_nonnull (report);
    g_assert_nonnull (strstr (report, "delete_credential"));
    hs_test_assert_no_secret ("the report the finish page offers", report);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  hs_test_init (&argc, &argv);
  g_test_add_func ("/ui/secret/never-shown", test_secret_never_shown);
  return g_test_run ();
}
