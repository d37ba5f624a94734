/* hs-report-network.c — the network check and the Teams codes seen, in
 * both reports (schema handshake-report/1: members added, none changed). */
#define G_LOG_DOMAIN "Handshake"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-codes.h"
#include "hs-report-private.h"
#include "hs-teams-codes.h"

static json_t *
endpoint_json (HsResult *r, const HsReportOptions *o)
{
  json_t *e = json_object ();
  json_t *findings = json_object ();
  const char *teams = hs_code_teams_status (hs_result_get_code (r));

  json_object_set_new (e, "url", hs_report_json_text (hs_result_get_string (r, "url")));
  json_object_set_new (e, "status", json_string (hs_status_name (hs_result_get_status (r))));
  json_object_set_new (e, "code", json_string (hs_result_get_code (r)));
  json_object_set_new (e, "teams_code", teams ? json_string (teams) : json_null ());
  json_object_set_new (e, "summary", hs_report_json_text (o->english ? hs_result_get_summary_en (r)
                                                                     : hs_result_get_summary (r)));
  hs_report_add_findings (findings, hs_result_get_findings (r), o);
  json_object_set_new (e, "findings", findings);
  return e;
}

static void
codes_seen_json (json_t *root, HsEngine *engine, const HsReportOptions *o)
{
  GPtrArray *codes = hs_engine_get_teams_codes (engine);
  json_t *list;

  if (codes->len == 0)
    return;
  list = json_array ();
  for (guint i = 0; i < codes->len; i++)
    {
      HsTeamsCode info;
      json_t *c = json_object ();

      hs_teams_code_explain (g_ptr_array_index (codes, i), &info, NULL);
      json_object_set_new (c, "code", json_string (info.code));
      json_object_set_new (c, "known", json_boolean (info.known));
      json_object_set_new (c, "next", json_string (hs_teams_next_name (info.next)));
      json_object_set_new (c, "meaning", hs_report_json_text (hs_teams_code_meaning (&info, o->english)));
      json_object_set_new (c, "advice", hs_report_json_text (hs_teams_code_advice (&info, o->english)));
      if (info.source_url != NULL)
        json_object_set_new (c, "source", json_string (info.source_url));
      json_array_append_new (list, c);
    }
  json_object_set_new (root, "codes_seen", list);
}

void
hs_report_network_json (json_t *root, HsEngine *engine, const HsReportOptions *o)
{
  HsNetCheck *check = hs_engine_get_network (engine);

  if (check != NULL)
    {
      json_t *net = json_object ();
      json_t *list = json_array ();
      GPtrArray *endpoints = hs_net_check_get_endpoints (check);
      const char *teams = hs_code_teams_status (hs_net_check_get_code (check));

      json_object_set_new (net, "status", json_string (hs_status_name (hs_net_check_get_status (check))));
      json_object_set_new (net, "code", json_string (hs_net_check_get_code (check)));
      json_object_set_new (net, "teams_code", teams ? json_string (teams) : json_null ());
      json_object_set_new (net, "simulated", json_boolean (hs_net_check_get_simulated (check)));
      json_object_set_new (net, "timeout_ms", json_integer (hs_net_check_get_timeout_ms (check)));
      json_object_set_new (net, "elapsed_ms", json_integer (hs_net_check_get_elapsed_ms (check)));
      for (guint i = 0; i < endpoints->len; i++)
        json_array_append_new (list, endpoint_json (g_ptr_array_index (endpoints, i), o));
      json_object_set_new (net, "endpoints", list);
      json_object_set_new (root, "network", net);
    }
  codes_seen_json (root, engine, o);
}

void
hs_report_network_text (GString *out, HsEngine *engine, const HsReportOptions *o)
{
  HsNetCheck *check = hs_engine_get_network (engine);
  GPtrArray *codes = hs_engine_get_teams_codes (engine);

  if (check != NULL)
    {
      GPtrArray *endpoints = hs_net_check_get_endpoints (check);

      g_string_append_printf (out, "\n[%s] %s: %s (%s)%s\n", "network",
                              hs_report_tr (o, N_("Network check of the sign-in path")),
                              hs_status_name (hs_net_check_get_status (check)),
                              hs_net_check_get_code (check),
                              hs_net_check_get_simulated (check)
                              ? hs_report_tr (o, N_(" — simulated, nothing was sent")) : "");
      for (guint i = 0; i < endpoints->len; i++)
        {
          HsResult *r = g_ptr_array_index (endpoints, i);
          const char *teams = hs_code_teams_status (hs_result_get_code (r));
          GPtrArray *findings = hs_result_get_findings (r);

          g_string_append_printf (out, "    %s: %s (%s%s%s)\n      %s\n",
                                  hs_result_get_string (r, "url"),
                                  hs_status_name (hs_result_get_status (r)), hs_result_get_code (r),
                                  teams ? ", Teams " : "", teams ? teams : "",
                                  o->english ? hs_result_get_summary_en (r) : hs_result_get_summary (r));
          for (guint j = 0; j < findings->len; j++)
            {
              const HsFinding *f = g_ptr_array_index (findings, j);

              if (g_str_equal (f->key, "url"))
                continue;
              g_string_append_printf (out, "      %s: ", f->key);
              hs_report_append_value (out, f, o);
              g_string_append_c (out, '\n');
            }
        }
    }
  if (codes->len > 0)
    {
      g_string_append_printf (out, "\n%s:\n", hs_report_tr (o, N_("Codes Teams showed")));
      for (guint i = 0; i < codes->len; i++)
        {
          HsTeamsCode info;

          hs_teams_code_explain (g_ptr_array_index (codes, i), &info, NULL);
          g_string_append_printf (out, "  %s (%s, %s): %s\n", info.code,
                                  info.known ? "known" : "unknown", hs_teams_next_name (info.next),
                                  hs_teams_code_meaning (&info, o->english));
        }
    }
}
