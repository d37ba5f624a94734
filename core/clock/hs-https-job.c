/* hs-https-job.c — the HTTPS Date request on a private thread. */
#include "config.h"

#include "hs-https-job.h"

#include <libsoup/soup.h>
#include <stdlib.h>

/* After its deadline a job cancels its request; if libsoup has still not
 * called back this much later, the thread leaves without it. */
#define GIVE_UP_AFTER_DEADLINE_USEC (5 * G_USEC_PER_SEC)
/* At exit, how long to wait for live jobs: library destructors (GnuTLS's)
 * must not run under a thread that is still inside them. */
#define EXIT_WAIT_USEC (1 * G_USEC_PER_SEC)

typedef struct _LiveThread LiveThread;

struct _HsHttpsJob {
  gatomicrefcount  ref;

  /* Input, immutable once the thread runs */
  char            *url;
  char            *ca_file;          /* (nullable) */
  gint64           deadline_mono;
  GMainContext    *reply_context;    /* (owned) */
  HsHttpsJobDone   done;
  gpointer         user_data;        /* (unowned): valid until stop */
  GMainContext    *worker_context;   /* (owned) */
  LiveThread      *live;             /* (unowned): owned by live_threads */

  /* Set by other threads */
  gint             go;               /* atomic */
  gint             stop;             /* atomic */

  /* Job thread only */
  GCancellable    *cancellable;      /* (owned): cancelled only by the job thread */
  gboolean         responded;
  gboolean         given_up;
  HsHttpsOutcome   outcome;          /* handed to the reply context when complete */
};

/* Every job thread, until joined: joining at exit (and when the next job
 * starts) means no thread is half-way through exiting when the process
 * ends, which LeakSanitizer, among others, cannot cope with. */
struct _LiveThread {
  HsHttpsJob *job;      /* (unowned): valid until ended */
  GThread    *thread;   /* (owned) (nullable): NULL until started */
  gboolean    ended;
};

static GMutex     live_lock;
static GCond      live_cond;
static GPtrArray *live_threads;      /* (element-type LiveThread) (owned) */

static HsHttpsJob *
job_ref (HsHttpsJob *job)
{
  g_atomic_ref_count_inc (&job->ref);
  return job;
}

static void
job_unref (HsHttpsJob *job)
{
  if (!g_atomic_ref_count_dec (&job->ref))
    return;
  g_free (job->url);
  g_free (job->ca_file);
  g_free (job->outcome.date);
  g_free (job->outcome.failure);
  g_clear_object (&job->cancellable);
  g_main_context_unref (job->worker_context);
  g_main_context_unref (job->reply_context);
  g_free (job);
}

static void
job_request_stop (HsHttpsJob *job)
{
  g_atomic_int_set (&job->stop, 1);
  g_main_context_wakeup (job->worker_context);
}

/* Joins the threads that have ended. Takes live_lock. */
static void
reap_ended_threads (void)
{
  g_autoptr(GPtrArray) ended = g_ptr_array_new_with_free_func (g_free);

  g_mutex_lock (&live_lock);
  for (guint i = 0; live_threads != NULL && i < live_threads->len;)
    {
      LiveThread *lt = g_ptr_array_index (live_threads, i);

      if (lt->ended && lt->thread != NULL)
        g_ptr_array_add (ended, g_ptr_array_steal_index_fast (live_threads, i));
      else
        i++;
    }
  g_mutex_unlock (&live_lock);
  /* An ended thread only has its return left to do. */
  for (guint i = 0; i < ended->len; i++)
    g_thread_join (((LiveThread *) g_ptr_array_index (ended, i))->thread);
}

static void
stop_live_jobs_at_exit (void)
{
  gint64 until = g_get_monotonic_time () + EXIT_WAIT_USEC;
  gboolean running;

  g_mutex_lock (&live_lock);
  for (guint i = 0; i < live_threads->len; i++)
    {
      LiveThread *lt = g_ptr_array_index (live_threads, i);

      if (!lt->ended)
        job_request_stop (lt->job);
    }
  do
    {
      running = FALSE;
      for (guint i = 0; i < live_threads->len; i++)
        running |= !((LiveThread *) g_ptr_array_index (live_threads, i))->ended;
    }
  while (running && g_cond_wait_until (&live_cond, &live_lock, until));
  g_mutex_unlock (&live_lock);
  reap_ended_threads ();
}

