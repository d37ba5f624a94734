/* hs-net-check.c — the network check: options, the result, and one run
 * (fan-out to a worker per endpoint, fan-in, a guard at the deadline,
 * progress to the caller's context). What a worker measures is in
 * hs-net-probe-*.c; what the facts mean, in hs-net-verdict.c. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <string.h>

#include "hs-codes.h"
#include "hs-net-check.h"
#include "hs-net-probe.h"
#include "hs-net-verdict.h"

/* A worker honours the deadline itself; if it has still not reported this
 * much later (CPU work nothing interrupts: loading the trust store on a
 * starved machine), the run reports for it and walks away. */
#define GUARD_GRACE_MS 400
/* Practice mode plays the stages back at this pace, so the wizard shows
 * progress as on a real network. */
#define SIMULATED_STAGE_MS 120

/* ---- options ------------------------------------------------------------ */

HsNetCheckOptions *
hs_net_check_options_copy (const HsNetCheckOptions *o)
{
  HsNetCheckOptions *copy = g_new0 (HsNetCheckOptions, 1);

  if (o == NULL)
    return copy;
  copy->urls = g_strdupv (o->urls);
  copy->timeout_ms = o->timeout_ms;
  copy->ca_file = g_strdup (o->ca_file);
  copy->public_roots = g_strdup (o->public_roots);
  copy->proxy_resolver = o->proxy_resolver ? g_object_ref (o->proxy_resolver) : NULL;
  return copy;
}

void
hs_net_check_options_free (HsNetCheckOptions *o)
{
  if (o == NULL)
    return;
  g_strfreev (o->urls);
  g_free (o->ca_file);
  g_free (o->public_roots);
  g_clear_object (&o->proxy_resolver);
  g_free (o);
}

gboolean
hs_net_url_is_valid (const char *url, GError **error)
{
  g_autoptr(GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "not an https:// URL: %s", url ? url : "(none)");
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "a sign-in URL must not carry a user name or password: %s", url);
      return FALSE;
    }
  return TRUE;
}

/* ---- the result --------------------------------------------------------- */

struct _HsNetCheck
{
  GObject    parent_instance;

  GPtrArray *endpoints;     /* (owned) (element-type HsResult) */
  gboolean   simulated;
  guint      timeout_ms;
  gint64     elapsed_ms;
};

G_DEFINE_FINAL_TYPE (HsNetCheck, hs_net_check, G_TYPE_OBJECT)

static void
hs_net_check_finalize (GObject *object)
{
  g_ptr_array_unref (HS_NET_CHECK (object)->endpoints);
  G_OBJECT_CLASS (hs_net_check_parent_class)->finalize (object);
}

static void
hs_net_check_class_init (HsNetCheckClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hs_net_check_finalize;
}

static void
hs_net_check_init (HsNetCheck *self)
{
  self->endpoints = g_ptr_array_new_with_free_func (g_object_unref);
}

GPtrArray *hs_net_check_get_endpoints (HsNetCheck *self) { return self->endpoints; }
gboolean hs_net_check_get_simulated (HsNetCheck *self) { return self->simulated; }
guint hs_net_check_get_timeout_ms (HsNetCheck *self) { return self->timeout_ms; }
gint64 hs_net_check_get_elapsed_ms (HsNetCheck *self) { return self->elapsed_ms; }

static HsResult *
first_with_status (HsNetCheck *self, HsStatus status)
{
  for (guint i = 0; i < self->endpoints->len; i++)
    {
      HsResult *r = g_ptr_array_index (self->endpoints, i);
      if (hs_result_get_status (r) == status)
        return r;
    }
  return NULL;
}

HsStatus
hs_net_check_get_status (HsNetCheck *self)
{
  if (first_with_status (self, HS_STATUS_PROBLEM) != NULL)
    return HS_STATUS_PROBLEM;
  if (first_with_status (self, HS_STATUS_UNVERIFIED) != NULL || self->endpoints->len == 0)
    return HS_STATUS_UNVERIFIED;
  return HS_STATUS_OK;
}

