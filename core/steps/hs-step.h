/* hs-step.h — what a step is: the interface every step folder under
 * core/steps/ fills in, and the context the engine hands it.
 *
 * A step checks (facts from the platform port → a verdict), may fix, and
 * may put back what a fix removed. Its check, fix and restore run on a
 * worker thread of the engine; they read the context's inputs and write its
 * outputs, nothing else. Steps never see the engine: what they need comes
 * through HsStepContext. Private to core.
 */
#pragma once

#include <gio/gio.h>

#include "hs-clock-probe.h"
#include "hs-patterns.h"
#include "hs-platform.h"
#include "hs-result.h"

G_BEGIN_DECLS

/* One line of the action log. */
typedef struct {
  GDateTime *time;               /* UTC */
  HsStep     step;               /* 0: not tied to a step */
  char      *action;             /* stable id: "check", "enable_auto_time", "resync", "backup", "delete_credential", … */
  char      *outcome;            /* stable id: "ok", "failed", "declined", "cancelled", "not_found", … */
  char      *detail;             /* English, may be NULL; personal data marked below */
  HsSensitivity detail_sensitivity;
} HsAction;

void hs_action_free (HsAction *action);

/* Actions are collected by the worker and logged by the engine on the main
 * thread when the operation completes. */
typedef struct {
  GPtrArray *actions;   /* (element-type HsAction) */
} HsActionSink;

void hs_action_sink_add (HsActionSink *sink, HsStep step, const char *action,
                         const char *outcome, HsSensitivity detail_sensitivity,
                         const char *detail_fmt, ...) G_GNUC_PRINTF (6, 7);

/* What a fix should do, where the step lets the user choose. */
typedef struct {
  /* Step 2: the targets to remove (NULL: every "required" one). Each entry is
   * "TYPE:TARGET" as returned in the credential items' "ref" finding. */
  const char * const *credential_refs;
  /* Step 4: the account the user uses for Teams (may be NULL). */
  const char *work_account;
  /* Step 2: the person agreed, in a question of its own, that entries whose
   * secret Windows withholds are removed although a backup cannot put them
   * back (HS_CRED_ALLOW_UNRESTORABLE). Without it they are skipped. */
  gboolean    allow_unrestorable;
} HsFixOptions;

/* One operation (a check, a fix and its re-check, or a restore and its
 * re-check) as a step sees it. The engine fills the inputs on the main
 * context before the worker starts and reads the outputs when it is done. */
typedef struct {
  HsStep                     step;
  /* in: what the engine was set up with */
  HsPlatform                *platform;        /* (unowned) */
  const HsPatternSet        *patterns;        /* (unowned) credential rules */
  const HsClockProbeOptions *clock_options;   /* (unowned) */
  /* in: this operation */
  HsResult                  *last;            /* (owned) (nullable) the verdict before it */
  char                     **credential_refs; /* (owned) (nullable) */
  char                      *work_account;    /* (owned) (nullable) */
  char                      *restore_path;    /* (owned) (nullable) set for a restore */
  guint32                    restore_flags;   /* HS_RESTORE_* for a restore */
  gboolean                   allow_unrestorable; /* see HsFixOptions */
  guintptr                   owner_window;    /* the wizard's window (an HWND), 0: none */
  GCancellable              *cancellable;     /* (owned) */
  HsPortCancel               cancel;          /* polls cancellable, for port calls */
  gboolean                   after_fix;       /* the check is the re-check of a fix */
  /* out */
  HsActionSink               sink;
  HsPortCode                 action_code;     /* outcome of the fix's or restore's action */
  HsPortStatus               action_status;
  char                      *backup_path;     /* (owned) (nullable) a backup the fix wrote */
  gpointer                   data;            /* (owned) (nullable) the step's own state */
  GDestroyNotify             data_free;
} HsStepContext;