static LiveThread *
live_add (HsHttpsJob *job)
{
  static gsize registered;
  LiveThread *lt = g_new0 (LiveThread, 1);

  if (g_once_init_enter (&registered))
    {
      live_threads = g_ptr_array_new ();
      atexit (stop_live_jobs_at_exit);
      g_once_init_leave (&registered, 1);
    }
  reap_ended_threads ();
  lt->job = job;
  g_mutex_lock (&live_lock);
  g_ptr_array_add (live_threads, lt);
  g_mutex_unlock (&live_lock);
  return lt;
}

static void
live_set_thread (LiveThread *lt, GThread *thread)
{
  g_mutex_lock (&live_lock);
  if (thread != NULL)
    lt->thread = thread;
  else
    {
      g_ptr_array_remove_fast (live_threads, lt);
      g_free (lt);
    }
  g_mutex_unlock (&live_lock);
}

/* Near the job thread's end: from here on nobody else touches the job
 * through the registry, and the thread may be joined. */
static void
live_end (LiveThread *lt)
{
  g_mutex_lock (&live_lock);
  lt->ended = TRUE;
  lt->job = NULL;
  g_cond_broadcast (&live_cond);
  g_mutex_unlock (&live_lock);
}

/* ---- the request, in the job thread ---- */

static char *
describe_tls_flags (GTlsCertificateFlags flags)
{
  static const struct { GTlsCertificateFlags flag; const char *text; } names[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, "unknown issuer" },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, "name mismatch" },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, "not yet valid" },
    { G_TLS_CERTIFICATE_EXPIRED, "expired" },
    { G_TLS_CERTIFICATE_REVOKED, "revoked" },
    { G_TLS_CERTIFICATE_INSECURE, "insecure algorithm" },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, "generic error" },
  };
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (flags & names[i].flag)
        {
          if (s->len)
            g_string_append (s, ", ");
          g_string_append (s, names[i].text);
        }
    }
  if (s->len == 0)
    g_string_append (s, "unknown problem");
  return g_string_free (s, FALSE);
}

typedef struct {
  HsHttpsJob          *job;
  GTlsCertificateFlags tls_errors;
} Request;

static gboolean
on_accept_certificate (SoupMessage *msg, GTlsCertificate *certificate,
                       GTlsCertificateFlags errors, gpointer data)
{
  Request *req = data;
  const GTlsCertificateFlags date_flags = G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED;

  req->tls_errors = errors;
  /* A certificate valid but for its dates is what a skewed clock sees:
   * evidence, not a reason to give up. Anything else is untrusted. */
  req->job->outcome.tls_dates_only = errors != 0 && (errors & ~date_flags) == 0;
  return req->job->outcome.tls_dates_only;
}

static void
on_wrote_headers (SoupMessage *msg, gpointer data)
{
  Request *req = data;

  req->job->outcome.send_usec = g_get_real_time ();
}

static void
on_got_headers (SoupMessage *msg, gpointer data)
{
  Request *req = data;

  if (req->job->outcome.recv_usec == 0)
    req->job->outcome.recv_usec = g_get_real_time ();
}

static void
on_response (GObject *object, GAsyncResult *result, gpointer data)
{
  Request *req = data;
  HsHttpsJob *job = req->job;
  HsHttpsOutcome *out = &job->outcome;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *date = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (out->recv_usec == 0)
    out->recv_usec = g_get_real_time ();
  out->finished_mono = g_get_monotonic_time ();
  job->responded = TRUE;

  if (body == NULL && (msg == NULL || soup_message_get_status (msg) == 0))
    {
      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) && req->tls_errors)
        {
          g_autofree char *flags = describe_tls_flags (req->tls_errors);
          out->failure = g_strdup_printf ("TLS certificate rejected (%s)", flags);
        }
      else
        out->failure = g_strdup_printf ("request failed: %s", error ? error->message : "unknown error");
    }
  else
    {
      date = msg ? soup_message_headers_get_one (soup_message_get_response_headers (msg), "Date") : NULL;
      if (date == NULL)
        out->failure = g_strdup ("response has no Date header");
      else
        {
          out->answered = TRUE;
          out->date = g_strdup (date);
        }
    }
  job_unref (job);
  g_free (req);
}

