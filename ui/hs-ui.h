/* hs-ui.h — one call that readies the widget library (resources, styles,
 * types) for the application and for tests. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_UI_RESOURCE_PATH "/io/github/handshake/Handshake/ui/"

/* Call after gtk_init()/adw_init() or from GApplication::startup. */
void hs_ui_init (void);

G_END_DECLS
