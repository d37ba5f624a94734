/* hs-engine-shell.c — the engine's shell actions for guided steps and the
 * finish page (open a Settings page, restart Teams, restart the computer):
 * small blocking platform calls on a worker, logged like everything else
 * but tied to no step. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include "hs-engine-private.h"

typedef enum { SHELL_OPEN_SETTINGS, SHELL_RESTART_TEAMS, SHELL_RESTART_COMPUTER } ShellKind;

typedef struct {
  HsEngine *engine;
  ShellKind kind;
  char *uri;
  HsPortCode code;
  HsPortStatus status;
  HsTeamsRestart teams;          /* what restarting Teams did */
  GCancellable *cancellable;
} ShellOp;

static void
shell_op_free (ShellOp *op)
{
  g_object_unref (op->engine);
  g_free (op->uri);
  g_clear_object (&op->cancellable);
  g_free (op);
}

static void
shell_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ShellOp *op = data;
  HsPlatform *pf = op->engine->platform;

  HsPortCancel cancel = { hs_engine_port_is_cancelled, cancellable };

  switch (op->kind)
    {
    case SHELL_OPEN_SETTINGS:
      op->code = pf->open_settings (pf->self, op->uri, &op->status);
      break;
    case SHELL_RESTART_TEAMS:
      op->code = pf->restart_teams (pf->self, &op->teams, cancellable ? &cancel : NULL, &op->status);
      break;
    case SHELL_RESTART_COMPUTER:
      op->code = pf->restart_computer (pf->self, &op->status);
      break;
    }
  g_task_return_boolean (task, TRUE);
}

static void
shell_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *outer = user_data;
  ShellOp *op = g_task_get_task_data (outer);
  HsEngine *self = op->engine;
  HsActionSink sink = { g_ptr_array_new_with_free_func ((GDestroyNotify) hs_action_free) };

  static const char *names[] = { "open_settings", "restart_teams", "restart_computer" };
  const HsTeamsRestart *t = &op->teams;

  if (op->kind == SHELL_RESTART_TEAMS)
    /* The counts say what happened to whom: staff read whether Teams hid in
     * the tray, had to be ended, and that other sessions were left alone. */
    hs_action_sink_add (&sink, 0, names[op->kind], hs_port_code_name (op->code), HS_SENSITIVITY_TEXT,
                        "found %u, closed %u, hidden then ended %u, ended %u, could not be ended %u, "
                        "in other sessions (left alone) %u, started again: %s%s%s",
                        t->found, t->closed, t->hidden_then_ended, t->killed, t->survived,
                        t->other_sessions, t->relaunched ? "yes" : "no",
                        op->status.detail[0] ? "; " : "", op->status.detail);
  else
    hs_action_sink_add (&sink, 0, names[op->kind], hs_port_code_name (op->code), HS_SENSITIVITY_TEXT,
                        "%s", op->uri ? op->uri : op->status.detail);
  hs_engine_log_actions (self, &sink);
  g_ptr_array_unref (sink.actions);
  if (op->code == HS_PORT_OK)
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_new_error (outer, G_IO_ERROR,
                             op->code == HS_PORT_UNSUPPORTED ? G_IO_ERROR_NOT_SUPPORTED : G_IO_ERROR_FAILED,
                             "%s", op->status.detail[0] ? op->status.detail : hs_port_code_name (op->code));
  g_object_unref (outer);
}

static void
start_shell (HsEngine *self, ShellKind kind, const char *uri, GCancellable *cancellable,
             GAsyncReadyCallback callback, gpointer user_data, gpointer tag)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  GTask *inner;
  ShellOp *op = g_new0 (ShellOp, 1);

  g_task_set_source_tag (outer, tag);
  op->engine = g_object_ref (self);
  op->kind = kind;
  op->uri = g_strdup (uri);
  op->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (outer, op, (GDestroyNotify) shell_op_free);
  inner = g_task_new (NULL, op->cancellable, shell_done_cb, outer);
  g_task_set_task_data (inner, op, NULL);
  g_task_set_return_on_cancel (inner, FALSE);
  g_task_run_in_thread (inner, shell_thread);
  g_object_unref (inner);
}

void
hs_engine_open_settings_async (HsEngine *self, const char *uri, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  start_shell (self, SHELL_OPEN_SETTINGS, uri, cancellable, callback, user_data,
               hs_engine_open_settings_async);
}

gboolean
hs_engine_open_settings_finish (HsEngine *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hs_engine_restart_teams_async (HsEngine *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  start_shell (self, SHELL_RESTART_TEAMS, NULL, cancellable, callback, user_data,
               hs_engine_restart_teams_async);
}

gboolean
hs_engine_restart_teams_finish (HsEngine *self, GAsyncResult *result, GError **error)
{
  return hs_engine_restart_teams_finish_report (self, result, NULL, error);
}

gboolean
hs_engine_restart_teams_finish_report (HsEngine *self, GAsyncResult *result, HsTeamsRestart *report,
                                       GError **error)
{
  ShellOp *op = g_task_get_task_data (G_TASK (result));

  if (report != NULL)
    *report = op->teams;
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hs_engine_restart_computer_async (HsEngine *self, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  start_shell (self, SHELL_RESTART_COMPUTER, NULL, cancellable, callback, user_data,
               hs_engine_restart_computer_async);
}

gboolean
hs_engine_restart_computer_finish (HsEngine *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
