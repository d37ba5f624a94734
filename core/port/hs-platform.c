/* hs-platform.c — helpers shared by every platform instance. Plain C. */
#include "hs-platform.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
hs_port_status_set (HsPortStatus *st, HsPortCode code, uint32_t os_error,
                    const char *fmt, ...)
{
  va_list ap;

  if (st == NULL)
    return;
  st->code = code;
  st->os_error = os_error;
  if (fmt == NULL)
    {
      st->detail[0] = '\0';
      return;
    }
  va_start (ap, fmt);
  vsnprintf (st->detail, sizeof st->detail, fmt, ap);
  va_end (ap);
}

const char *
hs_port_code_name (HsPortCode code)
{
  switch (code)
    {
    case HS_PORT_OK: return "ok";
    case HS_PORT_NOT_FOUND: return "not_found";
    case HS_PORT_ACCESS_DENIED: return "access_denied";
    case HS_PORT_DECLINED: return "declined";
    case HS_PORT_UNSUPPORTED: return "unsupported";
    case HS_PORT_UNREACHABLE: return "unreachable";
    case HS_PORT_TIMEOUT: return "timeout";
    case HS_PORT_CANCELLED: return "cancelled";
    case HS_PORT_IO: return "io_error";
    case HS_PORT_BAD_INPUT: return "bad_input";
    case HS_PORT_FAILED: return "failed";
    }
  return "failed";
}

void
hs_port_credentials_free (HsCredentialList *list)
{
  if (list == NULL)
    return;
  for (size_t i = 0; i < list->n_items; i++)
    {
      free (list->items[i].target);
      free (list->items[i].user);
      free (list->items[i].comment);
    }
  free (list->items);
  list->items = NULL;
  list->n_items = 0;
}

void
hs_port_accounts_free (HsAccountList *list)
{
  if (list == NULL)
    return;
  for (size_t i = 0; i < list->n_items; i++)
    {
      free (list->items[i].email);
      free (list->items[i].sources);
    }
  free (list->items);
  list->items = NULL;
  list->n_items = 0;
}

int
hs_port_cancelled (const HsPortCancel *cancel)
{
  return cancel != NULL && cancel->is_cancelled != NULL &&
         cancel->is_cancelled (cancel->data);
}

const char *
hs_service_state_name (HsServiceState s)
{
  switch (s)
    {
    case HS_SERVICE_MISSING: return "missing";
    case HS_SERVICE_STOPPED: return "stopped";
    case HS_SERVICE_STARTING: return "starting";
    case HS_SERVICE_RUNNING: return "running";
    case HS_SERVICE_STOPPING: return "stopping";
    case HS_SERVICE_UNKNOWN: break;
    }
  return "unknown";
}

const char *
hs_service_start_name (HsServiceStart s)
{
  switch (s)
    {
    case HS_START_AUTO: return "auto";
    case HS_START_MANUAL: return "manual";
    case HS_START_DISABLED: return "disabled";
    case HS_START_UNKNOWN: break;
    }
  return "unknown";
}

const char *
hs_cred_type_name (uint32_t type)
{
  /* CRED_TYPE_* values from wincred.h */
  switch (type)
    {
    case 1: return "generic";
    case 2: return "domain_password";
    case 3: return "domain_certificate";
    case 4: return "domain_visible_password";
    case 5: return "generic_certificate";
    case 6: return "domain_extended";
    default: return "unknown";
    }
}

const char *
hs_cred_persist_name (uint32_t persist)
{
  switch (persist)
    {
    case 1: return "session";
    case 2: return "local_machine";
    case 3: return "enterprise";
    default: return "unknown";
    }
}

const char *
hs_lookup_method_name (HsLookupMethod m)
{
  switch (m)
    {
    case HS_LOOKUP_API: return "api";
    case HS_LOOKUP_POWERSHELL: return "powershell";
    case HS_LOOKUP_SIMULATED: return "simulated";
    case HS_LOOKUP_NONE: break;
    }
  return "none";
}

const char *
hs_account_kind_name (HsAccountKind kind)
{
  switch (kind)
    {
    case HS_ACCOUNT_WORK: return "work";
    case HS_ACCOUNT_PERSONAL: return "personal";
    case HS_ACCOUNT_UNKNOWN: break;
    }
  return "unknown";
}
