#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-a11y.h"
#include "hs-ui.h"
#include "hs-welcome-page.h"

struct _HsWelcomePage
{
  AdwBin     parent_instance;
  GtkWidget *status_page;
  GtkWidget *start_button;
};

G_DEFINE_FINAL_TYPE (HsWelcomePage, hs_welcome_page, ADW_TYPE_BIN)

enum { SIGNAL_START, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_start_clicked (HsWelcomePage *self)
{
  g_signal_emit (self, signals[SIGNAL_START], 0);
}

static void
hs_welcome_page_class_init (HsWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SIGNAL_START] =
    g_signal_new ("start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, HS_UI_RESOURCE_PATH "hs-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, HsWelcomePage, start_button);
  gtk_widget_class_bind_template_callback (widget_class, on_start_clicked);
}

static void
hs_welcome_page_init (HsWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hs_a11y_set_label (self->start_button, _("Start"));
}

GtkWidget *
hs_welcome_page_new (void)
{
  return g_object_new (HS_TYPE_WELCOME_PAGE, NULL);
}

GtkWidget *
hs_welcome_page_get_start_button (HsWelcomePage *self)
{
  g_return_val_if_fail (HS_IS_WELCOME_PAGE (self), NULL);
  return self->start_button;
}