static gboolean
on_deadline (gpointer data)
{
  HsHttpsJob *job = data;

  g_cancellable_cancel (job->cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
on_give_up (gpointer data)
{
  HsHttpsJob *job = data;

  job->given_up = TRUE;
  return G_SOURCE_REMOVE;
}

static GSource *
attach_at (HsHttpsJob *job, gint64 when_mono, GSourceFunc func)
{
  gint64 left = when_mono - g_get_monotonic_time ();
  GSource *source = g_timeout_source_new (left > 0 ? (guint) ((left + 999) / 1000) : 0);

  g_source_set_callback (source, func, job, NULL);
  g_source_attach (source, job->worker_context);
  return source;
}

/* One iteration of the job's context; a stop request becomes a cancel
 * here, in the job thread, so that libsoup's cancellation handlers (which
 * may close sockets synchronously) never run in the caller's thread. */
static void
job_iterate (HsHttpsJob *job)
{
  if (g_atomic_int_get (&job->stop))
    g_cancellable_cancel (job->cancellable);
  g_main_context_iteration (job->worker_context, TRUE);
}

static gboolean
job_prepare_trust (HsHttpsJob *job, SoupSession *session, GError **error)
{
  g_autoptr(GTlsDatabase) db = NULL;

  if (job->ca_file != NULL && *job->ca_file != '\0')
    {
      db = g_tls_file_database_new (job->ca_file, error);
      if (db == NULL)
        return FALSE;
      soup_session_set_tls_database (session, db);
      return TRUE;
    }
  /* Parse the system trust store now, before the request is wanted, rather
   * than inside the first connection. NULL (no TLS backend) is reported by
   * libsoup when the request fails. */
  db = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  return TRUE;
}

static void
job_send (HsHttpsJob *job, SoupSession *session)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_HEAD, job->url);
  Request *req;

  if (msg == NULL)
    {
      job->outcome.failure = g_strdup ("invalid URL");
      job->outcome.finished_mono = g_get_monotonic_time ();
      job->responded = TRUE;
      return;
    }
  req = g_new0 (Request, 1);
  req->job = job_ref (job);
  /* The first response's Date is as good as any; redirects cost time. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), req);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers), req);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), req);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, job->cancellable,
                                    on_response, req);
}

static gboolean
job_deliver (gpointer data)
{
  HsHttpsJob *job = data;

  /* stop and this callback both run in the reply context's thread. */
  if (!g_atomic_int_get (&job->stop))
    job->done (&job->outcome, job->user_data);
  return G_SOURCE_REMOVE;
}

