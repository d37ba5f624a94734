/* hs-ui-win32.c — how the wizard starts on Windows: the renderer, and the
 * font under Wine. Built only for Windows. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <gdk/win32/gdkwin32.h>

#include "hs-ui.h"
#include "hs-win32.h"

/* A troubleshooting tool has to open on the machines that are in trouble,
 * and a broken or old GPU driver is one of those. GTK's GL renderer goes
 * through the vendor's OpenGL driver; MSYS2's GTK 4 packages and several
 * GTK 4 applications have had crash and blank-window reports on Windows
 * that went away with GSK_RENDERER=cairo. Nothing Handshake draws needs the
 * GPU (no animation beyond a page slide, no video), so the software
 * renderer is the default. A GSK_RENDERER the user or support set wins.
 * Must run before GTK initialises. */
void
hs_ui_win32_choose_renderer (void)
{
  if (g_getenv ("GSK_RENDERER") == NULL)
    g_setenv ("GSK_RENDERER", "cairo", FALSE);
}

/* GTK takes gtk-font-name from Windows' message font. On real Windows that
 * is Segoe UI (or the user's choice), and it stays untouched: Windows' font
 * linking brings in the CJK and Arabic faces. Under Wine the message font is
 * Wine's Tahoma, which Pango 1.50's win32 font map draws as empty boxes
 * (and "Segoe UI" too), so the test machines would show nothing but tofu.
 * Only there, name faces Wine takes from the host's fontconfig. Noto Sans
 * CJK covers Latin and kana/han in one face (DejaVu and plain Noto Sans
 * lose glyphs under Wine's GDI: "f" drawn as a dagger, "i" without its
 * dot), in the Simplified Chinese or Japanese forms as the language asks;
 * Noto Sans Arabic takes what it lacks. Call after GTK is initialised
 * (GApplication::startup). */
void
hs_ui_win32_fix_wine_font (void)
{
  const char *lang = g_get_language_names ()[0];
  GtkSettings *settings;

  if (!hs_win32_running_under_wine ())
    return;
  settings = gtk_settings_get_default ();
  if (settings != NULL)
    g_object_set (settings, "gtk-font-name",
                  g_str_has_prefix (lang, "zh") ? "Noto Sans CJK SC, Noto Sans Arabic 10"
                                                : "Noto Sans CJK JP, Noto Sans Arabic 10",
                  NULL);
}

guintptr
hs_ui_window_handle (GtkWindow *window)
{
  GdkSurface *surface;

  if (!gtk_widget_get_realized (GTK_WIDGET (window)))
    return 0;
  surface = gtk_native_get_surface (GTK_NATIVE (window));
  if (surface == NULL || !GDK_IS_WIN32_SURFACE (surface))
    return 0;
  return (guintptr) gdk_win32_surface_get_handle (surface);
}
