/* hs-text-dump.c — the text a window shows, written to a file on request. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "hs-text-dump.h"

/* Quiet time after the last change before the window counts as settled:
 * long enough for a page switch and its slide to finish. */
#define SETTLE_MS 1500

typedef struct {
  GtkWindow *window;   /* (unowned): the dump is freed when it is destroyed */
  HsEngine  *engine;   /* (owned) */
  char      *path;
  guint      settle_id;
  gboolean   written;
} Dump;

static void
collect (GtkWidget *widget, GString *out)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));
      if (text != NULL && *text != '\0')
        g_string_append_printf (out, "%s\n", text);
    }
  else if (GTK_IS_EDITABLE (widget) && !GTK_IS_TEXT (widget))
    g_string_append_printf (out, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect (c, out);
}

static gboolean
write_dump (gpointer data)
{
  Dump *d = data;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *tmp = g_strconcat (d->path, ".tmp", NULL);
  g_autoptr(GError) error = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (d->window));

  d->settle_id = 0;
  g_string_append_printf (out, "# title: %s\n", gtk_window_get_title (d->window));
  g_string_append_printf (out, "# renderer: %s\n", renderer ? G_OBJECT_TYPE_NAME (renderer) : "none");
  collect (GTK_WIDGET (d->window), out);
  /* Written whole, then renamed: a reader never sees half a dump. */
  if (!g_file_set_contents (tmp, out->str, (gssize) out->len, &error) || g_rename (tmp, d->path) != 0)
    g_warning ("HANDSHAKE_DEBUG_DUMP_TEXT: cannot write %s: %s", d->path,
               error ? error->message : g_strerror (errno));
  d->written = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
all_checked (HsEngine *engine)
{
  for (int s = 1; s <= HS_N_STEPS; s++)
    if (hs_engine_get_state (engine, (HsStep) s) != HS_STEP_STATE_DONE)
      return FALSE;
  return TRUE;
}

static void
on_step_changed (HsEngine *engine, HsStep step, HsStepState state, gpointer data)
{
  Dump *d = data;

  if (d->written || !all_checked (engine))
    return;
  g_clear_handle_id (&d->settle_id, g_source_remove);
  d->settle_id = g_timeout_add (SETTLE_MS, write_dump, d);
}

static void
dump_free (gpointer data)
{
  Dump *d = data;

  g_clear_handle_id (&d->settle_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (d->engine, d);
  g_object_unref (d->engine);
  g_free (d->path);
  g_free (d);
}

void
hs_text_dump_attach (GtkWindow *window, HsEngine *engine)
{
  const char *path = g_getenv ("HANDSHAKE_DEBUG_DUMP_TEXT");
  Dump *d;

  if (path == NULL || *path == '\0')
    return;
  d = g_new0 (Dump, 1);
  d->window = window;
  d->engine = g_object_ref (engine);
  d->path = g_strdup (path);
  g_signal_connect (engine, "step-changed", G_CALLBACK (on_step_changed), d);
  g_object_set_data_full (G_OBJECT (window), "hs-text-dump", d, dump_free);
}
