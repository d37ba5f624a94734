/* hs-broker-practice.c — step 3 on the practice machine: the two sign-in
 * packages, registered or not, their manifests present or not, and a
 * re-registration that fails as the scenario says.
 *
 * Scenario: [broker] registered, manifest, status, cxh_registered,
 * cxh_manifest, cxh_status, check; [fixes] broker. A status is what
 * Get-AppxPackage says of a registered package: ok, modified, tampered,
 * disabled, license_issue, or servicing (Windows is updating it).
 */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <string.h>

#include "hs-broker-step.h"
#include "hs-practice-private.h"

typedef struct {
  HsTri       registered, manifest;          /* the AAD broker plugin */
  HsTri       cxh_registered, cxh_manifest;  /* its Microsoft-account twin */
  char       *status, *cxh_status;           /* Get-AppxPackage's Status, simulated */
  HsPortCode  state_code;                    /* how the lookup goes */
  char       *fix;                           /* "ok", "denied", "fail" */
} BrokerSim;

static void
broker_sim_free (gpointer data)
{
  BrokerSim *b = data;

  g_free (b->status);
  g_free (b->cxh_status);
  g_free (b->fix);
  g_free (b);
}

/* A scenario's status as Windows prints it, with its flags. */
static const struct { const char *key, *text; guint32 flags; } statuses[] = {
  { "ok", "Ok", 0 },
  { "modified", "Modified", HS_PKG_STATUS_MODIFIED },
  { "tampered", "Modified, Tampered", HS_PKG_STATUS_MODIFIED | HS_PKG_STATUS_TAMPERED },
  { "disabled", "Disabled", HS_PKG_STATUS_DISABLED },
  { "license_issue", "LicenseIssue", HS_PKG_STATUS_LICENSE_ISSUE },
  { "servicing", "Servicing", HS_PKG_STATUS_SERVICING },
};

static void
set_status (HsPackageState *out, const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_str_equal (key, statuses[i].key))
      {
        g_strlcpy (out->status_text, statuses[i].text, sizeof out->status_text);
        out->status_flags = statuses[i].flags;
        out->status_ok = statuses[i].flags == 0 ? HS_TRI_YES : HS_TRI_NO;
      }
}

static gpointer
broker_sim_new (void)
{
  return g_new0 (BrokerSim, 1);
}

static gboolean
broker_load (gpointer state, HsScenario *s, GError **error)
{
  static const char * const known[] = { "registered", "manifest", "status", "cxh_registered",
                                        "cxh_manifest", "cxh_status", "check", NULL };
  static const char * const outcome[] = { "ok", "denied", "fail", NULL };
  static const char * const status[] = { "ok", "modified", "tampered", "disabled", "license_issue",
                                         "servicing", NULL };
  BrokerSim *b = state;

  return hs_scenario_check_keys (s, "broker", known, error) &&
         hs_scenario_get_choice (s, "broker", "status", "ok", status, &b->status, error) &&
         hs_scenario_get_choice (s, "broker", "cxh_status", "ok", status, &b->cxh_status, error) &&
         hs_scenario_get_tri (s, "broker", "registered", HS_TRI_YES, &b->registered, error) &&
         hs_scenario_get_tri (s, "broker", "manifest", HS_TRI_YES, &b->manifest, error) &&
         hs_scenario_get_tri (s, "broker", "cxh_registered", HS_TRI_YES, &b->cxh_registered, error) &&
         hs_scenario_get_tri (s, "broker", "cxh_manifest", HS_TRI_YES, &b->cxh_manifest, error) &&
         hs_scenario_get_port_code (s, "broker", "check", &b->state_code, error) &&
         hs_scenario_get_choice (s, "fixes", "broker", "ok", outcome, &b->fix, error);
}

static HsPortCode
practice_package_state (void *self, const char *family, HsPackageState *out,
                        const HsPortCancel *cancel, HsPortStatus *st)
{
  HsPractice *p = self;
  BrokerSim *b = p->state[HS_STEP_BROKER];
  gboolean aad = g_str_equal (family, HS_BROKER_FAMILY);
  HS_PRACTICE_LOCKED (p);

  memset (out, 0, sizeof *out);
  if (b->state_code != HS_PORT_OK)
    {
      hs_port_status_set (st, b->state_code, 5, "simulated: package query refused");
      return b->state_code;
    }
  g_strlcpy (out->family, family, sizeof out->family);
  out->registered = aad ? b->registered : b->cxh_registered;
  out->manifest_present = aad ? b->manifest : b->cxh_manifest;
  g_snprintf (out->manifest_path, sizeof out->manifest_path,
              "C:\\Windows\\SystemApps\\%s\\AppxManifest.xml", family);
  out->method = HS_LOOKUP_SIMULATED;
  out->status_ok = HS_TRI_UNKNOWN;
  if (out->registered == HS_TRI_YES)
    set_status (out, aad ? b->status : b->cxh_status);
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static HsPortCode
practice_reregister (void *self, const char *family, const HsPortCancel *cancel, HsPortStatus *st)
{
  HsPractice *p = self;
  BrokerSim *b = p->state[HS_STEP_BROKER];
  gboolean aad = g_str_equal (family, HS_BROKER_FAMILY);

  hs_practice_simulate_work (p, cancel);
  if (hs_port_cancelled (cancel))
    {
      hs_port_status_set (st, HS_PORT_CANCELLED, 0, "cancelled before Add-AppxPackage");
      return HS_PORT_CANCELLED;
    }
  HS_PRACTICE_LOCKED (p);
  if (g_str_equal (b->fix, "fail") || g_str_equal (b->fix, "denied"))
    {
      HsPortCode code = g_str_equal (b->fix, "fail") ? HS_PORT_FAILED : HS_PORT_ACCESS_DENIED;
      hs_port_status_set (st, code, 0x80073CF9,
                          "simulated: Add-AppxPackage failed with 0x80073CF9");
      return code;
    }
  if ((aad ? b->manifest : b->cxh_manifest) != HS_TRI_YES)
    {
      hs_port_status_set (st, HS_PORT_NOT_FOUND, 2, "simulated: manifest of %s missing", family);
      return HS_PORT_NOT_FOUND;
    }
  /* Registered again from its manifest: whole again. */
  g_free (aad ? b->status : b->cxh_status);
  if (aad)
    b->registered = HS_TRI_YES, b->status = g_strdup ("ok");
  else
    b->cxh_registered = HS_TRI_YES, b->cxh_status = g_strdup ("ok");
  hs_port_status_set (st, HS_PORT_OK, 0, NULL);
  return HS_PORT_OK;
}

static void
broker_install (HsPlatform *platform)
{
  platform->package_state = practice_package_state;
  platform->reregister_package = practice_reregister;
}

static const char * const fixes_keys[] = { "broker", NULL };

const HsPracticeStep hs_broker_practice = {
  .group = "broker",
  .fixes_keys = fixes_keys,
  .new_state = broker_sim_new,
  .free_state = broker_sim_free,
  .load = broker_load,
  .install = broker_install,
};
