/* hs-practice-scenario.c — reads a practice scenario (an .ini file) into
 * the simulated machine, strictly: unknown groups and keys, malformed lines
 * and bad values are errors that name the file, the line and the key. Each
 * step's part reads its own groups; this file reads the rest and offers the
 * parts the checked getters they use. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <string.h>

#include "hs-practice-private.h"

struct _HsScenario {
  const char *path;
  GKeyFile   *kf;
  GHashTable *lines;     /* "group\x1fkey" → line number */
};

static guint
key_line (HsScenario *s, const char *group, const char *key)
{
  g_autofree char *k = g_strconcat (group, "\x1f", key, NULL);
  return GPOINTER_TO_UINT (g_hash_table_lookup (s->lines, k));
}

gboolean
hs_scenario_fail_key (HsScenario *s, GError **error, const char *group, const char *key, const char *why)
{
  g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
               "%s:%u: [%s] %s: %s", s->path, key_line (s, group, key), group, key, why);
  return FALSE;
}

/* GKeyFile reports neither line numbers nor unknown keys: a first pass maps
 * keys to lines and rejects lines that are not groups, keys or comments. */
static gboolean
index_lines (HsScenario *s, const char *text, gsize len, GError **error)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *group = NULL;

  if (!g_utf8_validate (text, (gssize) len, NULL))
    {
      g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
                   "%s: not valid UTF-8", s->path);
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
                           "%s:%u: unterminated group header", s->path, i + 1);
              return FALSE;
            }
          g_free (group);
          group = g_strndup (line + 1, strlen (line) - 2);
          /* The group itself, under an empty key, for errors about it. */
          g_hash_table_insert (s->lines, g_strconcat (group, "\x1f", NULL), GUINT_TO_POINTER (i + 1));
          continue;
        }
      eq = strchr (line, '=');
      if (eq == NULL || group == NULL)
        {
          g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
                       "%s:%u: expected \"key=value\"%s", s->path, i + 1,
                       group == NULL ? " inside a [group]" : "");
          return FALSE;
        }
      *eq = '\0';
      g_strstrip (line);
      g_hash_table_insert (s->lines, g_strconcat (group, "\x1f", line, NULL),
                           GUINT_TO_POINTER (i + 1));
    }
  return TRUE;
}

gboolean
hs_scenario_check_keys (HsScenario *s, const char *group, const char * const *known, GError **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (s->kf, group, NULL, NULL);

  for (char **k = keys; k && *k; k++)
    if (!g_strv_contains (known, *k))
      return hs_scenario_fail_key (s, error, group, *k, "unknown key");
  return TRUE;
}

char *
hs_scenario_get_str (HsScenario *s, const char *group, const char *key, const char *fallback)
{
  char *v = g_key_file_get_string (s->kf, group, key, NULL);
  return v ? g_strstrip (v) : g_strdup (fallback);
}

gboolean
hs_scenario_get_choice (HsScenario *s, const char *group, const char *key, const char *fallback,
                        const char * const *choices, char **out, GError **error)
{
  g_autofree char *v = hs_scenario_get_str (s, group, key, fallback);

  if (!g_strv_contains (choices, v))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) choices);
      g_autofree char *why = g_strdup_printf ("\"%s\" is not one of %s", v, list);
      return hs_scenario_fail_key (s, error, group, key, why);
    }
  *out = g_steal_pointer (&v);
  return TRUE;
}

gboolean
hs_scenario_get_tri (HsScenario *s, const char *group, const char *key, HsTri fallback, HsTri *out, GError **error)
{
  static const char * const tri[] = { "yes", "no", "unknown", NULL };
  g_autofree char *v = NULL;

  if (!hs_scenario_get_choice (s, group, key,
                               fallback == HS_TRI_YES ? "yes" : fallback == HS_TRI_NO ? "no" : "unknown",
                               tri, &v, error))
    return FALSE;
  *out = g_str_equal (v, "yes") ? HS_TRI_YES : g_str_equal (v, "no") ? HS_TRI_NO : HS_TRI_UNKNOWN;
  return TRUE;
}

gboolean
hs_scenario_get_port_code (HsScenario *s, const char *group, const char *key, HsPortCode *out, GError **error)
{
  static const char * const codes[] = { "ok", "denied", "fail", NULL };
  g_autofree char *v = NULL;

  if (!hs_scenario_get_choice (s, group, key, "ok", codes, &v, error))
    return FALSE;
  *out = g_str_equal (v, "ok") ? HS_PORT_OK
         : g_str_equal (v, "denied") ? HS_PORT_ACCESS_DENIED : HS_PORT_FAILED;
  return TRUE;
}

char **
hs_scenario_get_groups (HsScenario *s)
{
  return g_key_file_get_groups (s->kf, NULL);
}

gboolean
hs_scenario_has_key (HsScenario *s, const char *group, const char *key)
{
  return g_key_file_has_key (s->kf, group, key, NULL);
}

const char *
hs_scenario_get_path (HsScenario *s)
{
  return s->path;
}

