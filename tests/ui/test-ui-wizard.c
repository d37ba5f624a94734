/* Drives the real wizard window on practice scenarios: Start, wait for the
 * verdicts, fix each step, check what the strip and the pages say, and take
 * screenshots of every page. */
#define G_LOG_DOMAIN "Handshake-UI-Test"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hs-test-util.h"
#include "hs-accounts-page.h"
#include "hs-codes.h"
#include "hs-confirm-dialog.h"
#include "hs-finish-page.h"
#include "hs-messages.h"
#include "hs-step-page.h"
#include "hs-step-strip.h"
#include "hs-welcome-page.h"

#define TIMEOUT_MS 30000

static HsStatus
status_of (HsEngine *engine, HsStep step)
{
  HsResult *r = hs_engine_get_result (engine, step);
  g_assert_nonnull (r);
  return hs_result_get_status (r);
}

/* What the strip and the page show must match the engine's status. */
static void
assert_shown (HsWindow *window, HsEngine *engine, HsStep step)
{
  HsStepStrip *strip = HS_STEP_STRIP (hs_window_get_strip (window));
  HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, step));
  HsResult *r = hs_engine_get_result (engine, step);
  const char *expected = hs_ui_status_label (hs_result_get_status (r));

  g_assert_cmpstr (hs_step_strip_get_status_text (strip, step), ==, expected);
  g_assert_cmpstr (hs_step_page_get_status_text (page), ==, expected);
  g_assert_cmpstr (hs_step_page_get_verdict_text (page), ==, hs_result_get_summary (r));
}

#define start(window) hs_test_start ((window), TIMEOUT_MS)

static gboolean
good (HsStatus s)
{
  return s == HS_STATUS_OK || s == HS_STATUS_FIXED || s == HS_STATUS_NEEDS_RESTART;
}

static void
fix_step (HsWindow *window, HsEngine *engine, HsStep step)
{
  HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, step));

  hs_window_show_page (window, step);
  if (gtk_widget_get_visible (hs_step_page_get_fix_button (page)))
    {
      hs_test_click (hs_step_page_get_fix_button (page));
      if (step == HS_STEP_CREDENTIALS)
        {
          g_assert_true (hs_test_wait_dialog (window, 3000));
          hs_test_screenshot (GTK_WIDGET (hs_confirm_dialog_get_open (GTK_WINDOW (window))),
                              "02b-step2-confirm");
          g_assert_true (hs_test_confirm (window, TRUE));
        }
    }
  else
    {
      /* Guided: the simulated person follows the instructions in Settings. */
      g_assert_true (gtk_widget_get_visible (hs_step_page_get_settings_button (page)));
      hs_test_click (hs_step_page_get_settings_button (page));
    }
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
}

