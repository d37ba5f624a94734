#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hs-a11y.h"
#include "hs-confirm-dialog.h"
#include "hs-finish-page.h"
#include "hs-text-column.h"
#include "hs-messages.h"
#include "hs-network-panel.h"
#include "hs-report.h"
#include "hs-ui.h"

struct _HsFinishPage
{
  AdwBin        parent_instance;

  HsEngine     *engine;        /* (owned) */
  GCancellable *cancellable;   /* (owned) (nullable) */
  GPtrArray    *step_rows;
  GPtrArray    *step_titles;   /* (element-type utf8) the steps' page titles, in step order */

  GtkWidget    *outcome_label;
  GtkWidget    *steps_group;
  GtkWidget    *restart_teams_button;
  GtkWidget    *restart_computer_row;
  GtkWidget    *restart_computer_button;
  GtkWidget    *english_check;
  GtkWidget    *copy_button;
  GtkWidget    *save_button;
  char         *teams_text;    /* (owned) (nullable) what the last Teams restart did */
  GtkWidget    *network_panel;
  guint         scroll_tick;     /* scrolling to the network panel (hs_finish_page_show_network) */
  guint         scroll_frames, scroll_settled;
};

G_DEFINE_FINAL_TYPE (HsFinishPage, hs_finish_page, ADW_TYPE_BIN)

enum { SIGNAL_STEP_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
toast_text (HsFinishPage *self, const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    {
      AdwToast *t = adw_toast_new (text);

      /* Kept so tests can dismiss it before a screenshot. */
      g_object_set_data_full (G_OBJECT (overlay), "hs-last-toast", g_object_ref (t), g_object_unref);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), t);
    }
}

char *
hs_finish_page_get_report_text (HsFinishPage *self)
{
  HsReportOptions opts = { TRUE, FALSE };

  g_return_val_if_fail (HS_IS_FINISH_PAGE (self), NULL);
  opts.english = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->english_check));
  return hs_report_to_text (self->engine, &opts);
}

static void
on_row_activated (AdwActionRow *row, HsFinishPage *self)
{
  g_signal_emit (self, signals[SIGNAL_STEP_ACTIVATED], 0,
                 GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "hs-step")));
}

void
hs_finish_page_refresh (HsFinishPage *self)
{
  gboolean restart = FALSE, all_good = TRUE, any_result = FALSE;

  g_return_if_fail (HS_IS_FINISH_PAGE (self));
  if (self->engine == NULL)
    return;

  for (guint i = 0; i < self->step_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->steps_group),
                                  g_ptr_array_index (self->step_rows, i));
  g_ptr_array_set_size (self->step_rows, 0);

  for (int s = 1; s <= (int) self->step_titles->len; s++)
    {
      const char *title = g_ptr_array_index (self->step_titles, s - 1);
      HsResult *r = hs_engine_get_result (self->engine, (HsStep) s);
      HsStatus status = r ? hs_result_get_status (r) : HS_STATUS_UNVERIFIED;
      const char *status_text = r ? hs_ui_status_label (status) : _("Not checked yet");
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon, *label;
      g_autofree char *a11y = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (r != NULL)
        {
          /* The code goes on its own line under the summary: staff read it,
           * and a narrow window keeps room for the title. */
          /* The code is Latin text: a direction mark keeps its line aligned
           * with the summary in a right-to-left language. */
          const char *mark = gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL ? "\u200F" : "";
          g_autofree char *subtitle = g_strconcat (hs_result_get_summary (r), "\n", mark,
                                                   hs_result_get_code (r), NULL);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        }
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("This step has not been checked."));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      hs_text_column_take_row_labels (ADW_ACTION_ROW (row));

      icon = gtk_image_new_from_icon_name (r ? hs_ui_status_icon (status) : "content-loading-symbolic");
      gtk_widget_add_css_class (icon, r ? hs_ui_status_style (status) : "dim-label");
      hs_a11y_set_label (icon, status_text);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

      label = gtk_label_new (status_text);
      gtk_widget_add_css_class (label, r ? hs_ui_status_style (status) : "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "hs-step", GINT_TO_POINTER (s));
      g_signal_connect (row, "activated", G_CALLBACK (on_row_activated), self);
      /* TRANSLATORS: accessible name of a summary row: step title, then its status. */
      a11y = g_strdup_printf (_("%s: %s"), title, status_text);
      hs_a11y_set_label (row, a11y);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->steps_group), row);
      g_ptr_array_add (self->step_rows, row);

      if (r != NULL)
        {
          any_result = TRUE;
          restart |= status == HS_STATUS_NEEDS_RESTART;
          all_good &= hs_ui_status_is_done (status);
        }
      else
        all_good = FALSE;
    }

  gtk_widget_set_visible (self->restart_computer_row, restart);
  if (!any_result)
    gtk_label_set_text (GTK_LABEL (self->outcome_label), _("Nothing has been checked yet."));
  else if (all_good && restart)
    gtk_label_set_text (GTK_LABEL (self->outcome_label),
                        _("All four steps look good now. Restart the computer so the last fix takes effect, then sign in to Teams."));
  else if (all_good)
    gtk_label_set_text (GTK_LABEL (self->outcome_label),
                        _("All four steps look good now. Restart Teams and sign in."));
  else
    gtk_label_set_text (GTK_LABEL (self->outcome_label),
                        _("Some steps still need attention. Select a step to see what to do, or send the report to your IT support."));
}

