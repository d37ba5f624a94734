/* hs-step-page-private.h — shared by the files of HsStepPage: hs-step-page.c
 * (the class, its template, state → widgets), hs-step-page-rows.c (its
 * lists) and hs-step-page-actions.c (what its buttons do). Subclasses use
 * hs-step-page.h only. */
#pragma once

#include "hs-step-page.h"

G_BEGIN_DECLS

typedef struct
{
  HsEngine     *engine;          /* (owned) */
  GCancellable *cancellable;     /* (owned) (nullable) */
  GPtrArray    *finding_rows;    /* (element-type GtkWidget) rows in findings_group */
  GPtrArray    *item_rows;       /* (element-type GtkWidget) rows in items_group */
  char         *number_label;    /* (owned) */
  char         *title;           /* (owned) */
  const char   *settings_uri;    /* the Settings page the settings button opens */
  gboolean      awaiting_settings;
  gboolean      busy_local;      /* an operation this page started is running */
  char         *failure_text;    /* (owned) */
  gboolean      asks_check_again; /* not checked, could not check: the words say "Check again" */

  GtkWidget    *title_label;
  GtkWidget    *intro_label;
  GtkWidget    *verdict_box;
  GtkWidget    *verdict_indicator;
  GtkWidget    *verdict_spinner;
  GtkWidget    *verdict_icon;
  GtkWidget    *status_label;
  GtkWidget    *verdict_label;
  GtkWidget    *failure_revealer;
  GtkWidget    *failure_label;
  GtkWidget    *action_box;
  GtkWidget    *action_buttons;
  GtkWidget    *fix_button;
  GtkWidget    *fix_shield;
  GtkWidget    *fix_label;
  GtkWidget    *settings_button;
  GtkWidget    *fix_all_button;
  GtkWidget    *fix_note;
  GtkWidget    *items_group;
  GtkWidget    *findings_group;
  GtkWidget    *manual_expander;
  GtkWidget    *manual_label;
  GtkWidget    *check_again_row;  /* at the bottom, with the code */
  GtkWidget    *check_again_button;
  GtkWidget    *code_label;
} HsStepPagePrivate;

HsStepPagePrivate *hs_step_page_get_private (HsStepPage *self);

/* Clears the rows and builds them again for @result (hs-step-page-rows.c). */
void hs_step_page_build_rows (HsStepPage *self, HsResult *result);

/* Template callbacks (hs-step-page-actions.c). */
void hs_step_page_on_fix_clicked         (HsStepPage *self);
void hs_step_page_on_settings_clicked    (HsStepPage *self);
void hs_step_page_on_fix_all_clicked     (HsStepPage *self);
void hs_step_page_on_check_again_clicked (HsStepPage *self);
/* The default of HsStepPageClass.fix. */
void hs_step_page_real_fix               (HsStepPage *self);


G_END_DECLS
