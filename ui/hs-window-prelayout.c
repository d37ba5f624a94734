/* hs-window-prelayout.c — lays out the pages that are not on screen in idle
 * time, one page a main-loop turn, at the size the page stack will give
 * them. A step page's first layout is expensive (GTK 4.8 asks every
 * wrapping label of its AdwActionRows for its width at a given height,
 * which GtkLabel answers with a binary search of Pango layouts: 20-90 ms on
 * a GPU-less machine), and it used to happen on the click that opened the
 * page. Now the click finds the page laid out at that very size: GTK skips
 * the allocation of a widget whose size did not change and that queued no
 * resize, so switching only draws. A page is laid out again when its
 * content changed (its step's result) or the window's size did. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include "hs-window-private.h"

static gboolean
prelayout_next (gpointer data)
{
  HsWindow *self = HS_WINDOW (data);
  GtkWidget *shown = gtk_stack_get_visible_child (GTK_STACK (self->stack));
  int width = gtk_widget_get_width (self->stack);
  int height = gtk_widget_get_height (self->stack);

  if (width <= 0 || height <= 0 || self->closing)
    {
      self->prelayout_source = 0;
      return G_SOURCE_REMOVE;
    }
  for (int i = 0; i < N_PAGES; i++)
    {
      GtkWidget *page = self->pages[i];
      gint64 t0;
      int min = 0;

      if (page == NULL || page == shown || self->laid_out[i] || !gtk_widget_get_visible (page))
        continue;
      t0 = g_get_monotonic_time ();
      /* As GtkStack does: measure, then allocate the whole of its area. */
      gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      gtk_widget_measure (page, GTK_ORIENTATION_VERTICAL, MAX (width, min), NULL, NULL, NULL, NULL);
      gtk_widget_allocate (page, MAX (width, min), height, -1, NULL);
      self->laid_out[i] = TRUE;
      g_debug ("laid out page %d (%d × %d) ahead in %.1f ms", i, width, height,
               (g_get_monotonic_time () - t0) / 1000.0);
      return G_SOURCE_CONTINUE;   /* one page a turn: input and frames go between */
    }
  self->prelayout_source = 0;
  return G_SOURCE_REMOVE;
}

void
hs_window_prelayout_schedule (HsWindow *self)
{
  if (self->prelayout_source != 0 || self->closing)
    return;
  /* After the frame in progress and after input: lower than redraw. */
  self->prelayout_source = g_idle_add_full (G_PRIORITY_LOW, prelayout_next, self, NULL);
}

void
hs_window_prelayout_invalidate (HsWindow *self, int page)
{
  if (page < 0)
    for (int i = 0; i < N_PAGES; i++)
      self->laid_out[i] = FALSE;
  else
    self->laid_out[page] = FALSE;
  hs_window_prelayout_schedule (self);
}

void
hs_window_prelayout_stop (HsWindow *self)
{
  g_clear_handle_id (&self->prelayout_source, g_source_remove);
}
