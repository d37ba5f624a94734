#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-a11y.h"
#include "hs-messages.h"
#include "hs-squeezer.h"
#include "hs-step-strip.h"

typedef struct {
  GtkWidget *button;
  GtkWidget *indicator;      /* GtkStack: "spinner" / "icon" / "idle" */
  GtkWidget *spinner;
  GtkWidget *icon;
  GtkWidget *status_label;
  GtkWidget *narrow;          /* the number beside the indicator when folded */
  GtkWidget *squeezer;
  char      *name;            /* (owned) the step's short name */
  char      *status_text;
} StripItem;

struct _HsStepStrip
{
  GtkWidget  parent_instance;
  StripItem  items[HS_N_STEPS];
  int        n_items;         /* added by the window, in step order */
  int        current;
};

G_DEFINE_FINAL_TYPE (HsStepStrip, hs_step_strip, GTK_TYPE_WIDGET)

enum { SIGNAL_STEP_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static StripItem *
item_for (HsStepStrip *self, HsStep step)
{
  g_return_val_if_fail (step >= 1 && step <= self->n_items, NULL);
  return &self->items[step - 1];
}

static void
on_item_clicked (GtkButton *button, HsStepStrip *self)
{
  int step = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "hs-step"));
  g_signal_emit (self, signals[SIGNAL_STEP_ACTIVATED], 0, step);
}

static GtkWidget *
label_new (const char *text, const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

static void
update_item_a11y (HsStepStrip *self, HsStep step)
{
  StripItem *it = item_for (self, step);
  g_autofree char *label = NULL;

  /* TRANSLATORS: accessible name of an item in the step list, e.g.
     "Step 2, Saved sign-ins: Problem found". */
  label = g_strdup_printf (_("Step %d, %s: %s"), (int) step, it->name, it->status_text);
  hs_a11y_set_label (it->button, label);
  gtk_widget_set_tooltip_text (it->button, label);
}

void
hs_step_strip_add_step (HsStepStrip *self, HsStep step, const char *number_label, const char *name)
{
  StripItem *it;
  GtkWidget *box, *wide, *narrow, *number;
  g_autofree char *digits = g_strdup_printf ("%d", (int) step);

  g_return_if_fail (HS_IS_STEP_STRIP (self));
  g_return_if_fail (step == self->n_items + 1 && step <= HS_N_STEPS);
  self->n_items++;
  it = item_for (self, step);
  it->name = g_strdup (name);

  it->button = gtk_button_new ();
  gtk_widget_add_css_class (it->button, "flat");
  gtk_widget_add_css_class (it->button, "hs-strip-item");
  gtk_widget_set_hexpand (it->button, TRUE);
  g_object_set_data (G_OBJECT (it->button), "hs-step", GINT_TO_POINTER (step));
  g_signal_connect (it->button, "clicked", G_CALLBACK (on_item_clicked), self);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);

  it->indicator = gtk_stack_new ();
  gtk_widget_set_valign (it->indicator, GTK_ALIGN_CENTER);
  it->spinner = gtk_spinner_new ();
  it->icon = gtk_image_new ();
  gtk_stack_add_named (GTK_STACK (it->indicator), it->spinner, "spinner");
  gtk_stack_add_named (GTK_STACK (it->indicator), it->icon, "icon");
  number = label_new (digits, "hs-step-number");
  gtk_label_set_xalign (GTK_LABEL (number), 0.5);
  gtk_stack_add_named (GTK_STACK (it->indicator), number, "idle");
  gtk_stack_set_visible_child_name (GTK_STACK (it->indicator), "idle");
  gtk_box_append (GTK_BOX (box), it->indicator);

  wide = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (wide), label_new (number_label, "caption"));
  gtk_box_append (GTK_BOX (wide), label_new (name, "heading"));
  it->status_label = label_new ("", "caption");
  gtk_box_append (GTK_BOX (wide), it->status_label);

  /* Folded, the indicator and the number: empty while the indicator is
   * the number itself (not checked yet), which would show "1 1". */
  narrow = it->narrow = label_new ("", "heading");
  gtk_widget_set_valign (narrow, GTK_ALIGN_CENTER);

  it->squeezer = hs_squeezer_new ();
  hs_squeezer_set_wide (HS_SQUEEZER (it->squeezer), wide);
  hs_squeezer_set_narrow (HS_SQUEEZER (it->squeezer), narrow);
  gtk_box_append (GTK_BOX (box), it->squeezer);

  gtk_button_set_child (GTK_BUTTON (it->button), box);
  gtk_widget_set_parent (it->button, GTK_WIDGET (self));

  hs_step_strip_update (self, step, HS_STEP_STATE_IDLE, NULL);
}

