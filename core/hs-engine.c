/* hs-engine.c — runs checks and fixes off the calling thread and keeps the
 * latest verdict of every step and the action log.
 *
 * Each operation is one StepOp over the step's interface (core/steps/): its
 * blocking part (platform calls) runs on a worker thread through GTask; a
 * part a step runs asynchronously (the clock's network measurement) runs on
 * the caller's main context; results, log lines and signals are delivered
 * there too. What a step does is the step's business: the engine only
 * knows threads, cancellation, state, the log and fan-in.
 */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include "hs-engine-private.h"

G_DEFINE_QUARK (hs-engine-error-quark, hs_engine_error)

G_DEFINE_TYPE (HsEngine, hs_engine, G_TYPE_OBJECT)

enum { SIGNAL_STEP_CHANGED, SIGNAL_ACTION_LOGGED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef enum { OP_CHECK, OP_FIX, OP_RESTORE } OpKind;

typedef struct {
  HsEngine          *engine;     /* (owned) */
  const HsStepInfo  *info;
  OpKind             kind;
  HsStepContext      ctx;
  HsResult          *check;      /* (owned) (nullable) the (re-)check's verdict */
  gboolean           refused;    /* another account runs Handshake: nothing was done */
} StepOp;

static StepOp *
step_op_new (HsStep step, OpKind kind)
{
  StepOp *op = g_new0 (StepOp, 1);

  op->info = hs_step_get_info (step);
  op->kind = kind;
  op->ctx.step = step;
  return op;
}

static void
step_op_free (StepOp *op)
{
  HsStepContext *ctx = &op->ctx;

  g_clear_object (&op->engine);
  g_clear_object (&ctx->last);
  g_strfreev (ctx->credential_refs);
  g_free (ctx->work_account);
  g_free (ctx->restore_path);
  g_clear_object (&ctx->cancellable);
  if (ctx->sink.actions)
    g_ptr_array_unref (ctx->sink.actions);
  g_free (ctx->backup_path);
  if (ctx->data != NULL && ctx->data_free != NULL)
    ctx->data_free (ctx->data);
  g_clear_object (&op->check);
  g_free (op);
}

int
hs_engine_port_is_cancelled (void *cancellable)
{
  return g_cancellable_is_cancelled (cancellable);
}

/* ---- state and log, main context only ---- */

static void
set_state (HsEngine *self, HsStep step, HsStepState state)
{
  self->states[step] = state;
  g_signal_emit (self, signals[SIGNAL_STEP_CHANGED], 0, step, state);
}

/* The log is kept in time order: a step's lines arrive when its operation
 * completes, and the clock's measurement ("measure_clock started") may
 * finish after steps that started later. Equal times keep their order. */
static void
insert_by_time (GPtrArray *log, HsAction *a)
{
  guint at = log->len;

  while (at > 0 && g_date_time_compare (((HsAction *) g_ptr_array_index (log, at - 1))->time, a->time) > 0)
    at--;
  g_ptr_array_insert (log, (gint) at, a);
}

void
hs_engine_log_actions (HsEngine *self, HsActionSink *sink)
{
  for (guint i = 0; i < sink->actions->len; i++)
    {
      HsAction *a = g_ptr_array_index (sink->actions, i);
      insert_by_time (self->actions, a);
      g_signal_emit (self, signals[SIGNAL_ACTION_LOGGED], 0, a);
    }
  g_ptr_array_set_free_func (sink->actions, NULL);
  g_ptr_array_set_size (sink->actions, 0);
  g_ptr_array_set_free_func (sink->actions, (GDestroyNotify) hs_action_free);
}

/* ---- the blocking part (worker thread) ---- */

/* Run in a worker thread. A step over the person's own things (their vault,
 * packages, accounts) is neither checked nor changed when Handshake runs as
 * another account: it would see and change that account's instead. */
static gboolean
refuse_wrong_user (StepOp *op)
{
  HsPlatform *pf = op->ctx.platform;
  HsUserContext user = { 0 };
  HsPortStatus st = { 0 };

  if (!op->info->per_user)
    return FALSE;
  if (pf->user_context (pf->self, &user, &st) != HS_PORT_OK || user.same_user != HS_TRI_NO)
    return FALSE;
  op->refused = TRUE;
  op->check = hs_step_wrong_user (op->ctx.step, &user);
  hs_action_sink_add (&op->ctx.sink, op->ctx.step, "user_context", "wrong_user", HS_SENSITIVITY_PUBLIC,
                      "Handshake runs as another account than the person at the computer (session %u): "
                      "nothing was read or changed", (unsigned) user.session_id);
  return TRUE;
}

/* Run in a worker thread. */
static void
op_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  StepOp *op = task_data;