static gpointer
job_thread (gpointer data)
{
  HsHttpsJob *job = data;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GSource *deadline, *give_up;
  LiveThread *live;
  gint64 left;
  guint timeout_s;

  g_main_context_push_thread_default (job->worker_context);
  deadline = attach_at (job, job->deadline_mono, on_deadline);
  give_up = attach_at (job, job->deadline_mono + GIVE_UP_AFTER_DEADLINE_USEC, on_give_up);

  left = job->deadline_mono - g_get_monotonic_time ();
  timeout_s = left > 0 ? (guint) MAX (1, (left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 1;
  /* Soup 3 binds a session to the thread-default context at creation. */
  session = soup_session_new_with_options ("timeout", timeout_s, "idle-timeout", timeout_s, NULL);

  if (!job_prepare_trust (job, session, &error))
    {
      job->outcome.failure = g_strdup_printf ("cannot load CA file: %s", error->message);
      job->outcome.finished_mono = g_get_monotonic_time ();
      job->responded = TRUE;
    }
  else
    {
      while (!g_atomic_int_get (&job->go) && !g_cancellable_is_cancelled (job->cancellable)
             && !g_atomic_int_get (&job->stop))
        g_main_context_iteration (job->worker_context, TRUE);
      if (g_atomic_int_get (&job->go) && !g_atomic_int_get (&job->stop)
          && !g_cancellable_is_cancelled (job->cancellable))
        {
          job_send (job, session);
          while (!job->responded && !job->given_up)
            job_iterate (job);
        }
    }

  if (job->responded && !g_atomic_int_get (&job->stop))
    {
      GSource *idle = g_idle_source_new ();

      g_source_set_priority (idle, G_PRIORITY_DEFAULT);
      g_source_set_callback (idle, job_deliver, job_ref (job), (GDestroyNotify) job_unref);
      g_source_attach (idle, job->reply_context);
      g_source_unref (idle);
    }

  g_cancellable_cancel (job->cancellable);
  soup_session_abort (session);
  g_clear_object (&session);
  /* Let libsoup finish what the abort started while the context is ours. */
  while (g_main_context_pending (job->worker_context))
    g_main_context_iteration (job->worker_context, FALSE);
  g_source_destroy (deadline);
  g_source_unref (deadline);
  g_source_destroy (give_up);
  g_source_unref (give_up);
  g_main_context_pop_thread_default (job->worker_context);

  live = job->live;
  live_end (live);
  job_unref (job);
  return NULL;
}

/* ---- the caller's side ---- */

/* GLib's type system can deadlock when one thread is inside a class_init
 * that needs a type another thread is registering at that moment (the job
 * thread in SoupSession's class_init waiting for GInetSocketAddress, the
 * caller registering GInetSocketAddress for its SNTP socket and blocked on
 * the class-init lock: seen in the bench, a CLI hung for good). So every
 * type the job thread initialises and the caller may also touch is set up
 * once, here, before any job thread exists. */
static void
ensure_types (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      GType classes[] = {
        SOUP_TYPE_SESSION, SOUP_TYPE_MESSAGE, G_TYPE_INET_SOCKET_ADDRESS, G_TYPE_INET_ADDRESS,
        G_TYPE_SOCKET, G_TYPE_SOCKET_CLIENT, G_TYPE_SOCKET_CONNECTION, G_TYPE_NETWORK_ADDRESS,
        G_TYPE_PROXY_ADDRESS, G_TYPE_CANCELLABLE, G_TYPE_TASK,
      };

      for (gsize i = 0; i < G_N_ELEMENTS (classes); i++)
        g_type_class_unref (g_type_class_ref (classes[i]));
      g_type_ensure (G_TYPE_SOCKET_CONNECTABLE);
      g_type_ensure (G_TYPE_TLS_CLIENT_CONNECTION);
      g_once_init_leave (&done, 1);
    }
}

HsHttpsJob *
hs_https_job_start (const char     *url,
                    const char     *ca_file,
                    gint64          deadline_mono,
                    GMainContext   *context,
                    HsHttpsJobDone  done,
                    gpointer        user_data,
                    GError        **error)
{
  HsHttpsJob *job = g_new0 (HsHttpsJob, 1);
  GThread *thread;

  g_atomic_ref_count_init (&job->ref);
  job->url = g_strdup (url);
  job->ca_file = g_strdup (ca_file);
  job->deadline_mono = deadline_mono;
  job->reply_context = g_main_context_ref (context);
  job->done = done;
  job->user_data = user_data;
  job->worker_context = g_main_context_new ();
  job->cancellable = g_cancellable_new ();

  ensure_types ();
  job->live = live_add (job);
  thread = g_thread_try_new ("hs-clock-https", job_thread, job_ref (job), error);
  live_set_thread (job->live, thread);
  if (thread == NULL)
    {
      job_unref (job);   /* the thread's */
      job_unref (job);   /* ours */
      return NULL;
    }
  return job;
}

void
hs_https_job_go (HsHttpsJob *job)
{
  g_atomic_int_set (&job->go, 1);
  g_main_context_wakeup (job->worker_context);
}

void
hs_https_job_stop (HsHttpsJob *job)
{
  if (job == NULL)
    return;
  job_request_stop (job);
  job_unref (job);
}
