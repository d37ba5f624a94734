/* hs-practice.c — a simulated Windows machine for rehearsal and tests.
 *
 * Every fact comes from a scenario file; every fix changes the simulated
 * state so that a re-check shows its effect. Each step's part of the
 * machine lives with the step (core/steps/<id>/hs-<id>-practice.c); this
 * file assembles them in the order of the step table, and keeps what no
 * step owns: the shell actions, the data directory, the scenario list.
 * Calls may come from several worker threads at once, so the state sits
 * behind one mutex.
 */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <string.h>

#include "hs-paths.h"
#include "hs-practice-private.h"

G_DEFINE_QUARK (hs-practice-error-quark, hs_practice_error)

#define PART(number, info, practice) &practice,
static const HsPracticeStep * const step_parts[] = { HS_STEP_TABLE (PART) };
#undef PART

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

/* ---- what no step owns ---- */

void
hs_practice_simulate_work (HsPractice *p, const HsPortCancel *cancel)
{
  for (guint waited = 0; waited < p->fix_delay_ms; waited += 10)
    {
      if (hs_port_cancelled (cancel))
        return;
      g_usleep (10 * 1000);
    }
}

static HsPortCode
practice_open_settings (void *self, const char *uri, HsPortStatus *st)
{
  HsPractice *p = self;
  HS_PRACTICE_LOCKED (p);

  if (uri == NULL || !g_str_has_prefix (uri, "ms-settings:"))
    {
      hs_port_status_set (st, HS_PORT_BAD_INPUT, 0, "only ms-settings: pages can be opened");
      return HS_PORT_BAD_INPUT;
    }
  for (guint i = 0; i < HS_N_STEPS; i++)
    if (step_parts[i]->open_settings != NULL)
      step_parts[i]->open_settings (p->state[i + 1], uri);
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

/* What the scenario's Teams processes do when asked to close; Teams that
 * starts again signs in again (the steps' parts see it). */
static HsPortCode
practice_restart_teams (void *self, HsTeamsRestart *report, const HsPortCancel *cancel,
                        HsPortStatus *st)
{
  HsPractice *p = self;

  hs_practice_simulate_work (p, cancel);
  if (report != NULL)
    *report = p->teams;
  if (p->teams.survived > 0)
    {
      hs_port_status_set (st, HS_PORT_FAILED, 5, "simulated: %u Teams process(es) could not be ended",
                          p->teams.survived);
      return HS_PORT_FAILED;
    }
  if (p->teams.relaunched)
    {
      HS_PRACTICE_LOCKED (p);
      for (guint i = 0; i < HS_N_STEPS; i++)
        if (step_parts[i]->restart_teams != NULL)
          step_parts[i]->restart_teams (p->state[i + 1]);
    }
  hs_port_status_set (st, HS_PORT_OK, 0, "simulated: Teams closed and started again");
  return HS_PORT_OK;
}

static HsPortCode
practice_user_context (void *self, HsUserContext *out, HsPortStatus *st)
{
  HsPractice *p = self;

  *out = p->user;
  hs_port_status_set (st, HS_PORT_OK, 0, p->user.same_user == HS_TRI_NO
                      ? "simulated: Handshake runs as another account than the session's" : NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_restart_computer (void *self, HsPortStatus *st)
{
  HsPractice *p = self;
  HS_PRACTICE_LOCKED (p);

  /* What a restart finishes: nothing is pending any more. */
  hs_port_status_set (st, HS_PORT_OK, 0, "simulated: the computer restarted");
  return HS_PORT_OK;
}

static void
practice_destroy (void *self)
{
  HsPractice *p = self;

  for (guint i = 0; i < HS_N_STEPS; i++)
    if (p->state[i + 1] != NULL)
      step_parts[i]->free_state (p->state[i + 1]);
  hs_practice_network_free (p->network);
  g_free (p->scenario_name);
  g_free (p->path);
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
  HsPractice *p = g_new0 (HsPractice, 1);

  g_mutex_init (&p->lock);
  p->path = g_strdup (display_path);
  if (!hs_practice_load_scenario (p, step_parts, display_path, data, len, error))
    {
      practice_destroy (p);
      return NULL;
    }

  p->platform.name = "practice";
  p->platform.simulated = 1;
  p->platform.self = p;
  for (guint i = 0; i < HS_N_STEPS; i++)
    step_parts[i]->install (&p->platform);
  p->platform.open_settings = practice_open_settings;
  p->platform.restart_teams = practice_restart_teams;
  p->platform.user_context = practice_user_context;
  p->platform.restart_computer = practice_restart_computer;
  hs_practice_network_install (&p->platform);
  p->platform.destroy = practice_destroy;
  hs_platform_fill_unsupported (&p->platform);   /* entries added to the port later */
  return &p->platform;
}

const char *
hs_practice_platform_get_scenario (const HsPlatform *platform)
{
  const HsPractice *p = (const HsPractice *) platform;

  g_return_val_if_fail (platform != NULL && platform->simulated, NULL);
  return p->scenario_name;
}