  if (refuse_wrong_user (op))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (op->kind == OP_FIX)
    {
      op->info->fix (&op->ctx);
      op->ctx.after_fix = TRUE;
    }
  else if (op->kind == OP_RESTORE)
    op->info->restore (&op->ctx);

  /* The check is the source of truth, after a fix too. Local reads are quick
   * and not cancellable, so a cancelled fix still gets an honest re-check. */
  op->check = op->info->check (&op->ctx);
  g_task_return_boolean (task, TRUE);
}

/* ---- completion (main context) ---- */

static void
op_complete (GTask *task)
{
  StepOp *op = g_task_get_task_data (task);
  HsEngine *self = op->engine;
  HsStep step = op->ctx.step;
  HsResult *r;

  if (op->kind == OP_CHECK || op->refused)
    r = g_object_ref (op->check);
  else if (op->info->fix_outcome != NULL)
    r = op->info->fix_outcome (&op->ctx, op->check);
  else
    r = hs_step_fix_outcome (op->info, &op->ctx, op->check);
  hs_action_sink_add (&op->ctx.sink, step, op->kind == OP_CHECK ? "check" : "recheck",
                      hs_status_name (hs_result_get_status (r)), HS_SENSITIVITY_PUBLIC,
                      "%s", hs_result_get_code (r));
  if (op->ctx.backup_path != NULL)
    {
      g_free (self->last_backup);
      self->last_backup = g_strdup (op->ctx.backup_path);
    }
  hs_engine_log_actions (self, &op->ctx.sink);
  g_clear_object (&self->results[step]);
  self->results[step] = g_object_ref (r);
  set_state (self, step, HS_STEP_STATE_DONE);
  g_task_return_pointer (task, r, g_object_unref);
  g_object_unref (task);
}

static void
check_async_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;
  StepOp *op = g_task_get_task_data (task);

  op->check = op->info->check_finish (&op->ctx, res);
  op_complete (task);
}

static void
thread_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;
  StepOp *op = g_task_get_task_data (task);

  if (op->check == NULL)
    {
      /* The step goes on asynchronously (the clock measures for real). */
      g_assert (op->info->check_async != NULL && op->info->check_finish != NULL);
      op->info->check_async (&op->ctx, check_async_done_cb, task);
      return;
    }
  op_complete (task);
}

static void
start_op (HsEngine *self, StepOp *op, GCancellable *cancellable,
          GAsyncReadyCallback callback, gpointer user_data, gpointer source_tag)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  HsStepContext *ctx = &op->ctx;
  GTask *inner;

  g_task_set_source_tag (outer, source_tag);
  /* A cancelled operation still delivers its (re-)check: the caller must
   * learn what state the machine was left in. */
  g_task_set_check_cancellable (outer, FALSE);
  if (self->states[ctx->step] == HS_STEP_STATE_CHECKING || self->states[ctx->step] == HS_STEP_STATE_FIXING)
    {
      g_task_return_new_error (outer, HS_ENGINE_ERROR, HS_ENGINE_ERROR_BUSY,
                               "step %d is busy", ctx->step);
      step_op_free (op);
      g_object_unref (outer);
      return;
    }
  op->engine = g_object_ref (self);
  ctx->platform = self->platform;
  ctx->patterns = &self->patterns;
  ctx->clock_options = self->clock_options;
  ctx->owner_window = self->owner_window;
  if (ctx->work_account == NULL)
    ctx->work_account = g_strdup (self->work_account);
  /* Keep the GCancellable alive for an asynchronous part too; a private
   * one stands in when the caller gave none. */
  ctx->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  ctx->cancel.is_cancelled = hs_engine_port_is_cancelled;
  ctx->cancel.data = ctx->cancellable;
  ctx->sink.actions = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_action_free);
  if (self->results[ctx->step] != NULL)
    ctx->last = g_object_ref (self->results[ctx->step]);
  g_task_set_task_data (outer, op, (GDestroyNotify) step_op_free);
  set_state (self, ctx->step, op->kind == OP_CHECK ? HS_STEP_STATE_CHECKING : HS_STEP_STATE_FIXING);

  /* The worker runs on its own GTask without a cancellable so that the
   * re-check after a cancelled fix is still delivered. */
  inner = g_task_new (NULL, NULL, thread_done_cb, outer);
  g_task_set_task_data (inner, op, NULL);
  g_task_run_in_thread (inner, op_thread);
  g_object_unref (inner);
}

