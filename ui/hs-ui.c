#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include "hs-ui.h"
#include "hs-confirm-dialog.h"
#include "hs-finish-page.h"
#include "hs-step-page.h"
#include "hs-step-strip.h"
#include "hs-squeezer.h"
#include "hs-welcome-page.h"
#include "hs-window.h"

void hs_ui_register_resource (void);

void
hs_ui_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
      GdkDisplay *display = gdk_display_get_default ();

      adw_init ();
      hs_ui_register_resource ();
      gtk_css_provider_load_from_resource (css, HS_UI_RESOURCE_PATH "hs-ui.css");
      if (display != NULL)
        gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                                    GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      /* Types named in templates must exist before the builder meets them. */
      g_type_ensure (HS_TYPE_SQUEEZER);
      g_type_ensure (HS_TYPE_STEP_STRIP);
      g_type_ensure (HS_TYPE_WELCOME_PAGE);
      g_type_ensure (HS_TYPE_STEP_PAGE);
      g_type_ensure (HS_TYPE_FINISH_PAGE);
      g_type_ensure (HS_TYPE_CONFIRM_DIALOG);
      g_type_ensure (HS_TYPE_WINDOW);
      g_once_init_leave (&once, 1);
    }
}

#ifndef G_OS_WIN32
/* Windows' is in hs-ui-win32.c; nothing else takes a native owner. */
guintptr
hs_ui_window_handle (GtkWindow *window)
{
  return 0;
}
#endif
