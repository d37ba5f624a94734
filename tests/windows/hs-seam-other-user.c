/* hs-seam-other-user.c — linked with handshake-cli.exe's own objects into
 * handshake-cli-other-user.exe, for the Wine suites only: Wine has one user
 * in one session; this makes CONTOSO\jane.doe the session's user, so the
 * program runs as another account than the person at the computer, as when
 * support staff start it with their own administrator account. */
#include "hs-win32.h"

__attribute__ ((constructor)) static void
another_session_user (void)
{
  hs_win32_test_hooks.session_domain = L"CONTOSO";
  hs_win32_test_hooks.session_user = L"jane.doe";
}
