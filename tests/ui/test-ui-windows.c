/* The wizard on what only a real Windows PC does (issue 11), on practice
 * scenarios: a saved sign-in that cannot be put back asks on its own,
 * another account running Handshake is refused and told how to run it,
 * Undo keeps sign-ins saved since and offers to put the old ones back
 * anyway, a clock the organisation manages, a damaged sign-in helper,
 * Teams hiding in the tray, the Settings page for work accounts. */
#define G_LOG_DOMAIN "Handshake-UI-Test"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-test-util.h"
#include "hs-test-engine.h"
#include "hs-codes.h"
#include "hs-confirm-dialog.h"
#include "hs-credentials-page.h"
#include "hs-finish-page.h"
#include "hs-messages.h"
#include "hs-step-page.h"
#include "hs-welcome-page.h"

#define TIMEOUT_MS 30000
#define MSA "MicrosoftAccount:user=ines.garcia@contoso.es"
#define TEAMS "msteams_adalsso/adal_context_segments"

static const char *
code_of (HsEngine *engine, HsStep step)
{
  HsResult *r = hs_engine_get_result (engine, step);

  g_assert_nonnull (r);
  return hs_result_get_code (r);
}

#define start(window) hs_test_start ((window), TIMEOUT_MS)
#define open_dialog hs_test_open_dialog
#define last_toast hs_test_last_toast

/* Point 1: the ordinary removal never takes an entry that cannot be put
 * back; that one goes only through its own, clearly worded question. */
static void
test_unrestorable (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("cannot-undo");
  HsWindow *window = hs_test_window_new (engine, "cannot-undo", 900);
  HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, HS_STEP_CREDENTIALS));
  HsCredentialsPage *creds = HS_CREDENTIALS_PAGE (page);
  HsConfirmDialog *dialog;
  GtkCheckButton *msa;
  g_autofree char *heading = NULL;

  start (window);
  hs_window_show_page (window, HS_STEP_CREDENTIALS);
  msa = hs_credentials_page_get_check (creds, MSA);
  g_assert_nonnull (msa);
  g_assert_false (gtk_check_button_get_active (msa));
  g_assert_true (gtk_check_button_get_active (hs_credentials_page_get_check (creds, TEAMS)));
  hs_test_screenshot (GTK_WIDGET (window), "80-cannot-undo-step2");

  /* "Remove selected" with what is ticked: one question, one entry gone. */
  hs_test_click (hs_step_page_get_fix_button (page));
  dialog = open_dialog (window);
  g_assert_null (strstr (hs_confirm_dialog_get_text (dialog, "details"), MSA));
  hs_confirm_dialog_respond (dialog, TRUE);
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  g_assert_null (hs_confirm_dialog_get_open (GTK_WINDOW (window)));
  g_assert_cmpstr (code_of (engine, HS_STEP_CREDENTIALS), ==, HS_CODE_CREDS_UNRESTORABLE);
  g_assert_true (hs_step_page_get_failure_visible (page));

  /* Ticked by the person: its own question, naming it. */
  msa = hs_credentials_page_get_check (creds, MSA);
  gtk_check_button_set_active (msa, TRUE);
  hs_test_click (hs_step_page_get_fix_button (page));
  dialog = open_dialog (window);
  g_assert_nonnull (strstr (hs_confirm_dialog_get_text (dialog, "details"), MSA));
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Remove a sign-in that cannot be put back?",
                                          "Remove %u sign-ins that cannot be put back?", 1), 1);
  g_assert_cmpstr (hs_confirm_dialog_get_text (dialog, "heading"), ==, heading);
  hs_test_screenshot (GTK_WIDGET (dialog), "81-cannot-undo-confirm");
  hs_confirm_dialog_respond (dialog, TRUE);
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  g_assert_cmpstr (code_of (engine, HS_STEP_CREDENTIALS), ==, HS_CODE_CREDS_REMOVED);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Both ticked, and the second question answered "Keep it": the other
 * entry goes, this one is left in place and said to be. */
static void
test_unrestorable_kept (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("cannot-undo");
  HsWindow *window = hs_test_window_new (engine, "cannot-undo", 900);
  HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, HS_STEP_CREDENTIALS));
  HsResult *r;
  gint64 skipped = 0;

  start (window);
  hs_window_show_page (window, HS_STEP_CREDENTIALS);
  gtk_check_button_set_active (hs_credentials_page_get_check (HS_CREDENTIALS_PAGE (page), MSA), TRUE);
  hs_test_click (hs_step_page_get_fix_button (page));
  hs_confirm_dialog_respond (open_dialog (window), TRUE);
  hs_confirm_dialog_respond (open_dialog (window), FALSE);
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  r = hs_engine_get_result (engine, HS_STEP_CREDENTIALS);
  g_assert_cmpstr (hs_result_get_code (r), ==, HS_CODE_CREDS_UNRESTORABLE);
  g_assert_true (hs_result_get_int (r, "skipped_count", &skipped));
  g_assert_cmpint (skipped, ==, 1);
  /* "Fix everything" asks no question of its own: nothing to offer. */
  g_assert_false (gtk_widget_get_visible (hs_window_get_fix_all_button (window)));
  hs_test_screenshot (GTK_WIDGET (window), "82-cannot-undo-kept");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Point 4: steps 2–4 refused, said at the top and on their pages. */
