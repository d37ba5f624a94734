/* Builds every template type with warnings fatal: a widget newer than
 * libadwaita 1.2 or GTK 4.8 in a .ui file only fails at run time. */
#define G_LOG_DOMAIN "Handshake-UI-Test"
#include "config.h"

#include "hs-test-util.h"
#include "hs-code-explainer.h"
#include "hs-confirm-dialog.h"
#include "hs-finish-page.h"
#include "hs-network-panel.h"
#include "hs-squeezer.h"
#include "hs-step-page.h"
#include "hs-step-strip.h"
#include "hs-welcome-page.h"

static void
test_templates (void)
{
  g_autoptr(HsEngine) engine = hs_test_engine_new ("all-broken");
  GtkWidget *widgets[] = {
    hs_welcome_page_new (),
    hs_step_page_new (engine, HS_STEP_CLOCK),
    hs_step_page_new (engine, HS_STEP_CREDENTIALS),
    hs_step_page_new (engine, HS_STEP_BROKER),
    hs_step_page_new (engine, HS_STEP_ACCOUNTS),
    hs_finish_page_new (engine),
    hs_step_strip_new (),
    hs_squeezer_new (),
    hs_code_explainer_new (),
    hs_network_panel_new (),
  };
  HsWindow *window;
  HsConfirmDialog *dialog;

  for (guint i = 0; i < G_N_ELEMENTS (widgets); i++)
    {
      GtkWidget *holder = gtk_window_new ();
      g_test_message ("%s", G_OBJECT_TYPE_NAME (widgets[i]));
      gtk_window_set_child (GTK_WINDOW (holder), widgets[i]);
      gtk_window_present (GTK_WINDOW (holder));
      hs_test_spin (50);
      gtk_window_destroy (GTK_WINDOW (holder));
    }

  window = hs_test_window_new (engine, NULL, 900);
  dialog = hs_confirm_dialog_new (GTK_WINDOW (window), "Heading", "Body", "_OK", TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
  hs_test_spin (50);
  g_assert_true (hs_confirm_dialog_get_open (GTK_WINDOW (window)) == dialog);
  hs_confirm_dialog_respond (dialog, FALSE);
  g_assert_null (hs_confirm_dialog_get_open (GTK_WINDOW (window)));
  gtk_window_destroy (GTK_WINDOW (window));
  hs_test_spin (50);
}

int
main (int argc, char *argv[])
{
  hs_test_init (&argc, &argv);
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_test_add_func ("/ui/smoke/templates", test_templates);
  return g_test_run ();
}
