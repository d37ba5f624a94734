/* hs-clock-step.h — step 1: is this computer's clock close enough to true
 * time for Microsoft's sign-in, and set automatically? */
#pragma once

#include "hs-step.h"

G_BEGIN_DECLS

/* Thresholds (WINDOWS-NOTES.md, step 1). */
#define HS_CLOCK_WARN_SECONDS      30.0
#define HS_CLOCK_PROBLEM_SECONDS   120.0
#define HS_CLOCK_ZONE_MIN_SECONDS  1800.0   /* a zone error is ≥ 30 min … */
#define HS_CLOCK_ZONE_QUANTUM      900.0    /* … a whole number of quarter hours … */
#define HS_CLOCK_ZONE_REMAINDER    120.0    /* … give or take this much drift */

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
  /* The system and monotonic clocks read when the offset was measured: a
   * fix later (after the UAC prompt, in another process) works from this
   * reference, never from "now minus an old offset". */
  gboolean       stamped;
  HsClockStamp   stamp;
} HsClockFacts;

HsResult *hs_clock_verdict       (const HsClockFacts *facts);
/* The reference a fix works from: the offset of @last with the clocks read
 * when it was measured (its findings clock_stamp_utc_us, clock_stamp_mono_us);
 * ref->valid is 0 when @last carries none. */
void      hs_clock_reference_from_result (HsResult *last, HsClockReference *ref);
/* TRUE when automatic time is on (or the domain hierarchy manages it). */
gboolean  hs_clock_auto_time_on  (const HsTimeSettings *settings);
/* Non-zero when the offset looks like a wrong time zone: the zone error in
 * minutes (signed, same sign as the offset). */
int       hs_clock_zone_error_minutes (double offset_seconds);

G_END_DECLS
