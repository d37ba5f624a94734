#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "hs-engine.h"
#include "hs-i18n.h"
#include "hs-practice.h"
#include "hs-stall-monitor.h"
#include "hs-text-dump.h"
#include "hs-ui.h"
#include "hs-window.h"

#ifdef G_OS_WIN32
# include "hs-win32.h"
#endif


static gboolean opt_practice;
static char *opt_scenario;
static int opt_step;
static gboolean opt_version;

static gboolean
parse_practice (const char *name, const char *value, gpointer data, GError **error)
{
  opt_practice = TRUE;
  g_free (opt_scenario);
  opt_scenario = (value != NULL && *value != '\0') ? g_strdup (value) : NULL;
  return TRUE;
}

static gboolean
parse_step (const char *name, const char *value, gpointer data, GError **error)
{
  HsStep step;
  char *end = NULL;
  long n = strtol (value ? value : "", &end, 10);

  if (end == value || *end != '\0' || !hs_step_from_number ((int) n, &step))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--step needs a step number from 1 to 4"));
      return FALSE;
    }
  opt_step = (int) n;
  return TRUE;
}

static const GOptionEntry entries[] = {
  { "practice", 'p', G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, parse_practice,
    N_("Practice on a simulated computer (default off Windows)"), N_("SCENARIO") },
  { "step", 's', 0, G_OPTION_ARG_CALLBACK, parse_step,
    N_("Open at step N (1–4) after checking"), N_("N") },
  /* TRANSLATORS: help for --version. */
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, N_("Print the version and exit"), NULL },
  { NULL }
};

static void
show_error_window (GtkApplication *app, const char *message)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = adw_status_page_new ();
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  gtk_window_set_title (GTK_WINDOW (window), _("Handshake"));
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 420);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "dialog-error-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Handshake could not start"));
  adw_status_page_set_description (ADW_STATUS_PAGE (page), escaped);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_activate (GApplication *app)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsEngine) engine = NULL;
  HsPlatform *platform = NULL;
  HsWindow *window;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  if (windows != NULL)
    {
      gtk_window_present (windows->data);
      return;
    }

  hs_ui_init ();
#ifdef G_OS_WIN32
  if (!opt_practice)
    platform = hs_win32_platform_new ();
#endif
  if (platform == NULL)
    platform = hs_practice_platform_new (opt_scenario, &error);
  if (platform == NULL)
    {
      show_error_window (GTK_APPLICATION (app), error->message);
      return;
    }

  engine = hs_engine_new (platform, NULL);
  window = hs_window_new (GTK_APPLICATION (app), engine, opt_scenario);
  hs_text_dump_attach (GTK_WINDOW (window), engine);
  gtk_window_present (GTK_WINDOW (window));
  if (opt_step > 0)
    hs_window_start (window, opt_step);
}

/* Before any window or display: --version only prints. */
static int
on_handle_local_options (GApplication *app, GVariantDict *options)
{
  if (!opt_version)
    return -1;
  g_print ("handshake %s\n", PACKAGE_VERSION);
  return 0;
}

static void
on_startup (GApplication *app)
{
#ifdef G_OS_WIN32
  hs_ui_win32_fix_wine_font ();
#endif
}

static void
on_shutdown (GApplication *app)
{
  hs_stall_monitor_report ("quit");
}


int
main (int argc, char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;
  GOptionGroup *group;
  int status;

  hs_i18n_init ();
#ifdef G_OS_WIN32
  hs_ui_win32_choose_renderer ();
#endif
  hs_stall_monitor_start ();

  app = adw_application_new (APPLICATION_ID, G_APPLICATION_NON_UNIQUE);
  group = g_option_group_new ("handshake", _("Handshake options"), _("Show Handshake options"), NULL, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_application_add_option_group (G_APPLICATION (app), group);
  g_application_set_option_context_summary (G_APPLICATION (app),
    _("Finds and fixes the causes of the Teams sign-in error 0xCAA20003.\n\n"
      "  --practice[=SCENARIO]  practise on a simulated computer (the default off Windows)\n"
      "  --step N               open at step N (1–4) after checking"));
  g_signal_connect (app, "handle-local-options", G_CALLBACK (on_handle_local_options), NULL);
  g_signal_connect (app, "startup", G_CALLBACK (on_startup), NULL);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  g_signal_connect (app, "shutdown", G_CALLBACK (on_shutdown), NULL);

  status = g_application_run (G_APPLICATION (app), argc, argv);
  g_free (opt_scenario);
  return status;
}
