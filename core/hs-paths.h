/* hs-paths.h — where the installed data and catalogues are.
 *
 * On Windows nothing is installed at a fixed path: the zip is unpacked
 * anywhere and the MSI installs per user under %LOCALAPPDATA%\Programs. So
 * both are found from the program's own folder (…\bin\handshake.exe →
 * …\share\…). Elsewhere they are the configured prefix's. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* share/handshake of the installation (transfer none). */
const char *hs_paths_datadir   (void);
/* share/locale of the installation (transfer none). */
const char *hs_paths_localedir (void);

G_END_DECLS
