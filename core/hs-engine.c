/* hs-engine.c — runs checks and fixes off the calling thread and keeps the
 * latest verdict of every step and the action log.
 *
 * Each operation is one StepOp: its blocking part (platform calls) runs on a
 * worker thread through GTask; the clock's network measurement is async on
 * the caller's main context; results, log lines and signals are delivered
 * there too.
 */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-engine.h"
#include "hs-steps.h"

G_DEFINE_QUARK (hs-engine-error-quark, hs_engine_error)

struct _HsEngine
{
  GObject              parent_instance;

  HsPlatform          *platform;        /* (owned) */
  HsClockProbeOptions *clock_options;   /* (owned) */
  HsPatternSet         patterns;        /* (owned) */
  HsStepState          states[HS_N_STEPS + 1];
  HsResult            *results[HS_N_STEPS + 1];   /* (owned) (nullable) */
  GPtrArray           *actions;         /* (owned) (element-type HsAction) */
  char                *last_backup;     /* (owned) (nullable) */
  char                *work_account;    /* (owned) (nullable) */
};

G_DEFINE_TYPE (HsEngine, hs_engine, G_TYPE_OBJECT)

enum { SIGNAL_STEP_CHANGED, SIGNAL_ACTION_LOGGED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef enum { OP_CHECK, OP_FIX, OP_RESTORE } OpKind;

typedef struct {
  HsEngine     *engine;          /* (owned) */
  HsStep        step;
  OpKind        kind;
  /* input */
  GStrv         credential_refs; /* (owned) (nullable) */
  char         *work_account;    /* (owned) (nullable) */
  char         *restore_path;    /* (owned) (nullable) */
  double        last_offset;
  gboolean      last_offset_known;
  HsFixKind     last_fix;
  const char   *last_code;
  /* in progress */
  GCancellable *cancellable;     /* (owned) (nullable) */
  HsPortCancel  cancel;
  HsActionSink  sink;
  HsPortCode    action_code;     /* outcome of the fix's action */
  HsPortStatus  action_status;
  char         *backup_path;     /* (owned) (nullable) */
  guint         n_deleted, n_vanished, n_failed;
  HsClockFacts  clock;
  HsResult     *check;           /* (owned) (nullable) the (re-)check's verdict */
} StepOp;

static void
step_op_free (StepOp *op)
{
  g_clear_object (&op->engine);
  g_strfreev (op->credential_refs);
  g_free (op->work_account);
  g_free (op->restore_path);
  g_clear_object (&op->cancellable);
  if (op->sink.actions)
    g_ptr_array_unref (op->sink.actions);
  g_free (op->backup_path);
  g_free ((char *) op->clock.source);
  g_free ((char *) op->clock.method);
  if (op->clock.attempts)
    g_ptr_array_unref (op->clock.attempts);
  g_clear_object (&op->check);
  g_free (op);
}

static int
op_is_cancelled (void *data)
{
  return g_cancellable_is_cancelled (data);
}

/* ---- state and log, main context only ---- */

static void
set_state (HsEngine *self, HsStep step, HsStepState state)
{
  self->states[step] = state;
  g_signal_emit (self, signals[SIGNAL_STEP_CHANGED], 0, step, state);
}

static void
flush_actions (HsEngine *self, StepOp *op)
{
  for (guint i = 0; i < op->sink.actions->len; i++)
    {
      HsAction *a = g_ptr_array_index (op->sink.actions, i);
      g_ptr_array_add (self->actions, a);
      g_signal_emit (self, signals[SIGNAL_ACTION_LOGGED], 0, a);
    }
  g_ptr_array_set_free_func (op->sink.actions, NULL);
  g_ptr_array_set_size (op->sink.actions, 0);
  g_ptr_array_set_free_func (op->sink.actions, (GDestroyNotify) hs_action_free);
}

/* ---- the blocking parts (worker thread) ---- */

static HsResult *
check_blocking (StepOp *op)
{
  HsPlatform *pf = op->engine->platform;
  HsPortStatus st = { 0 };
  HsResult *r = NULL;

  switch (op->step)
    {
    case HS_STEP_CLOCK:
      {
        HsOffsetSample sample = { 0 };
        HsPortCode code;

        op->clock.settings_code = pf->time_settings (pf->self, &op->clock.settings, &st);
        code = pf->clock_offset (pf->self, &sample, &st);
        if (code == HS_PORT_OK)
          {
            op->clock.measured = TRUE;
            op->clock.offset_seconds = sample.offset_seconds;
            op->clock.uncertainty_seconds = sample.uncertainty_seconds;
            op->clock.source = g_strdup (sample.source);
            op->clock.method = g_strdup ("simulated");
          }
        else if (code != HS_PORT_UNSUPPORTED)
          {
            op->clock.attempts = g_ptr_array_new_with_free_func (g_free);
            g_ptr_array_add (op->clock.attempts, g_strdup (st.detail));
          }
        else
          return NULL;   /* measure over the network, on the main context */
        r = hs_clock_verdict (&op->clock);
        break;
      }
    case HS_STEP_CREDENTIALS:
      {
        HsCredentialList list = { 0 };
        HsPortCode code = pf->list_credentials (pf->self, &list, &st);
        r = hs_credentials_verdict (code, &st, &list, &op->engine->patterns);
        hs_port_credentials_free (&list);
        break;
      }
    case HS_STEP_BROKER:
      {
        const char *families[] = { HS_BROKER_FAMILY, HS_CXH_FAMILY };
        HsPackageState states[2];
        HsPortCode code = HS_PORT_OK;

        memset (states, 0, sizeof states);
        for (guint i = 0; i < G_N_ELEMENTS (families) && code == HS_PORT_OK; i++)
          code = pf->package_state (pf->self, families[i], &states[i], &op->cancel, &st);
        r = hs_broker_verdict (code, &st, states, G_N_ELEMENTS (families));
        break;
      }
    case HS_STEP_ACCOUNTS:
      {
        HsAccountList list = { 0 };
        HsPortCode code = pf->list_accounts (pf->self, &list, &st);
        r = hs_accounts_verdict (code, &st, &list, op->work_account);
        hs_port_accounts_free (&list);
        break;
      }
    }
  return r;
}

static void
fix_clock (StepOp *op)
{
  HsPlatform *pf = op->engine->platform;
  HsTimeSettings settings = { 0 };
  HsPortStatus st = { 0 };
  int exit_code = -1;
  HsClockStamp stamp = { 0 };
  HsClockReference ref = { 0 };

  if (op->last_code != NULL && g_str_equal (op->last_code, HS_CODE_CLOCK_TIMEZONE))
    {
      op->action_code = pf->open_settings (pf->self, "ms-settings:dateandtime", &op->action_status);
      hs_action_sink_add (&op->sink, op->step, "open_settings", hs_port_code_name (op->action_code),
                          HS_SENSITIVITY_PUBLIC, "ms-settings:dateandtime");
      return;
    }
  pf->time_settings (pf->self, &settings, &st);
  /* The last measured offset tied to a stamp taken now (as before: the offset
   * is applied to the clock as it is now). */
  if (op->last_offset_known && pf->clock_stamp (pf->self, &stamp, &st) == HS_PORT_OK)
    hs_clock_reference_make (&ref, &stamp, op->last_offset);
  if (settings.elevated == HS_TRI_YES)
    {
      op->action_code = pf->enable_auto_time (pf->self, &op->action_status);
      hs_action_sink_add (&op->sink, op->step, "enable_auto_time", hs_port_code_name (op->action_code),
                          HS_SENSITIVITY_TEXT, "%s", op->action_status.detail);
      if (op->action_code == HS_PORT_OK)
        {
          op->action_code = pf->resync (pf->self, &ref, &op->cancel, &op->action_status);
          hs_action_sink_add (&op->sink, op->step, "resync", hs_port_code_name (op->action_code),
                              HS_SENSITIVITY_TEXT, "%s", op->action_status.detail);
        }
      return;
    }
  /* One administrator prompt for the whole clock fix. */
  op->action_code = pf->elevate (pf->self, "clock-fix", &ref, 0, &exit_code,
                                 &op->cancel, &op->action_status);
  hs_action_sink_add (&op->sink, op->step, "elevate_clock_fix", hs_port_code_name (op->action_code),
                      HS_SENSITIVITY_TEXT, "exit code %d%s%s", exit_code,
                      op->action_status.detail[0] ? ": " : "", op->action_status.detail);
}

static char **
required_refs (StepOp *op)
{
  HsPlatform *pf = op->engine->platform;
  HsCredentialList list = { 0 };
  HsPortStatus st = { 0 };
  GPtrArray *refs = g_ptr_array_new ();

  if (pf->list_credentials (pf->self, &list, &st) == HS_PORT_OK)
    for (gsize i = 0; i < list.n_items; i++)
      if (hs_patterns_classify (&op->engine->patterns, list.items[i].target, NULL) == HS_CATEGORY_REQUIRED)
        g_ptr_array_add (refs, hs_credential_ref (list.items[i].type, list.items[i].target));
  hs_port_credentials_free (&list);
  g_ptr_array_add (refs, NULL);
  return (char **) g_ptr_array_free (refs, FALSE);
}

static void
fix_credentials (StepOp *op)
{
  HsPlatform *pf = op->engine->platform;
  g_auto(GStrv) refs_owned = op->credential_refs ? NULL : required_refs (op);
  char **refs = op->credential_refs ? op->credential_refs : refs_owned;
  guint n = g_strv_length (refs);
  g_autofree HsCredentialRef *crefs = g_new0 (HsCredentialRef, n ? n : 1);
  g_autofree HsCredentialOutcome *outcomes = g_new0 (HsCredentialOutcome, n ? n : 1);
  char *dir = NULL, *backup = NULL;

  for (guint i = 0; i < n; i++)
    if (!hs_credential_ref_parse (refs[i], &crefs[i].type, &crefs[i].target))
      {
        hs_port_status_set (&op->action_status, HS_PORT_BAD_INPUT, 0, "not a credential reference");
        op->action_code = HS_PORT_BAD_INPUT;
        return;
      }
  if (n == 0)
    {
      op->action_code = HS_PORT_OK;
      return;
    }
  op->action_code = pf->backup_dir (pf->self, &dir, &op->action_status);
  if (op->action_code != HS_PORT_OK)
    return;
  op->action_code = pf->delete_credentials (pf->self, crefs, n, dir, &backup, outcomes,
                                            &op->cancel, &op->action_status);
  free (dir);
  if (backup != NULL)
    {
      op->backup_path = g_strdup (backup);
      hs_action_sink_add (&op->sink, op->step, "backup", "ok", HS_SENSITIVITY_TEXT, "%s", backup);
      free (backup);
    }
  else
    {
      hs_action_sink_add (&op->sink, op->step, "backup", hs_port_code_name (op->action_code),
                          HS_SENSITIVITY_TEXT, "%s", op->action_status.detail);
      return;   /* nothing was deleted */
    }
  for (guint i = 0; i < n; i++)
    {
      op->n_deleted += outcomes[i].code == HS_PORT_OK;
      op->n_vanished += outcomes[i].code == HS_PORT_NOT_FOUND;
      op->n_failed += outcomes[i].code != HS_PORT_OK && outcomes[i].code != HS_PORT_NOT_FOUND;
      hs_action_sink_add (&op->sink, op->step, "delete_credential", hs_port_code_name (outcomes[i].code),
                          HS_SENSITIVITY_TEXT, "%s", crefs[i].target);
    }
  /* A credential that vanished on its own is not a failure. */
  if (op->action_code == HS_PORT_NOT_FOUND)
    op->action_code = HS_PORT_OK;
}

static void
fix_broker (StepOp *op)
{
  HsPlatform *pf = op->engine->platform;
  const char *families[] = { HS_BROKER_FAMILY, HS_CXH_FAMILY };

  op->action_code = HS_PORT_OK;
  /* Microsoft's guidance re-registers both packages, as the user. */
  for (guint i = 0; i < G_N_ELEMENTS (families) && op->action_code == HS_PORT_OK; i++)
    {
      op->action_code = pf->reregister_package (pf->self, families[i], &op->cancel, &op->action_status);
      hs_action_sink_add (&op->sink, op->step, "reregister_package", hs_port_code_name (op->action_code),
                          HS_SENSITIVITY_TEXT, "%s%s%s", families[i],
                          op->action_status.detail[0] ? ": " : "", op->action_status.detail);
    }
}

static void
fix_accounts (StepOp *op)
{
  HsPlatform *pf = op->engine->platform;

  op->action_code = pf->open_settings (pf->self, "ms-settings:emailandaccounts", &op->action_status);
  hs_action_sink_add (&op->sink, op->step, "open_settings", hs_port_code_name (op->action_code),
                      HS_SENSITIVITY_PUBLIC, "ms-settings:emailandaccounts");
}

static void
restore_blocking (StepOp *op)
{
  HsPlatform *pf = op->engine->platform;
  HsRestoreList restored = { 0 };
  size_t n;

  op->action_code = pf->restore_credentials (pf->self, op->restore_path, 0, &restored,
                                             &op->action_status);
  n = restored.n_restored;
  hs_port_restore_list_free (&restored);
  hs_action_sink_add (&op->sink, op->step, "restore", hs_port_code_name (op->action_code),
                      HS_SENSITIVITY_TEXT, "%zu credential(s) from %s", n, op->restore_path);
}

static void
op_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  StepOp *op = task_data;

