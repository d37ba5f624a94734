/* hs-steps.h — the four steps: facts → verdict (pure), and the blocking
 * check/fix bodies the engine runs on worker threads. Private to core. */
#pragma once

#include <gio/gio.h>

#include "hs-platform.h"
#include "hs-patterns.h"
#include "hs-result.h"
#include "hs-engine.h"

G_BEGIN_DECLS

/* Thresholds (WINDOWS-NOTES.md, step 1). */
#define HS_CLOCK_WARN_SECONDS      30.0
#define HS_CLOCK_PROBLEM_SECONDS   120.0
#define HS_CLOCK_ZONE_MIN_SECONDS  1800.0   /* a zone error is ≥ 30 min … */
#define HS_CLOCK_ZONE_QUANTUM      900.0    /* … a whole number of quarter hours … */
#define HS_CLOCK_ZONE_REMAINDER    120.0    /* … give or take this much drift */

/* Actions are collected by the worker and logged by the engine on the main
 * thread when the operation completes. */
typedef struct {
  GPtrArray *actions;   /* (element-type HsAction) */
} HsActionSink;

void hs_action_sink_add (HsActionSink *sink, HsStep step, const char *action,
                         const char *outcome, HsSensitivity detail_sensitivity,
                         const char *detail_fmt, ...) G_GNUC_PRINTF (6, 7);

/* ---- Step 1 ---- */
typedef struct {
  HsPortCode     settings_code;     /* HS_PORT_UNSUPPORTED off Windows */
  HsTimeSettings settings;
  gboolean       measured;
  double         offset_seconds;
  double         uncertainty_seconds;
  const char    *source;
  const char    *method;
  gboolean       tls_dates_invalid;
  GPtrArray     *attempts;          /* (element-type utf8) (nullable) */
  gboolean       after_fix;
} HsClockFacts;

HsResult *hs_clock_verdict       (const HsClockFacts *facts);
/* TRUE when automatic time is on (or the domain hierarchy manages it). */
gboolean  hs_clock_auto_time_on  (const HsTimeSettings *settings);
/* Non-zero when the offset looks like a wrong time zone: the zone error in
 * minutes (signed, same sign as the offset). */
int       hs_clock_zone_error_minutes (double offset_seconds);

/* ---- Step 2 ---- */
HsResult *hs_credentials_verdict (HsPortCode list_code, const HsPortStatus *status,
                                  const HsCredentialList *list, const HsPatternSet *patterns);
char     *hs_credential_ref      (guint32 type, const char *target);
gboolean  hs_credential_ref_parse (const char *ref, guint32 *type, const char **target);

/* ---- Step 3 ---- */
HsResult *hs_broker_verdict      (HsPortCode code, const HsPortStatus *status,
                                  const HsPackageState *states, gsize n_states);

/* ---- Step 4 ---- */
HsResult *hs_accounts_verdict    (HsPortCode code, const HsPortStatus *status,
                                  const HsAccountList *list, const char *work_account);

/* Step failures shared by every step */
HsResult *hs_result_new_port_failure (HsStep step, HsPortCode code, const HsPortStatus *status);

G_END_DECLS
