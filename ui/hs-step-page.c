/* hs-step-page.c — the base of every step page: its template, and the
 * engine's state of the step turned into widgets. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-a11y.h"
#include "hs-codes.h"
#include "hs-messages.h"
#include "hs-step-page-private.h"
#include "hs-text-column.h"
#include "hs-ui.h"

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (HsStepPage, hs_step_page, ADW_TYPE_BIN)

enum { PROP_0, PROP_ENGINE, PROP_NUMBER_LABEL, PROP_TITLE, PROP_INTRO, PROP_MANUAL, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { SIGNAL_FIX_ALL, N_SIGNALS };
static guint signals[N_SIGNALS];

HsStepPagePrivate *
hs_step_page_get_private (HsStepPage *self)
{
  return hs_step_page_get_instance_private (self);
}

static void
set_style (GtkWidget *widget, const char *style)
{
  static const char *all[] = { "success", "warning", "error", "accent", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    gtk_widget_remove_css_class (widget, all[i]);
  if (style != NULL)
    gtk_widget_add_css_class (widget, style);
}

/* ---- state → widgets -------------------------------------------------- */

/* "Check again" stands beside the verdict when it is the one thing to do
 * and what the words on the page ask for (not checked yet, could not
 * check, stopped): at the bottom of a long page it was out of sight.
 * Otherwise it waits by the code at the bottom; the fixes come first. */
static void
update_action_box (HsStepPagePrivate *priv)
{
  GtkWidget *button = priv->check_again_button;
  gboolean offered = gtk_widget_get_visible (priv->fix_button) ||
                     gtk_widget_get_visible (priv->settings_button) ||
                     gtk_widget_get_visible (priv->fix_all_button);
  gboolean up = priv->asks_check_again && !offered;
  GtkWidget *want = up ? priv->action_buttons : priv->check_again_row;

  if (gtk_widget_get_parent (button) != want)
    {
      gboolean had_focus = gtk_widget_has_focus (button);

      g_object_ref (button);
      gtk_box_remove (GTK_BOX (gtk_widget_get_parent (button)), button);
      if (up)
        gtk_box_append (GTK_BOX (want), button);
      else
        gtk_box_prepend (GTK_BOX (want), button);
      g_object_unref (button);
      if (had_focus)
        gtk_widget_grab_focus (button);
    }
  gtk_widget_set_visible (priv->action_box, offered || up);
}

static void
update_fix_widgets (HsStepPage *self, HsResult *r, gboolean busy)
{
  HsStepPagePrivate *priv = hs_step_page_get_instance_private (self);
  HsStepPageClass *klass = HS_STEP_PAGE_GET_CLASS (self);
  HsFixKind fix = r ? hs_result_get_fix (r) : HS_FIX_NONE;
  HsStatus status = r ? hs_result_get_status (r) : HS_STATUS_OK;
  gboolean automatic = (fix == HS_FIX_AUTOMATIC || fix == HS_FIX_AUTOMATIC_ADMIN) &&
                       !hs_ui_status_is_done (status);
  HsStepPageFix offer = { NULL };
  const char *note;

  /* Run as another account, nothing here is this person's to change. */
  if (klass->describe_fix != NULL && !(r != NULL && g_str_equal (hs_result_get_code (r), HS_CODE_WRONG_USER)))
    klass->describe_fix (self, r, &offer);
  priv->settings_uri = offer.settings_uri;
  note = offer.note;
  if (automatic && fix == HS_FIX_AUTOMATIC_ADMIN)
    note = _("Windows will ask for permission to change this. Choose “Yes”.");
  else if (!automatic && priv->settings_uri == NULL)
    note = NULL;

  gtk_label_set_text_with_mnemonic (GTK_LABEL (priv->fix_label), offer.fix_label ? offer.fix_label : "");
  gtk_widget_set_visible (priv->fix_button, automatic && offer.fix_label != NULL);
  gtk_widget_set_visible (priv->fix_shield, fix == HS_FIX_AUTOMATIC_ADMIN);
  if (offer.fix_label != NULL)
    {
      g_autofree char *plain = NULL;
      gunichar accel = 0;
      pango_parse_markup (offer.fix_label, -1, '_', NULL, &plain, &accel, NULL);
      hs_a11y_set_label (priv->fix_button, plain ? plain : offer.fix_label);
      hs_a11y_set_description (priv->fix_button, fix == HS_FIX_AUTOMATIC_ADMIN
                               ? _("Needs administrator permission") : note);
    }
  gtk_widget_set_visible (priv->settings_button, priv->settings_uri != NULL);
  if (offer.settings_label != NULL)
    gtk_button_set_label (GTK_BUTTON (priv->settings_button), offer.settings_label);
  gtk_label_set_text (GTK_LABEL (priv->fix_note), note ? note : "");
  gtk_widget_set_visible (priv->fix_note, note != NULL);
  priv->asks_check_again = r == NULL || status == HS_STATUS_UNVERIFIED;
  update_action_box (priv);

  gtk_widget_set_sensitive (priv->fix_button, !busy);
  gtk_widget_set_sensitive (priv->settings_button, !busy);
  gtk_widget_set_sensitive (priv->fix_all_button, !busy);
  gtk_widget_set_sensitive (priv->check_again_button, !busy);
}

