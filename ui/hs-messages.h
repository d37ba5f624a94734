/* hs-messages.h — the translated words the wizard shows for what every
 * step shares: statuses, and what to do after a code that went wrong in
 * any step. A step's own words live in its page (ui/steps/). */
#pragma once

#include <glib.h>
#include "hs-result.h"

G_BEGIN_DECLS

const char *hs_ui_status_icon       (HsStatus status);
/* "OK", "Problem found", "Fixed"… never shown by colour alone. */
const char *hs_ui_status_label      (HsStatus status);
/* A style class: success, warning, error, accent or dim-label. */
const char *hs_ui_status_style      (HsStatus status);

/* TRUE when the wizard has nothing more to do on a step: OK, fixed, fixed
 * pending a restart (the restart is offered on the summary), not applicable. */
gboolean    hs_ui_status_is_done    (HsStatus status);

/* What to do after a code that went wrong in any step (step.cancelled,
 * step.internal_error, and by suffix: .fix_failed, .fix_declined,
 * .access_denied, .backup_failed), or NULL. *failure: TRUE when the code
 * names a failed, refused or impossible fix. The steps' own codes are their
 * pages' (hs_step_page_class_get_advice). */
const char *hs_ui_common_advice     (const char *code, gboolean *failure);

/* For step.wrong_user: who runs Handshake, who sits at the computer, and
 * how to start it as that person; translated, with both account names
 * (the person's own screen: not masked). */
char       *hs_ui_wrong_user_text   (HsResult *result);

G_END_DECLS