static void
test_wrong_user (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("wrong-user");
  HsWindow *window = hs_test_window_new (engine, "wrong-user", 900);
  const char *notice = NULL;

  g_assert_false (hs_window_get_wrong_user_shown (window, NULL));
  start (window);
  g_assert_true (hs_window_get_wrong_user_shown (window, &notice));
  g_assert_nonnull (strstr (notice, "CONTOSO\\helpdesk.admin"));
  g_assert_nonnull (strstr (notice, "CONTOSO\\jane.doe"));
  g_assert_cmpstr (code_of (engine, HS_STEP_CLOCK), ==, HS_CODE_CLOCK_SKEW);
  for (HsStep s = HS_STEP_CREDENTIALS; s <= HS_STEP_ACCOUNTS; s++)
    {
      HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, s));

      g_assert_cmpstr (code_of (engine, s), ==, HS_CODE_WRONG_USER);
      g_assert_true (hs_step_page_get_failure_visible (page));
      g_assert_cmpstr (hs_step_page_get_failure_text (page), ==, notice);
      g_assert_false (gtk_widget_get_visible (hs_step_page_get_fix_button (page)));
      g_assert_false (gtk_widget_get_visible (hs_step_page_get_settings_button (page)));
    }
  hs_window_show_page (window, HS_STEP_CREDENTIALS);
  hs_test_screenshot (GTK_WIDGET (window), "83-wrong-user-step2");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
sensitive (gpointer widget)
{
  return gtk_widget_is_sensitive (widget);
}

static gboolean
teams_said (gpointer finish)
{
  return hs_finish_page_get_teams_text (finish) != NULL;
}

static gboolean
toast_changed (gpointer data)
{
  gpointer *pair = data;

  return last_toast (pair[0]) != pair[1];
}

/* Point 8: Teams signed in again after the removal; Undo keeps the newer
 * sign-ins, says so, and puts the old ones back only when confirmed. */
static void
test_undo_newer (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("all-broken");
  HsWindow *window = hs_test_window_new (engine, "all-broken", 900);
  HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, HS_STEP_CREDENTIALS));
  HsFinishPage *finish = HS_FINISH_PAGE (hs_window_get_finish_page (window));
  g_autoptr(AdwToast) undo = NULL;
  AdwToast *told;
  HsConfirmDialog *dialog;
  gpointer pair[2];

  start (window);
  hs_window_show_page (window, HS_STEP_CREDENTIALS);
  hs_test_click (hs_step_page_get_fix_button (page));
  hs_confirm_dialog_respond (open_dialog (window), TRUE);
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  g_assert_cmpstr (code_of (engine, HS_STEP_CREDENTIALS), ==, HS_CODE_CREDS_REMOVED);
  undo = g_object_ref (last_toast (GTK_WIDGET (window)));
  g_assert_nonnull (adw_toast_get_button_label (undo));

  /* Teams restarts and signs in again. */
  hs_window_show_page (window, 5);
  hs_test_click (hs_finish_page_get_restart_teams_button (finish));
  hs_test_spin (50);
  g_assert_true (hs_test_spin_until (sensitive, hs_finish_page_get_restart_teams_button (finish), TIMEOUT_MS));
  adw_toast_dismiss (last_toast (GTK_WIDGET (window)));

  hs_window_show_page (window, HS_STEP_CREDENTIALS);
  pair[0] = window;
  pair[1] = undo;
  /* As a click does: the button's signal, then the toast goes. */
  g_signal_emit_by_name (undo, "button-clicked");
  adw_toast_dismiss (undo);
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  g_assert_true (hs_test_spin_until (toast_changed, pair, TIMEOUT_MS));
  g_assert_cmpstr (code_of (engine, HS_STEP_CREDENTIALS), ==, HS_CODE_CREDS_RESTORE_PARTIAL);
  told = last_toast (GTK_WIDGET (window));
  g_test_message ("after Undo: %s", adw_toast_get_title (told));
  g_assert_cmpstr (adw_toast_get_button_label (told), ==, _("Put back _anyway"));
  g_assert_true (hs_step_page_get_failure_visible (page));
  /* The page lists what each entry became (the picture leaves the toast out). */
  g_object_ref (told);
  hs_test_screenshot (GTK_WIDGET (window), "84-undo-newer-step2");
  g_signal_emit_by_name (told, "button-clicked");
  adw_toast_dismiss (told);
  g_object_unref (told);
  dialog = open_dialog (window);
  g_assert_nonnull (strstr (hs_confirm_dialog_get_text (dialog, "confirm"), "_"));
  hs_test_screenshot (GTK_WIDGET (dialog), "85-undo-newer-confirm");
  hs_confirm_dialog_respond (dialog, TRUE);
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  g_assert_cmpstr (code_of (engine, HS_STEP_CREDENTIALS), ==, HS_CODE_CREDS_RESTORED);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Points 2 and 3: the organisation's clock, IT's to correct. */
static void
test_managed_clock (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("managed-clock");
  HsWindow *window = hs_test_window_new (engine, "managed-clock", 900);
  HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, HS_STEP_CLOCK));

  start (window);
  g_assert_cmpstr (code_of (engine, HS_STEP_CLOCK), ==, HS_CODE_CLOCK_MANAGED);
  g_assert_false (gtk_widget_get_visible (hs_step_page_get_fix_button (page)));
  g_assert_false (gtk_widget_get_visible (hs_step_page_get_settings_button (page)));
  g_assert_true (hs_step_page_get_failure_visible (page));
  g_assert_cmpstr (hs_step_page_get_failure_text (page), ==, hs_ui_failure_advice (HS_CODE_CLOCK_MANAGED));
  hs_window_show_page (window, HS_STEP_CLOCK);
  hs_test_screenshot (GTK_WIDGET (window), "86-managed-clock-step1");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Point 7: damaged: set it up again; being updated: wait. */
