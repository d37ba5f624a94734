/* hs-practice.c — a simulated Windows machine for rehearsal and tests.
 *
 * Every fact comes from a scenario file; every fix changes the simulated
 * state so that a re-check shows its effect. Calls may come from several
 * worker threads at once, so the state sits behind one mutex.
 */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "hs-paths.h"
#include "hs-practice.h"
#include "hs-steps.h"

G_DEFINE_QUARK (hs-practice-error-quark, hs_practice_error)

typedef struct {
  char    *target;
  guint32  type;
  char    *user;
  char    *comment;
  gint64   last_written;
  guint32  persist;
  char    *secret;       /* planted by tests; never leaves this file but for backups */
} SimCredential;

typedef struct {
  char          *email;
  HsAccountKind  kind;
  char          *sources;
} SimAccount;

typedef struct {
  HsPlatform  platform;
  GMutex      lock;
  char       *scenario_name;
  char       *path;

  /* clock */
  gboolean    offset_real;     /* measure this computer for real */
  double      offset;
  gboolean    reachable;
  HsTimeSettings time;
  /* credentials */
  GPtrArray  *creds;           /* (element-type SimCredential) */
  HsPortCode  list_creds_code;
  /* broker */
  HsTri       broker_registered, broker_manifest, cxh_registered, cxh_manifest;
  HsPortCode  broker_state_code;
  /* accounts */
  GPtrArray  *accounts;        /* (element-type SimAccount) */
  HsPortCode  list_accounts_code;
  /* how fixes go */
  char       *fix_uac, *fix_clock, *fix_creds, *fix_broker, *fix_accounts;
  guint       fix_delay_ms;
  char       *backup_dir;
} Practice;

static void
sim_credential_free (gpointer p)
{
  SimCredential *c = p;

  g_free (c->target);
  g_free (c->user);
  g_free (c->comment);
  if (c->secret != NULL)
    memset (c->secret, 0, strlen (c->secret));
  g_free (c->secret);
  g_free (c);
}

static void
sim_account_free (gpointer p)
{
  SimAccount *a = p;

  g_free (a->email);
  g_free (a->sources);
  g_free (a);
}

/* ---- data directory ---- */

char *
hs_data_path (const char *first_element, ...)
{
  const char *env = g_getenv ("HANDSHAKE_DATADIR");
  g_autofree char *rel = NULL;
  const char *bases[3];
  GPtrArray *parts = g_ptr_array_new ();
  va_list ap;
  guint nb = 0;

  g_ptr_array_add (parts, (gpointer) first_element);
  va_start (ap, first_element);
  for (const char *p = va_arg (ap, const char *); p != NULL; p = va_arg (ap, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (ap);
  g_ptr_array_add (parts, NULL);
  rel = g_build_filenamev ((char **) parts->pdata);
  g_ptr_array_unref (parts);

  if (env != NULL && *env != '\0')
    bases[nb++] = env;
  bases[nb++] = hs_paths_datadir ();
  bases[nb++] = HS_SOURCE_DATADIR;
  for (guint i = 0; i < nb; i++)
    {
      char *candidate = g_build_filename (bases[i], rel, NULL);
      if (g_file_test (candidate, G_FILE_TEST_EXISTS))
        return candidate;
      g_free (candidate);
    }
  return g_build_filename (bases[0], rel, NULL);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GStrv
hs_practice_list_scenarios (void)
{
  g_autofree char *dir_path = hs_data_path ("scenarios", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *names = g_ptr_array_new ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".ini"))
      g_ptr_array_add (names, g_strndup (name, strlen (name) - 4));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}

/* ---- scenario parsing ---- */

typedef struct {
  const char *path;
  GKeyFile   *kf;
  GHashTable *lines;     /* "group\x1fkey" → line number */
} Loader;

static guint
key_line (Loader *l, const char *group, const char *key)
{
  g_autofree char *k = g_strconcat (group, "\x1f", key, NULL);
  return GPOINTER_TO_UINT (g_hash_table_lookup (l->lines, k));
}

static gboolean
fail_key (Loader *l, GError **error, const char *group, const char *key, const char *why)
{
  g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
               "%s:%u: [%s] %s: %s", l->path, key_line (l, group, key), group, key, why);
  return FALSE;
}

/* GKeyFile reports neither line numbers nor unknown keys: a first pass maps
 * keys to lines and rejects lines that are not groups, keys or comments. */
static gboolean
index_lines (Loader *l, const char *text, gsize len, GError **error)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *group = NULL;

  if (!g_utf8_validate (text, (gssize) len, NULL))
    {
      g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
                   "%s: not valid UTF-8", l->path);
      return FALSE;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      char *eq;

      if (*line == '\0' || *line == '#' || *line == ';')
        continue;
      if (*line == '[')
        {
          if (line[strlen (line) - 1] != ']')
            {
              g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
                           "%s:%u: unterminated group header", l->path, i + 1);
              return FALSE;
            }
          g_free (group);
          group = g_strndup (line + 1, strlen (line) - 2);
          /* The group itself, under an empty key, for errors about it. */
          g_hash_table_insert (l->lines, g_strconcat (group, "\x1f", NULL), GUINT_TO_POINTER (i + 1));
          continue;
        }
      eq = strchr (line, '=');
      if (eq == NULL || group == NULL)
        {
          g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
                       "%s:%u: expected \"key=value\"%s", l->path, i + 1,
                       group == NULL ? " inside a [group]" : "");
          return FALSE;
        }
      *eq = '\0';
      g_strstrip (line);
      g_hash_table_insert (l->lines, g_strconcat (group, "\x1f", line, NULL),
                           GUINT_TO_POINTER (i + 1));
    }
  return TRUE;
}