  if (op->kind == OP_FIX)
    {
      switch (op->step)
        {
        case HS_STEP_CLOCK: fix_clock (op); break;
        case HS_STEP_CREDENTIALS: fix_credentials (op); break;
        case HS_STEP_BROKER: fix_broker (op); break;
        case HS_STEP_ACCOUNTS: fix_accounts (op); break;
        }
      op->clock.after_fix = TRUE;
    }
  else if (op->kind == OP_RESTORE)
    restore_blocking (op);

  /* The check is the source of truth, after a fix too. Local reads are quick
   * and not cancellable, so a cancelled fix still gets an honest re-check. */
  op->check = check_blocking (op);
  g_task_return_boolean (task, TRUE);
}

/* ---- completion (main context) ---- */

static HsResult *
fix_outcome (StepOp *op)
{
  HsResult *c = op->check;
  HsStatus st = hs_result_get_status (c);
  HsFixKind fix = hs_result_get_fix (c);
  HsResult *r;

  if (op->kind == OP_RESTORE)
    {
      if (op->action_code != HS_PORT_OK)
        r = hs_result_derive (c, st, HS_CODE_CREDS_FIX_FAILED, fix,
                              N_("The backup could not be put back."));
      else
        r = hs_result_derive (c, st, HS_CODE_CREDS_RESTORED, fix,
                              N_("The removed sign-in details were put back."));
    }
  else if (op->action_code == HS_PORT_OK && hs_status_is_good (st))
    {
      switch (op->step)
        {
        case HS_STEP_CLOCK:
          r = hs_result_derive (c, HS_STATUS_FIXED, HS_CODE_CLOCK_FIXED, HS_FIX_NONE,
                                N_("The clock is now set automatically and is right."));
          break;
        case HS_STEP_CREDENTIALS:
          r = hs_result_derive (c, HS_STATUS_FIXED, HS_CODE_CREDS_REMOVED, HS_FIX_NONE,
                                N_("The stale sign-in details were backed up and removed."));
          break;
        case HS_STEP_BROKER:
          r = hs_result_derive (c, HS_STATUS_NEEDS_RESTART, HS_CODE_BROKER_REREGISTERED, HS_FIX_NONE,
                                N_("The sign-in component was registered again. Restart the computer to finish."));
          break;
        case HS_STEP_ACCOUNTS:
        default:
          r = hs_result_derive (c, HS_STATUS_FIXED, hs_result_get_code (c), HS_FIX_NONE,
                                N_("Only one work account is signed in to Windows."));
          break;
        }
    }
  else if (op->action_code == HS_PORT_OK)
    r = g_object_ref (c);     /* it ran, but the re-check says it did not help */
  else if (op->action_code == HS_PORT_DECLINED)
    r = hs_result_derive (c, st, HS_CODE_CLOCK_FIX_DECLINED, fix,
                          N_("The administrator permission was not given, so the clock was not changed."));
  else if (op->action_code == HS_PORT_CANCELLED)
    r = g_object_ref (c);
  else if (op->step == HS_STEP_CREDENTIALS && op->backup_path == NULL)
    r = hs_result_derive (c, st, HS_CODE_CREDS_BACKUP_FAILED, fix,
                          N_("The backup could not be written, so nothing was removed."));
  else
    {
      static const char *codes[] = { NULL, HS_CODE_CLOCK_FIX_FAILED, HS_CODE_CREDS_FIX_FAILED,
                                      HS_CODE_BROKER_FIX_FAILED, HS_CODE_ACCOUNTS_UNVERIFIED };
      static const char *summaries[] = {
        NULL,
        N_("Windows refused to change the clock settings."),
        N_("Windows refused to remove some of the saved sign-in details."),
        N_("Registering the sign-in component again failed."),
        N_("The accounts settings could not be opened."),
      };
      r = hs_result_derive (c, st == HS_STATUS_OK ? HS_STATUS_PROBLEM : st, codes[op->step], fix,
                            summaries[op->step]);
    }

  if (op->action_code != HS_PORT_OK && op->kind != OP_CHECK)
    {
      hs_result_add_string (r, "fix_error", hs_port_code_name (op->action_code), HS_SENSITIVITY_PUBLIC);
      if (op->action_status.os_error != 0)
        hs_result_add_int (r, "fix_os_error", op->action_status.os_error);
      if (op->action_status.detail[0] != '\0')
        hs_result_add_string (r, "fix_reason", op->action_status.detail, HS_SENSITIVITY_TEXT);
    }
  if (op->backup_path != NULL)
    {
      hs_result_add_string (r, "backup", op->backup_path, HS_SENSITIVITY_TEXT);
      hs_result_add_int (r, "deleted_count", op->n_deleted);
      hs_result_add_int (r, "vanished_count", op->n_vanished);
      hs_result_add_int (r, "failed_count", op->n_failed);
    }
  return r;
}

