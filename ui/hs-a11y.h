/* hs-a11y.h — sets accessible labels and descriptions and remembers them.
 *
 * GTK 4.8 can set accessible properties but cannot read them back, so every
 * label set through here is also kept on the widget; the accessibility test
 * reads it with hs_a11y_get_label() and fails on controls without one. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void        hs_a11y_set_label       (GtkWidget *widget, const char *label);
void        hs_a11y_set_description (GtkWidget *widget, const char *description);
const char *hs_a11y_get_label       (GtkWidget *widget);
const char *hs_a11y_get_description (GtkWidget *widget);
/* A name the user would hear for an interactive widget: the remembered
 * label, else a visible label or mnemonic of the widget, else its tooltip.
 * NULL when the widget has none. */
char       *hs_a11y_describe        (GtkWidget *widget);

G_END_DECLS
