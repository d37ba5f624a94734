/* hs-credentials-practice.c — step 2 on the practice machine: a simulated
 * Credential Manager holding the scenario's entries, with backups written
 * as plain key files (the secrets base64-encoded: practice secrets are
 * made up) and put back from them, as Windows would: an entry whose
 * password Windows withholds (restorable=no) is removed only with the
 * person's own permission and comes back from no backup; a restore skips
 * entries saved after the backup unless asked to overwrite them.
 *
 * Scenario: [credentials] check; one [credential NAME] per entry (target,
 * type, user, comment, persist, secret, last_written, restorable,
 * signs_in_again: Teams saves it afresh when it is restarted after the
 * entry was removed); [fixes] credentials.
 */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "hs-credentials-step.h"
#include "hs-practice-private.h"

typedef struct {
  char    *target;
  guint32  type;
  char    *user;
  char    *comment;
  gint64   last_written;
  guint32  persist;
  char    *secret;       /* planted by tests; never leaves this file but for backups */
  gboolean withheld;     /* Windows hands out no secret for it: no backup holds it */
  gboolean signs_in_again;
  gint64   written_us;   /* real time it was (re)written here, 0: as the scenario says */
} SimCredential;

static void
sim_credential_free (gpointer p)
{
  SimCredential *c = p;

  if (c == NULL)
    return;
  g_free (c->target);
  g_free (c->user);
  g_free (c->comment);
  if (c->secret != NULL)
    memset (c->secret, 0, strlen (c->secret));
  g_free (c->secret);
  g_free (c);
}

typedef struct {
  GPtrArray  *creds;        /* (element-type SimCredential) */
  GPtrArray  *signed_out;   /* (element-type SimCredential) removed, saved again by Teams */
  HsPortCode  list_code;    /* how listing goes */
  char       *fix;          /* "ok", "denied", "backup_fails" */
  char       *backup_dir;
} CredentialsSim;

static void
credentials_sim_free (gpointer data)
{
  CredentialsSim *v = data;

  g_ptr_array_unref (v->creds);
  g_ptr_array_unref (v->signed_out);
  g_free (v->fix);
  g_free (v->backup_dir);
  g_free (v);
}

static gboolean
credentials_load_item (gpointer state, HsScenario *s, const char *g, GError **error)
{
  static const char * const known[] = { "target", "type", "user", "comment", "persist",
                                        "secret", "last_written", "restorable", "signs_in_again",
                                        NULL };
  static const char * const types[] = { "generic", "domain_password", NULL };
  static const char * const persists[] = { "session", "local_machine", "enterprise", NULL };
  CredentialsSim *v = state;
  g_autofree char *type = NULL, *persist = NULL, *when = NULL;
  HsTri restorable, again;
  SimCredential *c;

  if (!hs_scenario_check_keys (s, g, known, error))
    return FALSE;
  if (!hs_scenario_has_key (s, g, "target"))
    {
      g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
                   "%s: [%s] target: missing", hs_scenario_get_path (s), g);
      return FALSE;
    }
  if (!hs_scenario_get_choice (s, g, "type", "generic", types, &type, error) ||
      !hs_scenario_get_choice (s, g, "persist", "local_machine", persists, &persist, error) ||
      !hs_scenario_get_tri (s, g, "restorable", HS_TRI_YES, &restorable, error) ||
      !hs_scenario_get_tri (s, g, "signs_in_again", HS_TRI_NO, &again, error))
    return FALSE;
  c = g_new0 (SimCredential, 1);
  c->withheld = restorable == HS_TRI_NO;
  c->signs_in_again = again == HS_TRI_YES;
  c->target = hs_scenario_get_str (s, g, "target", "");
  c->type = g_str_equal (type, "generic") ? 1 : 2;
  c->persist = g_str_equal (persist, "session") ? 1 : g_str_equal (persist, "local_machine") ? 2 : 3;
  c->user = hs_scenario_get_str (s, g, "user", NULL);
  c->comment = hs_scenario_get_str (s, g, "comment", NULL);
  c->secret = hs_scenario_get_str (s, g, "secret", "practice-token");
  when = hs_scenario_get_str (s, g, "last_written", NULL);
  if (when != NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (when, NULL);
      if (dt == NULL)
        {
          sim_credential_free (c);
          return hs_scenario_fail_key (s, error, g, "last_written", "expected an ISO 8601 date and time");
        }
      c->last_written = g_date_time_to_unix (dt);
    }
  if (c->target[0] == '\0')
    {
      sim_credential_free (c);
      return hs_scenario_fail_key (s, error, g, "target", "must not be empty");
    }
  g_ptr_array_add (v->creds, c);
  return TRUE;
}