static void
op_complete (GTask *task)
{
  StepOp *op = g_task_get_task_data (task);
  HsEngine *self = op->engine;
  HsResult *r;

  r = op->kind == OP_CHECK ? g_object_ref (op->check) : fix_outcome (op);
  hs_action_sink_add (&op->sink, op->step, op->kind == OP_CHECK ? "check" : "recheck",
                      hs_status_name (hs_result_get_status (r)), HS_SENSITIVITY_PUBLIC,
                      "%s", hs_result_get_code (r));
  if (op->backup_path != NULL)
    {
      g_free (self->last_backup);
      self->last_backup = g_strdup (op->backup_path);
    }
  flush_actions (self, op);
  g_clear_object (&self->results[op->step]);
  self->results[op->step] = g_object_ref (r);
  set_state (self, op->step, HS_STEP_STATE_DONE);
  g_task_return_pointer (task, r, g_object_unref);
  g_object_unref (task);
}

static void
measured_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;
  StepOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsClockMeasurement) m = hs_clock_probe_measure_finish (res, &error);

  if (m == NULL)
    {
      HsPortStatus st = { 0 };
      hs_port_status_set (&st, HS_PORT_CANCELLED, 0, "%s", error->message);
      op->check = hs_result_new_port_failure (HS_STEP_CLOCK, HS_PORT_CANCELLED, &st);
    }
  else
    {
      op->clock.measured = m->ok;
      op->clock.offset_seconds = m->offset_seconds;
      op->clock.uncertainty_seconds = m->uncertainty_seconds;
      op->clock.source = g_strdup (m->source);
      op->clock.method = g_strdup (m->method);
      op->clock.tls_dates_invalid = m->tls_dates_invalid;
      op->clock.attempts = g_ptr_array_ref (m->attempts);
      op->check = hs_clock_verdict (&op->clock);
    }
  op_complete (task);
}

