/* hs-kod.c — the process-wide memory of Kiss-o'-Death replies. */
#include "config.h"

#include "hs-kod.h"

#include <string.h>

typedef struct {
  char   code[5];      /* the last kiss that counts: RATE, DENY or RSTR */
  guint  rate_kisses;  /* RATEs in a row, without a valid answer between */
  gint64 until;        /* monotonic; HS_KOD_FOREVER for DENY/RSTR */
} Entry;

struct _HsKodTable {
  GMutex      lock;
  GHashTable *entries;   /* (element-type utf8 Entry) */
};

HsKodTable *
hs_kod_table_new (void)
{
  HsKodTable *table = g_new0 (HsKodTable, 1);

  g_mutex_init (&table->lock);
  table->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return table;
}

void
hs_kod_table_free (HsKodTable *table)
{
  if (table == NULL)
    return;
  g_hash_table_unref (table->entries);
  g_mutex_clear (&table->lock);
  g_free (table);
}

HsKodTable *
hs_kod_table_get_default (void)
{
  static HsKodTable *table;

  if (g_once_init_enter (&table))
    g_once_init_leave (&table, hs_kod_table_new ());
  return table;
}

static gboolean
is_refusal (const char *code)
{
  return g_strcmp0 (code, "DENY") == 0 || g_strcmp0 (code, "RSTR") == 0;
}

static gint64
rate_backoff (guint kisses)
{
  gint64 backoff = HS_KOD_RATE_FIRST_USEC;

  for (guint i = 1; i < kisses && backoff < HS_KOD_RATE_MAX_USEC; i++)
    backoff *= 2;
  return MIN (backoff, HS_KOD_RATE_MAX_USEC);
}

gint64
hs_kod_table_note_kiss (HsKodTable *table, const char *server, const char *code, gint64 now)
{
  Entry *e;
  gint64 until;

  if (!is_refusal (code) && g_strcmp0 (code, "RATE") != 0)
    return 0;

  g_mutex_lock (&table->lock);
  e = g_hash_table_lookup (table->entries, server);
  if (e == NULL)
    {
      e = g_new0 (Entry, 1);
      g_hash_table_insert (table->entries, g_strdup (server), e);
    }
  if (e->until == HS_KOD_FOREVER)
    ;   /* refused once, refused for good: a later RATE changes nothing */
  else if (is_refusal (code))
    {
      g_strlcpy (e->code, code, sizeof e->code);
      e->until = HS_KOD_FOREVER;
    }
  else
    {
      g_strlcpy (e->code, code, sizeof e->code);
      e->rate_kisses++;
      e->until = now + rate_backoff (e->rate_kisses);
    }
  until = e->until;
  g_mutex_unlock (&table->lock);
  return until;
}

void
hs_kod_table_note_answer (HsKodTable *table, const char *server)
{
  Entry *e;

  g_mutex_lock (&table->lock);
  e = g_hash_table_lookup (table->entries, server);
  if (e != NULL && e->until != HS_KOD_FOREVER)
    g_hash_table_remove (table->entries, server);
  g_mutex_unlock (&table->lock);
}

gboolean
hs_kod_table_check (HsKodTable *table, const char *server, gint64 now, char **reason)
{
  Entry *e;
  gboolean avoid = FALSE;

  g_mutex_lock (&table->lock);
  e = g_hash_table_lookup (table->entries, server);
  if (e != NULL && e->until == HS_KOD_FOREVER)
    {
      avoid = TRUE;
      if (reason)
        *reason = g_strdup_printf ("not asked: it refused us earlier (Kiss-o'-Death %s); "
                                   "not asked again while Handshake runs", e->code);
    }
  else if (e != NULL && now < e->until)
    {
      avoid = TRUE;
      if (reason)
        *reason = g_strdup_printf ("not asked: it asked us to slow down (Kiss-o'-Death %s); "
                                   "backing off for %" G_GINT64_FORMAT " s more",
                                   e->code, (e->until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
    }
  g_mutex_unlock (&table->lock);
  return avoid;
}

void
hs_kod_table_clear (HsKodTable *table)
{
  g_mutex_lock (&table->lock);
  g_hash_table_remove_all (table->entries);
  g_mutex_unlock (&table->lock);
}
