#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include "hs-squeezer.h"

struct _HsSqueezer
{
  GtkWidget  parent_instance;
  GtkWidget *wide;     /* (owned) (nullable) */
  GtkWidget *narrow;   /* (owned) (nullable) */
  gboolean   compact;
  int        force;
};

G_DEFINE_FINAL_TYPE (HsSqueezer, hs_squeezer, GTK_TYPE_WIDGET)

/* Whether a width of @width shows the narrow child; -1: not known yet
 * (wide, unless forced). */
static gboolean
is_compact_at (HsSqueezer *self, int width)
{
  int wmin = 0;

  if (self->narrow == NULL)
    return FALSE;
  if (self->wide == NULL)
    return TRUE;
  if (self->force >= 0)
    return self->force == 1;
  if (width < 0)
    return FALSE;
  gtk_widget_measure (self->wide, GTK_ORIENTATION_HORIZONTAL, -1, &wmin, NULL, NULL, NULL);
  return width < wmin;
}

static void
hs_squeezer_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                     int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  HsSqueezer *self = HS_SQUEEZER (widget);
  int wmin = 0, wnat = 0, nmin = 0, nnat = 0;

  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      /* The height of the child that this width shows, for this width: a
       * wide child of wrapping labels is as tall as its lines. */
      GtkWidget *shown = is_compact_at (self, for_size) ? self->narrow : self->wide;

      *minimum = *natural = 0;
      if (shown != NULL)
        gtk_widget_measure (shown, orientation, for_size, minimum, natural, NULL, NULL);
      return;
    }
  if (self->wide != NULL)
    gtk_widget_measure (self->wide, orientation, -1, &wmin, &wnat, NULL, NULL);
  if (self->narrow != NULL)
    gtk_widget_measure (self->narrow, orientation, -1, &nmin, &nnat, NULL, NULL);
  /* Small enough for the narrow form, asking for room for the wide one. */
  *minimum = self->narrow != NULL ? nmin : wmin;
  *natural = MAX (wnat, *minimum);
}

static void
hs_squeezer_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  HsSqueezer *self = HS_SQUEEZER (widget);
  gboolean compact = is_compact_at (self, width);

  /* Child visibility may change during allocation; visibility may not. */
  if (self->wide != NULL)
    gtk_widget_set_child_visible (self->wide, !compact);
  if (self->narrow != NULL)
    gtk_widget_set_child_visible (self->narrow, compact);
  self->compact = compact;

  if (compact)
    gtk_widget_allocate (self->narrow, width, height, baseline, NULL);
  else if (self->wide != NULL)
    gtk_widget_allocate (self->wide, width, height, baseline, NULL);
}

static void
hs_squeezer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  HsSqueezer *self = HS_SQUEEZER (widget);
  GtkWidget *shown = self->compact ? self->narrow : self->wide;

  if (shown != NULL)
    gtk_widget_snapshot_child (widget, shown, snapshot);
}

/* Wrapping labels inside: as tall as the width makes them. */
static GtkSizeRequestMode
hs_squeezer_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
hs_squeezer_dispose (GObject *object)
{
  HsSqueezer *self = HS_SQUEEZER (object);

  g_clear_pointer (&self->wide, gtk_widget_unparent);
  g_clear_pointer (&self->narrow, gtk_widget_unparent);
  G_OBJECT_CLASS (hs_squeezer_parent_class)->dispose (object);
}

static void
hs_squeezer_class_init (HsSqueezerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_squeezer_dispose;
  widget_class->measure = hs_squeezer_measure;
  widget_class->size_allocate = hs_squeezer_size_allocate;
  widget_class->get_request_mode = hs_squeezer_get_request_mode;
  widget_class->snapshot = hs_squeezer_snapshot;
}

static void
hs_squeezer_init (HsSqueezer *self)
{
  self->force = -1;
}

GtkWidget *
hs_squeezer_new (void)
{
  return g_object_new (HS_TYPE_SQUEEZER, NULL);
}

static void
set_child (HsSqueezer *self, GtkWidget **slot, GtkWidget *child)
{
  if (*slot == child)
    return;
  g_clear_pointer (slot, gtk_widget_unparent);
  *slot = child;
  if (child != NULL)
    gtk_widget_set_parent (child, GTK_WIDGET (self));
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
hs_squeezer_set_wide (HsSqueezer *self, GtkWidget *child)
{
  g_return_if_fail (HS_IS_SQUEEZER (self));
  set_child (self, &self->wide, child);
}

void
hs_squeezer_set_narrow (HsSqueezer *self, GtkWidget *child)
{
  g_return_if_fail (HS_IS_SQUEEZER (self));
  set_child (self, &self->narrow, child);
}

gboolean
hs_squeezer_get_compact (HsSqueezer *self)
{
  g_return_val_if_fail (HS_IS_SQUEEZER (self), FALSE);
  return self->compact;
}

void
hs_squeezer_set_force (HsSqueezer *self, int force)
{
  g_return_if_fail (HS_IS_SQUEEZER (self));
  if (self->force == force)
    return;
  self->force = force;
}

int
hs_squeezer_get_wide_min (HsSqueezer *self)
{
  int min = 0;

  g_return_val_if_fail (HS_IS_SQUEEZER (self), 0);
  if (self->wide != NULL)
    gtk_widget_measure (self->wide, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}
