/* hs-window-pages.c — the wizard's pages: the welcome page, one page per
 * step from the table below, the summary. Adding a step is its page in
 * ui/steps/ and one line in the table. What needs to know which page shows
 * which step asks here too. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-accounts-page.h"
#include "hs-broker-page.h"
#include "hs-clock-page.h"
#include "hs-credentials-page.h"
#include "hs-finish-page.h"
#include "hs-messages.h"
#include "hs-network-panel.h"
#include "hs-step-strip.h"
#include "hs-welcome-page.h"
#include "hs-window-private.h"

/* The step pages, in step order. */
static GType (* const step_pages[]) (void) = {
  hs_clock_page_get_type,
  hs_credentials_page_get_type,
  hs_broker_page_get_type,
  hs_accounts_page_get_type,
};

G_STATIC_ASSERT (G_N_ELEMENTS (step_pages) == HS_N_STEPS);

GtkWidget *
hs_step_page_new (HsEngine *engine, HsStep step)
{
  GType type;

  g_return_val_if_fail (step >= 1 && step <= HS_N_STEPS, NULL);
  type = step_pages[step - 1] ();
  return g_object_new (type, "engine", engine, NULL);
}

static const char *
advice_for (const char *code, gboolean *failure)
{
  for (guint i = 0; i < G_N_ELEMENTS (step_pages); i++)
    {
      HsStepPageClass *klass = g_type_class_ref (step_pages[i] ());
      const char *advice = hs_step_page_class_get_advice (klass, code, failure);

      g_type_class_unref (klass);
      if (advice != NULL)
        return advice;
    }
  return hs_ui_common_advice (code, failure);
}

const char *
hs_ui_failure_advice (const char *code)
{
  gboolean failure;

  return advice_for (code, &failure);
}

gboolean
hs_ui_code_is_failure (const char *code)
{
  gboolean failure = FALSE;

  advice_for (code, &failure);
  return failure;
}

/* ---- the pages of a window -------------------------------------------- */

static void
on_welcome_start (HsWelcomePage *page, HsWindow *self)
{
  hs_window_start (self, 0);
}

static void
on_welcome_code_noted (HsWelcomePage *page, const char *code, HsWindow *self)
{
  hs_engine_note_teams_code (self->engine, code);
}

/* A network code's advice: the check lives on the summary page. */
static void
on_welcome_check_network (HsWelcomePage *page, HsWindow *self)
{
  HsFinishPage *finish = HS_FINISH_PAGE (hs_window_get_finish_page (self));

  hs_window_show_page (self, PAGE_FINISH);
  hs_finish_page_show_network (finish);
  hs_network_panel_start (HS_NETWORK_PANEL (hs_finish_page_get_network_panel (finish)));
}

static void
on_page_fix_all (HsStepPage *page, HsWindow *self)
{
  hs_window_fix_everything (self);
}

static void
on_finish_step_activated (HsFinishPage *page, int step, HsWindow *self)
{
  hs_window_show_page (self, step);
}

static void
add_page (HsWindow *self, int index, GtkWidget *page, const char *title)
{
  self->pages[index] = page;
  gtk_stack_page_set_title (gtk_stack_add_named (GTK_STACK (self->stack), page,
                                                 self->page_names[index]),
                            title);
}

HsStepPageClass *
hs_window_step_page_class (HsStep step)
{
  GType type;
  gpointer klass;

  g_return_val_if_fail (step >= 1 && step <= HS_N_STEPS, NULL);
  type = step_pages[step - 1] ();
  klass = g_type_class_peek (type);
  /* The first time, before any page of the step exists: held for good. */
  return klass != NULL ? klass : g_type_class_ref (type);
}

/* Page @index, in stack order: a stack slides left or right by the order
 * of its children, so every page before it is made first. */
