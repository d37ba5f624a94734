/* hs-welcome-page.h — what the wizard does, one Start button, and what a
 * code other than 0xCAA20003 means. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_TYPE_WELCOME_PAGE (hs_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (HsWelcomePage, hs_welcome_page, HS, WELCOME_PAGE, AdwBin)

GtkWidget *hs_welcome_page_new              (void);
GtkWidget *hs_welcome_page_get_start_button (HsWelcomePage *self);
/* "Teams shows another code?" (an HsCodeExplainer). */
GtkWidget *hs_welcome_page_get_explainer    (HsWelcomePage *self);

/* Signals:
 *   start                          — the four steps (Start, or what a code's advice offers)
 *   code-noted (const char *code)  — a code Teams showed was explained (normalised)
 *   check-network                  — a code's advice offers the network check
 */

G_END_DECLS