/* What restarting Teams did, in whole sentences: how Teams went (closed,
 * hidden in the notification area and ended, ended when it did not
 * answer), whether it started again, and that other people's Teams was
 * left alone. */
char *
hs_finish_page_teams_restart_text (const HsTeamsRestart *t)
{
  GString *out = g_string_new (NULL);

  if (t->survived > 0)
    g_string_append (out, _("Teams could not be closed. Quit it yourself (right-click its icon in the "
                            "notification area, then Quit), then start it again."));
  else
    {
      if (t->found == 0)
        g_string_append (out, _("Teams was not running."));
      else if (t->hidden_then_ended > 0)
        g_string_append (out, _("Teams kept running in the notification area and was ended."));
      else if (t->killed > 0)
        g_string_append (out, _("Teams did not respond and was ended."));
      else
        g_string_append (out, _("Teams was closed."));
      g_string_append_c (out, ' ');
      g_string_append (out, t->relaunched ? _("It has been started again: sign in when it opens.")
                                          : _("Start it again from the Start menu and sign in."));
    }
  if (t->other_sessions > 0)
    {
      g_string_append_c (out, ' ');
      g_string_append_printf (out, ngettext ("Teams was left running for %u other person signed in to this computer.",
                                             "Teams was left running for %u other people signed in to this computer.",
                                             t->other_sessions), t->other_sessions);
    }
  return g_string_free (out, FALSE);
}

static void
on_restart_teams_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsFinishPage) self = data;
  g_autoptr(GError) error = NULL;
  HsTeamsRestart report = { 0 };
  gboolean ok = hs_engine_restart_teams_finish_report (HS_ENGINE (source), res, &report, &error);
  g_autofree char *said = NULL;

  if (self->engine == NULL)   /* the window closed meanwhile */
    return;
  gtk_widget_set_sensitive (self->restart_teams_button, TRUE);
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!ok && report.found == 0 && report.survived == 0)
    {
      /* TRANSLATORS: %s is a technical error message, usually in English. */
      said = g_strdup_printf (_("Teams could not be restarted: %s"), error->message);
      toast_text (self, said);
      return;
    }
  said = hs_finish_page_teams_restart_text (&report);
  if (hs_engine_is_practice (self->engine))
    {
      /* TRANSLATORS: %s says what restarting Teams did on the simulated computer. */
      g_autofree char *practice = g_strdup_printf (_("Practice mode: %s"), said);
      toast_text (self, practice);
    }
  else
    toast_text (self, said);
  g_free (self->teams_text);
  self->teams_text = g_steal_pointer (&said);
}

const char *
hs_finish_page_get_teams_text (HsFinishPage *self)
{
  return self->teams_text;
}

static void
on_restart_teams_clicked (HsFinishPage *self)
{
  gtk_widget_set_sensitive (self->restart_teams_button, FALSE);
  hs_engine_restart_teams_async (self->engine, self->cancellable, on_restart_teams_done,
                                 g_object_ref (self));
}

