/* hs-practice-private.h — the practice platform's parts.
 *
 * The simulated machine is one HsPractice: what every step shares (the
 * lock, the scenario, how long fixes take) plus each step's own simulated
 * state, owned by that step's part (core/steps/<id>/hs-<id>-practice.c).
 * A part reads its groups of the scenario, puts its functions into the
 * platform port and reacts to the Settings pages the person is sent to.
 * The scenario reader (hs-practice-scenario.c) drives the parts in the
 * order of the step table.
 */
#pragma once

#include <glib.h>

#include "hs-practice.h"
#include "hs-step-table.h"

G_BEGIN_DECLS

typedef struct _HsPractice HsPractice;
typedef struct _HsScenario HsScenario;
typedef struct _HsPracticeNetwork HsPracticeNetwork;

struct _HsPractice
{
  HsPlatform  platform;     /* first: the port hands out &platform */
  GMutex      lock;         /* calls come from several workers at once */
  char       *scenario_name;
  char       *path;
  guint       fix_delay_ms;
  gpointer    state[HS_N_STEPS + 1];   /* each step's simulated state, owned by its part */
  HsUserContext  user;      /* [session]: who runs Handshake, who sits at the computer */
  HsTeamsRestart teams;     /* [teams]: what restarting Teams finds and does */
  HsPracticeNetwork *network;          /* (owned) the way to the sign-in servers */
};

/* One step's part of the simulated machine. */
typedef struct {
  const char         *group;        /* its settings group ("clock"), or NULL */
  const char         *item_prefix;  /* groups of one thing each ("credential "), or NULL */
  const char * const *fixes_keys;   /* its keys in [fixes]: how its fix goes */
  gpointer (*new_state)     (void);
  void     (*free_state)    (gpointer state);
  /* Reads one group named item_prefix + NAME. */
  gboolean (*load_item)     (gpointer state, HsScenario *s, const char *group, GError **error);
  /* Reads its settings group and its [fixes] keys. */
  gboolean (*load)          (gpointer state, HsScenario *s, GError **error);
  /* Puts its functions into the port. */
  void     (*install)       (HsPlatform *platform);
  /* Optional, under the lock: the simulated person on Settings page @uri. */
  void     (*open_settings) (gpointer state, const char *uri);
  /* Optional, under the lock: Teams was restarted (and signs in again). */
  void     (*restart_teams) (gpointer state);
} HsPracticeStep;

#define HS_PRACTICE_DECLARE_(number, info, practice) extern const HsPracticeStep practice;
HS_STEP_TABLE (HS_PRACTICE_DECLARE_)
#undef HS_PRACTICE_DECLARE_

#define HS_PRACTICE_LOCKED(p) \
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&(p)->lock)

/* Fixes take a moment on a real machine; scenarios can make that visible
 * (and give cancellation something to interrupt). */
void hs_practice_simulate_work (HsPractice *p, const HsPortCancel *cancel);

/* ---- the network check, not a step (hs-practice-network.c) ---- */

/* [network] of the scenario (every endpoint reachable when it is absent). */
HsPracticeNetwork *hs_practice_network_load    (HsScenario *s, GError **error);
void               hs_practice_network_free    (HsPracticeNetwork *network);
void               hs_practice_network_install (HsPlatform *platform);

/* ---- the scenario reader (hs-practice-scenario.c) ---- */

gboolean hs_practice_load_scenario (HsPractice *p, const HsPracticeStep * const *parts,
                                    const char *path, const char *data, gsize len, GError **error);
/* The groups no step owns (hs-practice-machine.c): [session] and [teams]. */
gboolean hs_practice_load_machine  (HsPractice *p, HsScenario *s, GError **error);
#define HS_PRACTICE_MACHINE_GROUPS "session", "teams"

/* For the parts' load(): every call names the group and key in its error,
 * with the line they are on. */
char   **hs_scenario_get_groups   (HsScenario *s);
gboolean hs_scenario_has_key      (HsScenario *s, const char *group, const char *key);
gboolean hs_scenario_check_keys   (HsScenario *s, const char *group, const char * const *known,
                                   GError **error);
char    *hs_scenario_get_str      (HsScenario *s, const char *group, const char *key,
                                   const char *fallback);
gboolean hs_scenario_get_choice   (HsScenario *s, const char *group, const char *key,
                                   const char *fallback, const char * const *choices,
                                   char **out, GError **error);
gboolean hs_scenario_get_tri      (HsScenario *s, const char *group, const char *key,
                                   HsTri fallback, HsTri *out, GError **error);
/* "ok", "denied" or "fail": how the step's check goes. */
gboolean hs_scenario_get_port_code (HsScenario *s, const char *group, const char *key,
                                    HsPortCode *out, GError **error);
gboolean hs_scenario_fail_key     (HsScenario *s, GError **error, const char *group,
                                   const char *key, const char *why);
/* The file, for errors that name no key. */
const char *hs_scenario_get_path  (HsScenario *s);

G_END_DECLS
