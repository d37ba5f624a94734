/* hs-clock-page.h — the page of step 1, the clock. */
#pragma once

#include "hs-step-page.h"

G_BEGIN_DECLS

#define HS_TYPE_CLOCK_PAGE (hs_clock_page_get_type ())
G_DECLARE_FINAL_TYPE (HsClockPage, hs_clock_page, HS, CLOCK_PAGE, HsStepPage)

/* How far off the clock is, as the page says it: "Your clock is 4 minutes
 * and 12 seconds ahead." (positive: ahead). */
char *hs_clock_page_format_offset (double offset_seconds);

G_END_DECLS
