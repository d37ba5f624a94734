/* hs-squeezer.h — shows its wide child when there is room for it, else its
 * narrow child. libadwaita 1.2 has no breakpoints and AdwSqueezer is
 * deprecated later, so this small widget decides from its own allocation. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HS_TYPE_SQUEEZER (hs_squeezer_get_type ())
G_DECLARE_FINAL_TYPE (HsSqueezer, hs_squeezer, HS, SQUEEZER, GtkWidget)

GtkWidget *hs_squeezer_new            (void);
void       hs_squeezer_set_wide       (HsSqueezer *self, GtkWidget *child);
void       hs_squeezer_set_narrow     (HsSqueezer *self, GtkWidget *child);
/* -1: decide from the allocation (default); 0: always wide; 1: always
 * narrow. Lets a container fold several squeezers together. */
void       hs_squeezer_set_force      (HsSqueezer *self, int force);
/* The minimum width of the wide child. */
int        hs_squeezer_get_wide_min   (HsSqueezer *self);
/* TRUE when the last allocation showed the narrow child. */
gboolean   hs_squeezer_get_compact    (HsSqueezer *self);

G_END_DECLS
