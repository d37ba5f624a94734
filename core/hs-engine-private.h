/* hs-engine-private.h — shared by the files of HsEngine: hs-engine.c (state,
 * checks, fixes and their fan-in), hs-engine-shell.c (shell actions) and
 * hs-engine-network.c (the network check, the Teams codes seen). */
#pragma once

#include "hs-engine.h"

G_BEGIN_DECLS

struct _HsEngine
{
  GObject              parent_instance;

  HsPlatform          *platform;        /* (owned) */
  HsClockProbeOptions *clock_options;   /* (owned) */
  HsPatternSet         patterns;        /* (owned) */
  HsStepState          states[HS_N_STEPS + 1];
  HsResult            *results[HS_N_STEPS + 1];   /* (owned) (nullable) */
  GPtrArray           *actions;         /* (owned) (element-type HsAction) */
  char                *last_backup;     /* (owned) (nullable) */
  char                *work_account;    /* (owned) (nullable) */
  guintptr             owner_window;    /* the wizard's window (an HWND), 0: none */
  /* hs-engine-network.c */
  HsNetCheckOptions   *net_options;     /* (owned) */
  HsNetCheck          *network;         /* (owned) (nullable) the latest */
  gboolean             net_busy;
  GPtrArray           *teams_codes;     /* (owned) (element-type utf8) */
};

/* Moves the actions of @sink to the log and announces each; main context. */
void hs_engine_log_actions (HsEngine *self, HsActionSink *sink);
/* An HsPortCancel callback over a GCancellable. */
int  hs_engine_port_is_cancelled (void *cancellable);

G_END_DECLS
