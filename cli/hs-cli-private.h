/* hs-cli-private.h — shared by the files of handshake-cli: handshake-cli.c
 * (options, the steps, fixes, restore), hs-cli-output.c (printing) and
 * hs-cli-network.c (the network check of the sign-in path, explain). */
#pragma once

#include "hs-cli-output.h"
#include "hs-engine.h"

G_BEGIN_DECLS

/* Exit codes (stable, documented in README.md). */
enum {
  HS_CLI_EXIT_OK = 0,          /* nothing wrong */
  HS_CLI_EXIT_PROBLEM = 1,     /* a problem remains (or was found) */
  HS_CLI_EXIT_USAGE = 2,       /* usage error, or a fix refused for want of --yes */
  HS_CLI_EXIT_UNVERIFIED = 3   /* could not check */
};

typedef struct {
  GMainLoop    *loop;
  HsEngine     *engine;
  GError       *error;
  HsResult     *result;
} HsCliCtx;

/* hs-cli-network.c */
/* FALSE, with one line on stderr, for a --signin-url that is not https://. */
gboolean hs_cli_check_urls     (char **urls);
void     hs_cli_run_network    (HsCliCtx *ctx);
int      hs_cli_network_exit_code (HsEngine *engine);
void     hs_cli_print_network  (HsEngine *engine);
int      hs_cli_explain        (HsCliCtx *ctx, const HsCliOutput *o, const char *input,
                                gboolean json);

G_END_DECLS
