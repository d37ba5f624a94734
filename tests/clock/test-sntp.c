/* test-sntp.c — SNTP packet checks and offset math on fixed timestamps. */
#include "config.h"

#include <string.h>

#include "hs-sntp.h"

#define NTP_UNIX_DELTA G_GINT64_CONSTANT (2208988800)

/* Seconds (double, relative to a base NTP timestamp) to NTP format. */
static guint64
ts_at (guint64 base, double seconds)
{
  return base + (guint64) (gint64) (seconds * 4294967296.0);
}

static void
put_u64 (guint8 *p, guint64 v)
{
  for (int i = 7; i >= 0; i--, v >>= 8)
    p[i] = v & 0xff;
}

static const guint64 sent = G_GUINT64_CONSTANT (0xe8f0a1b200001234);

static void
make_reply (guint8 *p, guint8 leap, guint8 version, guint8 mode, guint8 stratum)
{
  memset (p, 0, 48);
  p[0] = (guint8) ((leap << 6) | (version << 3) | mode);
  p[1] = stratum;
  p[10] = 0x80;                 /* root dispersion 0x00008000: 0.5 s */
  memcpy (p + 12, "GPS\0", 4);
  put_u64 (p + 24, sent);
  put_u64 (p + 32, sent + 1000);
  put_u64 (p + 40, sent + 2000);
}

static void
test_request (void)
{
  guint8 packet[HS_SNTP_PACKET_SIZE];

  hs_sntp_build_request (packet, sent);
  g_assert_cmpuint (packet[0], ==, 0x23);   /* LI 0, VN 4, mode 3 */
  for (int i = 1; i < 40; i++)
    g_assert_cmpuint (packet[i], ==, 0);
  g_assert_cmpuint (packet[40], ==, 0xe8);
  g_assert_cmpuint (packet[47], ==, 0x34);
}

static void
test_valid (void)
{
  guint8 p[64];
  HsSntpReply r;

  for (guint8 version = 1; version <= 4; version++)
    {
      make_reply (p, 0, version, 4, 2);
      g_assert_cmpint (hs_sntp_parse_reply (p, 48, sent, &r), ==, HS_SNTP_VERDICT_OK);
    }
  /* Longer packets (extension fields, MAC) are fine. */
  g_assert_cmpint (hs_sntp_parse_reply (p, 64, sent, &r), ==, HS_SNTP_VERDICT_OK);
  g_assert_cmpuint (r.stratum, ==, 2);
  g_assert_cmpuint (r.originate, ==, sent);
  g_assert_cmpuint (r.transmit, ==, sent + 2000);
  g_assert_cmpfloat_with_epsilon (r.root_dispersion, 0.5, 1e-9);
  /* LI 1 and 2 only announce a leap second. */
  make_reply (p, 1, 4, 4, 2);
  g_assert_cmpint (hs_sntp_parse_reply (p, 48, sent, NULL), ==, HS_SNTP_VERDICT_OK);
}

static void
test_rejects (void)
{
  guint8 p[48];
  HsSntpReply r;

  make_reply (p, 0, 4, 4, 2);
  g_assert_cmpint (hs_sntp_parse_reply (p, 47, sent, &r), ==, HS_SNTP_VERDICT_TOO_SHORT);
  g_assert_cmpint (hs_sntp_parse_reply (p, 0, sent, &r), ==, HS_SNTP_VERDICT_TOO_SHORT);
  g_assert_cmpint (hs_sntp_parse_reply (NULL, 48, sent, &r), ==, HS_SNTP_VERDICT_TOO_SHORT);

  for (guint8 mode = 0; mode < 8; mode++)
    {
      if (mode == 4)
        continue;
      make_reply (p, 0, 4, mode, 2);
      g_assert_cmpint (hs_sntp_parse_reply (p, 48, sent, &r), ==, HS_SNTP_VERDICT_BAD_MODE);
    }

  make_reply (p, 0, 0, 4, 2);
  g_assert_cmpint (hs_sntp_parse_reply (p, 48, sent, &r), ==, HS_SNTP_VERDICT_BAD_VERSION);
  make_reply (p, 0, 5, 4, 2);
  g_assert_cmpint (hs_sntp_parse_reply (p, 48, sent, &r), ==, HS_SNTP_VERDICT_BAD_VERSION);

  make_reply (p, 0, 4, 4, 2);
  put_u64 (p + 24, sent + 1);
  g_assert_cmpint (hs_sntp_parse_reply (p, 48, sent, &r), ==, HS_SNTP_VERDICT_ORIGINATE_MISMATCH);

  make_reply (p, 3, 4, 4, 2);
  g_assert_cmpint (hs_sntp_parse_reply (p, 48, sent, &r), ==, HS_SNTP_VERDICT_UNSYNCHRONISED);

  make_reply (p, 0, 4, 4, 16);
  g_assert_cmpint (hs_sntp_parse_reply (p, 48, sent, &r), ==, HS_SNTP_VERDICT_BAD_STRATUM);
  make_reply (p, 0, 4, 4, 255);
  g_assert_cmpint (hs_sntp_parse_reply (p, 48, sent, &r), ==, HS_SNTP_VERDICT_BAD_STRATUM);

  make_reply (p, 0, 4, 4, 2);
  put_u64 (p + 40, 0);
  g_assert_cmpint (hs_sntp_parse_reply (p, 48, sent, &r), ==, HS_SNTP_VERDICT_ZERO_TRANSMIT);
}

