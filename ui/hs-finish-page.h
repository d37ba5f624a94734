/* hs-finish-page.h — where things stand, what to do now, the report. */
#pragma once

#include <adwaita.h>
#include "hs-engine.h"

G_BEGIN_DECLS

#define HS_TYPE_FINISH_PAGE (hs_finish_page_get_type ())
G_DECLARE_FINAL_TYPE (HsFinishPage, hs_finish_page, HS, FINISH_PAGE, AdwBin)

GtkWidget *hs_finish_page_new             (HsEngine *engine);
void       hs_finish_page_refresh         (HsFinishPage *self);
/* Adds the next step's row (steps come in order, from 1). */
void       hs_finish_page_add_step        (HsFinishPage *self, HsStep step, const char *title);
void       hs_finish_page_set_cancellable (HsFinishPage *self, GCancellable *cancellable);
/* The report as "Copy report" would copy it now. */
char      *hs_finish_page_get_report_text (HsFinishPage *self);
GtkWidget *hs_finish_page_get_restart_computer_button (HsFinishPage *self);
GtkWidget *hs_finish_page_get_english_check (HsFinishPage *self);
GtkWidget *hs_finish_page_get_restart_teams_button (HsFinishPage *self);
/* What restarting Teams did, as the page says it (translated). */
char      *hs_finish_page_teams_restart_text (const HsTeamsRestart *report);
/* What the page said after the last "Restart Teams", or NULL. */
const char *hs_finish_page_get_teams_text (HsFinishPage *self);
/* "Still can't sign in?": the network check (an HsNetworkPanel). */
GtkWidget *hs_finish_page_get_network_panel (HsFinishPage *self);
/* Scrolls the page so that "Still can't sign in?" is in view. */
void       hs_finish_page_show_network      (HsFinishPage *self);

/* Signal: step-activated (int step) — a step row was activated. */

G_END_DECLS