#define SPACING 4

/* Equal columns, one a step. All items fold together as soon as one of them
 * would not fit in its wide form, so the strip never mixes the two. */
static void
hs_step_strip_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                       int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  HsStepStrip *self = HS_STEP_STRIP (widget);
  int n = self->n_items;
  int child_for = -1, max_min = 0, max_nat = 0;

  *minimum = *natural = 0;
  if (n == 0)
    return;
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0)
    child_for = MAX (0, (for_size - (n - 1) * SPACING) / n);
  for (int i = 0; i < n; i++)
    {
      int min = 0, nat = 0;
      gtk_widget_measure (self->items[i].button, orientation, child_for, &min, &nat, NULL, NULL);
      max_min = MAX (max_min, min);
      max_nat = MAX (max_nat, nat);
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = max_min * n + (n - 1) * SPACING;
      *natural = max_nat * n + (n - 1) * SPACING;
    }
  else
    {
      *minimum = max_min;
      *natural = max_nat;
    }
}

static void
hs_step_strip_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  HsStepStrip *self = HS_STEP_STRIP (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int n = self->n_items;
  int column = MAX (0, (width - (n - 1) * SPACING) / MAX (n, 1));
  int wide_need = 0;

  for (int i = 0; i < n; i++)
    {
      /* The button's own padding and indicator come on top of the text. */
      int full = 0, text = hs_squeezer_get_wide_min (HS_SQUEEZER (self->items[i].squeezer));
      int squeezer_min = 0;
      gtk_widget_measure (self->items[i].squeezer, GTK_ORIENTATION_HORIZONTAL, -1, &squeezer_min, NULL, NULL, NULL);
      gtk_widget_measure (self->items[i].button, GTK_ORIENTATION_HORIZONTAL, -1, &full, NULL, NULL, NULL);
      wide_need = MAX (wide_need, full - squeezer_min + text);
    }
  for (int i = 0; i < n; i++)
    hs_squeezer_set_force (HS_SQUEEZER (self->items[i].squeezer), column < wide_need ? 1 : 0);

  for (int i = 0; i < n; i++)
    {
      int x = i * (column + SPACING);
      GskTransform *t;

      if (rtl)
        x = width - x - column;
      t = gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (x, 0));
      gtk_widget_allocate (self->items[i].button, column, height, baseline, t);
    }
}

static void
hs_step_strip_dispose (GObject *object)
{
  HsStepStrip *self = HS_STEP_STRIP (object);

  for (int i = 0; i < self->n_items; i++)
    {
      g_clear_pointer (&self->items[i].button, gtk_widget_unparent);
      g_clear_pointer (&self->items[i].name, g_free);
      g_clear_pointer (&self->items[i].status_text, g_free);
    }
  G_OBJECT_CLASS (hs_step_strip_parent_class)->dispose (object);
}

