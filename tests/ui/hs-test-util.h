/* hs-test-util.h — helpers for the UI tests: a window on a practice engine,
 * spinning the main loop, screenshots. */
#pragma once

#include <adwaita.h>
#include "hs-confirm-dialog.h"
#include "hs-engine.h"
#include "hs-window.h"

G_BEGIN_DECLS

/* gtk_init + adw_init + hs_ui_init, animations off, RTL when LANGUAGE=ar. */
void       hs_test_init          (int *argc, char ***argv);
gboolean   hs_test_is_rtl        (void);
HsEngine  *hs_test_engine_new    (const char *scenario);
/* Presents a window of the given width. */
HsWindow  *hs_test_window_new    (HsEngine *engine, const char *scenario, int width);
HsWindow  *hs_test_window_new_full (HsEngine *engine, const char *scenario, int width, int height);
/* Spins until cond(data) or timeout_ms; FALSE on timeout. */
gboolean   hs_test_spin_until    (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms);
void       hs_test_spin          (guint ms);
/* Waits until nothing is checking or fixing. */
gboolean   hs_test_wait_idle     (HsWindow *window, guint timeout_ms);
/* Waits until every step has been checked and nothing is busy. */
gboolean   hs_test_wait_checked  (HsWindow *window, guint timeout_ms);
/* Waits until an HsConfirmDialog is open over window. */
gboolean   hs_test_wait_dialog   (HsWindow *window, guint timeout_ms);
/* Saves the window to <screenshot dir>/<lang>/<name>.png if a directory is
 * configured (HS_SCREENSHOT_DIR) or the default build dir one. */
void       hs_test_screenshot    (GtkWidget *window, const char *name);
/* Confirms the open HsConfirmDialog over window, waiting for it. */
gboolean   hs_test_confirm       (HsWindow *window, gboolean confirmed);
void       hs_test_click         (GtkWidget *button);
/* Presses Start on the welcome page and waits until every step is checked. */
void       hs_test_start         (HsWindow *window, guint timeout_ms);
/* Waits for the HsConfirmDialog over window and returns it (fails the test
 * when none opens). */
HsConfirmDialog *hs_test_open_dialog (HsWindow *window);
/* The toast a page showed last, anywhere under w (NULL: none). */
AdwToast  *hs_test_last_toast    (GtkWidget *w);

G_END_DECLS
