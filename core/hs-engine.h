/* hs-engine.h — runs the steps (core/steps/) for the UI and the CLI.
 *
 * Every method is asynchronous: work happens on worker threads and the
 * callbacks and signals are delivered in the thread-default main context of
 * the caller (the UI thread for the wizard). An engine runs one operation per
 * step at a time; asking for a second one on a busy step fails with
 * HS_ENGINE_ERROR_BUSY.
 */
#pragma once

#include <gio/gio.h>

#include "hs-result.h"
#include "hs-clock-probe.h"
#include "hs-net-check.h"
#include "hs-step-table.h"

G_BEGIN_DECLS

typedef struct HsPlatform HsPlatform;

#define HS_ENGINE_ERROR (hs_engine_error_quark ())
GQuark hs_engine_error_quark (void);

typedef enum {
  HS_ENGINE_ERROR_BUSY,          /* that step is already running */
  HS_ENGINE_ERROR_NO_FIX,        /* the step has no automatic fix for its state */
  HS_ENGINE_ERROR_INVALID        /* bad argument (unknown backup, empty selection) */
} HsEngineError;

typedef enum {
  HS_STEP_STATE_IDLE,            /* never checked */
  HS_STEP_STATE_CHECKING,
  HS_STEP_STATE_FIXING,
  HS_STEP_STATE_DONE             /* a result is available */
} HsStepState;

/* HsAction (a line of the action log) and HsFixOptions are the steps'
 * terms: see hs-step.h. */

#define HS_TYPE_ENGINE (hs_engine_get_type ())
G_DECLARE_FINAL_TYPE (HsEngine, hs_engine, HS, ENGINE, GObject)

/* platform: (transfer full) destroyed with the engine. clock_options may be
 * NULL for the defaults; it is copied. */
HsEngine   *hs_engine_new                  (HsPlatform *platform,
                                            const HsClockProbeOptions *clock_options);
const HsPlatform *hs_engine_get_platform   (HsEngine *self);
gboolean    hs_engine_is_practice          (HsEngine *self);

/* Credential rules: defaults are built in; a file replaces them. */
gboolean    hs_engine_load_patterns        (HsEngine *self, const char *path, GError **error);

HsStepState hs_engine_get_state            (HsEngine *self, HsStep step);
/* The latest result of the step, or NULL. (transfer none) */
HsResult   *hs_engine_get_result           (HsEngine *self, HsStep step);
/* (element-type HsAction) (transfer none) */
GPtrArray  *hs_engine_get_actions          (HsEngine *self);
/* The last backup written by the credentials fix, or NULL. */
const char *hs_engine_get_last_backup      (HsEngine *self);

/* Checks every step concurrently. Completes when all have a result;
 * "step-changed" is emitted as each one starts and finishes. */
void        hs_engine_check_all_async      (HsEngine *self, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean    hs_engine_check_all_finish     (HsEngine *self, GAsyncResult *result, GError **error);

void        hs_engine_check_step_async     (HsEngine *self, HsStep step, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
HsResult   *hs_engine_check_step_finish    (HsEngine *self, GAsyncResult *result, GError **error);

/* Applies the step's automatic fix, then re-checks: the returned result is
 * the re-check's verdict (FIXED / NEEDS_RESTART when it worked). options may
 * be NULL. */
void        hs_engine_fix_step_async       (HsEngine *self, HsStep step, const HsFixOptions *options,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
HsResult   *hs_engine_fix_step_finish      (HsEngine *self, GAsyncResult *result, GError **error);

/* Puts back the credentials of a backup file (NULL: the last one), then
 * re-checks the step that restores (step 2). */
void        hs_engine_restore_async        (HsEngine *self, const char *backup_path,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
/* The same with HS_RESTORE_* flags: HS_RESTORE_OVERWRITE_NEWER writes over
 * entries written after the backup (the person confirmed it). Finish with
 * hs_engine_restore_finish(); the result lists every entry ("restoration"
 * items: target, type, outcome restored / skipped / failed, reason). */
void        hs_engine_restore_full_async   (HsEngine *self, const char *backup_path, guint32 flags,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
HsResult   *hs_engine_restore_finish       (HsEngine *self, GAsyncResult *result, GError **error);

/* Shell actions for guided steps and the finish page; logged. */
void        hs_engine_open_settings_async  (HsEngine *self, const char *uri, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean    hs_engine_open_settings_finish (HsEngine *self, GAsyncResult *result, GError **error);
void        hs_engine_restart_teams_async  (HsEngine *self, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean    hs_engine_restart_teams_finish (HsEngine *self, GAsyncResult *result, GError **error);
/* The same, with what the restart did (report may be NULL; zeroed when the
 * platform said nothing): how many Teams processes were found, closed,
 * ended from the tray, ended, left alone in other sessions. */
gboolean    hs_engine_restart_teams_finish_report (HsEngine *self, GAsyncResult *result,
                                                   HsTeamsRestart *report, GError **error);

/* Restarts the computer (ask first). In practice mode nothing restarts. */
void        hs_engine_restart_computer_async  (HsEngine *self, GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
gboolean    hs_engine_restart_computer_finish (HsEngine *self, GAsyncResult *result, GError **error);

/* The account the user said they use for Teams (step 4 marks the others for
 * removal); NULL to forget. Used by every later check of step 4. */
void        hs_engine_set_work_account     (HsEngine *self, const char *email);
const char *hs_engine_get_work_account     (HsEngine *self);

/* The wizard's top-level window (an HWND on Windows, 0 for none): the
 * administrator prompt of a fix belongs to it, so that it cannot open
 * behind the wizard. */
void        hs_engine_set_owner_window     (HsEngine *self, guintptr window);

/* The network check of the sign-in path (hs-net-check.h). Not a step: it
 * has no state or result among the steps'; its latest result goes into
 * every report under "network". options may be NULL (the defaults); copied.
 * In practice mode the practice platform supplies the facts. */
void        hs_engine_set_network_options  (HsEngine *self, const HsNetCheckOptions *options);
/* Fails with HS_ENGINE_ERROR_BUSY while a check runs; a cancelled check
 * still completes, its unfinished endpoints marked net.unverified. */
void        hs_engine_check_network_async  (HsEngine *self, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
HsNetCheck *hs_engine_check_network_finish (HsEngine *self, GAsyncResult *result, GError **error);
/* The latest completed check, or NULL. (transfer none) */
HsNetCheck *hs_engine_get_network          (HsEngine *self);
gboolean    hs_engine_get_network_busy     (HsEngine *self);

/* A status code the person saw in Teams, in any form they typed it
 * (hs-teams-codes.h): logged ("teams_code") and listed in reports under
 * "codes_seen". FALSE, and nothing recorded, for text that is no code. */
gboolean    hs_engine_note_teams_code      (HsEngine *self, const char *code);
/* The codes noted, normalised, in order, each once.
 * (element-type utf8) (transfer none) */
GPtrArray  *hs_engine_get_teams_codes      (HsEngine *self);

/* Signals:
 *   step-changed (HsStep step, HsStepState state)  — main context of the caller
 *   action-logged (HsAction *action)
 *   network-changed ()                  — a network check started or ended
 *   network-progress (guint index, const char *url, HsNetStage stage)
 */

G_END_DECLS
