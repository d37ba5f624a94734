/* hs-confirm-dialog.h — a small modal question ("Remove these sign-ins?").
 * Our own GtkWindow: AdwMessageDialog is deprecated after libadwaita 1.2
 * and AdwAlertDialog does not exist there. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HS_TYPE_CONFIRM_DIALOG (hs_confirm_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HsConfirmDialog, hs_confirm_dialog, HS, CONFIRM_DIALOG, GtkWindow)

/* confirm_label: a mnemonic label ("_Remove"). destructive: style the
 * confirm button as destructive. Presented by the caller. */
HsConfirmDialog *hs_confirm_dialog_new     (GtkWindow *parent, const char *heading,
                                            const char *body, const char *confirm_label,
                                            gboolean destructive);
/* Answers as if the user pressed a button, then closes. */
void             hs_confirm_dialog_respond (HsConfirmDialog *self, gboolean confirmed);
/* The dialog currently open over parent, if any (used by tests). */
HsConfirmDialog *hs_confirm_dialog_get_open (GtkWindow *parent);
/* A mnemonic label for the button that says no (default "_Cancel"). */
void             hs_confirm_dialog_set_cancel_label (HsConfirmDialog *self, const char *label);
/* What the question is about, one thing a line, under the body. */
void             hs_confirm_dialog_set_details (HsConfirmDialog *self, const char *details);
/* For tests: "heading", "body", "details" or "confirm" (the button). */
const char      *hs_confirm_dialog_get_text (HsConfirmDialog *self, const char *which);

/* Signal: response (gboolean confirmed) — emitted once. */

G_END_DECLS
