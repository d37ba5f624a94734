/* hs-code-explainer.c — "Teams shows another code?" (hs-code-explainer.h). */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-a11y.h"
#include "hs-code-explainer.h"
#include "hs-teams-codes.h"
#include "hs-ui.h"

struct _HsCodeExplainer
{
  AdwBin       parent_instance;

  HsTeamsNext  next;

  GtkWidget   *expander;
  GtkWidget   *entry;
  GtkWidget   *explain_button;
  GtkWidget   *error_label;
  GtkWidget   *result_box;
  GtkWidget   *meaning_label;
  GtkWidget   *advice_label;
  GtkWidget   *action_button;
  GtkWidget   *code_label;
};

G_DEFINE_FINAL_TYPE (HsCodeExplainer, hs_code_explainer, ADW_TYPE_BIN)

enum { SIGNAL_CODE_NOTED, SIGNAL_NEXT, N_SIGNALS };
static guint signals[N_SIGNALS];

static void on_explain (HsCodeExplainer *self);
static void on_action (HsCodeExplainer *self);

/* What the expander opens to (the entry, the explanation) is built the
 * first time it opens or something asks for a part of it, not with the
 * welcome page: closed, as most people leave it, it is not in the window
 * at all, and building it was about 2 ms of the wizard's cold start. */
static void
ensure_body (HsCodeExplainer *self)
{
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GtkBuilderScope) scope = NULL;
  g_autoptr(GError) error = NULL;

  if (self->entry != NULL)
    return;
  scope = gtk_builder_cscope_new ();
  gtk_builder_cscope_add_callback (GTK_BUILDER_CSCOPE (scope), on_explain);
  gtk_builder_cscope_add_callback (GTK_BUILDER_CSCOPE (scope), on_action);
  builder = gtk_builder_new ();
  gtk_builder_set_scope (builder, scope);
  /* Signals without an object of their own go to the explainer (swapped). */
  gtk_builder_set_current_object (builder, G_OBJECT (self));
  if (!gtk_builder_add_from_resource (builder, HS_UI_RESOURCE_PATH "hs-code-explainer-body.ui", &error))
    g_error ("%s", error->message);
#define GET(name) self->name = GTK_WIDGET (gtk_builder_get_object (builder, #name))
  GET (entry);
  GET (explain_button);
  GET (error_label);
  GET (result_box);
  GET (meaning_label);
  GET (advice_label);
  GET (action_button);
  GET (code_label);
#undef GET
  gtk_expander_set_child (GTK_EXPANDER (self->expander),
                          GTK_WIDGET (gtk_builder_get_object (builder, "body")));
  hs_a11y_set_label (self->entry, _("Status code Teams shows"));
  hs_a11y_set_label (self->explain_button, _("Explain the code"));
}

static void
on_expanded (HsCodeExplainer *self)
{
  if (gtk_expander_get_expanded (GTK_EXPANDER (self->expander)))
    ensure_body (self);
}

static void
show_error (HsCodeExplainer *self)
{
  gtk_label_set_text (GTK_LABEL (self->error_label),
                      _("That is not a status code. Codes look like 0xCAA82EE2: “0x” and eight letters or digits."));
  gtk_widget_set_visible (self->error_label, TRUE);
  gtk_widget_set_visible (self->result_box, FALSE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_STATE_INVALID,
                               GTK_ACCESSIBLE_INVALID_TRUE, -1);
}

static void
show_code (HsCodeExplainer *self, const HsTeamsCode *code)
{
  /* The code and the source's title are Latin text: isolated (FSI … PDI)
   * so that a right-to-left sentence keeps each in one piece. */
  g_autofree char *iso_code = g_strdup_printf ("\u2068%s\u2069", code->code);
  g_autofree char *iso_title = g_strdup_printf ("\u2068%s\u2069",
                                                code->source_title ? code->source_title : "");
  g_autofree char *source = NULL;
  const char *action = NULL;

  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_accessible_reset_state (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_STATE_INVALID);
  gtk_label_set_text (GTK_LABEL (self->meaning_label), hs_teams_code_meaning (code, FALSE));
  gtk_label_set_text (GTK_LABEL (self->advice_label), hs_teams_code_advice (code, FALSE));
  if (code->source_title != NULL)
    /* TRANSLATORS: under the explanation of a Teams code: the code, then where the explanation
     * comes from (a page title, in English). */
    source = g_strdup_printf (_("%s · Source: %s"), iso_code, iso_title);
  else
    /* TRANSLATORS: %s is a Teams status code Handshake has no entry for. */
    source = g_strdup_printf (_("%s · not in Handshake’s list"), iso_code);
  gtk_label_set_text (GTK_LABEL (self->code_label), source);
  self->next = code->next;
  switch (code->next)
    {
    case HS_TEAMS_NEXT_STEPS: action = _("_Start the four steps"); break;
    case HS_TEAMS_NEXT_NETWORK: action = _("Check the _connection"); break;
    case HS_TEAMS_NEXT_IT:
    default: break;
    }
  gtk_widget_set_visible (self->action_button, action != NULL);
  if (action != NULL)
    {
      gtk_button_set_label (GTK_BUTTON (self->action_button), action);
      hs_a11y_set_label (self->action_button, action);
    }
  gtk_widget_set_visible (self->result_box, TRUE);
}

void
hs_code_explainer_explain (HsCodeExplainer *self, const char *text)
{
  HsTeamsCode code;

  g_return_if_fail (HS_IS_CODE_EXPLAINER (self));
  ensure_body (self);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_expander_set_expanded (GTK_EXPANDER (self->expander), TRUE);
  if (!hs_teams_code_explain (text, &code, NULL))
    {
      show_error (self);
      return;
    }
  show_code (self, &code);
  g_signal_emit (self, signals[SIGNAL_CODE_NOTED], 0, code.code);
}

static void
on_explain (HsCodeExplainer *self)
{
  hs_code_explainer_explain (self, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

static void
on_action (HsCodeExplainer *self)
{
  g_signal_emit (self, signals[SIGNAL_NEXT], 0, (int) self->next);
}

GtkWidget *hs_code_explainer_get_expander (HsCodeExplainer *self) { return self->expander; }
GtkWidget *hs_code_explainer_get_entry (HsCodeExplainer *self) { ensure_body (self); return self->entry; }
GtkWidget *hs_code_explainer_get_action_button (HsCodeExplainer *self) { ensure_body (self); return self->action_button; }
GtkWidget *hs_code_explainer_get_result_label (HsCodeExplainer *self) { ensure_body (self); return self->meaning_label; }
GtkWidget *hs_code_explainer_get_error_label (HsCodeExplainer *self) { ensure_body (self); return self->error_label; }

static void
hs_code_explainer_class_init (HsCodeExplainerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SIGNAL_CODE_NOTED] =
    g_signal_new ("code-noted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_NEXT] =
    g_signal_new ("next", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class, HS_UI_RESOURCE_PATH "hs-code-explainer.ui");
  gtk_widget_class_bind_template_child (widget_class, HsCodeExplainer, expander);
}

static void
hs_code_explainer_init (HsCodeExplainer *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  hs_a11y_set_label (self->expander, _("Teams shows another code?"));
  g_signal_connect_swapped (self->expander, "notify::expanded", G_CALLBACK (on_expanded), self);
}

GtkWidget *
hs_code_explainer_new (void)
{
  return g_object_new (HS_TYPE_CODE_EXPLAINER, NULL);
}