static void
hs_step_strip_class_init (HsStepStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_step_strip_dispose;

  signals[SIGNAL_STEP_ACTIVATED] =
    g_signal_new ("step-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  widget_class->measure = hs_step_strip_measure;
  widget_class->size_allocate = hs_step_strip_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "hs-step-strip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hs_step_strip_init (HsStepStrip *self)
{
  hs_a11y_set_label (GTK_WIDGET (self), _("Steps"));
}

GtkWidget *
hs_step_strip_new (void)
{
  return g_object_new (HS_TYPE_STEP_STRIP, NULL);
}

static void
set_status_style (GtkWidget *widget, const char *style)
{
  static const char *all[] = { "success", "warning", "error", "accent", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    gtk_widget_remove_css_class (widget, all[i]);
  if (style != NULL)
    gtk_widget_add_css_class (widget, style);
}

void
hs_step_strip_update (HsStepStrip *self, HsStep step, HsStepState state, HsResult *result)
{
  StripItem *it;
  const char *text;

  g_return_if_fail (HS_IS_STEP_STRIP (self));
  it = item_for (self, step);
  g_return_if_fail (it != NULL);

  if (state == HS_STEP_STATE_CHECKING || state == HS_STEP_STATE_FIXING)
    {
      text = state == HS_STEP_STATE_CHECKING ? _("Checking…") : _("Fixing…");
      gtk_spinner_start (GTK_SPINNER (it->spinner));
      gtk_stack_set_visible_child_name (GTK_STACK (it->indicator), "spinner");
      set_status_style (it->status_label, "dim-label");
    }
  else if (result != NULL)
    {
      HsStatus status = hs_result_get_status (result);

      text = hs_ui_status_label (status);
      gtk_spinner_stop (GTK_SPINNER (it->spinner));
      gtk_image_set_from_icon_name (GTK_IMAGE (it->icon), hs_ui_status_icon (status));
      gtk_stack_set_visible_child_name (GTK_STACK (it->indicator), "icon");
      set_status_style (it->icon, hs_ui_status_style (status));
      set_status_style (it->status_label, hs_ui_status_style (status));
      hs_a11y_set_label (it->icon, text);
    }
  else
    {
      text = _("Not checked yet");
      gtk_spinner_stop (GTK_SPINNER (it->spinner));
      gtk_stack_set_visible_child_name (GTK_STACK (it->indicator), "idle");
      set_status_style (it->status_label, "dim-label");
    }

  if (g_str_equal (gtk_stack_get_visible_child_name (GTK_STACK (it->indicator)), "idle"))
    gtk_label_set_text (GTK_LABEL (it->narrow), "");
  else
    {
      char digits[12];

      g_snprintf (digits, sizeof digits, "%d", (int) step);
      gtk_label_set_text (GTK_LABEL (it->narrow), digits);
    }
  g_free (it->status_text);
  it->status_text = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (it->status_label), text);
  update_item_a11y (self, step);
}

void
hs_step_strip_set_current (HsStepStrip *self, int step)
{
  g_return_if_fail (HS_IS_STEP_STRIP (self));
  self->current = step;
  for (int i = 0; i < self->n_items; i++)
    {
      GtkWidget *b = self->items[i].button;
      if (i + 1 == step)
        {
          gtk_widget_add_css_class (b, "hs-current");
          gtk_accessible_update_state (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_STATE_SELECTED, TRUE, -1);
        }
      else
        {
          gtk_widget_remove_css_class (b, "hs-current");
          gtk_accessible_update_state (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_STATE_SELECTED, FALSE, -1);
        }
    }
}

const char *
hs_step_strip_get_status_text (HsStepStrip *self, HsStep step)
{
  g_return_val_if_fail (HS_IS_STEP_STRIP (self), NULL);
  return item_for (self, step)->status_text;
}

GtkWidget *
hs_step_strip_get_item (HsStepStrip *self, HsStep step)
{
  g_return_val_if_fail (HS_IS_STEP_STRIP (self), NULL);
  return item_for (self, step)->button;
}

gboolean
hs_step_strip_get_compact (HsStepStrip *self)
{
  g_return_val_if_fail (HS_IS_STEP_STRIP (self), FALSE);
  return self->n_items > 0 && hs_squeezer_get_compact (HS_SQUEEZER (self->items[0].squeezer));
}
