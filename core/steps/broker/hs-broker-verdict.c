/* hs-broker-verdict.c — step 3's verdict: whether the sign-in packages are
 * registered for this user and their files present. Pure code. */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-broker-step.h"
#include "hs-step-table.h"

HsResult *
hs_broker_verdict (HsPortCode code, const HsPortStatus *status,
                   const HsPackageState *states, gsize n_states)
{
  gboolean unknown = FALSE, missing = FALSE, unregistered = FALSE, broken = FALSE, servicing = FALSE;
  HsResult *r;

  if (code != HS_PORT_OK)
    return hs_step_port_failure (HS_STEP_BROKER, code, status, HS_CODE_BROKER_NOT_APPLICABLE,
                                 HS_CODE_BROKER_UNVERIFIED,
                                 N_("Handshake could not tell whether the sign-in component is registered."));

  for (gsize i = 0; i < n_states; i++)
    {
      if (states[i].registered == HS_TRI_UNKNOWN)
        unknown = TRUE;
      else if (states[i].registered == HS_TRI_NO)
        {
          unregistered = TRUE;
          if (states[i].manifest_present != HS_TRI_YES)
            missing = TRUE;
        }
      else if (states[i].status_flags & HS_PKG_STATUS_SERVICING)
        servicing = TRUE;
      else if (states[i].status_ok == HS_TRI_NO)
        broken = TRUE;
    }

  /* While Windows deploys the package, re-registering it would only
   * collide with that: wait. */
  if (unregistered && missing)
    r = hs_result_new (HS_STEP_BROKER, HS_STATUS_PROBLEM, HS_CODE_BROKER_MANIFEST_MISSING, HS_FIX_GUIDED,
                       N_("The Windows sign-in component is missing from this computer and needs a Windows repair."));
  else if (servicing)
    r = hs_result_new (HS_STEP_BROKER, HS_STATUS_WARNING, HS_CODE_BROKER_SERVICING, HS_FIX_NONE,
                       N_("Windows is updating the sign-in component. Try again later."));
  else if (unregistered)
    r = hs_result_new (HS_STEP_BROKER, HS_STATUS_PROBLEM, HS_CODE_BROKER_UNREGISTERED, HS_FIX_AUTOMATIC,
                       N_("The Windows sign-in component that Teams relies on is not registered for you."));
  else if (broken)
    r = hs_result_new (HS_STEP_BROKER, HS_STATUS_PROBLEM, HS_CODE_BROKER_BROKEN, HS_FIX_AUTOMATIC,
                       N_("The Windows sign-in component is registered for you, but Windows reports it as damaged."));
  else if (unknown)
    r = hs_result_new (HS_STEP_BROKER, HS_STATUS_UNVERIFIED, HS_CODE_BROKER_UNVERIFIED, HS_FIX_NONE,
                       N_("Handshake could not tell whether the sign-in component is registered."));
  else
    r = hs_result_new (HS_STEP_BROKER, HS_STATUS_OK, HS_CODE_BROKER_OK, HS_FIX_NONE,
                       N_("The Windows sign-in component is registered."));

  for (gsize i = 0; i < n_states; i++)
    {
      HsItem *item = hs_result_add_item (r, "package");
      hs_item_add_string (item, "family", states[i].family, HS_SENSITIVITY_PUBLIC);
      hs_item_add_string (item, "registered", hs_tri_name (states[i].registered), HS_SENSITIVITY_PUBLIC);
      hs_item_add_string (item, "manifest", hs_tri_name (states[i].manifest_present), HS_SENSITIVITY_PUBLIC);
      if (states[i].manifest_path[0] != '\0')
        hs_item_add_string (item, "manifest_path", states[i].manifest_path, HS_SENSITIVITY_TEXT);
      hs_item_add_string (item, "method", hs_lookup_method_name (states[i].method), HS_SENSITIVITY_PUBLIC);
      /* Windows' own word for the package's state ("Ok", "Modified, Tampered"). */
      hs_item_add_string (item, "status_ok", hs_tri_name (states[i].status_ok), HS_SENSITIVITY_PUBLIC);
      if (states[i].status_text[0] != '\0')
        hs_item_add_string (item, "status", states[i].status_text, HS_SENSITIVITY_PUBLIC);
      if (states[i].status_flags & HS_PKG_STATUS_SERVICING)
        hs_item_add_bool (item, "servicing", TRUE);
    }
  return r;
}
