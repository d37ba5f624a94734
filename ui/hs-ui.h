/* hs-ui.h — one call that readies the widget library (resources, styles,
 * types) for the application and for tests. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_UI_RESOURCE_PATH "/io/github/handshake/Handshake/ui/"

/* Call after gtk_init()/adw_init() or from GApplication::startup. */
void hs_ui_init (void);

#ifdef G_OS_WIN32
/* hs-ui-win32.c: before GTK starts, then from GApplication::startup. */
void hs_ui_win32_choose_renderer (void);
void hs_ui_win32_fix_wine_font   (void);
#endif

/* The native handle of a realized window (its HWND on Windows), for the
 * prompts Windows opens on its behalf; 0 elsewhere or when not realized. */
guintptr hs_ui_window_handle (GtkWindow *window);

G_END_DECLS
