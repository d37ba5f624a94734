/* hs-step-page-rows.c — the rows of a step page: the step's own list
 * (items) and "What was found" (findings), rebuilt from each verdict. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-step-page-private.h"
#include "hs-text-column.h"

GtkWidget *
hs_step_page_row_new (const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  hs_text_column_take_row_labels (ADW_ACTION_ROW (row));
  return row;
}

void
hs_step_page_row_add_suffix (GtkWidget *row, const char *text, const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  /* Short words; a wrapping label here gets squeezed to one word a line. */
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
}

/* libadwaita 1.2 ellipsizes a long group title ("Gespeicherte Anmeldungen
 * für Teams und Office" at 360 px) and has no property to change that:
 * its header labels wrap instead. */
static void
wrap_header_labels (GtkWidget *w, GtkWidget *group)
{
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      /* Only the group's own header, not the rows it holds. */
      if (GTK_IS_LIST_BOX (c))
        continue;
      if (GTK_IS_LABEL (c))
        {
          gtk_label_set_ellipsize (GTK_LABEL (c), PANGO_ELLIPSIZE_NONE);
          gtk_label_set_wrap (GTK_LABEL (c), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (c), PANGO_WRAP_WORD_CHAR);
        }
      else
        wrap_header_labels (c, group);
    }
}

/* Group titles and descriptions are markup in libadwaita 1.2. */
void
hs_step_page_set_items_text (HsStepPage *self, const char *title, const char *description)
{
  HsStepPagePrivate *priv = hs_step_page_get_private (self);
  g_autofree char *t = g_markup_escape_text (title ? title : "", -1);
  g_autofree char *d = description ? g_markup_escape_text (description, -1) : NULL;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (priv->items_group), t);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (priv->items_group), d);
  wrap_header_labels (priv->items_group, priv->items_group);
  hs_text_column_take_group_labels (ADW_PREFERENCES_GROUP (priv->items_group));
}

void
hs_step_page_add_finding (HsStepPage *self, GtkWidget *row)
{
  HsStepPagePrivate *priv = hs_step_page_get_private (self);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (priv->findings_group), row);
  g_ptr_array_add (priv->finding_rows, row);
}

void
hs_step_page_add_item (HsStepPage *self, GtkWidget *row)
{
  HsStepPagePrivate *priv = hs_step_page_get_private (self);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (priv->items_group), row);
  g_ptr_array_add (priv->item_rows, row);
}

static void
clear_rows (HsStepPage *self)
{
  HsStepPagePrivate *priv = hs_step_page_get_private (self);

  for (guint i = 0; i < priv->finding_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (priv->findings_group),
                                  g_ptr_array_index (priv->finding_rows, i));
  g_ptr_array_set_size (priv->finding_rows, 0);
  for (guint i = 0; i < priv->item_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (priv->items_group),
                                  g_ptr_array_index (priv->item_rows, i));
  g_ptr_array_set_size (priv->item_rows, 0);
}

/* What every step can say: the reason a check or fix did not finish. */
static void
build_common_findings (HsStepPage *self, HsResult *r)
{
  const char *reason = hs_result_get_string (r, "reason");
  const char *error = hs_result_get_string (r, "error");

  if (reason != NULL && *reason != '\0')
    /* TRANSLATORS: title of a row with a technical explanation, usually in English. */
    hs_step_page_add_finding (self, hs_step_page_row_new (_("Details"), reason));
  else if (error != NULL && *error != '\0' && g_strcmp0 (error, "ok") != 0)
    hs_step_page_add_finding (self, hs_step_page_row_new (_("Details"), error));
}

void
hs_step_page_build_rows (HsStepPage *self, HsResult *r)
{
  HsStepPagePrivate *priv = hs_step_page_get_private (self);
  HsStepPageClass *klass = HS_STEP_PAGE_GET_CLASS (self);

  clear_rows (self);
  hs_step_page_set_items_text (self, NULL, NULL);
  if (r != NULL)
    {
      if (klass->build_rows != NULL)
        klass->build_rows (self, r);
      build_common_findings (self, r);
    }
  gtk_widget_set_visible (priv->findings_group, priv->finding_rows->len > 0);
  gtk_widget_set_visible (priv->items_group, priv->item_rows->len > 0);
}

