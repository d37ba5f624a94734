/* hs-window.h — the wizard window: practice notice, step strip, pages,
 * Back/Next, Fix everything, Cancel. Owns the cancellable of its work. */
#pragma once

#include <adwaita.h>
#include "hs-engine.h"

G_BEGIN_DECLS

#define HS_TYPE_WINDOW (hs_window_get_type ())
G_DECLARE_FINAL_TYPE (HsWindow, hs_window, HS, WINDOW, AdwApplicationWindow)

/* app: (nullable) — tests run without one. engine: (transfer none).
 * scenario: (nullable) the practice scenario's name for the notice. */
HsWindow   *hs_window_new          (GtkApplication *app, HsEngine *engine, const char *scenario);
/* As if Start was pressed, then show step (0: stay on step 1). */
void        hs_window_start        (HsWindow *self, int step);
/* 0 welcome, 1 … HS_N_STEPS the steps, then the summary. */
void        hs_window_show_page    (HsWindow *self, int index);
int         hs_window_get_page     (HsWindow *self);
/* Runs every automatic fix in step order (asks once before step 2). */
void        hs_window_fix_everything (HsWindow *self);
gboolean    hs_window_get_busy     (HsWindow *self);
/* TRUE once the first check of every step completed. */
gboolean    hs_window_get_checked  (HsWindow *self);

GtkWidget  *hs_window_get_strip        (HsWindow *self);
GtkWidget  *hs_window_get_welcome_page (HsWindow *self);
GtkWidget  *hs_window_get_step_page    (HsWindow *self, HsStep step);
GtkWidget  *hs_window_get_finish_page  (HsWindow *self);
GtkWidget  *hs_window_get_practice_notice (HsWindow *self);
GtkWidget  *hs_window_get_fix_all_button  (HsWindow *self);
/* TRUE when the notice that another account runs Handshake shows; *text
 * (may be NULL) is what it says. */
gboolean    hs_window_get_wrong_user_shown (HsWindow *self, const char **text);

/* The page table (hs-window-pages.c) knows which page shows which step. */
/* A new page for @step, as the window makes it. */
GtkWidget  *hs_step_page_new           (HsEngine *engine, HsStep step);
/* What the page of the code's step says after the code went wrong (a
 * failed or refused fix, a check that did not finish), or NULL. */
const char *hs_ui_failure_advice       (const char *code);
/* TRUE when code names a failed, refused or impossible fix. */
gboolean    hs_ui_code_is_failure      (const char *code);

G_END_DECLS
