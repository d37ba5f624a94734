/* libFuzzer target: practice scenario files. A scenario either loads or is
 * refused with an error naming the file. */
#include "config.h"

#include <string.h>
#include <glib.h>

#include "hs-practice.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  GError *error = NULL;
  HsPlatform *p = hs_practice_platform_new_from_data ((const char *) data, size, "fuzz.ini", &error);

  if (p != NULL)
    {
      HsCredentialList creds = { 0 };
      HsAccountList accounts = { 0 };
      p->list_credentials (p->self, &creds, NULL);
      p->list_accounts (p->self, &accounts, NULL);
      hs_port_credentials_free (&creds);
      hs_port_accounts_free (&accounts);
      p->destroy (p->self);
    }
  else
    {
      g_assert (error != NULL && g_str_has_prefix (error->message, "fuzz.ini"));
      g_error_free (error);
    }
  return 0;
}
