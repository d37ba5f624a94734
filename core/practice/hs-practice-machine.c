/* hs-practice-machine.c — the parts of the simulated computer no step owns:
 * who runs Handshake and who sits at the computer ([session]), and the
 * Teams processes a restart finds ([teams]).
 *
 * [session] process_user, session_user (DOMAIN\user; the same by default),
 * session_id. Support staff who start Handshake with their own
 * administrator account are the process user; the person is the session's.
 *
 * [teams] running (Teams processes in this session, default 1), tray (of
 * those, how many hide in the notification area when closed), hung (do not
 * react and are ended), stuck (cannot be ended), other_sessions (Teams of
 * other people signed in to this computer, left alone), relaunch (yes/no).
 */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <string.h>

#include "hs-practice-private.h"

#define MAX_PROCESSES 64

static gboolean
get_count (HsScenario *s, const char *key, guint fallback, guint32 *out, GError **error)
{
  g_autofree char *fallback_text = g_strdup_printf ("%u", fallback);
  g_autofree char *v = hs_scenario_get_str (s, "teams", key, fallback_text);
  guint64 n = 0;

  if (!g_ascii_string_to_unsigned (v, 10, 0, MAX_PROCESSES, &n, NULL))
    {
      g_autofree char *why = g_strdup_printf ("expected a number of processes from 0 to %d", MAX_PROCESSES);
      return hs_scenario_fail_key (s, error, "teams", key, why);
    }
  *out = (guint32) n;
  return TRUE;
}

static gboolean
load_teams (HsPractice *p, HsScenario *s, GError **error)
{
  static const char * const known[] = { "running", "tray", "hung", "stuck", "other_sessions",
                                        "relaunch", NULL };
  HsTeamsRestart *t = &p->teams;
  guint32 tray, hung, stuck;
  HsTri relaunch;

  if (!hs_scenario_check_keys (s, "teams", known, error) ||
      !get_count (s, "running", 1, &t->found, error) ||
      !get_count (s, "tray", 0, &tray, error) ||
      !get_count (s, "hung", 0, &hung, error) ||
      !get_count (s, "stuck", 0, &stuck, error) ||
      !get_count (s, "other_sessions", 0, &t->other_sessions, error) ||
      !hs_scenario_get_tri (s, "teams", "relaunch", HS_TRI_YES, &relaunch, error))
    return FALSE;
  if (tray + hung + stuck > t->found)
    return hs_scenario_fail_key (s, error, "teams", "running",
                                 "fewer processes than tray, hung and stuck together");
  t->hidden_then_ended = tray;
  t->killed = hung;
  t->survived = stuck;
  t->closed = t->found - tray - hung - stuck;
  t->relaunched = relaunch == HS_TRI_YES;
  return TRUE;
}

static gboolean
load_session (HsPractice *p, HsScenario *s, GError **error)
{
  static const char * const known[] = { "process_user", "session_user", "session_id", NULL };
  HsUserContext *u = &p->user;
  g_autofree char *process = NULL, *session = NULL, *id = NULL;
  guint64 n = 0;

  if (!hs_scenario_check_keys (s, "session", known, error))
    return FALSE;
  process = hs_scenario_get_str (s, "session", "process_user", "PRACTICE\\user");
  session = hs_scenario_get_str (s, "session", "session_user", process);
  id = hs_scenario_get_str (s, "session", "session_id", "1");
  if (!g_ascii_string_to_unsigned (id, 10, 0, G_MAXUINT32 - 1, &n, NULL))
    return hs_scenario_fail_key (s, error, "session", "session_id", "expected a session number");
  if (*process == '\0' || strlen (process) >= sizeof u->process_user ||
      strlen (session) >= sizeof u->session_user)
    return hs_scenario_fail_key (s, error, "session", *process == '\0' ? "process_user" : "session_user",
                                 "expected DOMAIN\\user, at most 255 bytes");
  g_strlcpy (u->process_user, process, sizeof u->process_user);
  g_strlcpy (u->session_user, session, sizeof u->session_user);
  u->session_id = (guint32) n;
  /* As Windows compares accounts: DOMAIN\user, case aside. */
  u->same_user = *session == '\0' ? HS_TRI_UNKNOWN
                 : g_ascii_strcasecmp (process, session) == 0 ? HS_TRI_YES : HS_TRI_NO;
  return TRUE;
}

gboolean
hs_practice_load_machine (HsPractice *p, HsScenario *s, GError **error)
{
  return load_session (p, s, error) && load_teams (p, s, error);
}