static gboolean
check_known_keys (Loader *l, const char *group, const char * const *known, GError **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (l->kf, group, NULL, NULL);

  for (char **k = keys; k && *k; k++)
    if (!g_strv_contains (known, *k))
      return fail_key (l, error, group, *k, "unknown key");
  return TRUE;
}

static char *
get_str (Loader *l, const char *group, const char *key, const char *fallback)
{
  char *v = g_key_file_get_string (l->kf, group, key, NULL);
  return v ? g_strstrip (v) : g_strdup (fallback);
}

static gboolean
get_choice (Loader *l, const char *group, const char *key, const char *fallback,
            const char * const *choices, char **out, GError **error)
{
  g_autofree char *v = get_str (l, group, key, fallback);

  if (!g_strv_contains (choices, v))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) choices);
      g_autofree char *why = g_strdup_printf ("\"%s\" is not one of %s", v, list);
      return fail_key (l, error, group, key, why);
    }
  *out = g_steal_pointer (&v);
  return TRUE;
}

static gboolean
get_tri (Loader *l, const char *group, const char *key, HsTri fallback, HsTri *out, GError **error)
{
  static const char * const tri[] = { "yes", "no", "unknown", NULL };
  g_autofree char *v = NULL;

  if (!get_choice (l, group, key,
                   fallback == HS_TRI_YES ? "yes" : fallback == HS_TRI_NO ? "no" : "unknown",
                   tri, &v, error))
    return FALSE;
  *out = g_str_equal (v, "yes") ? HS_TRI_YES : g_str_equal (v, "no") ? HS_TRI_NO : HS_TRI_UNKNOWN;
  return TRUE;
}

static gboolean
get_port_code (Loader *l, const char *group, const char *key, HsPortCode *out, GError **error)
{
  static const char * const codes[] = { "ok", "denied", "fail", NULL };
  g_autofree char *v = NULL;

  if (!get_choice (l, group, key, "ok", codes, &v, error))
    return FALSE;
  *out = g_str_equal (v, "ok") ? HS_PORT_OK
         : g_str_equal (v, "denied") ? HS_PORT_ACCESS_DENIED : HS_PORT_FAILED;
  return TRUE;
}

static gboolean
load_clock (Practice *p, Loader *l, GError **error)
{
  static const char * const known[] = { "offset_seconds", "reachable", "type", "ntp_server",
                                        "service", "start", "tz_auto", "domain_member",
                                        "elevated", NULL };
  static const char * const types[] = { "NTP", "NT5DS", "NoSync", "AllSync", NULL };
  static const char * const services[] = { "running", "stopped", "missing", NULL };
  static const char * const starts[] = { "auto", "manual", "disabled", NULL };
  const char *g = "clock";
  g_autofree char *offset = NULL, *type = NULL, *svc = NULL, *start = NULL, *ntp = NULL;
  HsTri reachable;

  if (!check_known_keys (l, g, known, error))
    return FALSE;
  offset = get_str (l, g, "offset_seconds", "0");
  if (g_str_equal (offset, "real"))
    p->offset_real = TRUE;
  else
    {
      char *end = NULL;
      p->offset = g_ascii_strtod (offset, &end);
      if (end == offset || *end != '\0' || !isfinite (p->offset) || fabs (p->offset) > 1e9)
        return fail_key (l, error, g, "offset_seconds",
                         "expected a number of seconds (positive: computer ahead) or \"real\"");
    }
  if (!get_tri (l, g, "reachable", HS_TRI_YES, &reachable, error) ||
      !get_choice (l, g, "type", "NTP", types, &type, error) ||
      !get_choice (l, g, "service", "running", services, &svc, error) ||
      !get_choice (l, g, "start", "auto", starts, &start, error) ||
      !get_tri (l, g, "tz_auto", HS_TRI_YES, &p->time.tz_auto, error) ||
      !get_tri (l, g, "domain_member", HS_TRI_NO, &p->time.domain_member, error) ||
      !get_tri (l, g, "elevated", HS_TRI_NO, &p->time.elevated, error))
    return FALSE;
  p->reachable = reachable != HS_TRI_NO;
  g_strlcpy (p->time.sync_type, type, sizeof p->time.sync_type);
  ntp = get_str (l, g, "ntp_server", "time.windows.com,0x1");
  g_strlcpy (p->time.ntp_server, ntp, sizeof p->time.ntp_server);
  p->time.service_state = g_str_equal (svc, "running") ? HS_SERVICE_RUNNING
                          : g_str_equal (svc, "stopped") ? HS_SERVICE_STOPPED : HS_SERVICE_MISSING;
  p->time.service_start = g_str_equal (start, "auto") ? HS_START_AUTO
                          : g_str_equal (start, "manual") ? HS_START_MANUAL : HS_START_DISABLED;
  return TRUE;
}

