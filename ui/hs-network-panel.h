/* hs-network-panel.h — "Still can't sign in?": the network check of the
 * sign-in path on the summary page (core/net through the engine). */
#pragma once

#include <adwaita.h>
#include "hs-engine.h"

G_BEGIN_DECLS

#define HS_TYPE_NETWORK_PANEL (hs_network_panel_get_type ())
G_DECLARE_FINAL_TYPE (HsNetworkPanel, hs_network_panel, HS, NETWORK_PANEL, AdwBin)

GtkWidget *hs_network_panel_new              (void);
void       hs_network_panel_set_engine       (HsNetworkPanel *self, HsEngine *engine);
void       hs_network_panel_set_cancellable  (HsNetworkPanel *self, GCancellable *cancellable);
/* Runs the check, as the Check button does (nothing when one runs). */
void       hs_network_panel_start            (HsNetworkPanel *self);
GtkWidget *hs_network_panel_get_check_button (HsNetworkPanel *self);

G_END_DECLS