/* A verdict a step gives a fix, in the terms of its re-check. */
typedef struct {
  HsStatus    status;
  const char *code;      /* NULL: the re-check's code */
  const char *summary;   /* N_() */
} HsStepOutcome;

typedef struct _HsStepInfo HsStepInfo;

struct _HsStepInfo
{
  HsStep      number;
  const char *id;            /* stable, lower case: "clock" (JSON, CLI) */
  /* What the step reads and changes belongs to the person signed in to the
   * computer (their vault, packages, accounts): the engine refuses its
   * check, fix and restore when Handshake runs as another account
   * (step.wrong_user), since it would see and change that account's. */
  gboolean    per_user;

  /* Worker thread: the verdict, or NULL when the check goes on in
   * check_async on the main context (a network measurement). */
  HsResult *(*check)        (HsStepContext *ctx);
  void      (*check_async)  (HsStepContext *ctx, GAsyncReadyCallback callback, gpointer user_data);
  HsResult *(*check_finish) (HsStepContext *ctx, GAsyncResult *result);

  /* Worker thread, optional: the automatic fix; sets ctx->action_code. */
  void      (*fix)          (HsStepContext *ctx);
  /* Optional: an English reason why the last verdict rules a fix out, or
   * NULL. Default: hs_step_refuse_fix(). */
  char     *(*refuse_fix)   (HsResult *last, const HsFixOptions *options);
  /* Worker thread, optional: puts back what ctx->restore_path holds. */
  void      (*restore)      (HsStepContext *ctx);
  /* Main context, optional: the verdict of a fix or restore from its
   * re-check. Default: hs_step_fix_outcome() with the outcomes below. */
  HsResult *(*fix_outcome)  (const HsStepContext *ctx, HsResult *check);
  HsStepOutcome fixed;       /* the fix ran and the re-check is good */
  HsStepOutcome failed;      /* the fix's action failed (status from the re-check) */
  HsStepOutcome declined;    /* the user refused it; code NULL: counts as failed */

  /* Optional, for handshake-cli: what the automatic fix will do, one
   * translated line ("  Step 1: …\n"). */
  char       *(*describe_fix) (HsResult *result);
  /* Optional, for handshake-cli: what the person has to do for a verdict
   * Handshake cannot fix itself, translated; NULL when nothing. */
  const char *(*guide)        (HsResult *result);
};

/* Results every step gives when the platform could not answer: cancelled
 * (step.cancelled), not applicable (na_code; NULL when the step applies
 * everywhere) or unverified (unverified_code with its N_() summary). The
 * port's error, OS error and reason go into the findings. */
HsResult *hs_step_port_failure (HsStep step, HsPortCode code, const HsPortStatus *status,
                                const char *na_code, const char *unverified_code,
                                const char *unverified_summary);

/* The verdict of a per-user step when Handshake runs as another account
 * than the person at the computer: step.wrong_user, unverified, with both
 * accounts in the findings (personal: masked in reports). */
HsResult *hs_step_wrong_user   (HsStep step, const HsUserContext *user);

/* The default refusal: "nothing to fix" when the last verdict offers no
 * fix. (transfer full) (nullable) */
char     *hs_step_refuse_fix   (HsResult *last);

/* The default outcome of a fix, by info's fixed/failed/declined, with the
 * action's failure in fix_error, fix_os_error and fix_reason. */
HsResult *hs_step_fix_outcome  (const HsStepInfo *info, const HsStepContext *ctx, HsResult *check);
/* The two halves, for steps that add their own cases or findings. */
HsResult *hs_step_derive_outcome (const HsStepInfo *info, const HsStepContext *ctx, HsResult *check);
void      hs_step_add_fix_error  (const HsStepContext *ctx, HsResult *result);

/* The step's own state in ctx->data, made on first use. */
gpointer  hs_step_context_data  (HsStepContext *ctx, gsize size, GDestroyNotify free_func);

/* "yes", "no", "unknown". */
const char *hs_tri_name (HsTri t);

G_END_DECLS
