/* hs-engine-network.c — the engine's network check of the sign-in path
 * (core/net) and the Teams status codes the person reported: neither is a
 * step, both are logged and go into the reports. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include "hs-engine-private.h"
#include "hs-teams-codes.h"

void
hs_engine_set_network_options (HsEngine *self, const HsNetCheckOptions *options)
{
  g_return_if_fail (HS_IS_ENGINE (self));
  hs_net_check_options_free (self->net_options);
  self->net_options = hs_net_check_options_copy (options);
}

HsNetCheck *
hs_engine_get_network (HsEngine *self)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  return self->network;
}

gboolean
hs_engine_get_network_busy (HsEngine *self)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), FALSE);
  return self->net_busy;
}

static void
on_progress (guint index, const char *url, HsNetStage stage, gpointer data)
{
  g_signal_emit_by_name (HS_ENGINE (data), "network-progress", index, url, (int) stage);
}

static void
on_checked (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  HsEngine *self = g_task_get_source_object (task);
  HsActionSink sink = { g_ptr_array_new_with_free_func ((GDestroyNotify) hs_action_free) };
  GError *error = NULL;
  HsNetCheck *check = hs_net_check_run_finish (res, &error);

  self->net_busy = FALSE;
  if (check == NULL)
    {
      g_signal_emit_by_name (self, "network-changed");
      g_task_return_error (task, error);
      g_object_unref (task);
      g_ptr_array_unref (sink.actions);
      return;
    }
  for (guint i = 0; i < hs_net_check_get_endpoints (check)->len; i++)
    {
      HsResult *r = g_ptr_array_index (hs_net_check_get_endpoints (check), i);

      hs_action_sink_add (&sink, 0, "network_check", hs_status_name (hs_result_get_status (r)),
                          HS_SENSITIVITY_PUBLIC, "%s %s", hs_result_get_code (r),
                          hs_result_get_string (r, "url"));
    }
  hs_engine_log_actions (self, &sink);
  g_ptr_array_unref (sink.actions);
  g_set_object (&self->network, check);
  g_signal_emit_by_name (self, "network-changed");
  g_task_return_pointer (task, check, g_object_unref);
  g_object_unref (task);
}

void
hs_engine_check_network_async (HsEngine *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (HS_IS_ENGINE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_engine_check_network_async);
  g_task_set_check_cancellable (task, FALSE);
  if (self->net_busy)
    {
      g_task_return_new_error (task, HS_ENGINE_ERROR, HS_ENGINE_ERROR_BUSY,
                               "the network check is already running");
      g_object_unref (task);
      return;
    }
  self->net_busy = TRUE;
  g_signal_emit_by_name (self, "network-changed");
  /* The task holds the engine (its source object) until the check ends. */
  hs_net_check_run_async (self->net_options, self->platform, on_progress, self, cancellable,
                          on_checked, task);
}

HsNetCheck *
hs_engine_check_network_finish (HsEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
hs_engine_note_teams_code (HsEngine *self, const char *code)
{
  HsActionSink sink = { g_ptr_array_new_with_free_func ((GDestroyNotify) hs_action_free) };
  HsTeamsCode info;

  g_return_val_if_fail (HS_IS_ENGINE (self), FALSE);
  if (!hs_teams_code_explain (code, &info, NULL))
    {
      g_ptr_array_unref (sink.actions);
      return FALSE;
    }
  if (!g_ptr_array_find_with_equal_func (self->teams_codes, info.code, g_str_equal, NULL))
    g_ptr_array_add (self->teams_codes, g_strdup (info.code));
  hs_action_sink_add (&sink, 0, "teams_code", info.known ? "known" : "unknown",
                      HS_SENSITIVITY_PUBLIC, "%s", info.code);
  hs_engine_log_actions (self, &sink);
  g_ptr_array_unref (sink.actions);
  return TRUE;
}

GPtrArray *
hs_engine_get_teams_codes (HsEngine *self)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  return self->teams_codes;
}
