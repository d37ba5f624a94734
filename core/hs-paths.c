/* hs-paths.c — the installation's data and locale folders. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include "hs-paths.h"

#ifdef G_OS_WIN32
/* The folder above bin\ (GLib strips a trailing bin or lib), whatever the
 * drive, the user name or the install scope. */
static const char *
installation_root (void)
{
  static char *root;

  if (g_once_init_enter (&root))
    {
      char *dir = g_win32_get_package_installation_directory_of_module (NULL);
      g_once_init_leave (&root, dir != NULL ? dir : g_strdup ("."));
    }
  return root;
}
#endif

const char *
hs_paths_datadir (void)
{
#ifdef G_OS_WIN32
  static char *dir;

  if (g_once_init_enter (&dir))
    g_once_init_leave (&dir, g_build_filename (installation_root (), "share", "handshake", NULL));
  return dir;
#else
  return HS_DATADIR;
#endif
}

const char *
hs_paths_localedir (void)
{
#ifdef G_OS_WIN32
  static char *dir;

  if (g_once_init_enter (&dir))
    g_once_init_leave (&dir, g_build_filename (installation_root (), "share", "locale", NULL));
  return dir;
#else
  return LOCALEDIR;
#endif
}
