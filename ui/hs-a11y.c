#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include "hs-a11y.h"

#define LABEL_KEY "hs-a11y-label"
#define DESCRIPTION_KEY "hs-a11y-description"

void
hs_a11y_set_label (GtkWidget *widget, const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_object_set_data_full (G_OBJECT (widget), LABEL_KEY, g_strdup (label), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label ? label : "",
                                  -1);
}

void
hs_a11y_set_description (GtkWidget *widget, const char *description)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_object_set_data_full (G_OBJECT (widget), DESCRIPTION_KEY, g_strdup (description), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description ? description : "",
                                  -1);
}

const char *
hs_a11y_get_label (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), LABEL_KEY);
}

const char *
hs_a11y_get_description (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), DESCRIPTION_KEY);
}

static char *
first_label_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));
      if (text != NULL && *text != '\0')
        return g_strdup (text);
      return NULL;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      char *text = first_label_text (c);
      if (text != NULL)
        return text;
    }
  return NULL;
}

char *
hs_a11y_describe (GtkWidget *widget)
{
  const char *label = hs_a11y_get_label (widget);
  const char *tooltip;
  char *text;

  if (label != NULL && *label != '\0')
    return g_strdup (label);
  text = first_label_text (widget);
  if (text != NULL)
    return text;
  tooltip = gtk_widget_get_tooltip_text (widget);
  if (tooltip != NULL && *tooltip != '\0')
    return g_strdup (tooltip);
  return NULL;
}