/* "scenario, session, teams, clock, credentials, "credential NAME", … or fixes" */
static char *
expected_groups (const HsPracticeStep * const *parts)
{
  static const char * const machine[] = { HS_PRACTICE_MACHINE_GROUPS, NULL };
  g_autofree char *joined = g_strjoinv (", ", (char **) machine);
  GString *list = g_string_new ("scenario, ");

  g_string_append (list, joined);

  for (guint i = 0; i < HS_N_STEPS; i++)
    {
      if (parts[i]->group != NULL)
        g_string_append_printf (list, ", %s", parts[i]->group);
      if (parts[i]->item_prefix != NULL)
        g_string_append_printf (list, ", \"%sNAME\"", parts[i]->item_prefix);
    }
  g_string_append (list, ", network or fixes");
  return g_string_free (list, FALSE);
}

/* Every group belongs to a step's part, [scenario] or [fixes]; the groups
 * of one thing each are read here, in the file's order. */
static gboolean
load_groups (HsPractice *p, HsScenario *s, const HsPracticeStep * const *parts, GError **error)
{
  g_auto(GStrv) groups = hs_scenario_get_groups (s);

  for (char **g = groups; *g != NULL; g++)
    {
      static const char * const machine[] = { HS_PRACTICE_MACHINE_GROUPS, NULL };
      gboolean known = g_str_equal (*g, "scenario") || g_str_equal (*g, "fixes") ||
                       g_strv_contains (machine, *g) || g_str_equal (*g, "network");

      for (guint i = 0; i < HS_N_STEPS && !known; i++)
        {
          const HsPracticeStep *part = parts[i];

          if (part->item_prefix != NULL && g_str_has_prefix (*g, part->item_prefix))
            {
              if (!part->load_item (p->state[i + 1], s, *g, error))
                return FALSE;
              known = TRUE;
            }
          else
            known = g_strcmp0 (*g, part->group) == 0;
        }
      if (!known)
        {
          g_autofree char *expected = expected_groups (parts);
          g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
                       "%s:%u: unknown group [%s] (expected %s)",
                       s->path, key_line (s, *g, ""), *g, expected);
          return FALSE;
        }
    }
  return TRUE;
}

/* [fixes]: every part's keys, and how long fixes take. */
static gboolean
check_fixes (HsPractice *p, HsScenario *s, const HsPracticeStep * const *parts, GError **error)
{
  g_autoptr(GStrvBuilder) known = g_strv_builder_new ();
  g_auto(GStrv) keys = NULL;
  g_autoptr(GError) local = NULL;
  gint64 delay;

  for (guint i = 0; i < HS_N_STEPS; i++)
    g_strv_builder_addv (known, (const char **) parts[i]->fixes_keys);
  g_strv_builder_add (known, "delay_ms");
  keys = g_strv_builder_end (known);
  if (!hs_scenario_check_keys (s, "fixes", (const char * const *) keys, error))
    return FALSE;
  delay = g_key_file_get_int64 (s->kf, "fixes", "delay_ms", &local);
  if (local != NULL && !g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND) &&
      !g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND))
    return hs_scenario_fail_key (s, error, "fixes", "delay_ms", "expected a whole number of milliseconds");
  if (delay < 0 || delay > 60000)
    return hs_scenario_fail_key (s, error, "fixes", "delay_ms", "must be between 0 and 60000");
  p->fix_delay_ms = (guint) delay;
  return TRUE;
}

/* An empty file, or one of comments and bare group headers, would pass
 * for a healthy computer: every fact defaults to "fine". */
static gboolean
says_something (HsScenario *s)
{
  g_auto(GStrv) groups = hs_scenario_get_groups (s);

  for (char **g = groups; *g != NULL; g++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (s->kf, *g, NULL, NULL);
      if (keys != NULL && keys[0] != NULL)
        return TRUE;
    }
  return FALSE;
}

gboolean
hs_practice_load_scenario (HsPractice *p, const HsPracticeStep * const *parts,
                           const char *path, const char *data, gsize len, GError **error)
{
  static const char * const scenario_keys[] = { "name", "description", NULL };
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  HsScenario s = { path, NULL, NULL };
  gboolean ok = FALSE;

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
  s.kf = g_key_file_new ();
  s.lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!index_lines (&s, text, len, error))
    goto out;
  if (!g_key_file_load_from_data (s.kf, text, len, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID, "%s: %s", path, local->message);
      goto out;
    }

  if (!says_something (&s))
    {
      g_set_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID,
                   "%s: no key=value line; a scenario must say what it simulates "
                   "(e.g. [scenario] description=… and the facts of each step it changes)", path);
      goto out;
    }
  p->scenario_name = hs_scenario_get_str (&s, "scenario", "name", NULL);
  if (p->scenario_name == NULL)
    {
      g_autofree char *base = g_path_get_basename (path);
      p->scenario_name = g_str_has_suffix (base, ".ini") ? g_strndup (base, strlen (base) - 4)
                                                         : g_strdup (base);
    }
  for (guint i = 0; i < HS_N_STEPS; i++)
    p->state[i + 1] = parts[i]->new_state ();
  if (!load_groups (p, &s, parts, error))
    goto out;
  for (guint i = 0; i < HS_N_STEPS; i++)
    if (!parts[i]->load (p->state[i + 1], &s, error))
      goto out;
  p->network = hs_practice_network_load (&s, error);
  if (p->network == NULL)
    goto out;
  ok = hs_scenario_check_keys (&s, "scenario", scenario_keys, error) &&
       hs_practice_load_machine (p, &s, error) &&
       check_fixes (p, &s, parts, error);

out:
  g_key_file_unref (s.kf);
  g_hash_table_unref (s.lines);
  return ok;
}
