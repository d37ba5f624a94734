/* hs-window-fix-all.c — "Fix everything": every automatic fix in step
 * order, one at a time, on the page of the step being fixed; asks once
 * before anything is removed. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-confirm-dialog.h"
#include "hs-step-page.h"
#include "hs-window-private.h"

static void fix_next (HsWindow *self);

static void
fix_all_finished (HsWindow *self)
{
  int next;

  self->fixing_all = FALSE;
  hs_window_update_chrome (self);
  next = hs_window_first_step_needing_user (self);
  hs_window_show_page (self, next > 0 ? next : PAGE_FINISH);
}

static void
on_fix_all_step_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsWindow) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsResult) r = hs_engine_fix_step_finish (HS_ENGINE (source), res, &error);

  if (self->closing)
    return;
  if (r == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_queue_clear (&self->fix_queue);
          self->fixing_all = FALSE;
          hs_window_update_chrome (self);
          return;
        }
      g_warning ("Fix failed: %s", error->message);
    }
  fix_next (self);
}

static void
fix_next (HsWindow *self)
{
  int step;

  if (g_queue_is_empty (&self->fix_queue))
    {
      fix_all_finished (self);
      return;
    }
  step = GPOINTER_TO_INT (g_queue_pop_head (&self->fix_queue));
  if (!hs_window_step_has_automatic_fix (self, (HsStep) step))
    {
      fix_next (self);
      return;
    }
  /* NULL options: step 2 removes the "required" entries only. */
  hs_window_show_page (self, step);
  hs_engine_fix_step_async (self->engine, (HsStep) step, NULL, self->cancellable,
                            on_fix_all_step_done, g_object_ref (self));
}

static void
on_fix_all_confirmed (HsConfirmDialog *dialog, gboolean confirmed, HsWindow *self)
{
  if (!confirmed)
    {
      g_queue_clear (&self->fix_queue);
      self->fixing_all = FALSE;
      hs_window_update_chrome (self);
      return;
    }
  fix_next (self);
}

void
hs_window_fix_everything (HsWindow *self)
{
  const char *question = NULL;

  g_return_if_fail (HS_IS_WINDOW (self));
  if (self->fixing_all || hs_window_get_busy (self))
    return;

  g_queue_clear (&self->fix_queue);
  for (int s = 1; s <= HS_N_STEPS; s++)
    if (hs_window_step_has_automatic_fix (self, (HsStep) s))
      {
        g_queue_push_tail (&self->fix_queue, GINT_TO_POINTER (s));
        if (question == NULL)
          question = hs_window_step_page_class ((HsStep) s)->fix_all_question;
      }
  if (g_queue_is_empty (&self->fix_queue))
    return;
  self->fixing_all = TRUE;
  hs_window_update_chrome (self);

  /* A step whose fix removes something asks once, before anything runs. */
  if (question != NULL)
    {
      HsConfirmDialog *dialog =
        hs_confirm_dialog_new (GTK_WINDOW (self), _("Fix everything?"), _(question),
                               _("_Fix everything"), FALSE);
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_fix_all_confirmed), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    fix_next (self);
}

