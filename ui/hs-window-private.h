/* hs-window-private.h — shared by the files of HsWindow: hs-window.c (the
 * window, navigation, actions), hs-window-pages.c (its page table),
 * hs-window-fix-all.c (Fix everything) and hs-window-prelayout.c (laying
 * out pages ahead of time). */
#pragma once

#include "hs-step-page.h"
#include "hs-window.h"

G_BEGIN_DECLS

#define PAGE_WELCOME 0
#define PAGE_FINISH  (HS_N_STEPS + 1)
#define N_PAGES      (HS_N_STEPS + 2)

struct _HsWindow
{
  AdwApplicationWindow parent_instance;

  HsEngine     *engine;          /* (owned) */
  GCancellable *cancellable;     /* (owned) current work; replaced after Cancel */
  GtkWidget    *pages[N_PAGES];
  char         *page_names[N_PAGES];   /* (owned) GtkStack child names */
  int           page;
  gboolean      started;
  gboolean      checked;
  int           pending_step;    /* --step N: where to go when checks finish */
  GQueue        fix_queue;       /* steps still to fix in "Fix everything" */
  gboolean      fixing_all;
  gboolean      closing;
  gboolean      laid_out[N_PAGES]; /* laid out ahead at the stack's size (hs-window-prelayout.c) */
  guint         prelayout_source;
  guint         pages_source;    /* making the pages after the first frame (hs-window-pages.c) */
  int           stack_width, stack_height;

  GtkWidget    *window_title;
  GtkWidget    *cancel_button;
  GtkWidget    *busy_spinner;
  GtkWidget    *header_bar;
  GtkWidget    *fix_all_button;
  GtkWidget    *fix_all_squeezer; /* fix_all_button, or an icon when narrow */
  GtkWidget    *practice_revealer;
  GtkWidget    *practice_notice;
  GtkWidget    *practice_label;
  GtkWidget    *user_revealer;
  GtkWidget    *user_notice;
  GtkWidget    *user_label;
  GtkWidget    *strip;
  GtkWidget    *toast_overlay;
  GtkWidget    *stack;
  GtkWidget    *nav_bar;
  GtkWidget    *back_button;
  GtkWidget    *position_label;
  GtkWidget    *next_button;
  GtkWidget    *next_label;
};

/* hs-window.c */
void     hs_window_update_chrome          (HsWindow *self);
gboolean hs_window_step_has_automatic_fix (HsWindow *self, HsStep step);
int      hs_window_first_step_needing_user (HsWindow *self);

/* hs-window-prelayout.c: pages not on screen are laid out in idle time.
 * invalidate: a page's content (page ≥ 0) or every page's size (-1)
 * changed. */
void     hs_window_prelayout_schedule     (HsWindow *self);
void     hs_window_prelayout_invalidate   (HsWindow *self, int page);
void     hs_window_prelayout_stop         (HsWindow *self);

/* hs-window-pages.c: the welcome page and the step strip now; the step
 * pages and the summary after the first frame, in stack order. pages[i]
 * is NULL until made: ensure_page makes it (and every page before it). */
void     hs_window_add_pages              (HsWindow *self);
void     hs_window_ensure_page            (HsWindow *self, int index);
void     hs_window_pages_stop             (HsWindow *self);
HsStepPageClass *hs_window_step_page_class (HsStep step);

G_END_DECLS
