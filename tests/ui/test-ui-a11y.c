/* Every control the user can reach has a name a screen reader can say. */
#define G_LOG_DOMAIN "Handshake-UI-Test"
#include "config.h"

#include "hs-test-util.h"
#include "hs-a11y.h"
#include "hs-confirm-dialog.h"
#include "hs-welcome-page.h"

static gboolean
is_interactive (GtkWidget *w)
{
  if (GTK_IS_BUTTON (w) || GTK_IS_CHECK_BUTTON (w) || GTK_IS_SWITCH (w) ||
      GTK_IS_ENTRY (w) || GTK_IS_EXPANDER (w) || GTK_IS_TEXT (w))
    return TRUE;
  if (GTK_IS_LIST_BOX_ROW (w))
    return gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (w));
  return FALSE;
}

static void
walk (GtkWidget *w, guint *n_checked, GString *missing)
{
  if (!gtk_widget_get_mapped (w) || GTK_IS_WINDOW_CONTROLS (w))
    return;
  if (is_interactive (w))
    {
      g_autofree char *name = hs_a11y_describe (w);
      (*n_checked)++;
      if (name == NULL || *g_strstrip (name) == '\0')
        g_string_append_printf (missing, "%s (%s) without a name\n",
                                G_OBJECT_TYPE_NAME (w), gtk_widget_get_name (w));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    walk (c, n_checked, missing);
}

static void
check_tree (GtkWidget *root, const char *where)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  guint n = 0;

  hs_test_spin (100);
  walk (root, &n, missing);
  g_test_message ("%s: %u controls checked", where, n);
  g_assert_cmpuint (n, >, 0);
  if (missing->len > 0)
    g_error ("%s:\n%s", where, missing->str);
}

static void
test_checker_can_fail (void)
{
  GtkWidget *icon_only = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  GtkWidget *labelled = gtk_button_new_with_label ("Copy");
  g_autofree char *a = NULL, *b = NULL;

  g_object_ref_sink (icon_only);
  g_object_ref_sink (labelled);
  a = hs_a11y_describe (icon_only);
  b = hs_a11y_describe (labelled);
  g_assert_null (a);
  g_assert_cmpstr (b, ==, "Copy");
  hs_a11y_set_label (icon_only, "Copy");
  g_free (a);
  a = hs_a11y_describe (icon_only);
  g_assert_cmpstr (a, ==, "Copy");
  g_object_unref (icon_only);
  g_object_unref (labelled);
}

static void
test_every_page (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("all-broken");
  HsWindow *window = hs_test_window_new (engine, "all-broken", 900);
  HsConfirmDialog *dialog;

  check_tree (GTK_WIDGET (window), "welcome");
  hs_test_click (hs_welcome_page_get_start_button (HS_WELCOME_PAGE (hs_window_get_welcome_page (window))));
  g_assert_true (hs_test_wait_checked (window, 30000));
  for (int p = 1; p <= 5; p++)
    {
      g_autofree char *where = g_strdup_printf ("page %d", p);
      hs_window_show_page (window, p);
      check_tree (GTK_WIDGET (window), where);
    }

  gtk_window_destroy (GTK_WINDOW (window));

  /* The narrow layout too, on the same engine. */
  window = hs_test_window_new (engine, "all-broken", 360);
  for (int p = 1; p <= 5; p++)
    {
      g_autofree char *where = g_strdup_printf ("narrow page %d", p);
      hs_window_show_page (window, p);
      check_tree (GTK_WIDGET (window), where);
    }

  hs_test_click (hs_window_get_fix_all_button (window));
  g_assert_true (hs_test_wait_dialog (window, 3000));
  dialog = hs_confirm_dialog_get_open (GTK_WINDOW (window));
  check_tree (GTK_WIDGET (dialog), "confirmation");
  hs_confirm_dialog_respond (dialog, FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  hs_test_init (&argc, &argv);
  g_test_add_func ("/ui/a11y/checker-can-fail", test_checker_can_fail);
  g_test_add_func ("/ui/a11y/every-page", test_every_page);
  return g_test_run ();
}
