/* hs-window.c — the wizard window: the practice notice, the step strip,
 * the pages and Back/Next, Cancel; the engine's state on the chrome. */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-a11y.h"
#include "hs-codes.h"
#include "hs-finish-page.h"
#include "hs-messages.h"
#include "hs-practice.h"
#include "hs-stall-monitor.h"
#include "hs-step-page.h"
#include "hs-squeezer.h"
#include "hs-step-strip.h"
#include "hs-text-column.h"
#include "hs-ui.h"
#include "hs-welcome-page.h"
#include "hs-window-private.h"

G_DEFINE_FINAL_TYPE (HsWindow, hs_window, ADW_TYPE_APPLICATION_WINDOW)

static void setup_fix_all_squeezer (HsWindow *self);
static void setup_position_squeezer (HsWindow *self);

/* ---- state ------------------------------------------------------------ */

gboolean
hs_window_get_busy (HsWindow *self)
{
  for (int s = 1; s <= HS_N_STEPS; s++)
    {
      HsStepState st = hs_engine_get_state (self->engine, (HsStep) s);
      if (st == HS_STEP_STATE_CHECKING || st == HS_STEP_STATE_FIXING)
        return TRUE;
    }
  return self->fixing_all || hs_engine_get_network_busy (self->engine);
}

gboolean
hs_window_step_has_automatic_fix (HsWindow *self, HsStep step)
{
  HsResult *r = hs_engine_get_result (self->engine, step);
  HsFixKind fix;

  HsStepPageClass *klass = hs_window_step_page_class (step);

  if (r == NULL || hs_ui_status_is_done (hs_result_get_status (r)))
    return FALSE;
  if (klass->fix_all_applies != NULL && !klass->fix_all_applies (klass, r))
    return FALSE;
  fix = hs_result_get_fix (r);
  return fix == HS_FIX_AUTOMATIC || fix == HS_FIX_AUTOMATIC_ADMIN;
}

int
hs_window_first_step_needing_user (HsWindow *self)
{
  for (int s = 1; s <= HS_N_STEPS; s++)
    {
      HsResult *r = hs_engine_get_result (self->engine, (HsStep) s);
      if (r != NULL && !hs_ui_status_is_done (hs_result_get_status (r)))
        return s;
    }
  return 0;
}

void
hs_window_update_chrome (HsWindow *self)
{
  gboolean busy = hs_window_get_busy (self);
  int n_auto = 0, first_auto = 0;

  for (int s = 1; s <= HS_N_STEPS; s++)
    if (hs_window_step_has_automatic_fix (self, (HsStep) s))
      {
        n_auto++;
        if (first_auto == 0)
          first_auto = s;
      }

  gtk_widget_set_visible (self->cancel_button, busy);
  gtk_widget_set_visible (self->busy_spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->busy_spinner), busy);
  gtk_widget_set_visible (self->fix_all_button, self->checked && n_auto > 0);
  gtk_widget_set_visible (self->fix_all_squeezer, self->checked && n_auto > 0);
  gtk_widget_set_sensitive (self->fix_all_button, !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.fix-all", !busy && n_auto > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", busy);

  for (int s = 1; s <= HS_N_STEPS; s++)
    if (self->pages[s] != NULL)
      hs_step_page_set_show_fix_all (HS_STEP_PAGE (self->pages[s]),
                                     self->checked && n_auto > 1 && s == first_auto);
}

static void
update_nav (HsWindow *self)
{
  g_autofree char *position = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", self->page > PAGE_WELCOME);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next", self->page < PAGE_FINISH);
  gtk_widget_set_visible (self->nav_bar, self->page != PAGE_WELCOME);
  gtk_widget_set_visible (self->next_button, self->page < PAGE_FINISH);
  gtk_label_set_text_with_mnemonic (GTK_LABEL (self->next_label),
                                    self->page == HS_N_STEPS ? _("_Summary") : _("_Next"));
  hs_a11y_set_label (self->next_button, self->page == HS_N_STEPS ? _("Summary") : _("Next"));
  hs_a11y_set_label (self->back_button, _("Back"));

  if (self->page >= 1 && self->page <= HS_N_STEPS)
    /* TRANSLATORS: where the user is in the wizard, e.g. "Step 2 of 4". */
    position = g_strdup_printf (_("Step %d of %d"), self->page, HS_N_STEPS);
  gtk_label_set_text (GTK_LABEL (self->position_label), position ? position : "");

  hs_step_strip_set_current (HS_STEP_STRIP (self->strip),
                             self->page >= 1 && self->page <= HS_N_STEPS ? self->page : 0);

  if (self->page == PAGE_WELCOME)
    gtk_window_set_default_widget (GTK_WINDOW (self),
                                   hs_welcome_page_get_start_button (HS_WELCOME_PAGE (self->pages[PAGE_WELCOME])));
  else if (self->page < PAGE_FINISH)
    gtk_window_set_default_widget (GTK_WINDOW (self), self->next_button);
  else
    gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
}

