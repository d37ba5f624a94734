/* hs-sntp.c — SNTP request building, reply validation and offset math. */
#include "config.h"

#include "hs-sntp.h"

#include <string.h>

/* Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
#define NTP_UNIX_DELTA G_GINT64_CONSTANT (2208988800)
#define NTP_ERA_SECONDS (G_GINT64_CONSTANT (1) << 32)

static guint32
read_u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint64
read_u64 (const guint8 *p)
{
  return ((guint64) read_u32 (p) << 32) | read_u32 (p + 4);
}

static void
write_u64 (guint8 *p, guint64 v)
{
  for (int i = 7; i >= 0; i--)
    {
      p[i] = v & 0xff;
      v >>= 8;
    }
}

/* NTP short format (16.16) to seconds. */
static double
short_to_seconds (guint32 v)
{
  return (double) v / 65536.0;
}

guint64
hs_sntp_timestamp_from_unix_usec (gint64 unix_usec)
{
  gint64 secs = unix_usec / G_USEC_PER_SEC;
  gint64 usec = unix_usec % G_USEC_PER_SEC;

  if (usec < 0)
    {
      usec += G_USEC_PER_SEC;
      secs -= 1;
    }
  /* Modulo 2^32 is exactly the era wrap-around. */
  guint32 ntp_secs = (guint32) (guint64) (secs + NTP_UNIX_DELTA);
  guint32 frac = (guint32) (((guint64) usec << 32) / G_USEC_PER_SEC);

  return ((guint64) ntp_secs << 32) | frac;
}

gint64
hs_sntp_timestamp_to_unix_usec (guint64 ntp, gint64 pivot_unix_usec)
{
  /* Signed distance from the pivot, whatever the era. */
  guint64 pivot = hs_sntp_timestamp_from_unix_usec (pivot_unix_usec);
  gint64 diff = (gint64) (ntp - pivot);
  /* diff is 32.32 fixed point; split to keep full precision. */
  gint64 diff_secs = diff >> 32;   /* arithmetic shift: floor */
  guint64 diff_frac = (guint64) diff & 0xffffffffu;
  gint64 diff_usec = (gint64) ((diff_frac * G_USEC_PER_SEC + (G_GUINT64_CONSTANT (1) << 31)) >> 32);

  return pivot_unix_usec + diff_secs * G_USEC_PER_SEC + diff_usec;
}

double
hs_sntp_timestamp_diff (guint64 a, guint64 b)
{
  return (double) (gint64) (a - b) / 4294967296.0;
}

void
hs_sntp_build_request (guint8 packet[HS_SNTP_PACKET_SIZE], guint64 transmit)
{
  memset (packet, 0, HS_SNTP_PACKET_SIZE);
  packet[0] = (0 << 6) | (4 << 3) | 3;   /* LI 0, VN 4, mode 3 (client) */
  write_u64 (packet + 40, transmit);
}

HsSntpVerdict
hs_sntp_parse_reply (const guint8 *data,
                     gsize len,
                     guint64 sent_transmit,
                     HsSntpReply *reply)
{
  HsSntpReply r = { 0 };

  if (reply)
    memset (reply, 0, sizeof *reply);
  if (data == NULL || len < HS_SNTP_PACKET_SIZE)
    return HS_SNTP_VERDICT_TOO_SHORT;

  r.leap = data[0] >> 6;
  r.version = (data[0] >> 3) & 0x7;
  r.mode = data[0] & 0x7;
  r.stratum = data[1];
  r.root_delay = short_to_seconds (read_u32 (data + 4));
  r.root_dispersion = short_to_seconds (read_u32 (data + 8));
  r.originate = read_u64 (data + 24);
  r.receive = read_u64 (data + 32);
  r.transmit = read_u64 (data + 40);
  if (r.stratum == 0)
    {
      for (int i = 0; i < 4; i++)
        {
          guint8 c = data[12 + i];
          r.kiss_code[i] = (c >= 0x20 && c < 0x7f) ? (char) c : '?';
        }
      r.kiss_code[4] = '\0';
    }
  if (reply)
    *reply = r;

  if (r.mode != 4)
    return HS_SNTP_VERDICT_BAD_MODE;
  if (r.version < 1 || r.version > 4)
    return HS_SNTP_VERDICT_BAD_VERSION;
  /* Before honouring a Kiss-o'-Death: a spoofed one must not silence us. */
  if (r.originate != sent_transmit)
    return HS_SNTP_VERDICT_ORIGINATE_MISMATCH;
  if (r.stratum == 0)
    return HS_SNTP_VERDICT_KISS_O_DEATH;
  if (r.leap == 3)
    return HS_SNTP_VERDICT_UNSYNCHRONISED;
  if (r.stratum > 15)
    return HS_SNTP_VERDICT_BAD_STRATUM;
  if (r.transmit == 0)
    return HS_SNTP_VERDICT_ZERO_TRANSMIT;

  return HS_SNTP_VERDICT_OK;
}

const char *
hs_sntp_verdict_to_string (HsSntpVerdict verdict)
{
  switch (verdict)
    {
    case HS_SNTP_VERDICT_OK:
      return "valid reply";
    case HS_SNTP_VERDICT_TOO_SHORT:
      return "reply too short (malformed)";
    case HS_SNTP_VERDICT_BAD_MODE:
      return "reply is not in server mode";
    case HS_SNTP_VERDICT_BAD_VERSION:
      return "unsupported NTP version";
    case HS_SNTP_VERDICT_ORIGINATE_MISMATCH:
      return "originate timestamp mismatch";
    case HS_SNTP_VERDICT_KISS_O_DEATH:
      return "Kiss-o'-Death";
    case HS_SNTP_VERDICT_UNSYNCHRONISED:
      return "server clock not synchronised (leap indicator 3)";
    case HS_SNTP_VERDICT_BAD_STRATUM:
      return "invalid stratum";
    case HS_SNTP_VERDICT_ZERO_TRANSMIT:
      return "transmit timestamp is zero";
    default:
      return "unknown verdict";
    }
}

void
hs_sntp_compute (guint64 t1,
                 guint64 t2,
                 guint64 t3,
                 guint64 t4,
                 double *theta,
                 double *delta)
{
  double d21 = hs_sntp_timestamp_diff (t2, t1);
  double d34 = hs_sntp_timestamp_diff (t3, t4);
  double d41 = hs_sntp_timestamp_diff (t4, t1);
  double d32 = hs_sntp_timestamp_diff (t3, t2);

  if (theta)
    *theta = (d21 + d34) / 2.0;
  if (delta)
    *delta = d41 - d32;
}