static void
test_broker_status (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_for_data ("[broker]\nregistered=yes\nstatus=tampered\n", "tampered.ini");
  HsWindow *window = hs_test_window_new (engine, "tampered", 900);
  HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, HS_STEP_BROKER));

  start (window);
  g_assert_cmpstr (code_of (engine, HS_STEP_BROKER), ==, HS_CODE_BROKER_BROKEN);
  g_assert_true (gtk_widget_get_visible (hs_step_page_get_fix_button (page)));
  hs_window_show_page (window, HS_STEP_BROKER);
  hs_test_screenshot (GTK_WIDGET (window), "87-broker-damaged");
  hs_test_click (hs_step_page_get_fix_button (page));
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  g_assert_cmpstr (code_of (engine, HS_STEP_BROKER), ==, HS_CODE_BROKER_REREGISTERED);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Point 5: the finish page says what restarting Teams did. */
static void
test_teams_restart (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_for_data ("[teams]\nrunning=1\ntray=1\nother_sessions=1\n", "teams.ini");
  HsWindow *window = hs_test_window_new (engine, "teams", 900);
  HsFinishPage *finish = HS_FINISH_PAGE (hs_window_get_finish_page (window));
  HsTeamsRestart tray = { .found = 1, .hidden_then_ended = 1, .other_sessions = 1, .relaunched = 1 };
  g_autofree char *expected = hs_finish_page_teams_restart_text (&tray);

  start (window);
  hs_window_show_page (window, 5);
  hs_test_click (hs_finish_page_get_restart_teams_button (finish));
  g_assert_true (hs_test_spin_until (teams_said, finish, TIMEOUT_MS));
  g_assert_cmpstr (hs_finish_page_get_teams_text (finish), ==, expected);
  if (g_str_equal (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "en", "en"))
    {
      g_assert_nonnull (strstr (expected, "notification area and was ended"));
      g_assert_nonnull (strstr (expected, "left running for 1 other person"));
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Point 9: two work accounts: the page that lists work accounts. */
static void
test_accounts_page (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_for_data (
    "[account joined]\nemail=it-enrol@contoso.com\nkind=work\nsources=aad_join\n"
    "[account mine]\nemail=jane.doe@contoso.com\nkind=work\nsources=workplace_join,tbacct\n"
    "[account other]\nemail=jane@fabrikam.com\nkind=work\nsources=workplace_join\n", "accounts.ini");
  HsWindow *window = hs_test_window_new (engine, "accounts", 900);
  HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, HS_STEP_ACCOUNTS));

  start (window);
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  g_assert_cmpstr (code_of (engine, HS_STEP_ACCOUNTS), ==, HS_CODE_ACCOUNTS_SEVERAL);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (hs_step_page_get_settings_button (page))), ==,
                   _("_Open Access work or school"));
  hs_window_show_page (window, HS_STEP_ACCOUNTS);
  hs_test_screenshot (GTK_WIDGET (window), "88-accounts-work");
  hs_test_click (hs_step_page_get_settings_button (page));
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  g_assert_cmpstr (code_of (engine, HS_STEP_ACCOUNTS), ==, HS_CODE_ACCOUNTS_OK);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  hs_test_init (&argc, &argv);
  g_test_add_func ("/ui/windows/unrestorable", test_unrestorable);
  g_test_add_func ("/ui/windows/unrestorable-kept", test_unrestorable_kept);
  g_test_add_func ("/ui/windows/wrong-user", test_wrong_user);
  g_test_add_func ("/ui/windows/undo-newer", test_undo_newer);
  g_test_add_func ("/ui/windows/managed-clock", test_managed_clock);
  g_test_add_func ("/ui/windows/broker-status", test_broker_status);
  g_test_add_func ("/ui/windows/teams-restart", test_teams_restart);
  g_test_add_func ("/ui/windows/accounts-page", test_accounts_page);
  return g_test_run ();
}