/* ---- public API ---- */

static void
hs_engine_finalize (GObject *object)
{
  HsEngine *self = HS_ENGINE (object);

  for (guint i = 0; i <= HS_N_STEPS; i++)
    g_clear_object (&self->results[i]);
  g_ptr_array_unref (self->actions);
  hs_patterns_free (&self->patterns);
  hs_clock_probe_options_free (self->clock_options);
  g_free (self->last_backup);
  g_free (self->work_account);
  hs_net_check_options_free (self->net_options);
  g_clear_object (&self->network);
  g_ptr_array_unref (self->teams_codes);
  if (self->platform && self->platform->destroy)
    self->platform->destroy (self->platform->self);
  G_OBJECT_CLASS (hs_engine_parent_class)->finalize (object);
}

static void
hs_engine_class_init (HsEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hs_engine_finalize;

  signals[SIGNAL_STEP_CHANGED] =
    g_signal_new ("step-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
  signals[SIGNAL_ACTION_LOGGED] =
    g_signal_new ("action-logged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* Emitted by hs-engine-network.c. */
  g_signal_new ("network-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 0);
  g_signal_new ("network-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_INT);
}

static void
hs_engine_init (HsEngine *self)
{
  self->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_action_free);
  self->net_options = hs_net_check_options_copy (NULL);
  self->teams_codes = g_ptr_array_new_with_free_func (g_free);
  if (hs_patterns_load_default (&self->patterns) != 0)
    g_critical ("built-in credential rules do not parse");
}

HsEngine *
hs_engine_new (HsPlatform *platform, const HsClockProbeOptions *clock_options)
{
  HsEngine *self = g_object_new (HS_TYPE_ENGINE, NULL);
  HsClockProbeOptions defaults = { 0 };

  self->platform = platform;
  self->clock_options = hs_clock_probe_options_copy (clock_options ? clock_options : &defaults);
  return self;
}

const HsPlatform *
hs_engine_get_platform (HsEngine *self)
{
  return self->platform;
}

gboolean
hs_engine_is_practice (HsEngine *self)
{
  return self->platform->simulated != 0;
}

gboolean
hs_engine_load_patterns (HsEngine *self, const char *path, GError **error)
{
  HsPatternSet set;
  char err[512];

  if (hs_patterns_load_file (path, &set, err, sizeof err) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, err);
      return FALSE;
    }
  hs_patterns_free (&self->patterns);
  self->patterns = set;
  return TRUE;
}

HsStepState
hs_engine_get_state (HsEngine *self, HsStep step)
{
  g_return_val_if_fail (step >= 1 && step <= HS_N_STEPS, HS_STEP_STATE_IDLE);
  return self->states[step];
}

HsResult *
hs_engine_get_result (HsEngine *self, HsStep step)
{
  g_return_val_if_fail (step >= 1 && step <= HS_N_STEPS, NULL);
  return self->results[step];
}

GPtrArray *
hs_engine_get_actions (HsEngine *self)
{
  return self->actions;
}

const char *
hs_engine_get_last_backup (HsEngine *self)
{
  return self->last_backup;
}

void
hs_engine_check_step_async (HsEngine *self, HsStep step, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (HS_IS_ENGINE (self));
  start_op (self, step_op_new (step, OP_CHECK), cancellable, callback, user_data,
            hs_engine_check_step_async);
}

HsResult *
hs_engine_check_step_finish (HsEngine *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hs_engine_fix_step_async (HsEngine *self, HsStep step, const HsFixOptions *options,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  const HsStepInfo *info = hs_step_get_info (step);
  HsResult *last = self->results[step];
  g_autofree char *refusal = NULL;
  StepOp *op;

  g_return_if_fail (HS_IS_ENGINE (self));
  if (info->fix == NULL)
    refusal = g_strdup_printf ("step %d has no automatic fix", step);
  else if (last != NULL)
    refusal = info->refuse_fix ? info->refuse_fix (last, options) : hs_step_refuse_fix (last);
  if (refusal != NULL)
    {
      g_task_report_new_error (self, callback, user_data, hs_engine_fix_step_async,
                               HS_ENGINE_ERROR, HS_ENGINE_ERROR_NO_FIX, "%s", refusal);
      return;
    }
  op = step_op_new (step, OP_FIX);
  if (options != NULL)
    {
      op->ctx.credential_refs = g_strdupv ((char **) options->credential_refs);
      op->ctx.work_account = g_strdup (options->work_account);
      op->ctx.allow_unrestorable = options->allow_unrestorable;
    }
  start_op (self, op, cancellable, callback, user_data, hs_engine_fix_step_async);
}

HsResult *
hs_engine_fix_step_finish (HsEngine *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hs_engine_restore_async (HsEngine *self, const char *backup_path, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  hs_engine_restore_full_async (self, backup_path, 0, cancellable, callback, user_data);
}

void
hs_engine_restore_full_async (HsEngine *self, const char *backup_path, guint32 flags,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  const char *path = backup_path ? backup_path : self->last_backup;
  HsStep step = 0;
  StepOp *op;

  /* The step that makes backups is the one that puts them back. */
  for (HsStep s = 1; s <= HS_N_STEPS && step == 0; s++)
    if (hs_step_get_info (s)->restore != NULL)
      step = s;
  if (path == NULL || step == 0)
    {
      g_task_report_new_error (self, callback, user_data, hs_engine_restore_async,
                               HS_ENGINE_ERROR, HS_ENGINE_ERROR_INVALID, "there is no backup to restore");
      return;
    }
  op = step_op_new (step, OP_RESTORE);
  op->ctx.restore_path = g_strdup (path);
  op->ctx.restore_flags = flags;
  start_op (self, op, cancellable, callback, user_data, hs_engine_restore_async);
}

HsResult *
hs_engine_restore_finish (HsEngine *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* check_all: fan out, fan in. */
typedef struct {
  guint pending;
  GError *error;
} CheckAll;

static void
check_all_one_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;
  CheckAll *ca = g_task_get_task_data (task);
  GError *error = NULL;
  HsResult *r = hs_engine_check_step_finish (HS_ENGINE (source), res, &error);

  g_clear_object (&r);

  if (error != NULL && ca->error == NULL)
    ca->error = error;
  else if (error != NULL)
    g_error_free (error);
  if (--ca->pending == 0)
    {
      if (ca->error != NULL)
        g_task_return_error (task, g_steal_pointer (&ca->error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_object_unref (task);
}

static void
check_all_free (CheckAll *ca)
{
  g_clear_error (&ca->error);
  g_free (ca);
}

void
hs_engine_check_all_async (HsEngine *self, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  CheckAll *ca = g_new0 (CheckAll, 1);

  g_task_set_source_tag (task, hs_engine_check_all_async);
  g_task_set_task_data (task, ca, (GDestroyNotify) check_all_free);
  ca->pending = HS_N_STEPS;
  for (HsStep s = 1; s <= HS_N_STEPS; s++)
    hs_engine_check_step_async (self, s, cancellable, check_all_one_cb, g_object_ref (task));
  g_object_unref (task);
}

gboolean
hs_engine_check_all_finish (HsEngine *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hs_engine_set_work_account (HsEngine *self, const char *email)
{
  g_return_if_fail (HS_IS_ENGINE (self));
  g_free (self->work_account);
  self->work_account = g_strdup (email);
}

const char *
hs_engine_get_work_account (HsEngine *self)
{
  return self->work_account;
}

void
hs_engine_set_owner_window (HsEngine *self, guintptr window)
{
  g_return_if_fail (HS_IS_ENGINE (self));
  self->owner_window = window;
}
