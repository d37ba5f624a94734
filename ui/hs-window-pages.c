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
  HsFinishPage *finish = HS_FINISH_PAGE (self->pages[PAGE_FINISH]);

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
add_page (HsWindow *self, int index, GtkWidget *page, const char *name, const char *title)
{
  GtkStackPage *sp;

  self->pages[index] = page;
  self->page_names[index] = g_strdup (name);
  sp = gtk_stack_add_named (GTK_STACK (self->stack), page, name);
  gtk_stack_page_set_title (sp, title);
}

void
hs_window_add_pages (HsWindow *self)
{
  GtkWidget *finish = hs_finish_page_new (self->engine);

  add_page (self, PAGE_WELCOME, hs_welcome_page_new (), "welcome", _("Welcome"));
  g_signal_connect (self->pages[PAGE_WELCOME], "start", G_CALLBACK (on_welcome_start), self);
  g_signal_connect (self->pages[PAGE_WELCOME], "code-noted", G_CALLBACK (on_welcome_code_noted), self);
  g_signal_connect (self->pages[PAGE_WELCOME], "check-network",
                    G_CALLBACK (on_welcome_check_network), self);
  for (HsStep s = 1; s <= HS_N_STEPS; s++)
    {
      HsStepPage *page = HS_STEP_PAGE (hs_step_page_new (self->engine, s));
      g_autofree char *name = g_strdup_printf ("step%d", s);

      g_assert (hs_step_page_get_step (page) == s);
      add_page (self, s, GTK_WIDGET (page), name, hs_step_page_get_title (page));
      g_signal_connect (page, "fix-all", G_CALLBACK (on_page_fix_all), self);
      hs_step_strip_add_step (HS_STEP_STRIP (self->strip), s, hs_step_page_get_name (page));
      hs_finish_page_add_step (HS_FINISH_PAGE (finish), s, hs_step_page_get_title (page));
    }
  add_page (self, PAGE_FINISH, finish, "finish", _("Summary"));
  g_signal_connect (self->pages[PAGE_FINISH], "step-activated", G_CALLBACK (on_finish_step_activated), self);
}

GtkWidget *
hs_window_get_welcome_page (HsWindow *self)
{
  return self->pages[PAGE_WELCOME];
}

GtkWidget *
hs_window_get_finish_page (HsWindow *self)
{
  return self->pages[PAGE_FINISH];
}

GtkWidget *
hs_window_get_step_page (HsWindow *self, HsStep step)
{
  g_return_val_if_fail (step >= 1 && step <= HS_N_STEPS, NULL);
  return self->pages[step];
}
