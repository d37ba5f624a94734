/* hs-text-column.c — see hs-text-column.h. The layout is a GtkLayoutManager
 * so that it can also be given to boxes libadwaita builds (an action row's
 * title box, a preferences group's header labels), whose children and CSS
 * stay as they are. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include "hs-text-column.h"

/* ---- the layout ------------------------------------------------------- */

#define HS_TYPE_TEXT_COLUMN_LAYOUT (hs_text_column_layout_get_type ())
G_DECLARE_FINAL_TYPE (HsTextColumnLayout, hs_text_column_layout, HS, TEXT_COLUMN_LAYOUT, GtkLayoutManager)

struct _HsTextColumnLayout
{
  GtkLayoutManager parent_instance;
  int              spacing;
};

G_DEFINE_FINAL_TYPE (HsTextColumnLayout, hs_text_column_layout, GTK_TYPE_LAYOUT_MANAGER)

static void
layout_measure (GtkLayoutManager *manager, GtkWidget *widget, GtkOrientation orientation, int for_size,
                int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  HsTextColumnLayout *self = HS_TEXT_COLUMN_LAYOUT (manager);
  int n = 0;

  *minimum = *natural = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int min = 0, nat = 0;

      if (!gtk_widget_should_layout (c))
        continue;
      /* A width is asked for no height: no search over widths for the one
       * that gives this height, neither here nor in the labels. */
      gtk_widget_measure (c, orientation, orientation == GTK_ORIENTATION_HORIZONTAL ? -1 : for_size,
                          &min, &nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          *minimum = MAX (*minimum, min);
          *natural = MAX (*natural, nat);
        }
      else
        {
          *minimum += min;
          *natural += nat;
        }
      n++;
    }
  if (orientation == GTK_ORIENTATION_VERTICAL && n > 1)
    {
      *minimum += (n - 1) * self->spacing;
      *natural += (n - 1) * self->spacing;
    }
}

static void
layout_allocate (GtkLayoutManager *manager, GtkWidget *widget, int width, int height, int baseline)
{
  HsTextColumnLayout *self = HS_TEXT_COLUMN_LAYOUT (manager);
  int y = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int h = 0;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, width, NULL, &h, NULL, NULL);
      gtk_widget_allocate (c, width, h, -1, gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (0, y)));
      y += h + self->spacing;
    }
}

static GtkSizeRequestMode
layout_get_request_mode (GtkLayoutManager *manager, GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
hs_text_column_layout_class_init (HsTextColumnLayoutClass *klass)
{
  GtkLayoutManagerClass *manager_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  manager_class->measure = layout_measure;
  manager_class->allocate = layout_allocate;
  manager_class->get_request_mode = layout_get_request_mode;
}

static void
hs_text_column_layout_init (HsTextColumnLayout *self)
{
}

static GtkLayoutManager *
layout_new (int spacing)
{
  HsTextColumnLayout *self = g_object_new (HS_TYPE_TEXT_COLUMN_LAYOUT, NULL);

  self->spacing = spacing;
  return GTK_LAYOUT_MANAGER (self);
}

/* ---- the widget ------------------------------------------------------- */

struct _HsTextColumn
{
  GtkWidget parent_instance;
};

static void hs_text_column_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HsTextColumn, hs_text_column, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, hs_text_column_buildable_init))

enum { PROP_0, PROP_SPACING, N_PROPS };

static void
hs_text_column_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  HsTextColumnLayout *layout = HS_TEXT_COLUMN_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (object)));

  if (prop_id != PROP_SPACING)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  layout->spacing = g_value_get_int (value);
  gtk_layout_manager_layout_changed (GTK_LAYOUT_MANAGER (layout));
}

static void
hs_text_column_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HsTextColumnLayout *layout = HS_TEXT_COLUMN_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (object)));

  if (prop_id != PROP_SPACING)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_value_set_int (value, layout->spacing);
}

/* Children from a .ui file. */
static void
hs_text_column_add_child (GtkBuildable *buildable, GtkBuilder *builder, GObject *child, const char *type)
{
  if (GTK_IS_WIDGET (child))
    hs_text_column_append (HS_TEXT_COLUMN (buildable), GTK_WIDGET (child));
}

static void
hs_text_column_buildable_init (GtkBuildableIface *iface)
{
  iface->add_child = hs_text_column_add_child;
}

static void
hs_text_column_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (hs_text_column_parent_class)->dispose (object);
}

static void
hs_text_column_class_init (HsTextColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_text_column_dispose;
  object_class->set_property = hs_text_column_set_property;
  object_class->get_property = hs_text_column_get_property;
  g_object_class_install_property (object_class, PROP_SPACING,
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  gtk_widget_class_set_css_name (widget_class, "hs-text-column");
}

static void
hs_text_column_init (HsTextColumn *self)
{
  gtk_widget_set_layout_manager (GTK_WIDGET (self), layout_new (0));
}

GtkWidget *
hs_text_column_new (int spacing)
{
  return g_object_new (HS_TYPE_TEXT_COLUMN, "spacing", spacing, NULL);
}

void
hs_text_column_append (HsTextColumn *self, GtkWidget *child)
{
  g_return_if_fail (HS_IS_TEXT_COLUMN (self));
  gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
}

/* ---- libadwaita's boxes ------------------------------------------------ */

static GtkWidget *
child_with_class (GtkWidget *parent, GType type, const char *css_class)
{
  for (GtkWidget *c = parent ? gtk_widget_get_first_child (parent) : NULL; c; c = gtk_widget_get_next_sibling (c))
    if (G_TYPE_CHECK_INSTANCE_TYPE (c, type) && gtk_widget_has_css_class (c, css_class))
      return c;
  return NULL;
}

/* A vertical box of libadwaita's keeps its children and its CSS, and lays
 * them out as a text column. Only the box's layout changes: libadwaita 1.2
 * neither sets its spacing nor its orientation after building it. */
static void
use_column_layout (GtkWidget *box, int spacing)
{
  if (box == NULL || HS_IS_TEXT_COLUMN_LAYOUT (gtk_widget_get_layout_manager (box)))
    return;
  gtk_widget_set_layout_manager (box, layout_new (spacing));
}

void
hs_text_column_take_row_labels (AdwActionRow *row)
{
  GtkWidget *header = child_with_class (GTK_WIDGET (row), GTK_TYPE_BOX, "header");

  /* Adwaita's CSS: row > box.header > box.title { border-spacing: 3px } */
  use_column_layout (child_with_class (header, GTK_TYPE_BOX, "title"), 3);
}

void
hs_text_column_take_group_labels (AdwPreferencesGroup *group)
{
  GtkWidget *box = gtk_widget_get_first_child (GTK_WIDGET (group));
  GtkWidget *header = child_with_class (box, GTK_TYPE_BOX, "header");

  /* preferencesgroup > box .labels { border-spacing: 6px } */
  use_column_layout (child_with_class (header, GTK_TYPE_BOX, "labels"), 6);
}