static gboolean
load_credential (Practice *p, Loader *l, const char *g, GError **error)
{
  static const char * const known[] = { "target", "type", "user", "comment", "persist",
                                        "secret", "last_written", NULL };
  static const char * const types[] = { "generic", "domain_password", NULL };
  static const char * const persists[] = { "session", "local_machine", "enterprise", NULL };
  g_autofree char *type = NULL, *persist = NULL, *when = NULL;
  SimCredential *c;

  if (!check_known_keys (l, g, known, error))
    return FALSE;
  if (!g_key_file_has_key (l->kf, g, "target", NULL))
    {
      g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
                   "%s: [%s] target: missing", l->path, g);
      return FALSE;
    }
  if (!get_choice (l, g, "type", "generic", types, &type, error) ||
      !get_choice (l, g, "persist", "local_machine", persists, &persist, error))
    return FALSE;
  c = g_new0 (SimCredential, 1);
  c->target = get_str (l, g, "target", "");
  c->type = g_str_equal (type, "generic") ? 1 : 2;
  c->persist = g_str_equal (persist, "session") ? 1 : g_str_equal (persist, "local_machine") ? 2 : 3;
  c->user = get_str (l, g, "user", NULL);
  c->comment = get_str (l, g, "comment", NULL);
  c->secret = get_str (l, g, "secret", "practice-token");
  when = get_str (l, g, "last_written", NULL);
  if (when != NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (when, NULL);
      if (dt == NULL)
        {
          sim_credential_free (c);
          return fail_key (l, error, g, "last_written", "expected an ISO 8601 date and time");
        }
      c->last_written = g_date_time_to_unix (dt);
    }
  if (c->target[0] == '\0')
    {
      sim_credential_free (c);
      return fail_key (l, error, g, "target", "must not be empty");
    }
  g_ptr_array_add (p->creds, c);
  return TRUE;
}

static gboolean
load_account (Practice *p, Loader *l, const char *g, GError **error)
{
  static const char * const known[] = { "email", "kind", "sources", NULL };
  static const char * const kinds[] = { "work", "personal", NULL };
  g_autofree char *kind = NULL;
  SimAccount *a;

  if (!check_known_keys (l, g, known, error) ||
      !get_choice (l, g, "kind", "work", kinds, &kind, error))
    return FALSE;
  a = g_new0 (SimAccount, 1);
  a->email = get_str (l, g, "email", "");
  a->kind = g_str_equal (kind, "work") ? HS_ACCOUNT_WORK : HS_ACCOUNT_PERSONAL;
  a->sources = get_str (l, g, "sources", a->kind == HS_ACCOUNT_WORK ? "workplace_join" : "identitycrl");
  if (strchr (a->email, '@') == NULL)
    {
      sim_account_free (a);
      return fail_key (l, error, g, "email", "expected an e-mail address");
    }
  g_ptr_array_add (p->accounts, a);
  return TRUE;
}