const char *
hs_net_check_get_code (HsNetCheck *self)
{
  HsResult *r = first_with_status (self, hs_net_check_get_status (self));

  return r ? hs_result_get_code (r) : HS_CODE_NET_UNVERIFIED;
}

/* ---- one run ------------------------------------------------------------ */

typedef struct {
  gatomicrefcount    ref;
  GTask             *task;          /* (owned) (nullable): NULL once completed */
  HsNetCheckOptions *options;       /* (owned) */
  GStrv              urls;          /* (owned) the endpoints, in order */
  HsNetFacts        *facts;         /* one per URL */
  gboolean          *done;          /* one per URL */
  guint              pending;
  gboolean           simulated;
  gint64             started_mono;
  gint64             deadline_mono;
  GMainContext      *context;       /* (owned) the caller's */
  GSource           *guard;         /* (owned) (nullable) */
  GCancellable      *cancellable;   /* (owned) workers' and the replay's */
  gulong             cancel_id;     /* on the caller's cancellable */
  GCancellable      *caller_cancellable; /* (owned) (nullable) */
  HsNetProgressFunc  progress;
  gpointer           progress_data;
  /* practice mode: the stage each endpoint's replay is at */
  HsNetStage        *replayed;
} Run;

static Run *
run_ref (Run *run)
{
  g_atomic_ref_count_inc (&run->ref);
  return run;
}

static void
run_unref (Run *run)
{
  if (!g_atomic_ref_count_dec (&run->ref))
    return;
  g_assert (run->task == NULL && run->guard == NULL);
  hs_net_check_options_free (run->options);
  g_strfreev (run->urls);
  g_free (run->facts);
  g_free (run->done);
  g_free (run->replayed);
  g_main_context_unref (run->context);
  g_object_unref (run->cancellable);
  g_clear_object (&run->caller_cancellable);
  g_free (run);
}

/* Caller's context: every endpoint has facts, or the guard fired. */
static void
run_complete (Run *run)
{
  HsNetCheck *check = g_object_new (HS_TYPE_NET_CHECK, NULL);
  GTask *task = g_steal_pointer (&run->task);

  if (task == NULL)
    return;
  if (run->guard != NULL)
    {
      g_source_destroy (run->guard);
      g_clear_pointer (&run->guard, g_source_unref);
    }
  /* Whatever is still running has nothing more to say. */
  g_cancellable_cancel (run->cancellable);
  if (run->caller_cancellable != NULL)
    g_cancellable_disconnect (run->caller_cancellable, run->cancel_id);
  run->cancel_id = 0;
  check->simulated = run->simulated;
  check->timeout_ms = run->options->timeout_ms;
  check->elapsed_ms = (g_get_monotonic_time () - run->started_mono) / 1000;
  for (guint i = 0; run->urls[i] != NULL; i++)
    g_ptr_array_add (check->endpoints,
                     hs_net_verdict (run->urls[i], &run->facts[i], run->simulated));
  g_task_return_pointer (task, check, g_object_unref);
  g_object_unref (task);
}

static void
endpoint_done (Run *run, guint index)
{
  if (run->task == NULL || run->done[index])
    return;
  run->done[index] = TRUE;
  if (--run->pending == 0)
    run_complete (run);
}

/* The guard: the deadline is past and some worker has not reported. */
static gboolean
on_guard (gpointer data)
{
  Run *run = data;

  for (guint i = 0; run->urls[i] != NULL; i++)
    {
      HsNetFacts *f = &run->facts[i];

      if (run->done[i])
        continue;
      f->failure = HS_NET_FAIL_TIMEOUT;
      g_snprintf (f->detail, sizeof f->detail, "no answer within %u ms (%s)",
                  run->options->timeout_ms, hs_net_stage_name (f->stage));
      f->total_ms = (gint32) ((g_get_monotonic_time () - run->started_mono) / 1000);
    }
  g_clear_pointer (&run->guard, g_source_unref);
  run->pending = 0;
  run_complete (run);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *caller, gpointer data)
{
  /* Any thread: cancelling a GCancellable is thread-safe. */
  g_cancellable_cancel (G_CANCELLABLE (data));
}