static void
update_verdict (HsStepPage *self, HsStepState state, HsResult *r)
{
  HsStepPagePrivate *priv = hs_step_page_get_instance_private (self);
  gboolean busy = state == HS_STEP_STATE_CHECKING || state == HS_STEP_STATE_FIXING;
  const char *status_text, *verdict;
  g_autofree char *a11y = NULL;

  if (busy)
    {
      status_text = state == HS_STEP_STATE_CHECKING ? _("Checking…") : _("Fixing…");
      verdict = r ? hs_result_get_summary (r) : _("One moment, please.");
      gtk_spinner_start (GTK_SPINNER (priv->verdict_spinner));
      gtk_stack_set_visible_child_name (GTK_STACK (priv->verdict_indicator), "spinner");
      set_style (priv->status_label, NULL);
    }
  else if (r != NULL)
    {
      HsStatus status = hs_result_get_status (r);

      status_text = hs_ui_status_label (status);
      verdict = hs_result_get_summary (r);
      gtk_spinner_stop (GTK_SPINNER (priv->verdict_spinner));
      gtk_image_set_from_icon_name (GTK_IMAGE (priv->verdict_icon), hs_ui_status_icon (status));
      set_style (priv->verdict_icon, hs_ui_status_style (status));
      set_style (priv->status_label, hs_ui_status_style (status));
      gtk_stack_set_visible_child_name (GTK_STACK (priv->verdict_indicator), "icon");
      hs_a11y_set_label (priv->verdict_icon, status_text);
    }
  else
    {
      status_text = _("Not checked yet");
      verdict = _("Press “Check again” to check this step.");
      gtk_spinner_stop (GTK_SPINNER (priv->verdict_spinner));
      gtk_image_set_from_icon_name (GTK_IMAGE (priv->verdict_icon), "content-loading-symbolic");
      set_style (priv->verdict_icon, "dim-label");
      set_style (priv->status_label, NULL);
      gtk_stack_set_visible_child_name (GTK_STACK (priv->verdict_indicator), "icon");
      hs_a11y_set_label (priv->verdict_icon, status_text);
    }

  gtk_label_set_text (GTK_LABEL (priv->status_label), status_text);
  gtk_label_set_text (GTK_LABEL (priv->verdict_label), verdict);
  /* GTK 4.8 cannot announce; a changed description on the verdict is what
   * screen readers pick up. */
  /* TRANSLATORS: accessible text of the verdict: status word, then the sentence. */
  a11y = g_strdup_printf (_("%s: %s"), status_text, verdict);
  hs_a11y_set_label (priv->verdict_box, a11y);
  gtk_accessible_update_property (GTK_ACCESSIBLE (priv->verdict_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, a11y, -1);
}

static void
update_failure (HsStepPage *self, HsResult *r)
{
  HsStepPagePrivate *priv = hs_step_page_get_instance_private (self);
  const char *code, *advice;
  g_autofree char *code_text = NULL;
  g_autofree char *wrong_user = NULL;
  gboolean failure;

  if (r == NULL)
    {
      gtk_label_set_text (GTK_LABEL (priv->code_label), "");
      gtk_revealer_set_reveal_child (GTK_REVEALER (priv->failure_revealer), FALSE);
      gtk_widget_set_visible (priv->failure_revealer, FALSE);
      return;
    }
  code = hs_result_get_code (r);
  advice = hs_step_page_class_get_advice (HS_STEP_PAGE_GET_CLASS (self), code, &failure);
  if (advice == NULL)
    advice = hs_ui_common_advice (code, &failure);
  /* Who runs Handshake and who sits at the computer, by name. */
  if (g_strcmp0 (code, HS_CODE_WRONG_USER) == 0)
    advice = wrong_user = hs_ui_wrong_user_text (r);
  /* A code can be fine or not (clock.managed): nothing to do when fine. */
  if (hs_result_get_status (r) == HS_STATUS_OK)
    advice = NULL;
  /* TRANSLATORS: %s is a stable code for support staff, e.g. "clock.skew"; do not translate it. */
  code_text = g_strdup_printf (_("Code: %s"), code);
  gtk_label_set_text (GTK_LABEL (priv->code_label), code_text);
  g_free (priv->failure_text);
  priv->failure_text = g_strdup (advice ? advice : "");
  gtk_label_set_text (GTK_LABEL (priv->failure_label), priv->failure_text);
  gtk_revealer_set_reveal_child (GTK_REVEALER (priv->failure_revealer), advice != NULL);
  gtk_widget_set_visible (priv->failure_revealer, advice != NULL);
  if (advice != NULL)
    hs_a11y_set_description (priv->failure_label, advice);
}

void
hs_step_page_refresh (HsStepPage *self)
{
  HsStepPagePrivate *priv;
  HsStepPageClass *klass;
  HsStepState state;
  HsResult *r;
  gboolean busy;

  g_return_if_fail (HS_IS_STEP_PAGE (self));
  priv = hs_step_page_get_instance_private (self);
  klass = HS_STEP_PAGE_GET_CLASS (self);
  /* An operation may finish after the window closed. */
  if (priv->engine == NULL)
    return;

  state = hs_engine_get_state (priv->engine, klass->step);
  r = hs_engine_get_result (priv->engine, klass->step);
  busy = state == HS_STEP_STATE_CHECKING || state == HS_STEP_STATE_FIXING;

  update_verdict (self, state, r);
  update_failure (self, r);
  if (!busy)
    hs_step_page_build_rows (self, r);
  update_fix_widgets (self, r, busy);
  if (klass->refreshed != NULL)
    klass->refreshed (self, r, busy);
}

const char *
hs_step_page_class_get_advice (HsStepPageClass *klass, const char *code, gboolean *failure)
{
  for (const HsStepAdvice *a = klass->advice; a != NULL && a->code != NULL; a++)
    if (g_strcmp0 (code, a->code) == 0)
      {
        *failure = a->failure;
        return _(a->advice);
      }
  return NULL;
}

static void
on_step_changed (HsEngine *engine, HsStep step, HsStepState state, HsStepPage *self)
{
  if (step == HS_STEP_PAGE_GET_CLASS (self)->step)
    hs_step_page_refresh (self);
}

/* ---- GObject ---------------------------------------------------------- */

static void
hs_step_page_constructed (GObject *object)
{
  HsStepPage *self = HS_STEP_PAGE (object);
  HsStepPagePrivate *priv = hs_step_page_get_instance_private (self);

  G_OBJECT_CLASS (hs_step_page_parent_class)->constructed (object);
  g_assert (priv->engine != NULL);
  g_assert (HS_STEP_PAGE_GET_CLASS (self)->step >= 1);

  hs_a11y_set_label (priv->manual_expander, _("Do it by hand"));
  hs_a11y_set_label (priv->check_again_button, _("Check again"));
  hs_a11y_set_label (priv->fix_all_button, _("Fix everything"));
  g_signal_connect_object (priv->engine, "step-changed", G_CALLBACK (on_step_changed), self, 0);
  hs_step_page_refresh (self);
}

static void
hs_step_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  HsStepPage *self = HS_STEP_PAGE (object);
  HsStepPagePrivate *priv = hs_step_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ENGINE:
      priv->engine = g_value_dup_object (value);
      break;
    case PROP_NUMBER_LABEL:
      g_free (priv->number_label);
      priv->number_label = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      g_free (priv->title);
      priv->title = g_value_dup_string (value);
      gtk_label_set_text (GTK_LABEL (priv->title_label), priv->title ? priv->title : "");
      break;
    case PROP_INTRO:
      gtk_label_set_text (GTK_LABEL (priv->intro_label), g_value_get_string (value));
      break;
    case PROP_MANUAL:
      gtk_label_set_text (GTK_LABEL (priv->manual_label), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_step_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HsStepPage *self = HS_STEP_PAGE (object);
  HsStepPagePrivate *priv = hs_step_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, priv->engine);
      break;
    case PROP_NUMBER_LABEL:
      g_value_set_string (value, priv->number_label);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_INTRO:
      g_value_set_string (value, gtk_label_get_text (GTK_LABEL (priv->intro_label)));
      break;
    case PROP_MANUAL:
      g_value_set_string (value, gtk_label_get_text (GTK_LABEL (priv->manual_label)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_step_page_dispose (GObject *object)
{
  HsStepPage *self = HS_STEP_PAGE (object);
  HsStepPagePrivate *priv = hs_step_page_get_instance_private (self);

  if (priv->engine != NULL)
    g_signal_handlers_disconnect_by_data (priv->engine, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_STEP_PAGE);
  g_clear_object (&priv->engine);
  g_clear_object (&priv->cancellable);
  G_OBJECT_CLASS (hs_step_page_parent_class)->dispose (object);
}

static void
hs_step_page_finalize (GObject *object)
{
  HsStepPage *self = HS_STEP_PAGE (object);
  HsStepPagePrivate *priv = hs_step_page_get_instance_private (self);

  g_ptr_array_unref (priv->finding_rows);
  g_ptr_array_unref (priv->item_rows);
  g_free (priv->number_label);
  g_free (priv->title);
  g_free (priv->failure_text);
  G_OBJECT_CLASS (hs_step_page_parent_class)->finalize (object);
}

static GParamSpec *
words_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
}

static void
hs_step_page_class_init (HsStepPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hs_step_page_constructed;
  object_class->set_property = hs_step_page_set_property;
  object_class->get_property = hs_step_page_get_property;
  object_class->dispose = hs_step_page_dispose;
  object_class->finalize = hs_step_page_finalize;
  klass->fix = hs_step_page_real_fix;

  props[PROP_ENGINE] = g_param_spec_object ("engine", NULL, NULL, HS_TYPE_ENGINE,
                                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The step's words: short name for the step strip, "Step N", the page
   * title, one sentence on what the step looks at, how to do it by hand. */
  props[PROP_NUMBER_LABEL] = words_property ("number-label");
  props[PROP_TITLE] = words_property ("title");
  props[PROP_INTRO] = words_property ("intro");
  props[PROP_MANUAL] = words_property ("manual");
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_FIX_ALL] =
    g_signal_new ("fix-all", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (HS_TYPE_TEXT_COLUMN);
  gtk_widget_class_set_template_from_resource (widget_class, HS_UI_RESOURCE_PATH "hs-step-page.ui");
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, title_label);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, intro_label);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, verdict_box);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, verdict_indicator);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, verdict_spinner);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, verdict_icon);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, status_label);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, verdict_label);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, failure_revealer);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, failure_label);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, action_box);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, fix_button);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, fix_shield);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, fix_label);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, settings_button);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, fix_all_button);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, fix_note);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, items_group);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, findings_group);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, manual_expander);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, manual_label);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, action_buttons);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, check_again_row);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, check_again_button);
  gtk_widget_class_bind_template_child_private (widget_class, HsStepPage, code_label);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_fix_clicked",
                                                G_CALLBACK (hs_step_page_on_fix_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_settings_clicked",
                                                G_CALLBACK (hs_step_page_on_settings_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_fix_all_clicked",
                                                G_CALLBACK (hs_step_page_on_fix_all_clicked));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_check_again_clicked",
                                                G_CALLBACK (hs_step_page_on_check_again_clicked));
}

