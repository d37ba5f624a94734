/* hs-step-strip.h — the steps with their live status, on every page.
 * Each item is a button that jumps to its step: its number, its name
 * (wrapping onto two lines where needed) and its status. Only when the
 * longest word of a name no longer fits (about 360 px) do the items fold
 * to number and status icon (HsSqueezer). */
#pragma once

#include <gtk/gtk.h>
#include "hs-engine.h"

G_BEGIN_DECLS

#define HS_TYPE_STEP_STRIP (hs_step_strip_get_type ())
G_DECLARE_FINAL_TYPE (HsStepStrip, hs_step_strip, HS, STEP_STRIP, GtkWidget)

GtkWidget  *hs_step_strip_new          (void);
/* Adds the next step's item (steps come in order, from 1). */
void        hs_step_strip_add_step     (HsStepStrip *self, HsStep step, const char *name);
/* result: (nullable) the step's latest result. */
void        hs_step_strip_update       (HsStepStrip *self, HsStep step, HsStepState state,
                                        HsResult *result);
/* step 0: none highlighted. */
void        hs_step_strip_set_current  (HsStepStrip *self, int step);
/* The status words the item shows now ("Problem found", "Checking…"). */
const char *hs_step_strip_get_status_text (HsStepStrip *self, HsStep step);
GtkWidget  *hs_step_strip_get_item     (HsStepStrip *self, HsStep step);
gboolean    hs_step_strip_get_compact  (HsStepStrip *self);

/* Signal: step-activated (int step) */

G_END_DECLS
