/* test-http-date.c — HTTP Date parsing and the offset it implies. */
#include "config.h"

#include "hs-http-date.h"

static void
test_parse (void)
{
  gint64 t = 0;

  /* The three formats of RFC 7231 §7.1.1.1, same instant. */
  g_assert_true (hs_http_date_parse ("Sun, 06 Nov 1994 08:49:37 GMT", &t));
  g_assert_cmpint (t, ==, 784111777);
  g_assert_true (hs_http_date_parse ("Sunday, 06-Nov-94 08:49:37 GMT", &t));
  g_assert_cmpint (t, ==, 784111777);
  g_assert_true (hs_http_date_parse ("Sun Nov  6 08:49:37 1994", &t));
  g_assert_cmpint (t, ==, 784111777);

  g_assert_false (hs_http_date_parse (NULL, &t));
  g_assert_false (hs_http_date_parse ("", &t));
  g_assert_false (hs_http_date_parse ("yesterday", &t));
  g_assert_false (hs_http_date_parse ("Sun, 06 Nov 1994 25:49:37 GMT", &t));
}

static void
test_offset (void)
{
  const gint64 date = 784111777;
  HsHttpDateOffset off;

  /* This computer 10 min ahead, 200 ms request. */
  g_assert_true (hs_http_date_compute ("Sun, 06 Nov 1994 08:49:37 GMT",
                                       (date + 600) * G_USEC_PER_SEC + 400000,
                                       (date + 600) * G_USEC_PER_SEC + 600000, &off));
  g_assert_cmpfloat_with_epsilon (off.offset_seconds, 600.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (off.delay_seconds, 0.2, 1e-6);
  g_assert_cmpfloat_with_epsilon (off.uncertainty_seconds, 0.6, 1e-6);

  /* This computer 2 h behind. */
  g_assert_true (hs_http_date_compute ("Sun, 06 Nov 1994 08:49:37 GMT",
                                       (date - 7200) * G_USEC_PER_SEC,
                                       (date - 7200) * G_USEC_PER_SEC + 1000000, &off));
  g_assert_cmpfloat_with_epsilon (off.offset_seconds, -7200.0, 1e-6);
  g_assert_cmpfloat (off.uncertainty_seconds, >=, 0.5);

  g_assert_false (hs_http_date_compute ("garbage", 0, 1, &off));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/clock/http-date/parse", test_parse);
  g_test_add_func ("/clock/http-date/offset", test_offset);
  return g_test_run ();
}
