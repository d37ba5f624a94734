/* hs-step-page-actions.c — what a step page's buttons do: check again,
 * fix, open Settings and wait for the person to come back, Fix everything;
 * and how it tells what happened (toasts). */
#define G_LOG_DOMAIN "Handshake-UI"
#include "config.h"

#include <glib/gi18n.h>

#include "hs-step-page-private.h"

void
hs_step_page_toast (HsStepPage *self, AdwToast *t)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    {
      /* Kept so tests can dismiss it before a screenshot. */
      g_object_set_data_full (G_OBJECT (overlay), "hs-last-toast", g_object_ref (t), g_object_unref);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), t);
    }
  else
    g_object_unref (g_object_ref_sink (t));
}

void
hs_step_page_toast_text (HsStepPage *self, const char *text)
{
  hs_step_page_toast (self, adw_toast_new (text));
}

void
hs_step_page_report_error (HsStepPage *self, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, HS_ENGINE_ERROR, HS_ENGINE_ERROR_BUSY))
    hs_step_page_toast_text (self, _("This step is still busy. Please wait a moment."));
  else
    {
      g_autofree char *text = NULL;
      g_warning ("Step %d: %s", hs_step_page_get_step (self), error->message);
      /* TRANSLATORS: %s is a technical error message, usually in English. */
      text = g_strdup_printf (_("That did not work: %s"), error->message);
      hs_step_page_toast_text (self, text);
    }
}

/* ---- check again ------------------------------------------------------ */

static void
on_check_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsStepPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsResult) r = hs_engine_check_step_finish (HS_ENGINE (source), res, &error);

  hs_step_page_get_private (self)->busy_local = FALSE;
  if (r == NULL)
    hs_step_page_report_error (self, error);
  hs_step_page_refresh (self);
}

void
hs_step_page_check_again (HsStepPage *self)
{
  HsStepPagePrivate *priv = hs_step_page_get_private (self);

  priv->busy_local = TRUE;
  hs_engine_check_step_async (priv->engine, hs_step_page_get_step (self), priv->cancellable,
                              on_check_done, g_object_ref (self));
}

void
hs_step_page_on_check_again_clicked (HsStepPage *self)
{
  hs_step_page_check_again (self);
}

/* ---- fix -------------------------------------------------------------- */

static void
on_fix_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsStepPage) self = data;
  HsStepPagePrivate *priv = hs_step_page_get_private (self);
  HsStepPageClass *klass = HS_STEP_PAGE_GET_CLASS (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsResult) r = hs_engine_fix_step_finish (HS_ENGINE (source), res, &error);

  priv->busy_local = FALSE;
  if (klass->fix_done != NULL)
    klass->fix_done (self, r);
  if (r == NULL)
    hs_step_page_report_error (self, error);
  else if (priv->engine == NULL)
    return;
  hs_step_page_refresh (self);
}

void
hs_step_page_run_fix (HsStepPage *self, const HsFixOptions *options)
{
  HsStepPagePrivate *priv = hs_step_page_get_private (self);

  priv->busy_local = TRUE;
  hs_engine_fix_step_async (priv->engine, hs_step_page_get_step (self), options, priv->cancellable,
                            on_fix_done, g_object_ref (self));
}

void
hs_step_page_real_fix (HsStepPage *self)
{
  HsFixOptions options = { 0 };

  hs_step_page_run_fix (self, &options);
}

void
hs_step_page_on_fix_clicked (HsStepPage *self)
{
  HS_STEP_PAGE_GET_CLASS (self)->fix (self);
}

void
hs_step_page_on_fix_all_clicked (HsStepPage *self)
{
  g_signal_emit_by_name (self, "fix-all");
}

/* ---- Settings --------------------------------------------------------- */

static void
on_settings_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(HsStepPage) self = data;
  HsStepPagePrivate *priv = hs_step_page_get_private (self);
  g_autoptr(GError) error = NULL;

  if (!hs_engine_open_settings_finish (HS_ENGINE (source), res, &error) || priv->engine == NULL)
    {
      priv->awaiting_settings = FALSE;
      hs_step_page_report_error (self, error);
    }
  else if (hs_engine_is_practice (priv->engine))
    {
      /* No Settings window opens, so focus never comes back: the simulated
       * person has already done it; check again now. */
      hs_step_page_toast_text (self, _("Practice mode: Windows Settings would open now."));
      priv->awaiting_settings = FALSE;
      hs_step_page_check_again (self);
    }
}

void
hs_step_page_on_settings_clicked (HsStepPage *self)
{
  HsStepPagePrivate *priv = hs_step_page_get_private (self);

  if (priv->settings_uri == NULL)
    return;
  priv->awaiting_settings = TRUE;
  hs_engine_open_settings_async (priv->engine, priv->settings_uri, priv->cancellable,
                                 on_settings_done, g_object_ref (self));
}

void
hs_step_page_window_activated (HsStepPage *self)
{
  HsStepPagePrivate *priv;
  HsStepState state;

  g_return_if_fail (HS_IS_STEP_PAGE (self));
  priv = hs_step_page_get_private (self);
  if (!priv->awaiting_settings)
    return;
  priv->awaiting_settings = FALSE;
  state = hs_engine_get_state (priv->engine, hs_step_page_get_step (self));
  if (state == HS_STEP_STATE_DONE || state == HS_STEP_STATE_IDLE)
    hs_step_page_check_again (self);
}