static void
test_all_broken (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("all-broken");
  HsWindow *window = hs_test_window_new (engine, "all-broken", 900);
  g_autofree char *report = NULL;
  HsFinishPage *finish;

  g_assert_true (gtk_widget_get_visible (hs_window_get_practice_notice (window)));
  hs_test_screenshot (GTK_WIDGET (window), "00-welcome");
  start (window);

  for (int s = HS_STEP_CLOCK; s <= HS_STEP_ACCOUNTS; s++)
    {
      g_autofree char *name = g_strdup_printf ("%02d-step%d-problem", s, s);
      g_assert_false (good (status_of (engine, s)));
      assert_shown (window, engine, s);
      hs_window_show_page (window, s);
      hs_test_screenshot (GTK_WIDGET (window), name);
    }
  /* The clock fix needs administrator rights: the shield shows. */
  g_assert_cmpint (hs_result_get_fix (hs_engine_get_result (engine, HS_STEP_CLOCK)), ==, HS_FIX_AUTOMATIC_ADMIN);
  g_assert_true (gtk_widget_get_visible (hs_window_get_fix_all_button (window)));

  for (int s = HS_STEP_CLOCK; s <= HS_STEP_ACCOUNTS; s++)
    {
      g_autofree char *name = g_strdup_printf ("%02d-step%d-fixed", s + 4, s);
      fix_step (window, engine, s);
      g_test_message ("step %d: %s", s, hs_result_get_code (hs_engine_get_result (engine, s)));
      g_assert_true (good (status_of (engine, s)));
      assert_shown (window, engine, s);
      hs_test_screenshot (GTK_WIDGET (window), name);
    }

  hs_window_show_page (window, 5);
  hs_test_screenshot (GTK_WIDGET (window), "09-finish");
  finish = HS_FINISH_PAGE (hs_window_get_finish_page (window));
  /* Step 3 asks for a restart: the button to restart the computer shows. */
  g_assert_true (gtk_widget_is_visible (hs_finish_page_get_restart_computer_button (finish)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (hs_finish_page_get_english_check (finish)), TRUE);
  report = hs_finish_page_get_report_text (finish);
  g_test_message ("%s", report);
  g_assert_nonnull (strstr (report, "elevate_clock_fix"));
  g_assert_nonnull (strstr (report, "delete_credential"));
  g_assert_nonnull (strstr (report, "reregister_package"));
  g_assert_nonnull (strstr (report, "open_settings"));
  g_assert_null (strstr (report, "jane.doe@contoso.com"));

  gtk_window_destroy (GTK_WINDOW (window));

  /* Narrow, on the same engine: the strip folds, nothing is cut off. */
  window = hs_test_window_new (engine, "all-broken", 360);
  hs_window_show_page (window, HS_STEP_CREDENTIALS);
  hs_test_spin (200);
  g_assert_true (hs_step_strip_get_compact (HS_STEP_STRIP (hs_window_get_strip (window))));
  for (int s = HS_STEP_CLOCK; s <= HS_STEP_ACCOUNTS; s++)
    assert_shown (window, engine, s);
  hs_test_screenshot (GTK_WIDGET (window), "10-narrow-step2-fixed");
  hs_window_show_page (window, 5);
  hs_test_screenshot (GTK_WIDGET (window), "11-narrow-finish");
  gtk_window_destroy (GTK_WINDOW (window));

  /* Tall enough to show the whole summary with the report buttons. */
  window = hs_test_window_new_full (engine, "all-broken", 900, 1000);
  hs_window_show_page (window, 5);
  hs_test_screenshot (GTK_WIDGET (window), "12-finish-full");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_narrow_problems (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("all-broken");
  HsWindow *window = hs_test_window_new (engine, "all-broken", 360);

  hs_test_screenshot (GTK_WIDGET (window), "20-narrow-welcome");
  start (window);
  for (int s = HS_STEP_CLOCK; s <= HS_STEP_ACCOUNTS; s++)
    {
      g_autofree char *name = g_strdup_printf ("%02d-narrow-step%d-problem", 20 + s, s);
      hs_window_show_page (window, s);
      hs_test_screenshot (GTK_WIDGET (window), name);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_fix_everything (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("all-broken");
  HsWindow *window = hs_test_window_new (engine, "all-broken", 900);

  start (window);
  hs_test_click (hs_window_get_fix_all_button (window));
  g_assert_true (hs_test_confirm (window, TRUE));
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  for (int s = HS_STEP_CLOCK; s <= HS_STEP_BROKER; s++)
    {
      g_assert_true (good (status_of (engine, s)));
      assert_shown (window, engine, s);
    }
  /* Step 4 is guided: the wizard stops there. */
  g_assert_false (good (status_of (engine, HS_STEP_ACCOUNTS)));
  g_assert_cmpint (hs_window_get_page (window), ==, HS_STEP_ACCOUNTS);
  /* Office sign-ins were not selected, so they are still there. */
  g_assert_cmpstr (hs_result_get_code (hs_engine_get_result (engine, HS_STEP_CREDENTIALS)), !=,
                   HS_CODE_CREDS_STALE);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_healthy (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("healthy");
  HsWindow *window = hs_test_window_new (engine, "healthy", 900);

  start (window);
  for (int s = HS_STEP_CLOCK; s <= HS_STEP_ACCOUNTS; s++)
    {
      HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, s));
      g_assert_true (good (status_of (engine, s)));
      assert_shown (window, engine, s);
      g_assert_false (gtk_widget_get_visible (hs_step_page_get_fix_button (page)));
      g_assert_false (gtk_widget_get_visible (hs_step_page_get_settings_button (page)));
      g_assert_false (hs_step_page_get_failure_visible (page));
    }
  g_assert_false (gtk_widget_get_visible (hs_window_get_fix_all_button (window)));
  hs_window_show_page (window, 1);
  hs_test_screenshot (GTK_WIDGET (window), "30-healthy-step1");
  hs_window_show_page (window, 5);
  g_assert_false (gtk_widget_is_visible (
    hs_finish_page_get_restart_computer_button (HS_FINISH_PAGE (hs_window_get_finish_page (window)))));
  hs_test_screenshot (GTK_WIDGET (window), "31-healthy-finish");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  hs_window_show_page (window, 1);
  hs_test_screenshot (GTK_WIDGET (window), "32-dark-healthy-step1");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_access_denied (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("access-denied");
  HsWindow *window = hs_test_window_new (engine, "access-denied", 900);

  start (window);
  for (int s = HS_STEP_CLOCK; s <= HS_STEP_BROKER; s++)
    {
      HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, s));
      const char *code;
      g_autofree char *name = g_strdup_printf ("%02d-access-denied-step%d", 40 + s, s);

      fix_step (window, engine, s);
      code = hs_result_get_code (hs_engine_get_result (engine, s));
      g_test_message ("step %d after failed fix: %s", s, code);
      g_assert_false (good (status_of (engine, s)));
      g_assert_true (hs_ui_code_is_failure (code));
      g_assert_true (hs_step_page_get_failure_visible (page));
      g_assert_cmpstr (hs_step_page_get_failure_text (page), ==, hs_ui_failure_advice (code));
      g_assert_cmpstr (hs_step_page_get_failure_text (page), !=, "");
      assert_shown (window, engine, s);
      hs_test_screenshot (GTK_WIDGET (window), name);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

#define last_toast hs_test_last_toast

static void
test_undo (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("all-broken");
  HsWindow *window = hs_test_window_new (engine, "all-broken", 900);
  AdwToast *toast;
  const char *code;

  start (window);
  fix_step (window, engine, HS_STEP_CREDENTIALS);
  g_assert_cmpstr (hs_result_get_code (hs_engine_get_result (engine, HS_STEP_CREDENTIALS)), ==,
                   HS_CODE_CREDS_REMOVED);
  toast = last_toast (GTK_WIDGET (window));
  g_assert_nonnull (toast);
  g_assert_nonnull (adw_toast_get_button_label (toast));
  g_signal_emit_by_name (toast, "button-clicked");
  g_assert_true (hs_test_wait_idle (window, 30000));
  code = hs_result_get_code (hs_engine_get_result (engine, HS_STEP_CREDENTIALS));
  g_test_message ("after undo: %s", code);
  g_assert_true (g_str_equal (code, HS_CODE_CREDS_RESTORED) || g_str_equal (code, HS_CODE_CREDS_STALE));
  assert_shown (window, engine, HS_STEP_CREDENTIALS);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
clock_zone_gone (gpointer data)
{
  HsEngine *engine = data;
  return hs_engine_get_state (engine, HS_STEP_CLOCK) == HS_STEP_STATE_DONE &&
         !g_str_equal (hs_result_get_code (hs_engine_get_result (engine, HS_STEP_CLOCK)), HS_CODE_CLOCK_TIMEZONE);
}

static void
test_wrong_timezone (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("wrong-timezone");
  HsWindow *window = hs_test_window_new (engine, "wrong-timezone", 900);
  HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, HS_STEP_CLOCK));

  start (window);
  g_assert_cmpstr (hs_result_get_code (hs_engine_get_result (engine, HS_STEP_CLOCK)), ==, HS_CODE_CLOCK_TIMEZONE);
  g_assert_false (gtk_widget_get_visible (hs_step_page_get_fix_button (page)));
  g_assert_true (gtk_widget_get_visible (hs_step_page_get_settings_button (page)));
  hs_window_show_page (window, 1);
  hs_test_screenshot (GTK_WIDGET (window), "50-timezone-step1");
  hs_test_click (hs_step_page_get_settings_button (page));
  g_assert_true (hs_test_spin_until (clock_zone_gone, engine, 30000));
  g_assert_true (hs_test_wait_idle (window, 30000));
  /* The zone is right now; what drift is left has an automatic fix. */
  if (!good (status_of (engine, HS_STEP_CLOCK)))
    fix_step (window, engine, HS_STEP_CLOCK);
  g_assert_true (good (status_of (engine, HS_STEP_CLOCK)));
  assert_shown (window, engine, HS_STEP_CLOCK);

  /* Keyboard navigation goes through the same actions as Alt+Left/Right. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL));
  g_assert_cmpint (hs_window_get_page (window), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  g_assert_cmpint (hs_window_get_page (window), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_cancel (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("all-broken");
  HsWindow *window = hs_test_window_new (engine, "all-broken", 900);

  start (window);
  hs_test_click (hs_window_get_fix_all_button (window));
  g_assert_true (hs_test_confirm (window, TRUE));
  /* Step 1's fix has started; nothing has come back to the main loop yet. */
  g_assert_true (hs_window_get_busy (window));
  /* The Cancel button in the header bar runs this action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  g_assert_true (hs_test_wait_idle (window, 30000));
  g_assert_false (hs_window_get_busy (window));
  /* Not every step was fixed, and the window still works afterwards. */
  g_assert_false (good (status_of (engine, HS_STEP_BROKER)) && good (status_of (engine, HS_STEP_CREDENTIALS)));
  fix_step (window, engine, HS_STEP_BROKER);
  g_assert_true (good (status_of (engine, HS_STEP_BROKER)));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_close_while_busy (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("all-broken");
  HsWindow *window = hs_test_window_new (engine, "all-broken", 900);

  start (window);
  hs_window_show_page (window, HS_STEP_BROKER);
  hs_test_click (hs_step_page_get_fix_button (HS_STEP_PAGE (hs_window_get_step_page (window, HS_STEP_BROKER))));
  hs_test_click (hs_step_page_get_check_again_button (HS_STEP_PAGE (hs_window_get_step_page (window, HS_STEP_CLOCK))));
  /* Closing cancels the work; callbacks that come back later find the
   * pages gone and must not touch them. */
  gtk_window_close (GTK_WINDOW (window));
  hs_test_spin (500);
  for (int s = HS_STEP_CLOCK; s <= HS_STEP_ACCOUNTS; s++)
    g_assert_cmpint (hs_engine_get_state (engine, s), !=, HS_STEP_STATE_FIXING);
}

static void
test_offline (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("offline");
  HsWindow *window = hs_test_window_new (engine, "offline", 900);

  start (window);
  g_assert_cmpint (status_of (engine, HS_STEP_CLOCK), ==, HS_STATUS_UNVERIFIED);
  assert_shown (window, engine, HS_STEP_CLOCK);
  hs_window_show_page (window, 1);
  hs_test_screenshot (GTK_WIDGET (window), "60-offline-step1");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* What the advice tells the person to press is on screen without
 * scrolling, in a window of the size the wizard opens with. */
static void
test_offline_default_size (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("offline");
  HsWindow *window = hs_window_new (NULL, engine, "offline");
  HsStepPage *page;
  GtkWidget *button, *viewport;
  graphene_rect_t bounds;
  int w = 0, h = 0;

  gtk_window_get_default_size (GTK_WINDOW (window), &w, &h);
  gtk_window_present (GTK_WINDOW (window));
  hs_test_spin (200);
  start (window);
  hs_window_show_page (window, HS_STEP_CLOCK);
  hs_test_spin (200);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_test_message ("window %d × %d (default %d × %d)", gtk_widget_get_width (GTK_WIDGET (window)),
                  gtk_widget_get_height (GTK_WIDGET (window)), w, h);
  page = HS_STEP_PAGE (hs_window_get_step_page (window, HS_STEP_CLOCK));
  g_assert_cmpstr (hs_result_get_code (hs_engine_get_result (engine, HS_STEP_CLOCK)), ==, HS_CODE_CLOCK_UNREACHABLE);
  g_assert_true (hs_step_page_get_failure_visible (page));
  g_assert_nonnull (strstr (hs_step_page_get_failure_text (page), _("Check again")));
  button = hs_step_page_get_check_again_button (page);
  viewport = gtk_widget_get_ancestor (button, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_compute_bounds (button, viewport, &bounds));
  g_test_message ("“Check again” at y %.0f–%.0f of a viewport %d px high",
                  bounds.origin.y, bounds.origin.y + bounds.size.height, gtk_widget_get_height (viewport));
  hs_test_screenshot (GTK_WIDGET (window), "62-offline-default-size");
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (viewport));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_uac_declined (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("uac-declined");
  HsWindow *window = hs_test_window_new (engine, "uac-declined", 900);
  HsStepPage *page = HS_STEP_PAGE (hs_window_get_step_page (window, HS_STEP_CLOCK));

  start (window);
  fix_step (window, engine, HS_STEP_CLOCK);
  g_assert_cmpstr (hs_result_get_code (hs_engine_get_result (engine, HS_STEP_CLOCK)), ==, HS_CODE_CLOCK_FIX_DECLINED);
  g_assert_true (hs_step_page_get_failure_visible (page));
  g_assert_cmpstr (hs_step_page_get_failure_text (page), ==, hs_ui_failure_advice (HS_CODE_CLOCK_FIX_DECLINED));
  /* Asking again is offered. */
  g_assert_true (gtk_widget_get_visible (hs_step_page_get_fix_button (page)));
  hs_test_screenshot (GTK_WIDGET (window), "61-uac-declined-step1");
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkCheckButton *
find_account_radio (GtkWidget *w, const char *email)
{
  const char *e = g_object_get_data (G_OBJECT (w), "hs-email");

  if (GTK_IS_CHECK_BUTTON (w) && e != NULL && g_ascii_strcasecmp (e, email) == 0)
    return GTK_CHECK_BUTTON (w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkCheckButton *found = find_account_radio (c, email);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
assert_account_marks (HsEngine *engine, const char *chosen)
{
  GPtrArray *items = hs_result_get_items (hs_engine_get_result (engine, HS_STEP_ACCOUNTS));
  guint n = 0;

  for (guint i = 0; i < items->len; i++)
    {
      const HsItem *item = g_ptr_array_index (items, i);
      gboolean is_choice = g_ascii_strcasecmp (hs_item_get_string (item, "email"), chosen) == 0;

      if (g_strcmp0 (item->kind, "account") != 0)
        continue;
      n++;
      g_assert_cmpint (hs_item_get_bool (item, "teams_account", !is_choice), ==, is_choice);
      g_assert_cmpint (hs_item_get_bool (item, "remove_suggested", is_choice), ==, !is_choice);
    }
  g_assert_cmpuint (n, >, 1);
}

/* Step 4: the account the person picks reaches the engine, and the
 * re-checked result marks the others for removal. */
static void
test_account_choice (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("many-accounts");
  HsWindow *window = hs_test_window_new (engine, "many-accounts", 900);
  GtkWidget *page;
  GtkCheckButton *radio;

  start (window);
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  /* Three work accounts: nothing is picked for the person. */
  g_assert_null (hs_engine_get_work_account (engine));
  hs_window_show_page (window, HS_STEP_ACCOUNTS);
  page = hs_window_get_step_page (window, HS_STEP_ACCOUNTS);
  radio = find_account_radio (page, "l.fischer@fabrikam.com");
  g_assert_nonnull (radio);
  gtk_check_button_set_active (radio, TRUE);
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  g_assert_cmpstr (hs_engine_get_work_account (engine), ==, "l.fischer@fabrikam.com");
  g_assert_cmpstr (hs_step_page_get_work_account (HS_STEP_PAGE (page)), ==, "l.fischer@fabrikam.com");
  assert_account_marks (engine, "l.fischer@fabrikam.com");
  hs_test_screenshot (GTK_WIDGET (window), "70-accounts-chosen");
  gtk_window_destroy (GTK_WINDOW (window));

  /* One work account: it is chosen without asking. */
  g_clear_object (&engine);
  engine = hs_test_engine_new ("all-broken");
  window = hs_test_window_new (engine, "all-broken", 900);
  start (window);
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  g_assert_cmpstr (hs_engine_get_work_account (engine), ==, "jane.doe@contoso.com");
  assert_account_marks (engine, "jane.doe@contoso.com");
  /* Jane.Doe@contoso.com, the personal account with the same address, is
   * listed too: the work one stays picked. */
  radio = find_account_radio (hs_window_get_step_page (window, HS_STEP_ACCOUNTS), "jane.doe@contoso.com");
  g_assert_cmpstr (g_object_get_data (G_OBJECT (radio), "hs-email"), ==, "jane.doe@contoso.com");
  g_assert_true (gtk_check_button_get_active (radio));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The finish page restarts the (simulated) computer after asking, then
 * shows the state after the restart. */
static void
test_restart_computer (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("all-broken");
  HsWindow *window = hs_test_window_new (engine, "all-broken", 900);
  HsFinishPage *finish;

  start (window);
  fix_step (window, engine, HS_STEP_BROKER);
  g_assert_cmpint (status_of (engine, HS_STEP_BROKER), ==, HS_STATUS_NEEDS_RESTART);
  hs_window_show_page (window, 5);
  finish = HS_FINISH_PAGE (hs_window_get_finish_page (window));
  g_assert_true (gtk_widget_is_visible (hs_finish_page_get_restart_computer_button (finish)));
  hs_test_click (hs_finish_page_get_restart_computer_button (finish));
  g_assert_true (hs_test_confirm (window, TRUE));
  hs_test_spin (100);
  g_assert_true (hs_test_wait_idle (window, TIMEOUT_MS));
  g_assert_cmpint (status_of (engine, HS_STEP_BROKER), ==, HS_STATUS_OK);
  g_assert_false (gtk_widget_is_visible (hs_finish_page_get_restart_computer_button (finish)));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  hs_test_init (&argc, &argv);
  g_test_add_func ("/ui/wizard/all-broken", test_all_broken);
  g_test_add_func ("/ui/wizard/narrow", test_narrow_problems);
  g_test_add_func ("/ui/wizard/fix-everything", test_fix_everything);
  g_test_add_func ("/ui/wizard/healthy", test_healthy);
  g_test_add_func ("/ui/wizard/access-denied", test_access_denied);
  g_test_add_func ("/ui/wizard/undo", test_undo);
  g_test_add_func ("/ui/wizard/offline", test_offline);
  g_test_add_func ("/ui/wizard/offline-default-size", test_offline_default_size);
  g_test_add_func ("/ui/wizard/uac-declined", test_uac_declined);
  g_test_add_func ("/ui/wizard/cancel", test_cancel);
  g_test_add_func ("/ui/wizard/close-while-busy", test_close_while_busy);
  g_test_add_func ("/ui/wizard/wrong-timezone", test_wrong_timezone);
  g_test_add_func ("/ui/wizard/account-choice", test_account_choice);
  g_test_add_func ("/ui/wizard/restart-computer", test_restart_computer);
  return g_test_run ();
}
