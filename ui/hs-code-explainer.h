/* hs-code-explainer.h — "Teams shows another code?": a person types the
 * status code from the Teams sign-in window and reads what it means and
 * what to do next (hs-teams-codes.h). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_TYPE_CODE_EXPLAINER (hs_code_explainer_get_type ())
G_DECLARE_FINAL_TYPE (HsCodeExplainer, hs_code_explainer, HS, CODE_EXPLAINER, AdwBin)

GtkWidget *hs_code_explainer_new            (void);
/* Explains @text as if it had been typed (tests, screenshots). */
void       hs_code_explainer_explain        (HsCodeExplainer *self, const char *text);
GtkWidget *hs_code_explainer_get_expander   (HsCodeExplainer *self);
GtkWidget *hs_code_explainer_get_entry      (HsCodeExplainer *self);
GtkWidget *hs_code_explainer_get_action_button (HsCodeExplainer *self);
GtkWidget *hs_code_explainer_get_result_label  (HsCodeExplainer *self);
GtkWidget *hs_code_explainer_get_error_label   (HsCodeExplainer *self);

/* Signals:
 *   code-noted (const char *code)   a well-formed code was explained (normalised)
 *   next (int HsTeamsNext)          the person chose what the advice offers
 */

G_END_DECLS