static gpointer
credentials_sim_new (void)
{
  CredentialsSim *v = g_new0 (CredentialsSim, 1);

  v->creds = g_ptr_array_new_with_free_func (sim_credential_free);
  v->signed_out = g_ptr_array_new_with_free_func (sim_credential_free);
  v->backup_dir = g_build_filename (g_get_user_cache_dir (), "handshake", "practice-backups", NULL);
  return v;
}

static gboolean
credentials_load (gpointer state, HsScenario *s, GError **error)
{
  static const char * const known[] = { "check", NULL };
  static const char * const outcome[] = { "ok", "denied", "backup_fails", NULL };
  CredentialsSim *v = state;

  return hs_scenario_check_keys (s, "credentials", known, error) &&
         hs_scenario_get_port_code (s, "credentials", "check", &v->list_code, error) &&
         hs_scenario_get_choice (s, "fixes", "credentials", "ok", outcome, &v->fix, error);
}

static HsPortCode
practice_list_credentials (void *self, HsCredentialList *out, HsPortStatus *st)
{
  HsPractice *p = self;
  CredentialsSim *v = p->state[HS_STEP_CREDENTIALS];
  HS_PRACTICE_LOCKED (p);

  out->items = NULL;
  out->n_items = 0;
  if (v->list_code != HS_PORT_OK)
    {
      hs_port_status_set (st, v->list_code, 5, "simulated: CredEnumerateW refused");
      return v->list_code;
    }
  out->items = calloc (v->creds->len ? v->creds->len : 1, sizeof *out->items);
  for (guint i = 0; i < v->creds->len; i++)
    {
      SimCredential *c = g_ptr_array_index (v->creds, i);
      HsCredential *o = &out->items[i];
      /* strdup, not g_strdup: the port frees with free(). */
      o->target = strdup (c->target);
      o->user = c->user ? strdup (c->user) : NULL;
      o->comment = c->comment ? strdup (c->comment) : NULL;
      o->type = c->type;
      o->persist = c->persist;
      o->last_written_unix = c->last_written;
      /* Windows gives out no password of such an entry: its size reads 0. */
      o->blob_size = c->withheld ? 0 : (uint32_t) strlen (c->secret);
      o->restorable = c->withheld ? HS_TRI_NO : HS_TRI_YES;
    }
  out->n_items = v->creds->len;
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static SimCredential *
find_credential (CredentialsSim *v, const char *target, guint32 type, guint *index)
{
  for (guint i = 0; i < v->creds->len; i++)
    {
      SimCredential *c = g_ptr_array_index (v->creds, i);
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
  HsPractice *p = self;
  CredentialsSim *v = p->state[HS_STEP_CREDENTIALS];

  *out = strdup (v->backup_dir);
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static SimCredential *
sim_credential_copy (const SimCredential *c)
{
  SimCredential *copy = g_memdup2 (c, sizeof *c);

  copy->target = g_strdup (c->target);
  copy->user = g_strdup (c->user);
  copy->comment = g_strdup (c->comment);
  copy->secret = g_strdup (c->secret);
  return copy;
}

/* One entry of a backup; an entry whose secret Windows withholds is kept
 * without it (the person agreed to lose it), and says so. */
static void
backup_entry (GKeyFile *kf, const char *group, const SimCredential *c)
{
  g_key_file_set_string (kf, group, "target", c->target);
  g_key_file_set_integer (kf, group, "type", (int) c->type);
  g_key_file_set_integer (kf, group, "persist", (int) c->persist);
  g_key_file_set_int64 (kf, group, "last_written", c->last_written);
  if (c->user)
    g_key_file_set_string (kf, group, "user", c->user);
  if (c->comment)
    g_key_file_set_string (kf, group, "comment", c->comment);
  if (c->withheld)
    g_key_file_set_boolean (kf, group, "secret_withheld", TRUE);
  else
    {
      g_autofree char *secret64 = g_base64_encode ((const guchar *) c->secret, strlen (c->secret));
      g_key_file_set_string (kf, group, "secret_base64", secret64);
    }
}

/* Under the lock: deletes what the backup holds, one by one, as CredDeleteW. */
static HsPortCode
delete_backed_up (CredentialsSim *v, const HsCredentialRef *refs, size_t n_refs,
                  HsCredentialOutcome *outcomes, const HsPortCancel *cancel)
{
  HsPortCode result = HS_PORT_OK;

  for (size_t i = 0; i < n_refs; i++)
    {
      SimCredential *c;
      guint index;

      outcomes[i].os_error = 0;
      if (outcomes[i].code == HS_PORT_SKIPPED)
        continue;
      if (hs_port_cancelled (cancel))
        {
          outcomes[i].code = HS_PORT_CANCELLED;
          result = HS_PORT_CANCELLED;
          continue;
        }
      if (g_str_equal (v->fix, "denied"))
        {
          outcomes[i].code = HS_PORT_ACCESS_DENIED;
          outcomes[i].os_error = 5;
          result = HS_PORT_ACCESS_DENIED;
          continue;
        }
      if ((c = find_credential (v, refs[i].target, refs[i].type, &index)) == NULL)
        {
          outcomes[i].code = HS_PORT_NOT_FOUND;
          outcomes[i].os_error = 1168;
          continue;
        }
      if (c->signs_in_again)
        g_ptr_array_add (v->signed_out, sim_credential_copy (c));
      g_ptr_array_remove_index (v->creds, index);
      outcomes[i].code = HS_PORT_OK;
    }
  return result;
}

static HsPortCode
practice_delete_credentials (void *self, const HsCredentialRef *refs, size_t n_refs,
                             const char *backup_dir, char **backup_path,
                             HsCredentialOutcome *outcomes,
                             const HsPortCancel *cancel, HsPortStatus *st)
{
  HsPractice *p = self;
  CredentialsSim *v = p->state[HS_STEP_CREDENTIALS];
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = NULL, *path = NULL, *data = NULL;
  gsize len;
  guint n_skipped = 0;
  HsPortCode result;

  *backup_path = NULL;
  hs_practice_simulate_work (p, cancel);
  if (hs_port_cancelled (cancel))
    {
      hs_port_status_set (st, HS_PORT_CANCELLED, 0, "cancelled before the backup");
      return HS_PORT_CANCELLED;
    }

  g_mutex_lock (&p->lock);
  /* 1. Backup of exactly what will be deleted, before anything goes. */
  g_key_file_set_string (kf, "backup", "format", "handshake-practice-backup/1");
  g_key_file_set_string (kf, "backup", "scenario", p->scenario_name);
  g_key_file_set_int64 (kf, "backup", "created_us", g_get_real_time ());
  for (size_t i = 0; i < n_refs; i++)
    {
      SimCredential *c = find_credential (v, refs[i].target, refs[i].type, NULL);
      g_autofree char *group = g_strdup_printf ("credential %zu", i);

      outcomes[i].code = HS_PORT_OK;
      outcomes[i].reason = HS_CRED_SKIP_NONE;
      if (c == NULL)
        continue;
      if (c->withheld && !(refs[i].allow & HS_CRED_ALLOW_UNRESTORABLE))
        {
          /* No backup could put it back: left alone, as on Windows. */
          outcomes[i].code = HS_PORT_SKIPPED;
          outcomes[i].reason = HS_CRED_SKIP_UNRESTORABLE;
          n_skipped++;
          continue;
        }
      backup_entry (kf, group, c);
    }
  data = g_key_file_to_data (kf, &len, NULL);
  name = g_strdup_printf ("practice-credentials-%s-%08x.ini", stamp, g_random_int ());
  path = g_build_filename (backup_dir, name, NULL);
  if (g_str_equal (v->fix, "backup_fails"))
    g_set_error_literal (&error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "simulated: disk full");
  else if (g_mkdir_with_parents (backup_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error_literal (&error, G_FILE_ERROR, g_file_error_from_errno (saved), g_strerror (saved));
    }
  else
    g_file_set_contents_full (path, data, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
  if (error != NULL)
    {
      hs_port_status_set (st, HS_PORT_IO, 0, "backup could not be written to %s: %s", backup_dir,
                          error->message);
      g_mutex_unlock (&p->lock);
      for (size_t i = 0; i < n_refs; i++)
        outcomes[i].code = HS_PORT_FAILED, outcomes[i].os_error = 0, outcomes[i].reason = HS_CRED_SKIP_NONE;
      return HS_PORT_IO;
    }
  *backup_path = strdup (path);

  /* 2. Only now delete, one by one. */
  result = delete_backed_up (v, refs, n_refs, outcomes, cancel);
  g_mutex_unlock (&p->lock);
  if (result == HS_PORT_ACCESS_DENIED)
    hs_port_status_set (st, result, 5, "simulated: CredDeleteW refused");
  else if (result == HS_PORT_CANCELLED)
    hs_port_status_set (st, result, 0, "cancelled part-way; the backup holds every credential");
  else if (n_skipped > 0)
    {
      result = HS_PORT_SKIPPED;
      hs_port_status_set (st, result, 0, "%u skipped (their secret cannot be backed up)", n_skipped);
    }
  else
    hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return result;
}

/* A backup's entries, validated whole before anything is written. */
static gboolean
read_backup (GKeyFile *kf, const char *backup_path, GPtrArray *entries, HsPortStatus *st)
{
  g_auto(GStrv) groups = g_key_file_get_groups (kf, NULL);

  for (char **g = groups; *g; g++)
    {
      SimCredential *c;
      g_autofree char *secret64 = NULL;

      if (!g_str_has_prefix (*g, "credential "))
        continue;
      c = g_new0 (SimCredential, 1);
      g_ptr_array_add (entries, c);
      c->target = g_key_file_get_string (kf, *g, "target", NULL);
      c->type = (guint32) g_key_file_get_integer (kf, *g, "type", NULL);
      c->persist = (guint32) g_key_file_get_integer (kf, *g, "persist", NULL);
      c->last_written = g_key_file_get_int64 (kf, *g, "last_written", NULL);
      c->user = g_key_file_get_string (kf, *g, "user", NULL);
      c->comment = g_key_file_get_string (kf, *g, "comment", NULL);
      c->withheld = g_key_file_get_boolean (kf, *g, "secret_withheld", NULL);
      secret64 = g_key_file_get_string (kf, *g, "secret_base64", NULL);
      if (c->target == NULL || *c->target == '\0' || (c->type != 1 && c->type != 2) ||
          c->persist < 1 || c->persist > 3 || (secret64 == NULL) != c->withheld)
        {
          hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "%s: [%s] is damaged", backup_path, *g);
          return FALSE;
        }
      if (secret64 != NULL)
        {
          gsize secret_len;
          guchar *secret = g_base64_decode (secret64, &secret_len);
          c->secret = g_strndup ((const char *) secret, secret_len);
          g_free (secret);
        }
      else
        c->secret = g_strdup ("");
    }
  return TRUE;
}

/* Whether an entry of the backup may be written, as on Windows: never
 * without its secret, never over one saved after the backup was made (or
 * when the backup does not say when that was) unless asked. */
static HsPortCode
may_write (CredentialsSim *v, const SimCredential *c, gint64 created_us, guint32 flags,
           HsCredSkipReason *reason)
{
  SimCredential *existing = find_credential (v, c->target, c->type, NULL);
  gint64 written;

  *reason = HS_CRED_SKIP_NONE;
  if (c->withheld)
    *reason = HS_CRED_SKIP_NO_SECRET;
  else if (existing != NULL && !(flags & HS_RESTORE_OVERWRITE_NEWER))
    {
      written = existing->written_us ? existing->written_us : existing->last_written * G_USEC_PER_SEC;
      if (created_us == 0)
        *reason = HS_CRED_SKIP_AGE_UNKNOWN;
      else if (written > created_us)
        *reason = HS_CRED_SKIP_NEWER;
    }
  return *reason == HS_CRED_SKIP_NONE ? HS_PORT_OK : HS_PORT_SKIPPED;
}

static HsPortCode
practice_restore_credentials (void *self, const char *backup_path, uint32_t flags,
                              HsRestoreList *out, HsPortStatus *st)
{
  HsPractice *p = self;
  CredentialsSim *v = p->state[HS_STEP_CREDENTIALS];
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *format = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (sim_credential_free);
  HsRestoreList local = { 0 };
  gint64 created_us;
  guint n_skipped = 0;

  if (out == NULL)
    out = &local;
  memset (out, 0, sizeof *out);
  /* Said in our words: GKeyFile's messages quote the offending line, which
   * in a file that is not a backup may be any bytes at all. */
  if (!g_file_test (backup_path, G_FILE_TEST_EXISTS))
    {
      hs_port_status_set (st, HS_PORT_NOT_FOUND, 0, "%s: no such file", backup_path);
      return HS_PORT_NOT_FOUND;
    }
  if (!g_file_test (backup_path, G_FILE_TEST_IS_REGULAR))
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "%s: not a file", backup_path);
      return HS_PORT_BAD_INPUT;
    }
  if (!g_key_file_load_from_file (kf, backup_path, G_KEY_FILE_NONE, &error))
    {
      gboolean io = error->domain == G_FILE_ERROR;

      hs_port_status_set (st, io ? HS_PORT_IO : HS_PORT_BAD_INPUT, 0, "%s: %s", backup_path,
                          io ? error->message : "not a practice backup");
      return io ? HS_PORT_IO : HS_PORT_BAD_INPUT;
    }
  format = g_key_file_get_string (kf, "backup", "format", NULL);
  if (g_strcmp0 (format, "handshake-practice-backup/1") != 0)
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "%s: not a practice backup", backup_path);
      return HS_PORT_BAD_INPUT;
    }
  created_us = g_key_file_get_int64 (kf, "backup", "created_us", NULL);
  if (!read_backup (kf, backup_path, entries, st))
    return HS_PORT_BAD_INPUT;

  {
    HS_PRACTICE_LOCKED (p);
    /* strdup/calloc, not GLib: the port frees with free() */
    out->items = calloc (entries->len ? entries->len : 1, sizeof *out->items);
    for (guint i = 0; i < entries->len; i++)
      {
        SimCredential *c = g_ptr_array_index (entries, i);
        HsRestoreEntry *o = &out->items[out->n_items++];
        guint index;

        o->target = strdup (c->target);
        o->type = c->type;
        o->code = may_write (v, c, created_us, flags, &o->reason);
        if (o->code == HS_PORT_SKIPPED)
          {
            n_skipped++;
            continue;
          }
        if (find_credential (v, c->target, c->type, &index))
          g_ptr_array_remove_index (v->creds, index);   /* CredWriteW overwrites */
        c->written_us = g_get_real_time ();
        g_ptr_array_add (v->creds, g_ptr_array_steal_index (entries, i));
        g_ptr_array_insert (entries, i, NULL);
        out->n_restored++;
      }
  }
  hs_port_restore_list_free (&local);
  hs_port_status_set (st, n_skipped ? HS_PORT_SKIPPED : HS_PORT_OK, 0, "%u restored, %u skipped",
                      (unsigned) (entries->len - n_skipped), n_skipped);
  return n_skipped ? HS_PORT_SKIPPED : HS_PORT_OK;
}

