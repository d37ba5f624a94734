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
} HsClockFacts;

HsResult *hs_clock_verdict       (const HsClockFacts *facts);
/* TRUE when automatic time is on (or the domain hierarchy manages it). */
gboolean  hs_clock_auto_time_on  (const HsTimeSettings *settings);
/* Non-zero when the offset looks like a wrong time zone: the zone error in
 * minutes (signed, same sign as the offset). */
int       hs_clock_zone_error_minutes (double offset_seconds);

G_END_DECLS
