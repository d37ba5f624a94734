#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-a11y.h"
#include "hs-confirm-dialog.h"
#include "hs-ui.h"

#define OPEN_KEY "hs-confirm-dialog-open"

struct _HsConfirmDialog
{
  GtkWindow  parent_instance;
  GtkWidget *heading_label;
  GtkWidget *body_label;
  GtkWidget *details_label;
  GtkWidget *cancel_button;
  GtkWidget *confirm_button;
  gboolean   responded;
};

G_DEFINE_FINAL_TYPE (HsConfirmDialog, hs_confirm_dialog, GTK_TYPE_WINDOW)

enum { SIGNAL_RESPONSE, N_SIGNALS };
static guint signals[N_SIGNALS];

void
hs_confirm_dialog_respond (HsConfirmDialog *self, gboolean confirmed)
{
  GtkWindow *parent;

  g_return_if_fail (HS_IS_CONFIRM_DIALOG (self));
  if (self->responded)
    return;
  self->responded = TRUE;
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (parent != NULL && g_object_get_data (G_OBJECT (parent), OPEN_KEY) == self)
    g_object_set_data (G_OBJECT (parent), OPEN_KEY, NULL);
  g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_RESPONSE], 0, confirmed);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
on_cancel_clicked (HsConfirmDialog *self)
{
  hs_confirm_dialog_respond (self, FALSE);
}

static void
on_confirm_clicked (HsConfirmDialog *self)
{
  hs_confirm_dialog_respond (self, TRUE);
}

static gboolean
hs_confirm_dialog_close_request (GtkWindow *window)
{
  HsConfirmDialog *self = HS_CONFIRM_DIALOG (window);

  if (!self->responded)
    {
      hs_confirm_dialog_respond (self, FALSE);
      return TRUE;
    }
  return FALSE;
}

static void
hs_confirm_dialog_class_init (HsConfirmDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  window_class->close_request = hs_confirm_dialog_close_request;

  signals[SIGNAL_RESPONSE] =
    g_signal_new ("response", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, HS_UI_RESOURCE_PATH "hs-confirm-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HsConfirmDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, HsConfirmDialog, body_label);
  gtk_widget_class_bind_template_child (widget_class, HsConfirmDialog, details_label);
  gtk_widget_class_bind_template_child (widget_class, HsConfirmDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HsConfirmDialog, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hs_confirm_dialog_init (HsConfirmDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_MODAL, TRUE, -1);
}

HsConfirmDialog *
hs_confirm_dialog_new (GtkWindow *parent, const char *heading, const char *body,
                       const char *confirm_label, gboolean destructive)
{
  HsConfirmDialog *self = g_object_new (HS_TYPE_CONFIRM_DIALOG,
                                        "transient-for", parent,
                                        "title", heading,
                                        NULL);

  gtk_label_set_text (GTK_LABEL (self->heading_label), heading);
  gtk_label_set_text (GTK_LABEL (self->body_label), body);
  gtk_button_set_label (GTK_BUTTON (self->confirm_button), confirm_label);
  gtk_widget_add_css_class (self->confirm_button, destructive ? "destructive-action" : "suggested-action");
  gtk_window_set_default_widget (GTK_WINDOW (self), self->confirm_button);
  gtk_widget_grab_focus (self->cancel_button);
  hs_a11y_set_description (GTK_WIDGET (self), body);
  if (parent != NULL)
    g_object_set_data (G_OBJECT (parent), OPEN_KEY, self);
  return self;
}

HsConfirmDialog *
hs_confirm_dialog_get_open (GtkWindow *parent)
{
  return parent != NULL ? g_object_get_data (G_OBJECT (parent), OPEN_KEY) : NULL;
}

void
hs_confirm_dialog_set_cancel_label (HsConfirmDialog *self, const char *label)
{
  g_return_if_fail (HS_IS_CONFIRM_DIALOG (self));
  gtk_button_set_label (GTK_BUTTON (self->cancel_button), label);
}

void
hs_confirm_dialog_set_details (HsConfirmDialog *self, const char *details)
{
  g_return_if_fail (HS_IS_CONFIRM_DIALOG (self));
  gtk_label_set_text (GTK_LABEL (self->details_label), details ? details : "");
  gtk_widget_set_visible (self->details_label, details != NULL && *details != '\0');
}

const char *
hs_confirm_dialog_get_text (HsConfirmDialog *self, const char *which)
{
  g_return_val_if_fail (HS_IS_CONFIRM_DIALOG (self), NULL);
  if (g_str_equal (which, "heading"))
    return gtk_label_get_text (GTK_LABEL (self->heading_label));
  if (g_str_equal (which, "body"))
    return gtk_label_get_text (GTK_LABEL (self->body_label));
  if (g_str_equal (which, "details"))
    return gtk_label_get_text (GTK_LABEL (self->details_label));
  if (g_str_equal (which, "confirm"))
    return gtk_button_get_label (GTK_BUTTON (self->confirm_button));
  return NULL;
}