/* Teams restarted: it signs in again and saves fresh entries in place of
 * those it lost, newer than any backup of the old ones. */
static void
credentials_restart_teams (gpointer state)
{
  CredentialsSim *v = state;

  while (v->signed_out->len > 0)
    {
      SimCredential *c = g_ptr_array_steal_index (v->signed_out, 0);

      if (find_credential (v, c->target, c->type, NULL) != NULL)
        {
          sim_credential_free (c);
          continue;
        }
      c->written_us = g_get_real_time ();
      c->last_written = c->written_us / G_USEC_PER_SEC;
      g_free (c->secret);
      c->secret = g_strdup ("practice-token-renewed");
      g_ptr_array_add (v->creds, c);
    }
}

static void
credentials_install (HsPlatform *platform)
{
  platform->list_credentials = practice_list_credentials;
  platform->delete_credentials = practice_delete_credentials;
  platform->restore_credentials = practice_restore_credentials;
  platform->backup_dir = practice_backup_dir;
}

static const char * const fixes_keys[] = { "credentials", NULL };

const HsPracticeStep hs_credentials_practice = {
  .group = "credentials",
  .item_prefix = "credential ",
  .fixes_keys = fixes_keys,
  .new_state = credentials_sim_new,
  .free_state = credentials_sim_free,
  .load_item = credentials_load_item,
  .load = credentials_load,
  .install = credentials_install,
  .restart_teams = credentials_restart_teams,
};
