/* hs-host.h — the platform off Windows, outside practice mode: the clock is
 * measured for real, everything Windows-specific is not applicable. */
#pragma once

#include "hs-platform.h"

HsPlatform *hs_host_platform_new (void);
/* The platform for this computer: win32 on Windows, host elsewhere. */
HsPlatform *hs_platform_new_native (void);