static void
thread_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GTask *task = user_data;
  StepOp *op = g_task_get_task_data (task);

  if (op->check == NULL)
    {
      /* Only the clock gets here: the platform asked for a real measurement. */
      hs_action_sink_add (&op->sink, HS_STEP_CLOCK, "measure_clock", "started", HS_SENSITIVITY_PUBLIC, NULL);
      hs_clock_probe_measure_async (op->engine->clock_options, op->cancellable, measured_cb, task);
      return;
    }
  op_complete (task);
}

static void
start_op (HsEngine *self, StepOp *op, GCancellable *cancellable,
          GAsyncReadyCallback callback, gpointer user_data, gpointer source_tag)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  GTask *inner;

  g_task_set_source_tag (outer, source_tag);
  /* A cancelled operation still delivers its (re-)check: the caller must
   * learn what state the machine was left in. */
  g_task_set_check_cancellable (outer, FALSE);
  if (self->states[op->step] == HS_STEP_STATE_CHECKING || self->states[op->step] == HS_STEP_STATE_FIXING)
    {
      g_task_return_new_error (outer, HS_ENGINE_ERROR, HS_ENGINE_ERROR_BUSY,
                               "step %d is busy", op->step);
      step_op_free (op);
      g_object_unref (outer);
      return;
    }
  op->engine = g_object_ref (self);
  if (op->work_account == NULL)
    op->work_account = g_strdup (self->work_account);
  /* Keep the GCancellable alive for the measurement too; a private one
   * stands in when the caller gave none. */
  op->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  op->cancel.is_cancelled = op_is_cancelled;
  op->cancel.data = op->cancellable;
  op->sink.actions = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_action_free);
  if (self->results[op->step] != NULL)
    {
      HsResult *last = self->results[op->step];
      op->last_offset_known = hs_result_get_double (last, "offset_seconds", &op->last_offset);
      op->last_fix = hs_result_get_fix (last);
      op->last_code = g_intern_string (hs_result_get_code (last));
    }
  g_task_set_task_data (outer, op, (GDestroyNotify) step_op_free);
  set_state (self, op->step, op->kind == OP_CHECK ? HS_STEP_STATE_CHECKING : HS_STEP_STATE_FIXING);

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
}

