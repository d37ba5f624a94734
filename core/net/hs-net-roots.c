/* hs-net-roots.c — the set of public roots (hs-net-roots.h). */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include "hs-net-roots.h"

struct _HsNetRoots {
  GHashTable *sha256;   /* (owned) hex SHA-256 of each certificate's DER */
};

static GMutex      cache_lock;
static GHashTable *cache;   /* path → HsNetRoots, for the life of the process */

static char *
fingerprint (GTlsCertificate *cert)
{
  g_autoptr(GByteArray) der = NULL;

  g_object_get (cert, "certificate", &der, NULL);
  return der ? g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len) : NULL;
}

static void
add_file (GHashTable *set, const char *path)
{
  GList *certs = g_tls_certificate_list_new_from_file (path, NULL);

  for (GList *l = certs; l != NULL; l = l->next)
    {
      char *fp = fingerprint (l->data);
      if (fp != NULL)
        g_hash_table_add (set, fp);
    }
  g_list_free_full (certs, g_object_unref);
}

static HsNetRoots *
load (const char *path, GError **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  HsNetRoots *roots;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, error);
      const char *name;

      if (dir == NULL)
        return NULL;
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".crt") || g_str_has_suffix (name, ".pem"))
          {
            g_autofree char *file = g_build_filename (path, name, NULL);
            add_file (set, file);
          }
    }
  else
    add_file (set, path);
  if (g_hash_table_size (set) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "no certificate could be read from %s", path);
      return NULL;
    }
  roots = g_new0 (HsNetRoots, 1);
  roots->sha256 = g_steal_pointer (&set);
  return roots;
}

const HsNetRoots *
hs_net_roots_get (const char *path, GError **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&cache_lock);
  HsNetRoots *roots;

  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  roots = g_hash_table_lookup (cache, path);
  if (roots == NULL)
    {
      roots = load (path, error);
      if (roots == NULL)
        return NULL;
      g_hash_table_insert (cache, g_strdup (path), roots);
    }
  return roots;
}

gboolean
hs_net_roots_contains (const HsNetRoots *roots, GTlsCertificate *cert)
{
  g_autofree char *fp = fingerprint (cert);

  return fp != NULL && g_hash_table_contains (roots->sha256, fp);
}

guint
hs_net_roots_size (const HsNetRoots *roots)
{
  return g_hash_table_size (roots->sha256);
}
