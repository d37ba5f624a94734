/* test-ui-network.c — issue 14 in the real window: "Teams shows another
 * code?" on the welcome page, and "Still can't sign in?" (the network check)
 * on the summary, in practice mode (scenario tls-inspection: the four steps
 * are fine, the sign-in service is reached through an inspecting proxy).
 * Screenshots: 80-welcome-another-code, 81-finish-network-inspected,
 * 82-narrow-finish-network-inspected. */
#define G_LOG_DOMAIN "Handshake-UI-Test"
#include "config.h"

#include <string.h>

#include "hs-test-util.h"
#include "hs-code-explainer.h"
#include "hs-codes.h"
#include "hs-finish-page.h"
#include "hs-network-panel.h"
#include "hs-teams-codes.h"
#include "hs-welcome-page.h"

#define TIMEOUT_MS 20000

static HsCodeExplainer *
explainer_of (HsWindow *window)
{
  return HS_CODE_EXPLAINER (hs_welcome_page_get_explainer (
    HS_WELCOME_PAGE (hs_window_get_welcome_page (window))));
}

static HsNetworkPanel *
panel_of (HsWindow *window)
{
  return HS_NETWORK_PANEL (hs_finish_page_get_network_panel (
    HS_FINISH_PAGE (hs_window_get_finish_page (window))));
}

static gboolean
network_done (gpointer data)
{
  HsEngine *engine = data;

  return !hs_engine_get_network_busy (engine) && hs_engine_get_network (engine) != NULL;
}

static gboolean
network_busy (gpointer data)
{
  return hs_engine_get_network_busy (HS_ENGINE (data));
}

/* The result rows under @widget (class hs-net-result), in order. */
static void
collect_rows (GtkWidget *widget, GPtrArray *rows)
{
  if (gtk_widget_has_css_class (widget, "hs-net-result"))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_rows (c, rows);
}

static GPtrArray *
endpoint_rows (HsWindow *window)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (panel_of (window)), rows);
  return rows;
}

/* The texts of a row's labels of @style, joined by newlines. */
static char *
row_text (GtkWidget *widget, const char *style)
{
  GString *text = g_string_new (NULL);
  GPtrArray *todo = g_ptr_array_new ();

  g_ptr_array_add (todo, widget);
  while (todo->len > 0)
    {
      GtkWidget *w = g_ptr_array_steal_index (todo, 0);

      if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, style))
        g_string_append_printf (text, "%s%s", text->len ? "\n" : "", gtk_label_get_text (GTK_LABEL (w)));
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (todo, c);
    }
  g_ptr_array_unref (todo);
  return g_string_free (text, FALSE);
}

/* Every label of @row lies inside it: wrapped text that runs past the card
 * (as it once did in Japanese) fails here. */
static void
assert_inside (GtkWidget *row)
{
  GPtrArray *todo = g_ptr_array_new ();

  g_ptr_array_add (todo, row);
  while (todo->len > 0)
    {
      GtkWidget *w = g_ptr_array_steal_index (todo, 0);
      graphene_rect_t r;

      if (GTK_IS_LABEL (w))
        {
          g_assert_true (gtk_widget_compute_bounds (w, row, &r));
          g_assert_cmpfloat (r.origin.x, >=, 0);
          g_assert_cmpfloat (r.origin.x + r.size.width, <=, gtk_widget_get_width (row) + 0.5);
        }
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (todo, c);
    }
  g_ptr_array_unref (todo);
}