static gboolean
load_scenario (Practice *p, const char *path, const char *data, gsize len, GError **error)
{
  static const char * const fixes_known[] = { "uac", "clock", "credentials", "broker", "accounts",
                                              "delay_ms", NULL };
  static const char * const uac[] = { "accept", "decline", NULL };
  static const char * const outcome[] = { "ok", "denied", "fail", NULL };
  static const char * const creds_outcome[] = { "ok", "denied", "backup_fails", NULL };
  static const char * const accounts_outcome[] = { "resolve", "ignore", NULL };
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) groups = NULL;
  Loader l = { path, NULL, NULL };
  gboolean ok = FALSE;
  gint64 delay;

  if (len > HS_PRACTICE_MAX_SCENARIO_SIZE)
    {
      g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
                   "%s: larger than %d bytes", path, HS_PRACTICE_MAX_SCENARIO_SIZE);
      return FALSE;
    }
  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
                   "%s: contains a NUL byte", path);
      return FALSE;
    }
  /* The line scan below needs a terminated string; data need not be one. */
  text = g_strndup (data, len);
  l.kf = g_key_file_new ();
  l.lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!index_lines (&l, text, len, error))
    goto out;
  if (!g_key_file_load_from_data (l.kf, text, len, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID, "%s: %s", path, local->message);
      goto out;
    }

  p->scenario_name = get_str (&l, "scenario", "name", NULL);
  if (p->scenario_name == NULL)
    {
      g_autofree char *base = g_path_get_basename (path);
      p->scenario_name = g_str_has_suffix (base, ".ini") ? g_strndup (base, strlen (base) - 4)
                                                         : g_strdup (base);
    }
  if (!load_clock (p, &l, error))
    goto out;

  groups = g_key_file_get_groups (l.kf, NULL);
  for (char **g = groups; *g != NULL; g++)
    {
      if (g_str_has_prefix (*g, "credential "))
        {
          if (!load_credential (p, &l, *g, error))
            goto out;
        }
      else if (g_str_has_prefix (*g, "account "))
        {
          if (!load_account (p, &l, *g, error))
            goto out;
        }
      else if (!g_str_equal (*g, "scenario") && !g_str_equal (*g, "clock") &&
               !g_str_equal (*g, "broker") && !g_str_equal (*g, "fixes") &&
               !g_str_equal (*g, "credentials") && !g_str_equal (*g, "accounts"))
        {
          g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
                       "%s:%u: unknown group [%s] (expected scenario, clock, credentials, "
                       "\"credential NAME\", broker, accounts, \"account NAME\" or fixes)",
                       path, key_line (&l, *g, ""), *g);
          goto out;
        }
    }

  {
    static const char * const known_b[] = { "registered", "manifest", "cxh_registered",
                                            "cxh_manifest", "check", NULL };
    static const char * const known_c[] = { "check", NULL };
    static const char * const known_a[] = { "check", NULL };
    static const char * const known_s[] = { "name", "description", NULL };
    if (!check_known_keys (&l, "broker", known_b, error) ||
        !check_known_keys (&l, "credentials", known_c, error) ||
        !check_known_keys (&l, "accounts", known_a, error) ||
        !check_known_keys (&l, "scenario", known_s, error) ||
        !check_known_keys (&l, "fixes", fixes_known, error) ||
        !get_tri (&l, "broker", "registered", HS_TRI_YES, &p->broker_registered, error) ||
        !get_tri (&l, "broker", "manifest", HS_TRI_YES, &p->broker_manifest, error) ||
        !get_tri (&l, "broker", "cxh_registered", HS_TRI_YES, &p->cxh_registered, error) ||
        !get_tri (&l, "broker", "cxh_manifest", HS_TRI_YES, &p->cxh_manifest, error) ||
        !get_port_code (&l, "broker", "check", &p->broker_state_code, error) ||
        !get_port_code (&l, "credentials", "check", &p->list_creds_code, error) ||
        !get_port_code (&l, "accounts", "check", &p->list_accounts_code, error) ||
        !get_choice (&l, "fixes", "uac", "accept", uac, &p->fix_uac, error) ||
        !get_choice (&l, "fixes", "clock", "ok", outcome, &p->fix_clock, error) ||
        !get_choice (&l, "fixes", "credentials", "ok", creds_outcome, &p->fix_creds, error) ||
        !get_choice (&l, "fixes", "broker", "ok", outcome, &p->fix_broker, error) ||
        !get_choice (&l, "fixes", "accounts", "resolve", accounts_outcome, &p->fix_accounts, error))
      goto out;
  }
  delay = g_key_file_get_int64 (l.kf, "fixes", "delay_ms", &local);
  if (local != NULL && !g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND) &&
      !g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND))
    {
      fail_key (&l, error, "fixes", "delay_ms", "expected a whole number of milliseconds");
      goto out;
    }
  if (delay < 0 || delay > 60000)
    {
      fail_key (&l, error, "fixes", "delay_ms", "must be between 0 and 60000");
      goto out;
    }
  p->fix_delay_ms = (guint) delay;
  ok = TRUE;

out:
  g_key_file_unref (l.kf);
  g_hash_table_unref (l.lines);
  return ok;
}

/* ---- the simulated machine ---- */

#define LOCKED(p) g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&(p)->lock)

static void
simulate_work (Practice *p, const HsPortCancel *cancel)
{
  /* Fixes take a moment on a real machine; scenarios can make that visible
   * (and give cancellation something to interrupt). */
  for (guint waited = 0; waited < p->fix_delay_ms; waited += 10)
    {
      if (hs_port_cancelled (cancel))
        return;
      g_usleep (10 * 1000);
    }
}