static void
on_recheck_after_restart_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsFinishPage) self = data;
  g_autoptr(GError) error = NULL;

  if (!hs_engine_check_all_finish (HS_ENGINE (source), res, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Checking after the restart failed: %s", error->message);
  if (self->engine == NULL)   /* the window closed meanwhile */
    return;
  gtk_widget_set_sensitive (self->restart_computer_button, TRUE);
  hs_finish_page_refresh (self);
}

static void
on_restart_computer_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsFinishPage) self = data;
  g_autoptr(GError) error = NULL;
  gboolean ok = hs_engine_restart_computer_finish (HS_ENGINE (source), res, &error);

  if (self->engine == NULL)   /* the window closed meanwhile */
    return;
  if (!ok)
    {
      gtk_widget_set_sensitive (self->restart_computer_button, TRUE);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = NULL;
          /* TRANSLATORS: %s is a technical error message, usually in English. */
          text = g_strdup_printf (_("The computer could not be restarted: %s"), error->message);
          toast_text (self, text);
        }
      return;
    }
  if (!hs_engine_is_practice (self->engine))
    return;   /* Windows is shutting down. */
  /* Nothing restarted: show the state the simulated computer is in after
   * the restart. */
  toast_text (self, _("Practice mode: the simulated computer restarted. Checking again."));
  hs_engine_check_all_async (self->engine, self->cancellable, on_recheck_after_restart_done,
                             g_object_ref (self));
}

static void
on_restart_confirmed (HsConfirmDialog *dialog, gboolean confirmed, HsFinishPage *self)
{
  if (!confirmed || self->engine == NULL)
    return;
  gtk_widget_set_sensitive (self->restart_computer_button, FALSE);
  hs_engine_restart_computer_async (self->engine, self->cancellable, on_restart_computer_done,
                                    g_object_ref (self));
}

static void
on_restart_computer_clicked (HsFinishPage *self)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  HsConfirmDialog *dialog;

  if (hs_engine_is_practice (self->engine))
    dialog = hs_confirm_dialog_new (parent, _("Restart the computer?"),
                                    _("This is practice mode, so nothing restarts: Handshake simulates the "
                                      "restart and checks every step again."),
                                    _("_Restart"), FALSE);
  else
    dialog = hs_confirm_dialog_new (parent, _("Restart the computer?"),
                                    _("Save your work and close your apps first. "
                                      "After the restart, open Teams and sign in."),
                                    _("_Restart"), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_restart_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_copy_clicked (HsFinishPage *self)
{
  g_autofree char *text = hs_finish_page_get_report_text (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  toast_text (self, _("Report copied. Paste it into a message to your IT support."));
}

static void
on_saved (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsFinishPage) self = data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), res, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = NULL;
          /* TRANSLATORS: %s is a technical error message. */
          text = g_strdup_printf (_("The report could not be saved: %s"), error->message);
          toast_text (self, text);
        }
      return;
    }
  toast_text (self, _("Report saved."));
}

static void
save_to (HsFinishPage *self, GFile *file)
{
  char *text = hs_finish_page_get_report_text (self);
  GBytes *bytes = g_bytes_new_take (text, strlen (text));

  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, on_saved, g_object_ref (self));
  g_bytes_unref (bytes);
}

#if GTK_CHECK_VERSION (4, 10, 0) && GDK_VERSION_MAX_ALLOWED >= GDK_VERSION_4_10
static void
on_save_dialog_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsFinishPage) self = data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), res, NULL);

  if (file != NULL)
    save_to (self, file);
}

static void
on_save_clicked (HsFinishPage *self)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, _("Save Report"));
  gtk_file_dialog_set_initial_name (dialog, "handshake-report.txt");
  gtk_file_dialog_save (dialog, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                        self->cancellable, on_save_dialog_done, g_object_ref (self));
}
#else
static void
on_native_response (GtkNativeDialog *native, int response, gpointer data)
{
  g_autoptr(HsFinishPage) self = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      if (file != NULL)
        save_to (self, file);
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

static void
on_save_clicked (HsFinishPage *self)
{
  GtkFileChooserNative *native =
    gtk_file_chooser_native_new (_("Save Report"),
                                 GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), "handshake-report.txt");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect (native, "response", G_CALLBACK (on_native_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}
#endif

static void
hs_finish_page_dispose (GObject *object)
{
  HsFinishPage *self = HS_FINISH_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_FINISH_PAGE);
  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->step_rows, g_ptr_array_unref);
  g_clear_pointer (&self->step_titles, g_ptr_array_unref);
  g_clear_pointer (&self->teams_text, g_free);
  G_OBJECT_CLASS (hs_finish_page_parent_class)->dispose (object);
}

