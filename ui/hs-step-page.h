/* hs-step-page.h — one wizard step (gnome-initial-setup's GisPage shape):
 * the verdict card, what went wrong and what to do, the fix and Settings
 * buttons, how to do it by hand, Check again and the result code.
 *
 * The base class is the same for every step; each step's own part — its
 * words, its rows, its choices, what its fix button does — is a subclass in
 * ui/steps/hs-<id>-page.{c,ui}. The subclass's template sets the words
 * (number-label, title, intro, manual); its class sets the step, its short
 * name and the virtual functions below.
 */
#pragma once

#include <adwaita.h>
#include "hs-engine.h"

G_BEGIN_DECLS

#define HS_TYPE_STEP_PAGE (hs_step_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (HsStepPage, hs_step_page, HS, STEP_PAGE, AdwBin)

/* What the page offers for a verdict; strings translated, NULL for none. */
typedef struct {
  const char *fix_label;        /* with a mnemonic: the automatic fix's button */
  const char *settings_label;   /* with a mnemonic: the button to settings_uri */
  const char *settings_uri;     /* a Settings page where the person does it */
  const char *note;             /* a line under the buttons */
} HsStepPageFix;

/* What to do after a code of the step that went wrong. */
typedef struct {
  const char *code;
  const char *advice;           /* N_() */
  gboolean    failure;          /* a failed, refused or impossible fix */
} HsStepAdvice;

struct _HsStepPageClass
{
  AdwBinClass parent_class;

  HsStep              step;
  /* N_(): the step's short name in the step strip. A class field rather
   * than a word of the template, so that the strip can show it before the
   * page is made (the window makes its step pages after its first frame). */
  const char         *short_name;
  const HsStepAdvice *advice;     /* ends with { NULL } */
  /* N_(): what "Fix everything" asks first when it is to run this step's
   * fix (one that removes something); NULL: nothing to ask. */
  const char         *fix_all_question;

  /* Adds the step's rows for a verdict (never while the step is busy). */
  void (*build_rows)   (HsStepPage *self, HsResult *result);
  /* Fills @fix for @result (NULL: not checked yet). */
  void (*describe_fix) (HsStepPage *self, HsResult *result, HsStepPageFix *fix);
  /* The fix button was pressed. Default: run the fix with no options. */
  void (*fix)          (HsStepPage *self);
  /* A fix this page started has finished; result NULL when it failed. */
  void (*fix_done)     (HsStepPage *self, HsResult *result);
  /* After every refresh, for the subclass's own widgets. */
  void (*refreshed)    (HsStepPage *self, HsResult *result, gboolean busy);
  /* Optional: FALSE when "Fix everything" (which asks no question of this
   * step's own) has nothing to do for @result. Default: TRUE. */
  gboolean (*fix_all_applies) (HsStepPageClass *klass, HsResult *result);
};

/* For the window (pages are made from its page table, hs-window-pages.c). */
HsStep      hs_step_page_get_step         (HsStepPage *self);
const char *hs_step_page_get_name         (HsStepPage *self);
const char *hs_step_page_class_get_name   (HsStepPageClass *klass);
const char *hs_step_page_get_number_label (HsStepPage *self);
const char *hs_step_page_get_title        (HsStepPage *self);
void        hs_step_page_set_cancellable  (HsStepPage *self, GCancellable *cancellable);
/* Shows the "Fix everything" button on this page. */
void        hs_step_page_set_show_fix_all (HsStepPage *self, gboolean show);
/* The window became active again: re-check if the user was sent to Settings. */
void        hs_step_page_window_activated (HsStepPage *self);
/* Redraws from the engine's current state (also done on "step-changed"). */
void        hs_step_page_refresh          (HsStepPage *self);
/* What the page says after a code of its step went wrong, or NULL when
 * it is not one of the step's own (hs_ui_common_advice() covers the rest). */
const char *hs_step_page_class_get_advice (HsStepPageClass *klass, const char *code,
                                           gboolean *failure);

/* For tests and the window. */
GtkWidget  *hs_step_page_get_fix_button         (HsStepPage *self);
GtkWidget  *hs_step_page_get_settings_button    (HsStepPage *self);
GtkWidget  *hs_step_page_get_check_again_button (HsStepPage *self);
const char *hs_step_page_get_verdict_text       (HsStepPage *self);
const char *hs_step_page_get_status_text        (HsStepPage *self);
/* Empty when no failure is shown. */
const char *hs_step_page_get_failure_text       (HsStepPage *self);
gboolean    hs_step_page_get_failure_visible    (HsStepPage *self);

/* For subclasses. */
HsEngine     *hs_step_page_get_engine      (HsStepPage *self);
GCancellable *hs_step_page_get_cancellable (HsStepPage *self);
/* Rows under "What was found", and in the step's own list above it. */
void          hs_step_page_add_finding     (HsStepPage *self, GtkWidget *row);
void          hs_step_page_add_item        (HsStepPage *self, GtkWidget *row);
void          hs_step_page_set_items_text  (HsStepPage *self, const char *title,
                                            const char *description);
void          hs_step_page_check_again     (HsStepPage *self);
void          hs_step_page_run_fix         (HsStepPage *self, const HsFixOptions *options);
void          hs_step_page_toast           (HsStepPage *self, AdwToast *toast);
void          hs_step_page_toast_text      (HsStepPage *self, const char *text);
/* Says what went wrong in a toast; quiet about cancellation. */
void          hs_step_page_report_error    (HsStepPage *self, const GError *error);
/* An AdwActionRow with wrapping plain-text title and subtitle. */
GtkWidget    *hs_step_page_row_new         (const char *title, const char *subtitle);
/* A short status word at the row's end ("On", "Set up"), in a style class. */
void          hs_step_page_row_add_suffix  (GtkWidget *row, const char *text, const char *style);

/* Signal: fix-all — the "Fix everything" button was pressed. */

G_END_DECLS
