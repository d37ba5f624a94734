#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-a11y.h"
#include "hs-code-explainer.h"
#include "hs-teams-codes.h"
#include "hs-ui.h"
#include "hs-welcome-page.h"

struct _HsWelcomePage
{
  AdwBin     parent_instance;
  GtkWidget *status_page;
  GtkWidget *start_button;
  GtkWidget *explainer;
};

G_DEFINE_FINAL_TYPE (HsWelcomePage, hs_welcome_page, ADW_TYPE_BIN)

enum { SIGNAL_START, SIGNAL_CODE_NOTED, SIGNAL_CHECK_NETWORK, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_start_clicked (HsWelcomePage *self)
{
  g_signal_emit (self, signals[SIGNAL_START], 0);
}

static void
on_code_noted (HsWelcomePage *self, const char *code)
{
  g_signal_emit (self, signals[SIGNAL_CODE_NOTED], 0, code);
}

/* What the explanation of a code offers: the four steps or the network check. */
static void
on_next (HsWelcomePage *self, int next)
{
  if (next == HS_TEAMS_NEXT_STEPS)
    g_signal_emit (self, signals[SIGNAL_START], 0);
  else if (next == HS_TEAMS_NEXT_NETWORK)
    g_signal_emit (self, signals[SIGNAL_CHECK_NETWORK], 0);
}

static void
hs_welcome_page_class_init (HsWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SIGNAL_START] =
    g_signal_new ("start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CODE_NOTED] =
    g_signal_new ("code-noted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CHECK_NETWORK] =
    g_signal_new ("check-network", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (HS_TYPE_CODE_EXPLAINER);
  gtk_widget_class_set_template_from_resource (widget_class, HS_UI_RESOURCE_PATH "hs-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, HsWelcomePage, start_button);
  gtk_widget_class_bind_template_child (widget_class, HsWelcomePage, explainer);
  gtk_widget_class_bind_template_callback (widget_class, on_start_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_code_noted);
  gtk_widget_class_bind_template_callback (widget_class, on_next);
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

GtkWidget *
hs_welcome_page_get_explainer (HsWelcomePage *self)
{
  g_return_val_if_fail (HS_IS_WELCOME_PAGE (self), NULL);
  return self->explainer;
}