static void
hs_step_page_init (HsStepPage *self)
{
  HsStepPagePrivate *priv = hs_step_page_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  priv->finding_rows = g_ptr_array_new ();
  priv->item_rows = g_ptr_array_new ();
  gtk_label_set_mnemonic_widget (GTK_LABEL (priv->fix_label), priv->fix_button);
}

/* ---- accessors -------------------------------------------------------- */

HsStep
hs_step_page_get_step (HsStepPage *self)
{
  return HS_STEP_PAGE_GET_CLASS (self)->step;
}

const char *
hs_step_page_get_name (HsStepPage *self)
{
  return hs_step_page_class_get_name (HS_STEP_PAGE_GET_CLASS (self));
}

/* The translated short name, from the class: no page needs to exist. */
const char *
hs_step_page_class_get_name (HsStepPageClass *klass)
{
  g_return_val_if_fail (klass->short_name != NULL, "");
  return _(klass->short_name);
}

const char *
hs_step_page_get_number_label (HsStepPage *self)
{
  return ((HsStepPagePrivate *) hs_step_page_get_instance_private (self))->number_label;
}

const char *
hs_step_page_get_title (HsStepPage *self)
{
  return ((HsStepPagePrivate *) hs_step_page_get_instance_private (self))->title;
}

HsEngine *
hs_step_page_get_engine (HsStepPage *self)
{
  return ((HsStepPagePrivate *) hs_step_page_get_instance_private (self))->engine;
}