/* ---- progress, from any thread to the caller's context ---- */

typedef struct {
  Run       *run;     /* (owned) */
  guint      index;
  HsNetStage stage;
} Progress;

static gboolean
deliver_progress (gpointer data)
{
  Progress *p = data;
  Run *run = p->run;

  /* Stages keep the order they came in; none after completion. */
  if (run->task != NULL && !run->done[p->index])
    {
      if (p->stage > run->facts[p->index].stage && run->simulated == FALSE)
        run->facts[p->index].stage = p->stage;
      if (run->progress != NULL)
        run->progress (p->index, run->urls[p->index], p->stage, run->progress_data);
    }
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *p = data;

  run_unref (p->run);
  g_free (p);
}

static void
post_progress (Run *run, guint index, HsNetStage stage)
{
  Progress *p = g_new0 (Progress, 1);
  GSource *idle = g_idle_source_new ();

  p->run = run_ref (run);
  p->index = index;
  p->stage = stage;
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, deliver_progress, p, progress_free);
  g_source_attach (idle, run->context);
  g_source_unref (idle);
}

/* ---- a real endpoint: a worker thread ---- */

typedef struct {
  Run        *run;      /* (owned) */
  guint       index;
  HsNetFacts  facts;    /* the worker's own copy until it reports */
} Worker;

static void
worker_free (gpointer data)
{
  Worker *w = data;

  run_unref (w->run);
  g_free (w);
}

static void
worker_stage (HsNetStage stage, gpointer data)
{
  Worker *w = data;

  post_progress (w->run, w->index, stage);
}

/* Run in a worker thread. */
static void
worker_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Worker *w = data;
  Run *run = w->run;

  hs_net_probe_endpoint (run->urls[w->index], run->options, run->deadline_mono,
                         run->cancellable, worker_stage, w, &w->facts);
  g_task_return_boolean (task, TRUE);
}

/* Caller's context. */
static void
worker_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Worker *w = g_task_get_task_data (G_TASK (res));
  Run *run = w->run;

  if (run->task != NULL && !run->done[w->index])
    {
      run->facts[w->index] = w->facts;
      endpoint_done (run, w->index);
    }
}

static void
start_worker (Run *run, guint index)
{
  Worker *w = g_new0 (Worker, 1);
  GTask *task;

  w->run = run_ref (run);
  w->index = index;
  hs_net_facts_init (&w->facts);
  task = g_task_new (NULL, NULL, worker_done, NULL);
  g_task_set_source_tag (task, start_worker);
  g_task_set_task_data (task, w, worker_free);
  g_task_run_in_thread (task, worker_thread);
  g_object_unref (task);
}

/* ---- a simulated endpoint: the facts now, the stages played back ---- */

