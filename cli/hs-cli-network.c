/* hs-cli-network.c — handshake-cli's network check of the sign-in path
 * ("check --network", "report --network") and "explain CODE". */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "hs-cli-private.h"
#include "hs-codes.h"
#include "hs-report.h"
#include "hs-teams-codes.h"

static void
network_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  HsCliCtx *ctx = user_data;
  g_autoptr(HsNetCheck) check = hs_engine_check_network_finish (HS_ENGINE (source), res, &ctx->error);

  g_main_loop_quit (ctx->loop);
}

void
hs_cli_run_network (HsCliCtx *ctx)
{
  hs_engine_check_network_async (ctx->engine, NULL, network_done_cb, ctx);
  g_main_loop_run (ctx->loop);
}

int
hs_cli_network_exit_code (HsEngine *engine)
{
  HsNetCheck *check = hs_engine_get_network (engine);

  if (check == NULL)
    return HS_EXIT_UNVERIFIED;
  switch (hs_net_check_get_status (check))
    {
    case HS_STATUS_PROBLEM: return HS_EXIT_PROBLEM;
    case HS_STATUS_UNVERIFIED: return HS_EXIT_UNVERIFIED;
    default: return HS_EXIT_OK;
    }
}

/* "name 12 ms" fragments, separated by " · ". */
static void
add_fact (GString *line, const char *text)
{
  if (line->len > 0)
    g_string_append (line, " · ");
  g_string_append (line, text);
}

static void
add_ms (GString *line, HsResult *r, const char *key, const char *label)
{
  gint64 ms;

  if (hs_result_get_int (r, key, &ms))
    {
      /* TRANSLATORS: one stage of the network check and the time it took,
       * e.g. "name 12 ms"; %s is a translated stage name. */
      g_autofree char *text = g_strdup_printf (_("%s %d ms"), label, (int) ms);
      add_fact (line, text);
    }
}

void
hs_cli_print_network (HsEngine *engine)
{
  HsNetCheck *check = hs_engine_get_network (engine);
  GPtrArray *endpoints;

  if (check == NULL)
    return;
  endpoints = hs_net_check_get_endpoints (check);
  /* TRANSLATORS: "Network  problem  net.dns"; the code is never translated. */
  g_print (_("Network %-14s %s%s\n"), hs_status_name (hs_net_check_get_status (check)),
           hs_net_check_get_code (check),
           hs_net_check_get_simulated (check) ? _(" (simulated: practice mode)") : "");
  for (guint i = 0; i < endpoints->len; i++)
    {
      HsResult *r = g_ptr_array_index (endpoints, i);
      const char *teams = hs_code_teams_status (hs_result_get_code (r));
      const char *reason = hs_result_get_string (r, "reason");
      const char *root = hs_result_get_string (r, "root_name");
      g_autoptr(GString) facts = g_string_new (NULL);

      g_print ("  %s  %s %s", hs_result_get_string (r, "url"),
               hs_status_name (hs_result_get_status (r)), hs_result_get_code (r));
      if (teams != NULL)
        /* TRANSLATORS: %s is a Teams status code such as 0xCAA82EE7. */
        g_print (_(" (Teams shows %s)"), teams);
      g_print ("\n        %s\n", hs_result_get_summary (r));
      if (g_str_equal (hs_result_get_string (r, "proxy"), "direct"))
        add_fact (facts, _("no proxy"));
      else
        {
          /* TRANSLATORS: %s is the proxy's address, e.g. http://proxy.example:8080. */
          g_autofree char *proxy = g_strdup_printf (_("proxy %s"), hs_result_get_string (r, "proxy"));
          add_fact (facts, proxy);
        }
      add_ms (facts, r, "dns_ms", _("name"));
      add_ms (facts, r, "connect_ms", _("connection"));
      add_ms (facts, r, "tunnel_ms", _("proxy tunnel"));
      add_ms (facts, r, "tls_ms", _("secure connection"));
      g_print ("        %s\n", facts->str);
      if (hs_result_get_string (r, "addresses") != NULL)
        g_print ("        %s → %s\n", hs_result_get_string (r, "resolved_name"),
                 hs_result_get_string (r, "addresses"));
      if (root != NULL)
        {
          /* TRANSLATORS: %s names the certificate authority the chain ends at. */
          g_autofree char *line = g_strdup_printf (_("certificate from: %s"), root);
          g_print ("        %s (%s)\n", line, hs_result_get_string (r, "root"));
        }
      if (reason != NULL)
        g_print ("        %s\n", reason);
    }
}

int
hs_cli_explain (HsCliCtx *ctx, const HsCliOutput *o, const char *input, gboolean json)
{
  HsTeamsCode info;

  if (!hs_teams_code_explain (input, &info, NULL))
    {
      /* TRANSLATORS: %s is what the user typed; keep 0xCAA20003 as it is. */
      g_autofree char *msg = g_strdup_printf (_("“%s” is not a Teams status code; they look like 0xCAA20003."),
                                              input);
      g_printerr ("handshake-cli: %s\n", msg);
      return HS_EXIT_USAGE;
    }
  hs_engine_note_teams_code (ctx->engine, input);
  if (json)
    {
      hs_cli_print_report (o, ctx->engine, TRUE);
      return HS_EXIT_OK;
    }
  g_print ("%s  %s\n", info.code, hs_teams_code_meaning (&info, FALSE));
  /* TRANSLATORS: followed by what to do about a Teams status code. */
  g_print ("%s %s\n", _("What to do:"), hs_teams_code_advice (&info, FALSE));
  switch (info.next)
    {
    case HS_TEAMS_NEXT_STEPS:
      g_print ("  handshake-cli check\n");
      break;
    case HS_TEAMS_NEXT_NETWORK:
      g_print ("  handshake-cli check --network\n");
      break;
    case HS_TEAMS_NEXT_IT:
    default:
      break;
    }
  if (info.source_title != NULL)
    /* TRANSLATORS: where the explanation comes from: a page title, then its address. */
    g_print (_("Source: %s\n        %s\n"), info.source_title, info.source_url);
  return HS_EXIT_OK;
}
