#define G_LOG_DOMAIN "Handshake-UI-Test"
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "hs-test-util.h"
#include "hs-test-engine.h"
#include "hs-confirm-dialog.h"
#include "hs-practice.h"
#include "hs-ui.h"
#include "hs-welcome-page.h"

static gboolean rtl;
static char *lang_code;   /* "de_DE" for LANGUAGE=de_DE:de, "zh_CN"; "en" when unset */

void
hs_test_init (int *argc, char ***argv)
{
  const char *lang = g_getenv ("LANGUAGE");

  /* The real catalogues, as built in this build tree (BUILD/po/<lang>/
   * LC_MESSAGES/handshake.mo), like the uninstalled program finds them. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, HS_BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* "zh_CN" keeps its region (Simplified Chinese); "de_DE:de" is "de_DE". */
  lang_code = g_strndup (lang ? lang : "en", lang ? strcspn (lang, ":.@") : 2);
  if (*lang_code == '\0')
    {
      g_free (lang_code);
      lang_code = g_strdup ("en");
    }
  g_test_init (argc, argv, NULL);
  gtk_init ();
  adw_init ();
  hs_ui_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  rtl = lang != NULL && g_str_has_prefix (lang, "ar");
  if (rtl)
    gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
}

gboolean
hs_test_is_rtl (void)
{
  return rtl;
}

HsEngine *
hs_test_engine_new (const char *scenario)
{
  return hs_test_engine_for (scenario);
}

HsWindow *
hs_test_window_new (HsEngine *engine, const char *scenario, int width)
{
  return hs_test_window_new_full (engine, scenario, width, 760);
}

HsWindow *
hs_test_window_new_full (HsEngine *engine, const char *scenario, int width, int height)
{
  HsWindow *window = hs_window_new (NULL, engine, scenario);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  hs_test_spin (200);
  return window;
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
hs_test_spin_until (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!timed_out && (cond == NULL || !cond (data)))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return cond == NULL || cond (data);
}

void
hs_test_spin (guint ms)
{
  hs_test_spin_until (NULL, NULL, ms);
}

static gboolean
window_idle (gpointer data)
{
  return !hs_window_get_busy (HS_WINDOW (data));
}

gboolean
hs_test_wait_idle (HsWindow *window, guint timeout_ms)
{
  gboolean ok;

  hs_test_spin (20);
  ok = hs_test_spin_until (window_idle, window, timeout_ms);
  hs_test_spin (50);
  return ok;
}

static gboolean
window_checked (gpointer data)
{
  return hs_window_get_checked (HS_WINDOW (data)) && !hs_window_get_busy (HS_WINDOW (data));
}

gboolean
hs_test_wait_checked (HsWindow *window, guint timeout_ms)
{
  return hs_test_spin_until (window_checked, window, timeout_ms);
}

static gboolean
dialog_open (gpointer data)
{
  return hs_confirm_dialog_get_open (GTK_WINDOW (data)) != NULL;
}

gboolean
hs_test_wait_dialog (HsWindow *window, guint timeout_ms)
{
  return hs_test_spin_until (dialog_open, window, timeout_ms);
}

gboolean
hs_test_confirm (HsWindow *window, gboolean confirmed)
{
  if (!hs_test_wait_dialog (window, 3000))
    return FALSE;
  hs_confirm_dialog_respond (hs_test_open_dialog (window), confirmed);
  return TRUE;
}

HsConfirmDialog *
hs_test_open_dialog (HsWindow *window)
{
  g_assert_true (hs_test_wait_dialog (window, 3000));
  hs_test_spin (100);
  return hs_confirm_dialog_get_open (GTK_WINDOW (window));
}

void
hs_test_start (HsWindow *window, guint timeout_ms)
{
  HsWelcomePage *welcome = HS_WELCOME_PAGE (hs_window_get_welcome_page (window));

  hs_test_click (hs_welcome_page_get_start_button (welcome));
  g_assert_cmpint (hs_window_get_page (window), ==, 1);
  g_assert_true (hs_test_wait_checked (window, timeout_ms));
}

AdwToast *
hs_test_last_toast (GtkWidget *w)
{
  if (ADW_IS_TOAST_OVERLAY (w))
    return g_object_get_data (G_OBJECT (w), "hs-last-toast");
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      AdwToast *t = hs_test_last_toast (c);
      if (t != NULL)
        return t;
    }
  return NULL;
}

void
hs_test_click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
dismiss_toasts (GtkWidget *w)
{
  if (ADW_IS_TOAST_OVERLAY (w))
    {
      AdwToast *t = g_object_get_data (G_OBJECT (w), "hs-last-toast");
      if (t != NULL)
        adw_toast_dismiss (t);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    dismiss_toasts (c);
}

void
hs_test_screenshot (GtkWidget *window, const char *name)
{
  const char *dir = g_getenv ("HS_SCREENSHOT_DIR");
  const char *lang = lang_code ? lang_code : "en";
  g_autofree char *lang_dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  if (dir == NULL || *dir == '\0')
    return;
  lang_dir = g_build_filename (dir, lang, NULL);
  g_mkdir_with_parents (lang_dir, 0755);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (lang_dir, file, NULL);

  dismiss_toasts (window);
  hs_test_spin (150);
  gtk_test_widget_wait_for_draw (window);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s", path);
}
