/* hs-seam-withheld.c — linked with handshake-cli.exe's own objects into
 * handshake-cli-withheld.exe, for the Wine suites only: Windows keeps the
 * secret of a domain password from CredRead, Wine hands it out. With this
 * the program sees what it sees on Windows (hs_win32_test_hooks, set in
 * the process itself: nothing reads a seam from the environment). */
#include "hs-win32.h"

__attribute__ ((constructor)) static void
withhold_domain_secrets (void)
{
  hs_win32_test_hooks.withhold_domain_secrets = 1;
}