void
hs_window_show_page (HsWindow *self, int index)
{
  g_return_if_fail (HS_IS_WINDOW (self));
  g_return_if_fail (index >= 0 && index < N_PAGES);

  GtkWidget *focus;

  hs_window_ensure_page (self, index);
  self->page = index;
  focus = gtk_root_get_focus (GTK_ROOT (self));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), self->page_names[index]);
  update_nav (self);
  /* Focus left on the page that just went away would be lost: start the
   * keyboard on the new page's first control. Focus in the strip or the
   * Back/Next bar stays where the user put it. */
  if (focus == NULL || gtk_widget_is_ancestor (focus, self->stack))
    gtk_widget_child_focus (self->pages[index], GTK_DIR_TAB_FORWARD);
}

int
hs_window_get_page (HsWindow *self)
{
  return self->page;
}

/* ---- engine ----------------------------------------------------------- */

/* Another account runs Handshake: said at the top, by name, with how to
 * start it as the person at the computer (steps 2-4 say it too). */
static void
update_user_notice (HsWindow *self)
{
  g_autofree char *text = NULL;

  for (int s = 1; s <= HS_N_STEPS && text == NULL; s++)
    {
      HsResult *r = hs_engine_get_result (self->engine, (HsStep) s);
      if (r != NULL && g_str_equal (hs_result_get_code (r), HS_CODE_WRONG_USER))
        text = hs_ui_wrong_user_text (r);
    }
  if (text != NULL && g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->user_label)), text) != 0)
    {
      gtk_label_set_text (GTK_LABEL (self->user_label), text);
      hs_a11y_set_label (self->user_notice, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->user_notice),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
    }
  gtk_widget_set_visible (self->user_revealer, text != NULL);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->user_revealer), text != NULL);
}

gboolean
hs_window_get_wrong_user_shown (HsWindow *self, const char **text)
{
  if (text != NULL)
    *text = gtk_label_get_text (GTK_LABEL (self->user_label));
  return gtk_widget_get_visible (self->user_revealer) &&
         gtk_revealer_get_reveal_child (GTK_REVEALER (self->user_revealer));
}

/* The administrator prompt of a fix belongs to this window, so that it
 * cannot open behind it. */
static void
on_realize (HsWindow *self)
{
  hs_engine_set_owner_window (self->engine, hs_ui_window_handle (GTK_WINDOW (self)));
}

static void
on_unrealize (HsWindow *self)
{
  if (self->engine != NULL)
    hs_engine_set_owner_window (self->engine, 0);
}

static void
on_step_changed (HsEngine *engine, HsStep step, HsStepState state, HsWindow *self)
{
  if (state == HS_STEP_STATE_DONE)
    update_user_notice (self);
  hs_step_strip_update (HS_STEP_STRIP (self->strip), step, state,
                        hs_engine_get_result (engine, step));
  /* The summary follows every result, shown or not, so that it is laid out
   * ahead like the step pages (the step's own page refreshes itself). */
  if (state == HS_STEP_STATE_DONE && self->pages[PAGE_FINISH] != NULL)
    {
      hs_finish_page_refresh (HS_FINISH_PAGE (self->pages[PAGE_FINISH]));
      hs_window_prelayout_invalidate (self, PAGE_FINISH);
    }
  hs_window_prelayout_invalidate (self, step);
  hs_window_update_chrome (self);
}

static void
on_check_all_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsWindow) self = data;
  g_autoptr(GError) error = NULL;

  if (!hs_engine_check_all_finish (HS_ENGINE (source), res, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Checking failed: %s", error->message);
  self->checked = TRUE;
  hs_stall_monitor_report ("all checks complete");
  if (self->closing)
    return;
  hs_window_update_chrome (self);
  if (self->pending_step > 0)
    {
      hs_window_show_page (self, self->pending_step);
      self->pending_step = 0;
    }
}

void
hs_window_start (HsWindow *self, int step)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  if (step >= 1 && step <= HS_N_STEPS)
    self->pending_step = step;
  if (!self->started)
    {
      self->started = TRUE;
      hs_stall_monitor_reset ();
      hs_engine_check_all_async (self->engine, self->cancellable, on_check_all_done,
                                 g_object_ref (self));
    }
  hs_window_show_page (self, self->pending_step > 0 ? self->pending_step : 1);
  hs_window_update_chrome (self);
}

gboolean
hs_window_get_checked (HsWindow *self)
{
  return self->checked;
}

/* ---- actions and signals ---------------------------------------------- */

