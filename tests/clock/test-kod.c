/* test-kod.c — the Kiss-o'-Death table, with time passed in. */
#include "config.h"

#include "hs-kod.h"

#define S(n) ((gint64) (n) * G_USEC_PER_SEC)
#define SERVER "192.0.2.7:123"

static void
test_rate_doubles_to_an_hour (void)
{
  HsKodTable *t = hs_kod_table_new ();
  const gint64 expected_s[] = { 64, 128, 256, 512, 1024, 2048, 3600, 3600, 3600 };
  gint64 now = S (1000);

  for (gsize i = 0; i < G_N_ELEMENTS (expected_s); i++)
    {
      gint64 until = hs_kod_table_note_kiss (t, SERVER, "RATE", now);
      g_autofree char *reason = NULL;

      g_assert_cmpint (until - now, ==, S (expected_s[i]));
      g_assert_true (hs_kod_table_check (t, SERVER, now, &reason));
      g_assert_nonnull (g_strstr_len (reason, -1, "Kiss-o'-Death RATE"));
      g_assert_true (hs_kod_table_check (t, SERVER, until - 1, NULL));
      g_assert_false (hs_kod_table_check (t, SERVER, until, NULL));
      now = until;   /* asked again once the back-off is over, kissed again */
    }
  /* other servers are not affected */
  g_assert_false (hs_kod_table_check (t, "192.0.2.8:123", now - 1, NULL));
  hs_kod_table_free (t);
}

static void
test_answer_resets_rate (void)
{
  HsKodTable *t = hs_kod_table_new ();

  hs_kod_table_note_kiss (t, SERVER, "RATE", S (0));
  hs_kod_table_note_kiss (t, SERVER, "RATE", S (64));
  hs_kod_table_note_answer (t, SERVER);
  g_assert_false (hs_kod_table_check (t, SERVER, S (65), NULL));
  g_assert_cmpint (hs_kod_table_note_kiss (t, SERVER, "RATE", S (500)), ==, S (500 + 64));
  hs_kod_table_free (t);
}

static void
test_refusal_is_forever (gconstpointer data)
{
  const char *code = data;
  HsKodTable *t = hs_kod_table_new ();
  g_autofree char *reason = NULL;

  g_assert_cmpint (hs_kod_table_note_kiss (t, SERVER, code, S (10)), ==, HS_KOD_FOREVER);
  g_assert_true (hs_kod_table_check (t, SERVER, S (10), &reason));
  g_assert_nonnull (g_strstr_len (reason, -1, code));
  g_assert_nonnull (g_strstr_len (reason, -1, "not asked again while Handshake runs"));
  /* a hundred years on, an answer from it, a later RATE: still refused */
  g_assert_true (hs_kod_table_check (t, SERVER, S (100LL * 365 * 86400), NULL));
  hs_kod_table_note_answer (t, SERVER);
  g_assert_cmpint (hs_kod_table_note_kiss (t, SERVER, "RATE", S (20)), ==, HS_KOD_FOREVER);
  g_assert_true (hs_kod_table_check (t, SERVER, G_MAXINT64 - 1, NULL));
  hs_kod_table_free (t);
}

static void
test_rate_then_deny (void)
{
  HsKodTable *t = hs_kod_table_new ();

  hs_kod_table_note_kiss (t, SERVER, "RATE", S (0));
  g_assert_cmpint (hs_kod_table_note_kiss (t, SERVER, "DENY", S (1)), ==, HS_KOD_FOREVER);
  g_assert_true (hs_kod_table_check (t, SERVER, S (10000), NULL));
  hs_kod_table_free (t);
}

static void
test_other_codes_ignored (void)
{
  HsKodTable *t = hs_kod_table_new ();
  const char *codes[] = { "INIT", "STEP", "AUTH", "????", "", NULL };

  for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
    g_assert_cmpint (hs_kod_table_note_kiss (t, SERVER, codes[i], S (5)), ==, 0);
  g_assert_false (hs_kod_table_check (t, SERVER, S (5), NULL));
  hs_kod_table_free (t);
}

static void
test_clear (void)
{
  HsKodTable *t = hs_kod_table_get_default ();

  g_assert_true (t == hs_kod_table_get_default ());
  hs_kod_table_note_kiss (t, SERVER, "DENY", S (1));
  g_assert_true (hs_kod_table_check (t, SERVER, S (2), NULL));
  hs_kod_table_clear (t);
  g_assert_false (hs_kod_table_check (t, SERVER, S (2), NULL));
}

/* Probes may run in several threads: one table, no lost or torn entries. */
#define THREADS 4
#define SERVERS 200

static gpointer
hammer (gpointer data)
{
  HsKodTable *t = data;

  for (int round = 0; round < 20; round++)
    for (int i = 0; i < SERVERS; i++)
      {
        g_autofree char *server = g_strdup_printf ("198.51.100.%d:%d", i % 250, 1000 + i);

        hs_kod_table_note_kiss (t, server, i % 2 ? "DENY" : "RATE", S (round));
        (void) hs_kod_table_check (t, server, S (round), NULL);
        if (i % 3 == 0)
          hs_kod_table_note_answer (t, server);
      }
  return NULL;
}

static void
test_threads (void)
{
  HsKodTable *t = hs_kod_table_new ();
  GThread *threads[THREADS];

  for (int i = 0; i < THREADS; i++)
    threads[i] = g_thread_new ("kod", hammer, t);
  for (int i = 0; i < THREADS; i++)
    g_thread_join (threads[i]);
  for (int i = 0; i < SERVERS; i++)
    {
      g_autofree char *server = g_strdup_printf ("198.51.100.%d:%d", i % 250, 1000 + i);

      /* every DENY server stays refused whatever the interleaving */
      if (i % 2)
        g_assert_true (hs_kod_table_check (t, server, S (1000000), NULL));
    }
  hs_kod_table_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/clock/kod/rate-doubles-to-an-hour", test_rate_doubles_to_an_hour);
  g_test_add_func ("/clock/kod/answer-resets-rate", test_answer_resets_rate);
  g_test_add_data_func ("/clock/kod/deny-forever", "DENY", test_refusal_is_forever);
  g_test_add_data_func ("/clock/kod/rstr-forever", "RSTR", test_refusal_is_forever);
  g_test_add_func ("/clock/kod/rate-then-deny", test_rate_then_deny);
  g_test_add_func ("/clock/kod/other-codes-ignored", test_other_codes_ignored);
  g_test_add_func ("/clock/kod/clear", test_clear);
  g_test_add_func ("/clock/kod/threads", test_threads);
  return g_test_run ();
}