static void
test_kiss_o_death (void)
{
  static const char * const codes[] = { "RATE", "DENY", "RSTR" };
  guint8 p[48];
  HsSntpReply r;

  for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      make_reply (p, 3, 4, 4, 0);
      memcpy (p + 12, codes[i], 4);
      g_assert_cmpint (hs_sntp_parse_reply (p, 48, sent, &r), ==, HS_SNTP_VERDICT_KISS_O_DEATH);
      g_assert_cmpstr (r.kiss_code, ==, codes[i]);
    }
  /* Non-printable bytes never reach a log line. */
  make_reply (p, 0, 4, 4, 0);
  memcpy (p + 12, "R\001\n\377", 4);
  g_assert_cmpint (hs_sntp_parse_reply (p, 48, sent, &r), ==, HS_SNTP_VERDICT_KISS_O_DEATH);
  g_assert_cmpstr (r.kiss_code, ==, "R???");
  /* A spoofed KoD must not silence a server. */
  make_reply (p, 3, 4, 4, 0);
  memcpy (p + 12, "DENY", 4);
  put_u64 (p + 24, sent ^ 1);
  g_assert_cmpint (hs_sntp_parse_reply (p, 48, sent, &r), ==, HS_SNTP_VERDICT_ORIGINATE_MISMATCH);
}

static void
test_verdict_strings (void)
{
  g_assert_cmpstr (hs_sntp_verdict_to_string (HS_SNTP_VERDICT_ORIGINATE_MISMATCH), ==,
                   "originate timestamp mismatch");
  g_assert_cmpstr (hs_sntp_verdict_to_string (HS_SNTP_VERDICT_KISS_O_DEATH), ==, "Kiss-o'-Death");
  for (int v = HS_SNTP_VERDICT_OK; v <= HS_SNTP_VERDICT_ZERO_TRANSMIT; v++)
    g_assert_cmpstr (hs_sntp_verdict_to_string (v), !=, "unknown verdict");
}

static void
check_math (guint64 base, double local_ahead)
{
  /* Server clock = local − local_ahead; 10 ms each way, 1 ms in the server. */
  guint64 t1 = base;
  guint64 t2 = ts_at (base, 0.010 - local_ahead);
  guint64 t3 = ts_at (base, 0.011 - local_ahead);
  guint64 t4 = ts_at (base, 0.021);
  double theta, delta;

  hs_sntp_compute (t1, t2, t3, t4, &theta, &delta);
  /* θ is the server's lead; Handshake reports −θ (positive: we are ahead). */
  g_assert_cmpfloat_with_epsilon (-theta, local_ahead, 1e-6);
  g_assert_cmpfloat_with_epsilon (delta, 0.020, 1e-6);
}

static void
test_math (void)
{
  guint64 now = hs_sntp_timestamp_from_unix_usec (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC);

  check_math (now, 0);
  check_math (now, 300);      /* this computer 5 min ahead */
  check_math (now, -7200);    /* this computer 2 h behind */
  check_math (now, 0.1234);
}

static void
test_era (void)
{
  /* 2036-02-07 06:28:16 UTC: NTP seconds wrap to 0 (era 1). */
  gint64 wrap_unix = (G_GINT64_CONSTANT (1) << 32) - NTP_UNIX_DELTA;
  guint64 before = hs_sntp_timestamp_from_unix_usec ((wrap_unix - 1) * G_USEC_PER_SEC);
  guint64 after = hs_sntp_timestamp_from_unix_usec ((wrap_unix + 1) * G_USEC_PER_SEC);

  g_assert_cmpuint (before >> 32, ==, 0xffffffffu);
  g_assert_cmpuint (after >> 32, ==, 1);
  g_assert_cmpfloat_with_epsilon (hs_sntp_timestamp_diff (after, before), 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (hs_sntp_timestamp_diff (before, after), -2.0, 1e-9);

  /* Local clock just before the wrap, server already after it. */
  check_math (before, -300);
  check_math (after, 300);

  /* Back to Unix time with a pivot on either side of the wrap. */
  g_assert_cmpint (hs_sntp_timestamp_to_unix_usec (after, (wrap_unix - 100) * G_USEC_PER_SEC), ==,
                   (wrap_unix + 1) * G_USEC_PER_SEC);
  g_assert_cmpint (hs_sntp_timestamp_to_unix_usec (before, (wrap_unix + 100) * G_USEC_PER_SEC), ==,
                   (wrap_unix - 1) * G_USEC_PER_SEC);
}

static void
test_conversion (void)
{
  gint64 usec = G_GINT64_CONSTANT (1700000000123456);
  guint64 ntp = hs_sntp_timestamp_from_unix_usec (usec);

  g_assert_cmpuint (ntp >> 32, ==, 1700000000 + 2208988800u);
  g_assert_cmpint (hs_sntp_timestamp_to_unix_usec (ntp, usec - 1000000000), ==, usec);
  /* 0.5 s is 0x80000000 in the fraction. */
  g_assert_cmpuint (hs_sntp_timestamp_from_unix_usec (500000) & 0xffffffffu, ==, 0x80000000u);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/clock/sntp/request", test_request);
  g_test_add_func ("/clock/sntp/valid", test_valid);
  g_test_add_func ("/clock/sntp/rejects", test_rejects);
  g_test_add_func ("/clock/sntp/kiss-o-death", test_kiss_o_death);
  g_test_add_func ("/clock/sntp/verdict-strings", test_verdict_strings);
  g_test_add_func ("/clock/sntp/math", test_math);
  g_test_add_func ("/clock/sntp/era", test_era);
  g_test_add_func ("/clock/sntp/conversion", test_conversion);
  return g_test_run ();
}