static HsPortCode
practice_time_settings (void *self, HsTimeSettings *out, HsPortStatus *st)
{
  Practice *p = self;
  LOCKED (p);

  *out = p->time;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_clock_offset (void *self, HsOffsetSample *out, HsPortStatus *st)
{
  Practice *p = self;
  LOCKED (p);

  if (p->offset_real)
    {
      hs_port_status_set (st, HS_PORT_UNSUPPORTED, 0, "scenario asks for a real measurement");
      return HS_PORT_UNSUPPORTED;
    }
  if (!p->reachable)
    {
      hs_port_status_set (st, HS_PORT_UNREACHABLE, 0, "simulated: no time source reachable");
      return HS_PORT_UNREACHABLE;
    }
  out->offset_seconds = p->offset;
  out->uncertainty_seconds = 0.02;
  g_strlcpy (out->source, "practice://time.windows.com", sizeof out->source);
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_enable_auto_time (void *self, HsPortStatus *st)
{
  Practice *p = self;
  LOCKED (p);

  if (g_str_equal (p->fix_clock, "denied"))
    {
      hs_port_status_set (st, HS_PORT_ACCESS_DENIED, 5, "simulated: access denied changing W32Time");
      return HS_PORT_ACCESS_DENIED;
    }
  if (p->time.domain_member != HS_TRI_YES)
    g_strlcpy (p->time.sync_type, "NTP", sizeof p->time.sync_type);
  p->time.service_start = HS_START_AUTO;
  p->time.service_state = HS_SERVICE_RUNNING;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_resync (void *self, const HsClockReference *ref,
                 const HsPortCancel *cancel, HsPortStatus *st)
{
  Practice *p = self;

  simulate_work (p, cancel);
  if (hs_port_cancelled (cancel))
    {
      hs_port_status_set (st, HS_PORT_CANCELLED, 0, "cancelled before resync");
      return HS_PORT_CANCELLED;
    }
  {
    LOCKED (p);
    if (g_str_equal (p->fix_clock, "fail"))
      {
        hs_port_status_set (st, HS_PORT_FAILED, 0x800705B4, "simulated: w32tm /resync timed out");
        return HS_PORT_FAILED;
      }
    if (!p->reachable)
      {
        hs_port_status_set (st, HS_PORT_UNREACHABLE, 0, "simulated: no time source reachable");
        return HS_PORT_UNREACHABLE;
      }
    /* A resync sets true UTC; a time-zone error is not drift, so the
     * whole quarter hours stay and only the drift goes. */
    p->offset = hs_clock_zone_error_minutes (p->offset) * 60.0;
    if (p->offset == 0)
      p->offset = 0.004;
  }
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_list_credentials (void *self, HsCredentialList *out, HsPortStatus *st)
{
  Practice *p = self;
  LOCKED (p);

  out->items = NULL;
  out->n_items = 0;
  if (p->list_creds_code != HS_PORT_OK)
    {
      hs_port_status_set (st, p->list_creds_code, 5, "simulated: CredEnumerateW refused");
      return p->list_creds_code;
    }
  out->items = calloc (p->creds->len ? p->creds->len : 1, sizeof *out->items);
  for (guint i = 0; i < p->creds->len; i++)
    {
      SimCredential *c = g_ptr_array_index (p->creds, i);
      HsCredential *o = &out->items[i];
      /* strdup, not g_strdup: the port frees with free(). */
      o->target = strdup (c->target);
      o->user = c->user ? strdup (c->user) : NULL;
      o->comment = c->comment ? strdup (c->comment) : NULL;
      o->type = c->type;
      o->persist = c->persist;
      o->last_written_unix = c->last_written;
      o->blob_size = (uint32_t) strlen (c->secret);
    }
  out->n_items = p->creds->len;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static SimCredential *
find_credential (Practice *p, const char *target, guint32 type, guint *index)
{
  for (guint i = 0; i < p->creds->len; i++)
    {
      SimCredential *c = g_ptr_array_index (p->creds, i);
      if (c->type == type && g_ascii_strcasecmp (c->target, target) == 0)
        {
          if (index)
            *index = i;
          return c;
        }
    }
  return NULL;
}

static HsPortCode
practice_backup_dir (void *self, char **out, HsPortStatus *st)
{
  Practice *p = self;

  *out = strdup (p->backup_dir);
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_delete_credentials (void *self, const HsCredentialRef *refs, size_t n_refs,
                             const char *backup_dir, char **backup_path,
                             HsCredentialOutcome *outcomes,
                             const HsPortCancel *cancel, HsPortStatus *st)
{
  Practice *p = self;
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = NULL, *path = NULL, *data = NULL;
  gsize len;
  HsPortCode result = HS_PORT_OK;

  *backup_path = NULL;
  simulate_work (p, cancel);
  if (hs_port_cancelled (cancel))
    {
      hs_port_status_set (st, HS_PORT_CANCELLED, 0, "cancelled before the backup");
      return HS_PORT_CANCELLED;
    }

  g_mutex_lock (&p->lock);
  /* 1. Backup of exactly what will be deleted, before anything goes. */
  g_key_file_set_string (kf, "backup", "format", "handshake-practice-backup/1");
  g_key_file_set_string (kf, "backup", "scenario", p->scenario_name);
  for (size_t i = 0; i < n_refs; i++)
    {
      SimCredential *c = find_credential (p, refs[i].target, refs[i].type, NULL);
      g_autofree char *group = g_strdup_printf ("credential %zu", i);
      g_autofree char *secret64 = NULL;

      if (c == NULL)
        continue;
      secret64 = g_base64_encode ((const guchar *) c->secret, strlen (c->secret));
      g_key_file_set_string (kf, group, "target", c->target);
      g_key_file_set_integer (kf, group, "type", (int) c->type);
      g_key_file_set_integer (kf, group, "persist", (int) c->persist);
      g_key_file_set_int64 (kf, group, "last_written", c->last_written);
      if (c->user)
        g_key_file_set_string (kf, group, "user", c->user);
      if (c->comment)
        g_key_file_set_string (kf, group, "comment", c->comment);
      g_key_file_set_string (kf, group, "secret_base64", secret64);
    }
  data = g_key_file_to_data (kf, &len, NULL);
  name = g_strdup_printf ("practice-credentials-%s-%08x.ini", stamp, g_random_int ());
  path = g_build_filename (backup_dir, name, NULL);
  if (g_str_equal (p->fix_creds, "backup_fails") ||
      g_mkdir_with_parents (backup_dir, 0700) != 0 ||
      !g_file_set_contents_full (path, data, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      hs_port_status_set (st, HS_PORT_IO, 0, "backup could not be written to %s: %s", backup_dir,
                          error ? error->message : "simulated: disk full");
      g_mutex_unlock (&p->lock);
      for (size_t i = 0; i < n_refs; i++)
        outcomes[i].code = HS_PORT_FAILED, outcomes[i].os_error = 0;
      return HS_PORT_IO;
    }
  *backup_path = strdup (path);

  /* 2. Only now delete, one by one. */
  for (size_t i = 0; i < n_refs; i++)
    {
      guint index;
      outcomes[i].os_error = 0;
      if (hs_port_cancelled (cancel))
        {
          outcomes[i].code = HS_PORT_CANCELLED;
          result = HS_PORT_CANCELLED;
          continue;
        }
      if (g_str_equal (p->fix_creds, "denied"))
        {
          outcomes[i].code = HS_PORT_ACCESS_DENIED;
          outcomes[i].os_error = 5;
          result = HS_PORT_ACCESS_DENIED;
          continue;
        }
      if (find_credential (p, refs[i].target, refs[i].type, &index) == NULL)
        {
          outcomes[i].code = HS_PORT_NOT_FOUND;
          outcomes[i].os_error = 1168;
          continue;
        }
      g_ptr_array_remove_index (p->creds, index);
      outcomes[i].code = HS_PORT_OK;
    }
  g_mutex_unlock (&p->lock);
  if (result == HS_PORT_ACCESS_DENIED)
    hs_port_status_set (st, result, 5, "simulated: CredDeleteW refused");
  else if (result == HS_PORT_CANCELLED)
    hs_port_status_set (st, result, 0, "cancelled part-way; the backup holds every credential");
  else
    hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return result;
}

static HsPortCode
practice_restore_credentials (void *self, const char *backup_path, uint32_t flags,
                              HsRestoreList *out, HsPortStatus *st)
{
  Practice *p = self;
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *format = NULL;
  g_auto(GStrv) groups = NULL;
  g_autoptr(GPtrArray) restored = g_ptr_array_new_with_free_func (sim_credential_free);
  HsRestoreList local = { 0 };

  if (out == NULL)
    out = &local;
  memset (out, 0, sizeof *out);
  if (!g_key_file_load_from_file (kf, backup_path, G_KEY_FILE_NONE, &error))
    {
      hs_port_status_set (st, g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                                ? HS_PORT_NOT_FOUND : HS_PORT_BAD_INPUT,
                          0, "%s: %s", backup_path, error->message);
      return st ? st->code : HS_PORT_BAD_INPUT;
    }
  format = g_key_file_get_string (kf, "backup", "format", NULL);
  if (g_strcmp0 (format, "handshake-practice-backup/1") != 0)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "%s: not a practice backup", backup_path);
      return HS_PORT_BAD_INPUT;
    }
  /* Validate everything before writing anything. */
  groups = g_key_file_get_groups (kf, NULL);
  for (char **g = groups; *g; g++)
    {
      SimCredential *c;
      g_autofree char *secret64 = NULL;
      guchar *secret;
      gsize secret_len;

      if (!g_str_has_prefix (*g, "credential "))
        continue;
      c = g_new0 (SimCredential, 1);
      g_ptr_array_add (restored, c);
      c->target = g_key_file_get_string (kf, *g, "target", NULL);
      c->type = (guint32) g_key_file_get_integer (kf, *g, "type", NULL);
      c->persist = (guint32) g_key_file_get_integer (kf, *g, "persist", NULL);
      c->last_written = g_key_file_get_int64 (kf, *g, "last_written", NULL);
      c->user = g_key_file_get_string (kf, *g, "user", NULL);
      c->comment = g_key_file_get_string (kf, *g, "comment", NULL);
      secret64 = g_key_file_get_string (kf, *g, "secret_base64", NULL);
      if (c->target == NULL || *c->target == '\0' || (c->type != 1 && c->type != 2) ||
          c->persist < 1 || c->persist > 3 || secret64 == NULL)
        {
          hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "%s: [%s] is damaged", backup_path, *g);
          return HS_PORT_BAD_INPUT;
        }
      secret = g_base64_decode (secret64, &secret_len);
      c->secret = g_strndup ((const char *) secret, secret_len);
      g_free (secret);
    }

  {
    LOCKED (p);
    /* strdup/calloc, not GLib: the port frees with free() */
    out->items = calloc (restored->len ? restored->len : 1, sizeof *out->items);
    while (restored->len > 0)
      {
        SimCredential *c = g_ptr_array_steal_index (restored, 0);
        guint index;
        if (find_credential (p, c->target, c->type, &index))
          g_ptr_array_remove_index (p->creds, index);   /* CredWriteW overwrites */
        if (out->items != NULL)
          {
            out->items[out->n_items].target = strdup (c->target);
            out->items[out->n_items].type = c->type;
            out->items[out->n_items].code = HS_PORT_OK;
            out->n_items++;
          }
        g_ptr_array_add (p->creds, c);
        out->n_restored++;
      }
  }
  hs_port_restore_list_free (&local);
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_package_state (void *self, const char *family, HsPackageState *out,
                        const HsPortCancel *cancel, HsPortStatus *st)
{
  Practice *p = self;
  gboolean broker = g_str_equal (family, HS_BROKER_FAMILY);
  LOCKED (p);

  memset (out, 0, sizeof *out);
  if (p->broker_state_code != HS_PORT_OK)
    {
      hs_port_status_set (st, p->broker_state_code, 5, "simulated: package query refused");
      return p->broker_state_code;
    }
  g_strlcpy (out->family, family, sizeof out->family);
  out->registered = broker ? p->broker_registered : p->cxh_registered;
  out->manifest_present = broker ? p->broker_manifest : p->cxh_manifest;
  g_snprintf (out->manifest_path, sizeof out->manifest_path,
              "C:\\Windows\\SystemApps\\%s\\AppxManifest.xml", family);
  out->method = HS_LOOKUP_SIMULATED;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_reregister (void *self, const char *family, const HsPortCancel *cancel, HsPortStatus *st)
{
  Practice *p = self;
  gboolean broker = g_str_equal (family, HS_BROKER_FAMILY);

  simulate_work (p, cancel);
  if (hs_port_cancelled (cancel))
    {
      hs_port_status_set (st, HS_PORT_CANCELLED, 0, "cancelled before Add-AppxPackage");
      return HS_PORT_CANCELLED;
    }
  LOCKED (p);
  if (g_str_equal (p->fix_broker, "fail") || g_str_equal (p->fix_broker, "denied"))
    {
      HsPortCode code = g_str_equal (p->fix_broker, "fail") ? HS_PORT_FAILED : HS_PORT_ACCESS_DENIED;
      hs_port_status_set (st, code, 0x80073CF9,
                          "simulated: Add-AppxPackage failed with 0x80073CF9");
      return code;
    }
  if ((broker ? p->broker_manifest : p->cxh_manifest) != HS_TRI_YES)
    {
      hs_port_status_set (st, HS_PORT_NOT_FOUND, 2, "simulated: manifest of %s missing", family);
      return HS_PORT_NOT_FOUND;
    }
  if (broker)
    p->broker_registered = HS_TRI_YES;
  else
    p->cxh_registered = HS_TRI_YES;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_list_accounts (void *self, HsAccountList *out, HsPortStatus *st)
{
  Practice *p = self;
  LOCKED (p);

  out->items = NULL;
  out->n_items = 0;
  if (p->list_accounts_code != HS_PORT_OK)
    {
      hs_port_status_set (st, p->list_accounts_code, 5, "simulated: registry read refused");
      return p->list_accounts_code;
    }
  out->items = calloc (p->accounts->len ? p->accounts->len : 1, sizeof *out->items);
  for (guint i = 0; i < p->accounts->len; i++)
    {
      SimAccount *a = g_ptr_array_index (p->accounts, i);
      out->items[i].email = strdup (a->email);
      out->items[i].kind = a->kind;
      out->items[i].sources = strdup (a->sources);
    }
  out->n_items = p->accounts->len;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

/* The simulated person follows the guided step on the settings page: signs
 * out of everything but the first work account. */
static void
simulate_user_in_accounts (Practice *p)
{
  SimAccount *keep = NULL;
  g_auto(GStrv) sources = NULL;
  GString *kept_sources;

  if (g_str_equal (p->fix_accounts, "ignore"))
    return;
  for (guint i = 0; i < p->accounts->len && keep == NULL; i++)
    {
      SimAccount *a = g_ptr_array_index (p->accounts, i);
      if (a->kind == HS_ACCOUNT_WORK)
        keep = a;
    }
  if (keep == NULL)
    return;
  g_ptr_array_set_free_func (p->accounts, NULL);
  for (guint i = 0; i < p->accounts->len; i++)
    if (g_ptr_array_index (p->accounts, i) != keep)
      sim_account_free (g_ptr_array_index (p->accounts, i));
  g_ptr_array_set_size (p->accounts, 0);
  g_ptr_array_set_free_func (p->accounts, sim_account_free);
  g_ptr_array_add (p->accounts, keep);

  sources = g_strsplit (keep->sources, ",", -1);
  kept_sources = g_string_new (NULL);
  for (char **s = sources; *s; s++)
    if (!g_str_equal (*s, "identitycrl") && !g_str_equal (*s, "office_msa"))
      g_string_append_printf (kept_sources, "%s%s", kept_sources->len ? "," : "", *s);
  g_free (keep->sources);
  keep->sources = g_string_free (kept_sources, FALSE);
}

static HsPortCode
practice_open_settings (void *self, const char *uri, HsPortStatus *st)
{
  Practice *p = self;
  LOCKED (p);

  if (uri == NULL || !g_str_has_prefix (uri, "ms-settings:"))
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "only ms-settings: pages can be opened");
      return HS_PORT_BAD_INPUT;
    }
  if (g_str_equal (uri, "ms-settings:emailandaccounts") || g_str_equal (uri, "ms-settings:workplace"))
    simulate_user_in_accounts (p);
  else if (g_str_equal (uri, "ms-settings:dateandtime") && !g_str_equal (p->fix_clock, "fail"))
    {
      /* The simulated person follows the guided step: picks the right
       * zone, then presses "Sync now" as the instructions say. */
      if (hs_clock_zone_error_minutes (p->offset) != 0 && p->reachable)
        p->offset = 0.004;
    }
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_restart_teams (void *self, HsTeamsRestart *report, const HsPortCancel *cancel,
                        HsPortStatus *st)
{
  Practice *p = self;

  simulate_work (p, cancel);
  hs_port_status_set (st, HS_PORT_OK, 0, "simulated: Teams closed and started again");
  return HS_PORT_OK;
}

static HsPortCode
practice_restart_computer (void *self, HsPortStatus *st)
{
  Practice *p = self;
  LOCKED (p);

  /* What a restart finishes: nothing is pending any more. */
  hs_port_status_set (st, HS_PORT_OK, 0, "simulated: the computer restarted");
  return HS_PORT_OK;
}

static HsPortCode
practice_elevate (void *self, const char *action, const HsClockReference *ref,
                  uintptr_t owner_window, int *exit_code,
                  const HsPortCancel *cancel, HsPortStatus *st)
{
  Practice *p = self;
  HsPortCode code;

  *exit_code = -1;
  if (g_strcmp0 (action, "clock-fix") != 0)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "unknown elevated action");
      *exit_code = 2;
      return HS_PORT_BAD_INPUT;
    }
  {
    LOCKED (p);
    if (g_str_equal (p->fix_uac, "decline"))
      {
        hs_port_status_set (st, HS_PORT_DECLINED, 1223, "simulated: the administrator prompt was declined");
        return HS_PORT_DECLINED;
      }
  }
  /* What handshake-cli --elevated-action=clock-fix does. */
  code = practice_enable_auto_time (self, st);
  if (code == HS_PORT_OK)
    code = practice_resync (self, ref, cancel, st);
  *exit_code = code == HS_PORT_OK ? 0 : 1;
  return code;
}

static void
practice_destroy (void *self)
{
  Practice *p = self;

  g_ptr_array_unref (p->creds);
  g_ptr_array_unref (p->accounts);
  g_free (p->scenario_name);
  g_free (p->path);
  g_free (p->fix_uac);
  g_free (p->fix_clock);
  g_free (p->fix_creds);
  g_free (p->fix_broker);
  g_free (p->fix_accounts);
  g_free (p->backup_dir);
  g_mutex_clear (&p->lock);
  g_free (p);
}

HsPlatform *
hs_practice_platform_new (const char *name_or_path, GError **error)
{
  g_autofree char *path = NULL, *text = NULL;
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  const char *name = name_or_path ? name_or_path : HS_PRACTICE_DEFAULT_SCENARIO;

  if (strchr (name, '/') != NULL || strchr (name, '\\') != NULL || g_str_has_suffix (name, ".ini"))
    path = g_strdup (name);
  else
    {
      g_autofree char *file = g_strconcat (name, ".ini", NULL);
      path = hs_data_path ("scenarios", file, NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_auto(GStrv) known = hs_practice_list_scenarios ();
          g_autofree char *list = g_strjoinv (", ", known);
          g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_NOT_FOUND,
                       "no practice scenario named \"%s\" (known: %s)", name, list);
          return NULL;
        }
    }

  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_NOT_FOUND,
                   "%s: %s", path, local->message);
      return NULL;
    }
  return hs_practice_platform_new_from_data (text, len, path, error);
}

HsPlatform *
hs_practice_platform_new_from_data (const char *data, gsize len, const char *display_path,
                                    GError **error)
{
  Practice *p = g_new0 (Practice, 1);

  g_mutex_init (&p->lock);
  p->creds = g_ptr_array_new_with_free_func (sim_credential_free);
  p->accounts = g_ptr_array_new_with_free_func (sim_account_free);
  p->path = g_strdup (display_path);
  p->backup_dir = g_build_filename (g_get_user_cache_dir (), "handshake", "practice-backups", NULL);
  if (!load_scenario (p, display_path, data, len, error))
    {
      practice_destroy (p);
      return NULL;
    }

  p->platform.name = "practice";
  p->platform.simulated = 1;
  p->platform.self = p;
  p->platform.time_settings = practice_time_settings;
  p->platform.clock_offset = practice_clock_offset;
  p->platform.enable_auto_time = practice_enable_auto_time;
  p->platform.resync = practice_resync;
  p->platform.list_credentials = practice_list_credentials;
  p->platform.delete_credentials = practice_delete_credentials;
  p->platform.restore_credentials = practice_restore_credentials;
  p->platform.backup_dir = practice_backup_dir;
  p->platform.package_state = practice_package_state;
  p->platform.reregister_package = practice_reregister;
  p->platform.list_accounts = practice_list_accounts;
  p->platform.open_settings = practice_open_settings;
  p->platform.restart_teams = practice_restart_teams;
  p->platform.restart_computer = practice_restart_computer;
  p->platform.elevate = practice_elevate;
  p->platform.destroy = practice_destroy;
  hs_platform_fill_unsupported (&p->platform);   /* entries added to the port later */
  return &p->platform;
}

const char *
hs_practice_platform_get_scenario (const HsPlatform *platform)
{
  const Practice *p = (const Practice *) platform;

  g_return_val_if_fail (platform != NULL && platform->simulated, NULL);
  return p->scenario_name;
}
