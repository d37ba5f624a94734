/* hs-text-column.h — wrapping labels one above the other, whose width is
 * asked without a height.
 *
 * GTK 4.8's boxes ask each child of a horizontal box for its width at the
 * box's height; a wrapping label answers that with a binary search of
 * about 24 Pango layouts, so that the first layout of a page of rows
 * (every AdwActionRow's title and subtitle, a verdict beside its icon)
 * took thousands of text shapings: tens of milliseconds on the main loop.
 * For these columns the width that matters is the one for no height (the
 * longest word, the whole text), which is what GTK's later versions ask
 * for; this widget answers with that. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_TYPE_TEXT_COLUMN (hs_text_column_get_type ())
G_DECLARE_FINAL_TYPE (HsTextColumn, hs_text_column, HS, TEXT_COLUMN, GtkWidget)

GtkWidget *hs_text_column_new     (int spacing);
void       hs_text_column_append  (HsTextColumn *self, GtkWidget *child);
/* Lays out the title and subtitle of an AdwActionRow (libadwaita 1.2's
 * template: box.header > box.title > label, label) as a text column: the
 * title box keeps its children and its CSS. Does nothing to a row built
 * otherwise. */
void       hs_text_column_take_row_labels (AdwActionRow *row);
/* The same for the title and description of an AdwPreferencesGroup
 * (box > box.header > box.labels > label, label). */
void       hs_text_column_take_group_labels (AdwPreferencesGroup *group);

G_END_DECLS
