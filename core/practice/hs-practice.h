/* hs-practice.h — a simulated Windows machine loaded from a scenario file.
 *
 * Practice mode lets support staff rehearse and lets the wizard be tested
 * off Windows: every fact comes from the scenario and every fix changes the
 * simulated state, so a re-check shows the effect. Nothing on this computer
 * is read or changed (the clock measurement may still be real: see
 * scenario key clock/offset_seconds).
 */
#pragma once

#include <glib.h>

#include "hs-platform.h"

G_BEGIN_DECLS

#define HS_PRACTICE_DEFAULT_SCENARIO "all-broken"

#define HS_PRACTICE_ERROR (hs_practice_error_quark ())
GQuark hs_practice_error_quark (void);

typedef enum {
  HS_PRACTICE_ERROR_NOT_FOUND,   /* no scenario of that name */
  HS_PRACTICE_ERROR_INVALID      /* malformed: message names file, line and key */
} HsPracticeError;

/* name_or_path: a scenario name ("healthy") looked up in the data directory,
 * or a path to an .ini file. NULL: the default scenario. */
HsPlatform *hs_practice_platform_new   (const char *name_or_path, GError **error);
/* The same from a scenario's text; display_path names it in errors. */
HsPlatform *hs_practice_platform_new_from_data (const char *data, gsize len,
                                                const char *display_path, GError **error);
#define HS_PRACTICE_MAX_SCENARIO_SIZE (1024 * 1024)

/* The scenario's display name and file (for banners and reports). */
const char *hs_practice_platform_get_scenario (const HsPlatform *platform);

/* Names of the scenarios shipped in the data directory, sorted. */
GStrv       hs_practice_list_scenarios (void);

/* Where data files live: $HANDSHAKE_DATADIR, the installed data directory,
 * or the source tree when running uninstalled. */
char       *hs_data_path (const char *first_element, ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