static void
hs_finish_page_class_init (HsFinishPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_finish_page_dispose;

  signals[SIGNAL_STEP_ACTIVATED] =
    g_signal_new ("step-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  g_type_ensure (HS_TYPE_TEXT_COLUMN);
  g_type_ensure (HS_TYPE_NETWORK_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, HS_UI_RESOURCE_PATH "hs-finish-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsFinishPage, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, HsFinishPage, steps_group);
  gtk_widget_class_bind_template_child (widget_class, HsFinishPage, restart_teams_button);
  gtk_widget_class_bind_template_child (widget_class, HsFinishPage, restart_computer_row);
  gtk_widget_class_bind_template_child (widget_class, HsFinishPage, restart_computer_button);
  gtk_widget_class_bind_template_child (widget_class, HsFinishPage, english_check);
  gtk_widget_class_bind_template_child (widget_class, HsFinishPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, HsFinishPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, HsFinishPage, network_panel);
  gtk_widget_class_bind_template_callback (widget_class, on_restart_teams_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_restart_computer_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
}

static void
hs_finish_page_init (HsFinishPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->step_rows = g_ptr_array_new ();
  self->step_titles = g_ptr_array_new_with_free_func (g_free);
  hs_a11y_set_label (self->restart_teams_button, _("Restart Teams"));
  hs_a11y_set_label (self->restart_computer_button, _("Restart the computer"));
  hs_a11y_set_label (self->english_check, _("English report for support staff"));
  hs_a11y_set_label (self->copy_button, _("Copy report"));
  hs_a11y_set_label (self->save_button, _("Save report"));
}

GtkWidget *
hs_finish_page_new (HsEngine *engine)
{
  HsFinishPage *self = g_object_new (HS_TYPE_FINISH_PAGE, NULL);

  self->engine = g_object_ref (engine);
  hs_network_panel_set_engine (HS_NETWORK_PANEL (self->network_panel), engine);
  hs_finish_page_refresh (self);
  return GTK_WIDGET (self);
}

void
hs_finish_page_add_step (HsFinishPage *self, HsStep step, const char *title)
{
  g_return_if_fail (HS_IS_FINISH_PAGE (self));
  g_return_if_fail (step == (HsStep) self->step_titles->len + 1);
  g_ptr_array_add (self->step_titles, g_strdup (title));
  hs_finish_page_refresh (self);
}

void
hs_finish_page_set_cancellable (HsFinishPage *self, GCancellable *cancellable)
{
  g_return_if_fail (HS_IS_FINISH_PAGE (self));
  g_set_object (&self->cancellable, cancellable);
  hs_network_panel_set_cancellable (HS_NETWORK_PANEL (self->network_panel), cancellable);
}

GtkWidget *
hs_finish_page_get_network_panel (HsFinishPage *self)
{
  return self->network_panel;
}

/* A tick callback: the panel's place is known only once the page is laid
 * out, and rows added meanwhile (or a window still taking its size) move
 * it; so it is scrolled to on every frame until it has stayed in place for
 * a few frames, for one second at the most. */
#define SCROLL_SETTLED_FRAMES 3
#define SCROLL_MAX_FRAMES 60

static gboolean
scroll_to_network (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  HsFinishPage *self = HS_FINISH_PAGE (widget);
  GtkWidget *scrolled = gtk_widget_get_ancestor (self->network_panel, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = scrolled ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)) : NULL;
  graphene_point_t at;

  self->scroll_frames++;
  if (content != NULL
      && gtk_widget_compute_point (self->network_panel, content, &GRAPHENE_POINT_INIT (0, 0), &at))
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      double before = gtk_adjustment_get_value (adj);

      /* at is where the panel is now in the viewport, which moves with the
       * scrolling: relative to the value scrolled to so far. */
      gtk_adjustment_set_value (adj, MAX (0, before + at.y - 12));
      if (G_APPROX_VALUE (before, gtk_adjustment_get_value (adj), 0.5))
        self->scroll_settled++;
      else
        self->scroll_settled = 0;
    }
  if (self->scroll_settled < SCROLL_SETTLED_FRAMES && self->scroll_frames < SCROLL_MAX_FRAMES)
    return G_SOURCE_CONTINUE;
  self->scroll_tick = 0;
  return G_SOURCE_REMOVE;
}

void
hs_finish_page_show_network (HsFinishPage *self)
{
  g_return_if_fail (HS_IS_FINISH_PAGE (self));
  self->scroll_frames = 0;
  self->scroll_settled = 0;
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_network, NULL, NULL);
}

GtkWidget *
hs_finish_page_get_restart_computer_button (HsFinishPage *self)
{
  return self->restart_computer_button;
}

GtkWidget *
hs_finish_page_get_restart_teams_button (HsFinishPage *self)
{
  return self->restart_teams_button;
}

GtkWidget *
hs_finish_page_get_english_check (HsFinishPage *self)
{
  return self->english_check;
}
