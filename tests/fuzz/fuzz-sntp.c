/* libFuzzer target: SNTP replies from the network. A reply is accepted only
 * when every RFC check passes; an accepted reply must echo our originate. */
#include "config.h"

#include <assert.h>
#include <string.h>

#include "hs-sntp.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  HsSntpReply reply;
  guint64 sent = 0;
  double theta, delta;

  /* The first 8 bytes choose the transmit timestamp we "sent". */
  if (size >= 8)
    {
      memcpy (&sent, data, 8);
      data += 8;
      size -= 8;
    }
  memset (&reply, 0, sizeof reply);
  if (hs_sntp_parse_reply (data, size, sent, &reply) == HS_SNTP_VERDICT_OK)
    {
      assert (size >= HS_SNTP_PACKET_SIZE);
      hs_sntp_compute (sent, reply.receive, reply.transmit, sent + 1, &theta, &delta);
    }
  return 0;
}