static void
hs_engine_init (HsEngine *self)
{
  self->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_action_free);
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
  g_return_val_if_fail (step >= HS_STEP_CLOCK && step <= HS_STEP_ACCOUNTS, HS_STEP_STATE_IDLE);
  return self->states[step];
}

HsResult *
hs_engine_get_result (HsEngine *self, HsStep step)
{
  g_return_val_if_fail (step >= HS_STEP_CLOCK && step <= HS_STEP_ACCOUNTS, NULL);
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
  StepOp *op = g_new0 (StepOp, 1);

  g_return_if_fail (HS_IS_ENGINE (self));
  op->step = step;
  op->kind = OP_CHECK;
  start_op (self, op, cancellable, callback, user_data, hs_engine_check_step_async);
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
  HsResult *last = self->results[step];
  StepOp *op;

  g_return_if_fail (HS_IS_ENGINE (self));
  if (last != NULL && hs_result_get_fix (last) == HS_FIX_NONE &&
      !(step == HS_STEP_CREDENTIALS && options && options->credential_refs))
    {
      g_task_report_new_error (self, callback, user_data, hs_engine_fix_step_async,
                               HS_ENGINE_ERROR, HS_ENGINE_ERROR_NO_FIX,
                               "step %d (%s) has nothing to fix", step, hs_result_get_code (last));
      return;
    }
  if (last != NULL && step == HS_STEP_BROKER && hs_result_get_fix (last) == HS_FIX_GUIDED)
    {
      g_task_report_new_error (self, callback, user_data, hs_engine_fix_step_async,
                               HS_ENGINE_ERROR, HS_ENGINE_ERROR_NO_FIX,
                               "step 3 needs a Windows repair that Handshake cannot do");
      return;
    }
  op = g_new0 (StepOp, 1);
  op->step = step;
  op->kind = OP_FIX;
  if (options != NULL)
    {
      op->credential_refs = g_strdupv ((char **) options->credential_refs);
      op->work_account = g_strdup (options->work_account);
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
  const char *path = backup_path ? backup_path : self->last_backup;
  StepOp *op;

  if (path == NULL)
    {
      g_task_report_new_error (self, callback, user_data, hs_engine_restore_async,
                               HS_ENGINE_ERROR, HS_ENGINE_ERROR_INVALID, "there is no backup to restore");
      return;
    }
  op = g_new0 (StepOp, 1);
  op->step = HS_STEP_CREDENTIALS;
  op->kind = OP_RESTORE;
  op->restore_path = g_strdup (path);
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
  for (int s = HS_STEP_CLOCK; s <= HS_STEP_ACCOUNTS; s++)
    hs_engine_check_step_async (self, (HsStep) s, cancellable, check_all_one_cb, g_object_ref (task));
  g_object_unref (task);
}

gboolean
hs_engine_check_all_finish (HsEngine *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Shell actions: small blocking calls on a worker, logged. */
typedef enum { SHELL_OPEN_SETTINGS, SHELL_RESTART_TEAMS, SHELL_RESTART_COMPUTER } ShellKind;

typedef struct {
  HsEngine *engine;
  ShellKind kind;
  char *uri;
  HsPortCode code;
  HsPortStatus status;
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

  HsPortCancel cancel = { op_is_cancelled, cancellable };

  switch (op->kind)
    {
    case SHELL_OPEN_SETTINGS:
      op->code = pf->open_settings (pf->self, op->uri, &op->status);
      break;
    case SHELL_RESTART_TEAMS:
      op->code = pf->restart_teams (pf->self, NULL, cancellable ? &cancel : NULL, &op->status);
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
  StepOp fake = { 0 };

  static const char *names[] = { "open_settings", "restart_teams", "restart_computer" };

  hs_action_sink_add (&sink, 0, names[op->kind], hs_port_code_name (op->code), HS_SENSITIVITY_TEXT,
                      "%s", op->uri ? op->uri : op->status.detail);
  fake.sink = sink;
  flush_actions (self, &fake);
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