GCancellable *
hs_step_page_get_cancellable (HsStepPage *self)
{
  return ((HsStepPagePrivate *) hs_step_page_get_instance_private (self))->cancellable;
}

void
hs_step_page_set_cancellable (HsStepPage *self, GCancellable *cancellable)
{
  HsStepPagePrivate *priv;

  g_return_if_fail (HS_IS_STEP_PAGE (self));
  priv = hs_step_page_get_instance_private (self);
  g_set_object (&priv->cancellable, cancellable);
}

void
hs_step_page_set_show_fix_all (HsStepPage *self, gboolean show)
{
  HsStepPagePrivate *priv;

  g_return_if_fail (HS_IS_STEP_PAGE (self));
  priv = hs_step_page_get_instance_private (self);
  gtk_widget_set_visible (priv->fix_all_button, show);
  update_action_box (priv);
}

GtkWidget *
hs_step_page_get_fix_button (HsStepPage *self)
{
  return ((HsStepPagePrivate *) hs_step_page_get_instance_private (self))->fix_button;
}

GtkWidget *
hs_step_page_get_settings_button (HsStepPage *self)
{
  return ((HsStepPagePrivate *) hs_step_page_get_instance_private (self))->settings_button;
}

GtkWidget *
hs_step_page_get_check_again_button (HsStepPage *self)
{
  return ((HsStepPagePrivate *) hs_step_page_get_instance_private (self))->check_again_button;
}

const char *
hs_step_page_get_verdict_text (HsStepPage *self)
{
  HsStepPagePrivate *priv = hs_step_page_get_instance_private (self);

  return gtk_label_get_text (GTK_LABEL (priv->verdict_label));
}

const char *
hs_step_page_get_status_text (HsStepPage *self)
{
  HsStepPagePrivate *priv = hs_step_page_get_instance_private (self);

  return gtk_label_get_text (GTK_LABEL (priv->status_label));
}

const char *
hs_step_page_get_failure_text (HsStepPage *self)
{
  HsStepPagePrivate *priv = hs_step_page_get_instance_private (self);

  return priv->failure_text ? priv->failure_text : "";
}

gboolean
hs_step_page_get_failure_visible (HsStepPage *self)
{
  HsStepPagePrivate *priv = hs_step_page_get_instance_private (self);

  return gtk_widget_get_visible (priv->failure_revealer) &&
         gtk_revealer_get_reveal_child (GTK_REVEALER (priv->failure_revealer));
}