static void
set_cancellable (HsWindow *self, GCancellable *cancellable)
{
  g_set_object (&self->cancellable, cancellable);
  /* A page made later takes the window's then. */
  for (int s = 1; s <= HS_N_STEPS; s++)
    if (self->pages[s] != NULL)
      hs_step_page_set_cancellable (HS_STEP_PAGE (self->pages[s]), cancellable);
  if (self->pages[PAGE_FINISH] != NULL)
    hs_finish_page_set_cancellable (HS_FINISH_PAGE (self->pages[PAGE_FINISH]), cancellable);
}

static void
action_cancel (GtkWidget *widget, const char *name, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);
  g_autoptr(GCancellable) fresh = g_cancellable_new ();

  g_cancellable_cancel (self->cancellable);
  g_queue_clear (&self->fix_queue);
  set_cancellable (self, fresh);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay),
                               adw_toast_new (_("Stopped. Nothing more will be changed.")));
}

static void
action_back (GtkWidget *widget, const char *name, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);

  if (self->page > PAGE_WELCOME)
    hs_window_show_page (self, self->page - 1);
}

static void
action_next (GtkWidget *widget, const char *name, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);

  if (self->page == PAGE_WELCOME)
    hs_window_start (self, 0);
  else if (self->page < PAGE_FINISH)
    hs_window_show_page (self, self->page + 1);
}

static void
action_fix_all (GtkWidget *widget, const char *name, GVariant *param)
{
  hs_window_fix_everything (HS_WINDOW (widget));
}

static void
on_strip_step_activated (HsWindow *self, int step)
{
  if (!self->started)
    hs_window_start (self, step);
  else
    hs_window_show_page (self, step);
}

static void
on_is_active (HsWindow *self)
{
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    return;
  for (int s = 1; s <= HS_N_STEPS; s++)
    if (self->pages[s] != NULL)
      hs_step_page_window_activated (HS_STEP_PAGE (self->pages[s]));
}

static void
hs_window_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  HsWindow *self = HS_WINDOW (widget);

  GTK_WIDGET_CLASS (hs_window_parent_class)->size_allocate (widget, width, height, baseline);
  /* A new size: every page not on screen is laid out again, later. */
  if (gtk_widget_get_width (self->stack) != self->stack_width ||
      gtk_widget_get_height (self->stack) != self->stack_height)
    {
      self->stack_width = gtk_widget_get_width (self->stack);
      self->stack_height = gtk_widget_get_height (self->stack);
      hs_window_prelayout_invalidate (self, -1);
    }
}

static gboolean
hs_window_close_request (GtkWindow *window)
{
  HsWindow *self = HS_WINDOW (window);

  self->closing = TRUE;
  hs_window_prelayout_stop (self);
  hs_window_pages_stop (self);
  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (hs_window_parent_class)->close_request (window);
}

static void
hs_window_dispose (GObject *object)
{
  HsWindow *self = HS_WINDOW (object);

  self->closing = TRUE;
  hs_window_prelayout_stop (self);
  hs_window_pages_stop (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_WINDOW);
  g_queue_clear (&self->fix_queue);
  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (hs_window_parent_class)->dispose (object);
}

static void
hs_window_finalize (GObject *object)
{
  HsWindow *self = HS_WINDOW (object);

  for (guint i = 0; i < N_PAGES; i++)
    g_free (self->page_names[i]);
  G_OBJECT_CLASS (hs_window_parent_class)->finalize (object);
}

static void
hs_window_class_init (HsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hs_window_dispose;
  object_class->finalize = hs_window_finalize;
  window_class->close_request = hs_window_close_request;
  widget_class->size_allocate = hs_window_size_allocate;

  g_type_ensure (HS_TYPE_TEXT_COLUMN);
  gtk_widget_class_set_template_from_resource (widget_class, HS_UI_RESOURCE_PATH "hs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, fix_all_button);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, practice_revealer);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, practice_notice);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, practice_label);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, user_revealer);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, user_notice);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, user_label);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, strip);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, nav_bar);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, position_label);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, next_label);
  gtk_widget_class_bind_template_callback (widget_class, on_strip_step_activated);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, action_back);
  gtk_widget_class_install_action (widget_class, "win.next", NULL, action_next);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, action_cancel);
  gtk_widget_class_install_action (widget_class, "win.fix-all", NULL, action_fix_all);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Right, GDK_ALT_MASK, "win.next", NULL);
}

static void
hs_window_init (HsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_queue_init (&self->fix_queue);
  self->cancellable = g_cancellable_new ();
  hs_a11y_set_label (self->cancel_button, _("Cancel"));
  hs_a11y_set_label (self->fix_all_button, _("Fix everything"));
  setup_fix_all_squeezer (self);
  setup_position_squeezer (self);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_is_active), NULL);
}

/* At 360 px a long "Fix everything" (German, with Cancel showing) leaves
 * the title "Hands…": an icon takes its place when it does not fit. */