static void
test_explain_codes (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("tls-inspection");
  HsWindow *window = hs_test_window_new_full (engine, "tls-inspection", 900, 900);
  HsCodeExplainer *ex = explainer_of (window);
  GtkWidget *result = hs_code_explainer_get_result_label (ex);
  GtkWidget *action = hs_code_explainer_get_action_button (ex);
  HsTeamsCode info;

  /* Calm by default: the entry is folded away. */
  g_assert_false (gtk_expander_get_expanded (GTK_EXPANDER (hs_code_explainer_get_expander (ex))));

  /* Garbage: said so, nothing recorded. */
  hs_code_explainer_explain (ex, "hello");
  g_assert_true (gtk_widget_get_visible (hs_code_explainer_get_error_label (ex)));
  g_assert_false (gtk_widget_is_visible (result));
  g_assert_cmpuint (hs_engine_get_teams_codes (engine)->len, ==, 0);

  /* An IT matter: no button to press, the code recorded. */
  hs_code_explainer_explain (ex, " 0xcaa20004 ");
  g_assert_false (gtk_widget_get_visible (hs_code_explainer_get_error_label (ex)));
  g_assert_true (hs_teams_code_explain ("0xCAA20004", &info, NULL));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (result)), ==, hs_teams_code_meaning (&info, FALSE));
  g_assert_false (gtk_widget_get_visible (action));
  g_assert_cmpstr (g_ptr_array_index (hs_engine_get_teams_codes (engine), 0), ==, "0xCAA20004");

  /* Unknown: IT's advice as well. */
  hs_code_explainer_explain (ex, "0x12345678");
  g_assert_false (gtk_widget_get_visible (action));
  g_assert_cmpuint (hs_engine_get_teams_codes (engine)->len, ==, 2);

  /* A network code: the button leads to the network check. */
  hs_code_explainer_explain (ex, "caa82ee2");
  g_assert_true (gtk_widget_get_visible (action));
  hs_test_screenshot (GTK_WIDGET (window), "80-welcome-another-code");
  hs_test_click (action);
  g_assert_cmpint (hs_window_get_page (window), ==, 5);
  g_assert_true (hs_test_spin_until (network_done, engine, TIMEOUT_MS));
  g_assert_cmpstr (hs_net_check_get_code (hs_engine_get_network (engine)), ==, HS_CODE_NET_INSPECTED);
  gtk_window_destroy (GTK_WINDOW (window));

  /* 0xCAA20003: the four steps. */
  window = hs_test_window_new (engine, "tls-inspection", 900);
  ex = explainer_of (window);
  hs_code_explainer_explain (ex, "0xCAA20003");
  hs_test_click (hs_code_explainer_get_action_button (ex));
  g_assert_cmpint (hs_window_get_page (window), ==, 1);
  g_assert_true (hs_test_wait_checked (window, TIMEOUT_MS));
  g_assert_cmpuint (hs_engine_get_teams_codes (engine)->len, ==, 4);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_network_check (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("tls-inspection");
  HsWindow *window = hs_test_window_new_full (engine, "tls-inspection", 900, 900);
  HsNetworkPanel *panel = panel_of (window);
  HsFinishPage *finish = HS_FINISH_PAGE (hs_window_get_finish_page (window));
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *report = NULL, *title = NULL, *subtitle = NULL;

  /* The four steps first: all fine, and still Teams cannot sign in. */
  hs_test_click (hs_welcome_page_get_start_button (HS_WELCOME_PAGE (hs_window_get_welcome_page (window))));
  g_assert_true (hs_test_wait_checked (window, TIMEOUT_MS));
  hs_window_show_page (window, 5);
  g_assert_null (hs_engine_get_network (engine));
  hs_test_click (hs_network_panel_get_check_button (panel));
  /* Live: busy, the Cancel button shown, the button off until it ends. */
  g_assert_true (hs_test_spin_until (network_busy, engine, 2000));
  g_assert_false (gtk_widget_get_sensitive (hs_network_panel_get_check_button (panel)));
  g_assert_true (hs_window_get_busy (window));
  g_assert_true (hs_test_spin_until (network_done, engine, TIMEOUT_MS));
  g_assert_true (gtk_widget_get_sensitive (hs_network_panel_get_check_button (panel)));
  g_assert_false (hs_window_get_busy (window));

  rows = endpoint_rows (window);
  g_assert_cmpuint (rows->len, ==, 2);
  title = row_text (g_ptr_array_index (rows, 0), "title");
  g_assert_cmpstr (title, ==, g_dgettext (GETTEXT_PACKAGE, "Microsoft sign-in service"));
  subtitle = row_text (g_ptr_array_index (rows, 0), "subtitle");
  g_test_message ("row 0: %s", subtitle);
  g_assert_nonnull (strstr (subtitle, "net.inspected"));
  g_assert_nonnull (strstr (subtitle, "0xCAA70004"));
  g_assert_nonnull (strstr (subtitle, "Contoso Secure Web Gateway CA"));
  g_assert_nonnull (strstr (subtitle, "proxy.contoso.com"));
  g_free (subtitle);
  subtitle = row_text (g_ptr_array_index (rows, 1), "subtitle");
  g_assert_nonnull (strstr (subtitle, "net.ok"));
  g_assert_null (strstr (subtitle, "0xCAA"));
  hs_finish_page_show_network (finish);
  /* New rows are laid out over a few frames: the picture waits for them. */
  hs_test_spin (500);
  for (guint i = 0; i < rows->len; i++)
    assert_inside (g_ptr_array_index (rows, i));
  hs_test_screenshot (GTK_WIDGET (window), "81-finish-network-inspected");
  /* The report carries it. */
  report = hs_finish_page_get_report_text (finish);
  g_assert_nonnull (strstr (report, "net.inspected"));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Narrow, after the check. */
  window = hs_test_window_new_full (engine, "tls-inspection", 360, 900);
  hs_window_show_page (window, 5);
  hs_finish_page_show_network (HS_FINISH_PAGE (hs_window_get_finish_page (window)));
  hs_test_spin (500);
  hs_test_screenshot (GTK_WIDGET (window), "82-narrow-finish-network-inspected");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_network_cancel (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("tls-inspection");
  HsWindow *window = hs_test_window_new (engine, "tls-inspection", 900);
  HsNetCheck *check;

  hs_window_show_page (window, 5);
  hs_network_panel_start (panel_of (window));
  g_assert_true (hs_test_spin_until (network_busy, engine, 2000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL);
  g_assert_true (hs_test_spin_until (network_done, engine, 3000));
  check = hs_engine_get_network (engine);
  g_assert_cmpint (hs_net_check_get_status (check), ==, HS_STATUS_UNVERIFIED);
  g_assert_cmpstr (hs_net_check_get_code (check), ==, HS_CODE_NET_UNVERIFIED);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  hs_test_init (&argc, &argv);
  g_test_add_func ("/ui/network/explain-codes", test_explain_codes);
  g_test_add_func ("/ui/network/check", test_network_check);
  g_test_add_func ("/ui/network/cancel", test_network_cancel);
  return g_test_run ();
}
