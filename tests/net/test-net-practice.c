/* test-net-practice.c — the network check in practice mode, through the
 * engine: the scenario's [network] group (strict, like every group), the
 * simulated verdicts, the action log, the report's "network" and
 * "codes_seen", and the check as a busy engine sees it. Nothing is sent. */
#include "config.h"

#include <string.h>
#include <jansson.h>

#include "hs-codes.h"
#include "hs-engine.h"
#include "hs-practice.h"
#include "hs-report.h"

static const char base[] =
  "[scenario]\nname=t\n[broker]\nregistered=yes\n[account work]\nemail=a@b.example\nkind=work\n";

static HsPlatform *
scenario (const char *network, GError **error)
{
  g_autofree char *text = g_strconcat (base, network, NULL);

  return hs_practice_platform_new_from_data (text, strlen (text), "test.ini", error);
}

static void
test_group (void)
{
  g_autoptr(GError) error = NULL;
  HsPlatform *pf;

  pf = scenario ("[network]\nsignin=sideways\n", &error);
  g_assert_null (pf);
  g_assert_error (error, HS_PRACTICE_ERROR, HS_PRACTICE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "[network] signin"));
  g_clear_error (&error);

  pf = scenario ("[network]\nproxy=not a url\n", &error);
  g_assert_null (pf);
  g_assert_nonnull (strstr (error->message, "[network] proxy"));
  g_clear_error (&error);

  pf = scenario ("[network]\ncolour=blue\n", &error);
  g_assert_null (pf);
  g_assert_nonnull (strstr (error->message, "unknown key"));
  g_clear_error (&error);

  pf = scenario ("", &error);
  g_assert_no_error (error);
  pf->destroy (pf->self);
}

typedef struct {
  HsNetCheck *check;
  GError     *error;
  gboolean    done;
  guint       progress;
  guint       changed;
} Wait;

static void
on_done (GObject *source, GAsyncResult *res, gpointer data)
{
  Wait *w = data;

  w->check = hs_engine_check_network_finish (HS_ENGINE (source), res, &w->error);
  w->done = TRUE;
}

static void
on_progress (HsEngine *engine, guint index, const char *url, int stage, Wait *w)
{
  w->progress++;
}

static void
on_changed (HsEngine *engine, Wait *w)
{
  w->changed++;
}

static void
test_engine (void)
{
  g_autoptr(GError) error = NULL;
  HsPlatform *pf = scenario ("[network]\nproxy=http://proxy.example:3128\nsignin=inspected\n"
                             "teams=timeout\ninspector=Example Inspection CA\n", &error);
  g_autoptr(HsEngine) engine = NULL;
  Wait w = { 0 }, busy = { 0 };
  g_autofree char *json = NULL;
  json_t *root, *net, *ep;
  json_error_t jerr;
  GPtrArray *actions;
  guint logged = 0;

  g_assert_no_error (error);
  engine = hs_engine_new (pf, NULL);
  g_signal_connect (engine, "network-progress", G_CALLBACK (on_progress), &w);
  g_signal_connect (engine, "network-changed", G_CALLBACK (on_changed), &w);
  g_assert_null (hs_engine_get_network (engine));
  hs_engine_check_network_async (engine, NULL, on_done, &w);
  g_assert_true (hs_engine_get_network_busy (engine));
  /* One check at a time. */
  hs_engine_check_network_async (engine, NULL, on_done, &busy);
  while (!w.done || !busy.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (busy.error, HS_ENGINE_ERROR, HS_ENGINE_ERROR_BUSY);
  g_clear_error (&busy.error);
  g_assert_no_error (w.error);
  g_assert_false (hs_engine_get_network_busy (engine));
  g_assert_cmpuint (w.changed, ==, 2);
  g_assert_cmpuint (w.progress, >=, 4);
  g_assert_true (hs_net_check_get_simulated (w.check));
  g_assert_cmpstr (hs_net_check_get_code (w.check), ==, HS_CODE_NET_INSPECTED);
  g_assert_true (hs_engine_get_network (engine) == w.check);

  actions = hs_engine_get_actions (engine);
  for (guint i = 0; i < actions->len; i++)
    {
      const HsAction *a = g_ptr_array_index (actions, i);
      if (g_str_equal (a->action, "network_check"))
        logged++;
    }
  g_assert_cmpuint (logged, ==, 2);

  g_assert_true (hs_engine_note_teams_code (engine, " caa82ee2 "));
  g_assert_true (hs_engine_note_teams_code (engine, "0xCAA82EE2"));   /* once in the list */
  g_assert_false (hs_engine_note_teams_code (engine, "nope"));
  g_assert_cmpuint (hs_engine_get_teams_codes (engine)->len, ==, 1);

  json = hs_report_to_json (engine, NULL);
  root = json_loads (json, 0, &jerr);
  g_assert_nonnull (root);
  net = json_object_get (root, "network");
  g_assert_cmpstr (json_string_value (json_object_get (net, "code")), ==, "net.inspected");
  g_assert_cmpstr (json_string_value (json_object_get (net, "teams_code")), ==, "0xCAA70004");
  g_assert_true (json_is_true (json_object_get (net, "simulated")));
  ep = json_array_get (json_object_get (net, "endpoints"), 1);
  g_assert_cmpstr (json_string_value (json_object_get (ep, "code")), ==, "net.timeout");
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (ep, "findings"), "proxy")), ==,
                   "http://proxy.example:3128");
  ep = json_array_get (json_object_get (root, "codes_seen"), 0);
  g_assert_cmpstr (json_string_value (json_object_get (ep, "code")), ==, "0xCAA82EE2");
  g_assert_cmpstr (json_string_value (json_object_get (ep, "next")), ==, "network");
  json_decref (root);
  g_clear_object (&w.check);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/practice/group", test_group);
  g_test_add_func ("/net/practice/engine", test_engine);
  return g_test_run ();
}
