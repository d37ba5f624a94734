/* hs-https-job-winhttp.c — the HTTPS Date request on a private thread, on
 * Windows: the interface of hs-https-job.h over hs_win32_https_date()
 * (core/win32/hs-win32-https.c), which goes through WinHTTP so that the
 * user's proxy settings and the Windows certificate store apply.
 *
 * Why a thread here too: hs_win32_https_date() blocks its caller until the
 * answer or its deadline, and the first call of a process also loads
 * WinHTTP and builds the first certificate chain (the system root store),
 * CPU work nothing can interrupt. So the call runs on a private thread: the
 * thread that asked only ever sees a callback in its own context, and can
 * walk away at any time (hs_https_job_stop) whatever the job is doing. The
 * call itself holds the deadline (it returns by then, whatever the network
 * does) and polls the stop flag, so the thread never outlives the deadline
 * by much.
 *
 * Preparation: there is nothing to parse ahead on Windows (the trust store
 * is the system's, WinHTTP is a system library), so the thread only waits
 * for hs_https_job_go(); a CA file (tests) is read when the request starts.
 */
#include "config.h"

#include "hs-https-job.h"

#include "hs-platform.h"
#include "hs-win32.h"

/* The request's budget ends this much before the job's deadline: thread
 * wake-up and handle closing must fit in it. */
#define DEADLINE_MARGIN_USEC (50 * 1000)

struct _HsHttpsJob {
  gatomicrefcount  ref;

  /* Input, immutable once the thread runs */
  char            *url;
  char            *ca_file;          /* (nullable) */
  gint64           deadline_mono;
  GMainContext    *reply_context;    /* (owned) */
  HsHttpsJobDone   done;
  gpointer         user_data;        /* (unowned): valid until stop */

  /* Set by other threads */
  GMutex           lock;
  GCond            cond;
  gboolean         go;               /* (lock) */
  gint             stop;             /* atomic */

  /* Job thread only, then read in the reply context */
  HsHttpsOutcome   outcome;
};

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
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->cond);
  g_main_context_unref (job->reply_context);
  g_free (job);
}

/* HsPortCancel: polled by hs_win32_https_date() every 50 ms. */
static int
job_stopped (void *data)
{
  HsHttpsJob *job = data;

  return g_atomic_int_get (&job->stop);
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
  HsPortCancel cancel = { job_stopped, job };
  HsHttpsDate result;
  HsPortStatus st = { 0 };
  gboolean go;
  gint64 left;

  /* Until go, stop or the deadline, whichever comes first. */
  g_mutex_lock (&job->lock);
  while (!job->go && !g_atomic_int_get (&job->stop)
         && g_cond_wait_until (&job->cond, &job->lock, job->deadline_mono))
    ;
  go = job->go;
  g_mutex_unlock (&job->lock);

  /* A little before the deadline, so that even a timeout is reported, with
   * its reason, before the caller's own deadline fires. */
  left = job->deadline_mono - DEADLINE_MARGIN_USEC - g_get_monotonic_time ();
  if (go && !g_atomic_int_get (&job->stop) && left >= 1000)
    {
      HsHttpsOutcome *out = &job->outcome;

      hs_win32_https_date (job->url, job->ca_file,
                           (guint32) MIN (left / 1000, (gint64) G_MAXINT32),
                           &cancel, &result, &st);
      out->finished_mono = g_get_monotonic_time ();
      out->answered = result.answered;
      out->send_usec = result.send_usec;
      out->recv_usec = result.recv_usec;
      out->tls_dates_only = result.tls_dates_only;
      if (result.answered)
        /* Exactly an IMF-fixdate: hs_win32_https_date() accepts nothing else. */
        out->date = g_strdup (result.date);
      else
        out->failure = g_strdup (result.failure[0] != '\0' ? result.failure : "failed");

      if (!g_atomic_int_get (&job->stop))
        {
          GSource *idle = g_idle_source_new ();

          g_source_set_priority (idle, G_PRIORITY_DEFAULT);
          g_source_set_callback (idle, job_deliver, job_ref (job), (GDestroyNotify) job_unref);
          g_source_attach (idle, job->reply_context);
          g_source_unref (idle);
        }
    }

  job_unref (job);
  return NULL;
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
  job->ca_file = (ca_file != NULL && *ca_file != '\0') ? g_strdup (ca_file) : NULL;
  job->deadline_mono = deadline_mono;
  job->reply_context = g_main_context_ref (context);
  job->done = done;
  job->user_data = user_data;
  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);

  thread = g_thread_try_new ("hs-clock-https", job_thread, job_ref (job), error);
  if (thread == NULL)
    {
      job_unref (job);   /* the thread's */
      job_unref (job);   /* ours */
      return NULL;
    }
  /* Never joined: the call returns by the deadline on its own, and a
   * stopped job is simply left to finish. */
  g_thread_unref (thread);
  return job;
}

void
hs_https_job_go (HsHttpsJob *job)
{
  g_mutex_lock (&job->lock);
  job->go = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
}

void
hs_https_job_stop (HsHttpsJob *job)
{
  if (job == NULL)
    return;
  g_atomic_int_set (&job->stop, 1);
  g_mutex_lock (&job->lock);
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
  job_unref (job);
}
