/* hs-messages.h — every translated word the wizard shows about steps,
 * statuses and result codes, in one place. */
#pragma once

#include <glib.h>
#include "hs-step-table.h"

G_BEGIN_DECLS

/* "Clock", "Saved sign-ins"… (short, for the step strip). */
const char *hs_ui_step_name         (HsStep step);
/* "Step 1", "Step 2"… */
const char *hs_ui_step_number_label (HsStep step);
/* "Step 1: Check the clock"… (page titles). */
const char *hs_ui_step_title        (HsStep step);
/* One sentence: what the step looks at. */
const char *hs_ui_step_intro        (HsStep step);
/* Pango markup-free numbered instructions for doing the step by hand. */
const char *hs_ui_step_manual       (HsStep step);

const char *hs_ui_status_icon       (HsStatus status);
/* "OK", "Problem found", "Fixed"… never shown by colour alone. */
const char *hs_ui_status_label      (HsStatus status);
/* A style class: success, warning, error, accent or dim-label. */
const char *hs_ui_status_style      (HsStatus status);

/* TRUE when the wizard has nothing more to do on a step: OK, fixed, fixed
 * pending a restart (the restart is offered on the summary), not applicable. */
gboolean    hs_ui_status_is_done    (HsStatus status);

/* "Your clock is 4 min 12 s ahead." */
char       *hs_ui_format_offset     (double offset_seconds);

/* Where Windows keeps an account, in words Windows users know: "tbacct"
 * becomes "Windows sign-in broker". Unknown ids come back unchanged. */
const char *hs_ui_account_source_label (const char *id);
/* A comma-separated list of source ids as a translated list. (transfer full) */
char       *hs_ui_account_sources_text (const char *sources);

/* For a result code that reports a failed or refused fix, or a check that
 * could not finish: what happened and what to do next. NULL for every
 * other code. */
const char *hs_ui_failure_advice    (const char *code);
/* TRUE when code names a failed, refused or impossible fix. */
gboolean    hs_ui_code_is_failure   (const char *code);

G_END_DECLS
