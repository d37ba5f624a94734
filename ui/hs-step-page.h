/* hs-step-page.h — one wizard step: verdict, what was found, the fix, how
 * to do it by hand, check again. One configurable page for the four steps;
 * the step-specific parts (credential choice, account choice, settings
 * buttons) are built from the step's result. */
#pragma once

#include <adwaita.h>
#include "hs-engine.h"

G_BEGIN_DECLS

#define HS_TYPE_STEP_PAGE (hs_step_page_get_type ())
G_DECLARE_FINAL_TYPE (HsStepPage, hs_step_page, HS, STEP_PAGE, AdwBin)

GtkWidget  *hs_step_page_new              (HsEngine *engine, HsStep step);
HsStep      hs_step_page_get_step         (HsStepPage *self);
void        hs_step_page_set_cancellable  (HsStepPage *self, GCancellable *cancellable);
/* Shows the "Fix everything" button on this page. */
void        hs_step_page_set_show_fix_all (HsStepPage *self, gboolean show);
/* The window became active again: re-check if the user was sent to Settings. */
void        hs_step_page_window_activated (HsStepPage *self);
/* Step 4: the account the user picked as their Teams account, or NULL. */
const char *hs_step_page_get_work_account (HsStepPage *self);
/* Redraws from the engine's current state (also done on "step-changed"). */
void        hs_step_page_refresh          (HsStepPage *self);

/* For tests and the window. */
GtkWidget  *hs_step_page_get_fix_button         (HsStepPage *self);
GtkWidget  *hs_step_page_get_settings_button    (HsStepPage *self);
GtkWidget  *hs_step_page_get_check_again_button (HsStepPage *self);
const char *hs_step_page_get_verdict_text       (HsStepPage *self);
const char *hs_step_page_get_status_text        (HsStepPage *self);
/* Empty when no failure is shown. */
const char *hs_step_page_get_failure_text       (HsStepPage *self);
gboolean    hs_step_page_get_failure_visible    (HsStepPage *self);

/* Signal: fix-all — the "Fix everything" button was pressed. */

G_END_DECLS
