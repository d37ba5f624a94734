/* hs-cli-private.h — shared by the files of handshake-cli: handshake-cli.c
 * (the steps, fixes, restore), hs-cli-output.c (printing) and
 * hs-cli-network.c (the network check of the sign-in path, explain). */
#pragma once

#include "hs-cli-args.h"
#include "hs-cli-output.h"
#include "hs-engine.h"

G_BEGIN_DECLS

typedef struct {
  GMainLoop    *loop;
  HsEngine     *engine;
  GError       *error;
  HsResult     *result;
} HsCliCtx;

/* hs-cli-network.c */
void     hs_cli_run_network    (HsCliCtx *ctx);
int      hs_cli_network_exit_code (HsEngine *engine);
void     hs_cli_print_network  (HsEngine *engine);
int      hs_cli_explain        (HsCliCtx *ctx, const HsCliOutput *o, const char *input,
                                gboolean json);

G_END_DECLS