static void
setup_fix_all_squeezer (HsWindow *self)
{
  GtkWidget *narrow = gtk_button_new_from_icon_name ("object-select-symbolic");

  gtk_actionable_set_action_name (GTK_ACTIONABLE (narrow), "win.fix-all");
  gtk_widget_set_tooltip_text (narrow, _("Fix everything"));
  hs_a11y_set_label (narrow, _("Fix everything"));
  self->fix_all_squeezer = hs_squeezer_new ();
  g_object_ref (self->fix_all_button);
  adw_header_bar_remove (ADW_HEADER_BAR (self->header_bar), self->fix_all_button);
  hs_squeezer_set_wide (HS_SQUEEZER (self->fix_all_squeezer), self->fix_all_button);
  g_object_unref (self->fix_all_button);
  gtk_widget_set_visible (self->fix_all_button, FALSE);
  hs_squeezer_set_narrow (HS_SQUEEZER (self->fix_all_squeezer), narrow);
  gtk_widget_set_visible (self->fix_all_squeezer, FALSE);
  adw_header_bar_pack_end (ADW_HEADER_BAR (self->header_bar), self->fix_all_squeezer);
}

/* "Step 4 of 4" between Back and a long "Summary" (German: Zusammenfassung)
 * made the window wider than 360 px; the strip shows the step anyway. */
static void
setup_position_squeezer (HsWindow *self)
{
  GtkWidget *squeezer = hs_squeezer_new ();

  gtk_widget_set_hexpand (squeezer, TRUE);
  g_object_ref (self->position_label);
  gtk_box_remove (GTK_BOX (self->nav_bar), self->position_label);
  hs_squeezer_set_wide (HS_SQUEEZER (squeezer), self->position_label);
  g_object_unref (self->position_label);
  hs_squeezer_set_narrow (HS_SQUEEZER (squeezer), gtk_label_new (NULL));
  gtk_box_insert_child_after (GTK_BOX (self->nav_bar), squeezer, self->back_button);
}

HsWindow *
hs_window_new (GtkApplication *app, HsEngine *engine, const char *scenario)
{
  HsWindow *self;

  g_return_val_if_fail (HS_IS_ENGINE (engine), NULL);

  self = g_object_new (HS_TYPE_WINDOW, "application", app, NULL);
  self->engine = g_object_ref (engine);

  hs_window_add_pages (self);
  set_cancellable (self, self->cancellable);

  /* After the pages' own handlers, which are connected later (the pages
   * are made after the first frame): the chrome sets what a page shows
   * beside its own state ("Fix everything"), so it goes last, as when the
   * pages were made first. */
  g_signal_connect_after (engine, "step-changed", G_CALLBACK (on_step_changed), self);
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), NULL);
  g_signal_connect (self, "unrealize", G_CALLBACK (on_unrealize), NULL);
  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    on_realize (self);
  g_signal_connect_data (engine, "network-changed", G_CALLBACK (hs_window_update_chrome), self,
                         NULL, G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  if (hs_engine_is_practice (engine))
    {
      g_autofree char *text = NULL;
      /* TRANSLATORS: %s is the name of a practice scenario, e.g. "all-broken". */
      text = g_strdup_printf (_("Practice mode: this is a simulated Windows computer (scenario “%s”). "
                                "Nothing on this computer is changed."),
                              scenario ? scenario : hs_practice_platform_get_scenario (hs_engine_get_platform (engine)));
      gtk_label_set_text (GTK_LABEL (self->practice_label), text);
      hs_a11y_set_label (self->practice_notice, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->practice_notice),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
      gtk_revealer_set_reveal_child (GTK_REVEALER (self->practice_revealer), TRUE);
      adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->window_title), _("Practice mode"));
    }
  gtk_widget_set_visible (self->practice_revealer, hs_engine_is_practice (engine));

  /* A window opened on an engine that already ran (tests, a second window). */
  self->checked = TRUE;
  for (int s = 1; s <= HS_N_STEPS; s++)
    {
      hs_step_strip_update (HS_STEP_STRIP (self->strip), (HsStep) s,
                            hs_engine_get_state (engine, (HsStep) s),
                            hs_engine_get_result (engine, (HsStep) s));
      self->checked &= hs_engine_get_result (engine, (HsStep) s) != NULL;
    }
  self->started = self->checked;
  update_user_notice (self);
  hs_window_show_page (self, PAGE_WELCOME);
  hs_window_update_chrome (self);
  return self;
}

GtkWidget *hs_window_get_strip (HsWindow *self) { return self->strip; }
GtkWidget *hs_window_get_practice_notice (HsWindow *self) { return self->practice_notice; }
GtkWidget *hs_window_get_fix_all_button (HsWindow *self) { return self->fix_all_button; }