static void
make_page (HsWindow *self, int index)
{
  g_assert (self->pages[index - 1] != NULL);

  if (index <= HS_N_STEPS)
    {
      HsStepPage *page = HS_STEP_PAGE (hs_step_page_new (self->engine, index));

      g_assert (hs_step_page_get_step (page) == index);
      add_page (self, index, GTK_WIDGET (page), hs_step_page_get_title (page));
      hs_step_page_set_cancellable (page, self->cancellable);
      g_signal_connect (page, "fix-all", G_CALLBACK (on_page_fix_all), self);
    }
  else
    {
      GtkWidget *finish = hs_finish_page_new (self->engine);

      for (HsStep s = 1; s <= HS_N_STEPS; s++)
        hs_finish_page_add_step (HS_FINISH_PAGE (finish), s,
                                 hs_step_page_get_title (HS_STEP_PAGE (self->pages[s])));
      add_page (self, PAGE_FINISH, finish, _("Summary"));
      hs_finish_page_set_cancellable (HS_FINISH_PAGE (finish), self->cancellable);
      g_signal_connect (finish, "step-activated", G_CALLBACK (on_finish_step_activated), self);
    }
  hs_window_prelayout_invalidate (self, index);
  hs_window_update_chrome (self);
}

void
hs_window_ensure_page (HsWindow *self, int index)
{
  g_return_if_fail (index >= 0 && index < N_PAGES);

  for (int i = 1; i <= index; i++)
    if (self->pages[i] == NULL)
      make_page (self, i);
}

/* One page a main-loop turn, like laying them out (hs-window-prelayout.c):
 * input and frames go between. */
static gboolean
make_next_page (gpointer data)
{
  HsWindow *self = HS_WINDOW (data);

  for (int i = 1; i < N_PAGES && !self->closing; i++)
    if (self->pages[i] == NULL)
      {
        hs_window_ensure_page (self, i);
        return G_SOURCE_CONTINUE;
      }
  self->pages_source = 0;
  return G_SOURCE_REMOVE;
}

static void
on_after_first_paint (GdkFrameClock *clock, HsWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_after_first_paint, self);
  if (self->pages_source == 0 && !self->closing)
    self->pages_source = g_idle_add_full (G_PRIORITY_LOW, make_next_page, self, NULL);
}

static void
on_map (HsWindow *self)
{
  g_signal_handlers_disconnect_by_func (self, on_map, NULL);
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (on_after_first_paint), self, 0);
}

/* The first frame shows the welcome page, the step strip and the chrome:
 * the step pages and the summary (about 7 ms to make, and their icons to
 * load) are made after it, in idle time, or when something asks for one
 * first (hs_window_show_page(), the getters below). */
void
hs_window_add_pages (HsWindow *self)
{
  self->page_names[PAGE_WELCOME] = g_strdup ("welcome");
  for (int s = 1; s <= HS_N_STEPS; s++)
    self->page_names[s] = g_strdup_printf ("step%d", s);
  self->page_names[PAGE_FINISH] = g_strdup ("finish");

  add_page (self, PAGE_WELCOME, hs_welcome_page_new (), _("Welcome"));
  g_signal_connect (self->pages[PAGE_WELCOME], "start", G_CALLBACK (on_welcome_start), self);
  g_signal_connect (self->pages[PAGE_WELCOME], "code-noted", G_CALLBACK (on_welcome_code_noted), self);
  g_signal_connect (self->pages[PAGE_WELCOME], "check-network",
                    G_CALLBACK (on_welcome_check_network), self);
  for (HsStep s = 1; s <= HS_N_STEPS; s++)
    hs_step_strip_add_step (HS_STEP_STRIP (self->strip), s,
                            hs_step_page_class_get_name (hs_window_step_page_class (s)));
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}

void
hs_window_pages_stop (HsWindow *self)
{
  g_clear_handle_id (&self->pages_source, g_source_remove);
}

GtkWidget *
hs_window_get_welcome_page (HsWindow *self)
{
  return self->pages[PAGE_WELCOME];
}

GtkWidget *
hs_window_get_finish_page (HsWindow *self)
{
  hs_window_ensure_page (self, PAGE_FINISH);
  return self->pages[PAGE_FINISH];
}

GtkWidget *
hs_window_get_step_page (HsWindow *self, HsStep step)
{
  g_return_val_if_fail (step >= 1 && step <= HS_N_STEPS, NULL);
  hs_window_ensure_page (self, step);
  return self->pages[step];
}