static gboolean
replay_step (gpointer data)
{
  Run *run = data;
  gboolean more = FALSE;

  if (run->task == NULL)
    return G_SOURCE_REMOVE;
  for (guint i = 0; run->urls[i] != NULL; i++)
    {
      if (run->done[i])
        continue;
      if (g_cancellable_is_cancelled (run->cancellable))
        {
          run->facts[i].failure = HS_NET_FAIL_CANCELLED;
          g_strlcpy (run->facts[i].detail, "cancelled", sizeof run->facts[i].detail);
        }
      else if (run->replayed[i] < run->facts[i].stage)
        {
          run->replayed[i]++;
          if (run->progress != NULL)
            run->progress (i, run->urls[i], run->replayed[i], run->progress_data);
          more = TRUE;
          continue;
        }
      endpoint_done (run, i);
      if (run->task == NULL)
        return G_SOURCE_REMOVE;
    }
  return more ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
start_replay (Run *run)
{
  GSource *tick = g_timeout_source_new (SIMULATED_STAGE_MS);

  g_source_set_callback (tick, replay_step, run_ref (run), (GDestroyNotify) run_unref);
  g_source_attach (tick, run->context);
  g_source_unref (tick);
}

/* ---- the public entry ---- */

static GStrv
endpoint_urls (const HsNetCheckOptions *o, GError **error)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  guint n = 0;

  if (o->urls == NULL || o->urls[0] == NULL)
    {
      g_strv_builder_add (b, HS_NET_SIGNIN_URL);
      g_strv_builder_add (b, HS_NET_TEAMS_URL);
      return g_strv_builder_end (b);
    }
  for (char **u = o->urls; *u != NULL; u++, n++)
    {
      if (!hs_net_url_is_valid (*u, error))
        return NULL;
      g_strv_builder_add (b, *u);
    }
  if (n > HS_NET_MAX_ENDPOINTS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "at most %d sign-in URLs", HS_NET_MAX_ENDPOINTS);
      return NULL;
    }
  return g_strv_builder_end (b);
}

void
hs_net_check_run_async (const HsNetCheckOptions *options, HsPlatform *platform,
                        HsNetProgressFunc progress, gpointer progress_data,
                        GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GError *error = NULL;
  GStrv urls;
  Run *run;
  guint n;

  g_task_set_source_tag (task, hs_net_check_run_async);
  /* A cancelled check still delivers what it found. */
  g_task_set_check_cancellable (task, FALSE);
  urls = endpoint_urls (options ? options : &(HsNetCheckOptions) { 0 }, &error);
  if (urls == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  n = g_strv_length (urls);

  run = g_new0 (Run, 1);
  g_atomic_ref_count_init (&run->ref);
  run->task = task;
  run->options = hs_net_check_options_copy (options);
  if (run->options->timeout_ms == 0)
    run->options->timeout_ms = HS_NET_DEFAULT_TIMEOUT_MS;
  run->urls = urls;
  run->facts = g_new0 (HsNetFacts, n);
  run->done = g_new0 (gboolean, n);
  run->replayed = g_new0 (HsNetStage, n);
  run->pending = n;
  run->progress = progress;
  run->progress_data = progress_data;
  run->context = g_main_context_ref_thread_default ();
  run->cancellable = g_cancellable_new ();
  run->started_mono = g_get_monotonic_time ();
  run->deadline_mono = run->started_mono + (gint64) run->options->timeout_ms * 1000;
  if (cancellable != NULL)
    {
      run->caller_cancellable = g_object_ref (cancellable);
      run->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                              run->cancellable, NULL);
    }

  for (guint i = 0; i < n; i++)
    hs_net_facts_init (&run->facts[i]);
  /* A simulated machine answers for every endpoint at once, or for none. */
  if (platform != NULL)
    {
      HsPortStatus st = { 0 };

      run->simulated = platform->net_facts (platform->self, urls[0], &run->facts[0], &st)
                       != HS_PORT_UNSUPPORTED;
      for (guint i = 1; run->simulated && i < n; i++)
        platform->net_facts (platform->self, urls[i], &run->facts[i], &st);
    }

  if (run->simulated)
    start_replay (run);
  else
    {
      hs_net_probe_prepare ();
      run->guard = g_timeout_source_new (run->options->timeout_ms + GUARD_GRACE_MS);
      g_source_set_callback (run->guard, on_guard, run, NULL);
      g_source_attach (run->guard, run->context);
      for (guint i = 0; i < n; i++)
        start_worker (run, i);
    }
  /* The run lives on through its workers, sources and task. */
  run_unref (run);
}

HsNetCheck *
hs_net_check_run_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
