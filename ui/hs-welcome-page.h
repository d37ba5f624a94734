/* hs-welcome-page.h — what the wizard does, and one Start button. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_TYPE_WELCOME_PAGE (hs_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (HsWelcomePage, hs_welcome_page, HS, WELCOME_PAGE, AdwBin)

GtkWidget *hs_welcome_page_new              (void);
GtkWidget *hs_welcome_page_get_start_button (HsWelcomePage *self);

/* Signal: start */

G_END_DECLS
