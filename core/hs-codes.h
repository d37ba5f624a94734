/* hs-codes.h — every stable result code, in one place.
 *
 * Codes are part of Handshake's interface: support staff read them on the
 * phone, fleet tools parse them from `handshake-cli --json`. They never change
 * with the UI language and, once released, never change meaning. Keep this
 * table and the README's code table in step (tests/test-codes.c checks).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Step 1 — clock */
#define HS_CODE_CLOCK_OK              "clock.ok"              /* offset < 30 s, automatic time on */
#define HS_CODE_CLOCK_DRIFT           "clock.drift"           /* 30 s ≤ offset < 2 min */
#define HS_CODE_CLOCK_SKEW            "clock.skew"            /* offset ≥ 2 min */
#define HS_CODE_CLOCK_TIMEZONE        "clock.timezone"        /* whole quarter hours ≥ 30 min: wrong zone */
#define HS_CODE_CLOCK_AUTO_OFF        "clock.auto_off"        /* offset fine, but automatic time is off */
#define HS_CODE_CLOCK_DOMAIN          "clock.domain"          /* domain-managed time is wrong: IT's job */
#define HS_CODE_CLOCK_UNREACHABLE     "clock.unreachable"     /* no time source answered */
#define HS_CODE_CLOCK_FIXED           "clock.fixed"           /* fix applied, re-check OK */
#define HS_CODE_CLOCK_FIX_DECLINED    "clock.fix_declined"    /* the administrator prompt was refused */
#define HS_CODE_CLOCK_FIX_FAILED      "clock.fix_failed"      /* the fix ran and failed */
#define HS_CODE_CLOCK_FIX_NO_EFFECT   "clock.fix_no_effect"   /* Windows took the change, the clock is still off */
#define HS_CODE_CLOCK_FIX_PENDING     "clock.fix_pending"     /* Windows corrects the clock gradually */
#define HS_CODE_CLOCK_FIX_STALE       "clock.fix_stale"       /* refused: the measurement was out of date */
#define HS_CODE_CLOCK_MANAGED         "clock.managed"         /* a policy sets the time source: IT's job */
#define HS_CODE_CLOCK_TIMEZONE_MANAGED "clock.timezone_managed" /* wrong zone, and a policy sets the zone */

/* Step 2 — Credential Manager */
#define HS_CODE_CREDS_OK              "creds.ok"              /* no stale Teams tokens */
#define HS_CODE_CREDS_STALE           "creds.stale"           /* required entries present */
#define HS_CODE_CREDS_OFFICE_ONLY     "creds.office_only"     /* only optional Office entries */
#define HS_CODE_CREDS_REMOVED         "creds.removed"         /* backed up and removed */
#define HS_CODE_CREDS_RESTORED        "creds.restored"        /* a backup was put back: warning */
#define HS_CODE_CREDS_RESTORE_FAILED  "creds.restore_failed"  /* a backup could not be put back */
#define HS_CODE_CREDS_ACCESS_DENIED   "creds.access_denied"   /* vault could not be read */
#define HS_CODE_CREDS_BACKUP_FAILED   "creds.backup_failed"   /* backup not written: nothing deleted */
#define HS_CODE_CREDS_FIX_FAILED      "creds.fix_failed"      /* some entries could not be removed */
#define HS_CODE_CREDS_NOT_APPLICABLE  "creds.not_applicable"  /* not Windows */
#define HS_CODE_CREDS_UNRESTORABLE    "creds.unrestorable"    /* only entries that cannot be put back are left */
#define HS_CODE_CREDS_RESTORE_PARTIAL "creds.restore_partial" /* some entries deliberately not put back */

/* Step 3 — AAD broker plugin */
#define HS_CODE_BROKER_OK             "broker.ok"
#define HS_CODE_BROKER_UNREGISTERED   "broker.unregistered"   /* not registered for this user */
#define HS_CODE_BROKER_MANIFEST_MISSING "broker.manifest_missing" /* cannot re-register: repair Windows */
#define HS_CODE_BROKER_REREGISTERED   "broker.reregistered"   /* done; restart needed */
#define HS_CODE_BROKER_FIX_FAILED     "broker.fix_failed"
#define HS_CODE_BROKER_UNVERIFIED     "broker.unverified"     /* state could not be read */
#define HS_CODE_BROKER_NOT_APPLICABLE "broker.not_applicable"
#define HS_CODE_BROKER_BROKEN         "broker.broken"         /* registered, but Windows says it is damaged */
#define HS_CODE_BROKER_SERVICING      "broker.servicing"      /* Windows is updating it: try again later */

/* Step 4 — accounts */
#define HS_CODE_ACCOUNTS_OK           "accounts.ok"           /* one work account, nothing else */
#define HS_CODE_ACCOUNTS_DUPLICATE    "accounts.duplicate"    /* the same address signed in twice */
#define HS_CODE_ACCOUNTS_SEVERAL      "accounts.several"      /* several accounts may confuse sign-in */
#define HS_CODE_ACCOUNTS_NO_WORK      "accounts.no_work"      /* no work or school account found */
#define HS_CODE_ACCOUNTS_UNVERIFIED   "accounts.unverified"
#define HS_CODE_ACCOUNTS_NOT_APPLICABLE "accounts.not_applicable"

/* Any step */
#define HS_CODE_CANCELLED             "step.cancelled"        /* stopped before a verdict */
#define HS_CODE_INTERNAL              "step.internal_error"
#define HS_CODE_WRONG_USER            "step.wrong_user"       /* runs as another account than the
                                                               * person at the computer: refused */

/* The network check of the sign-in path (core/net; not a step): one verdict
 * per endpoint. The comment names the status code Teams shows for the same
 * trouble where Microsoft documents one ("Why am I having trouble signing in
 * to Microsoft Teams?", the table data/teams-codes.xml is made from). */
#define HS_CODE_NET_OK                "net.ok"                /* reached securely, public root; Teams: none */
#define HS_CODE_NET_DNS               "net.dns"               /* the name does not resolve; 0xCAA82EE7 */
#define HS_CODE_NET_PROXY             "net.proxy"             /* the proxy is missing or refuses; 0xCAA70004 */
#define HS_CODE_NET_CONNECT           "net.connect"           /* refused, unreachable, broken off; 0xCAA70007 */
#define HS_CODE_NET_TIMEOUT           "net.timeout"           /* no answer in time; 0xCAA82EE2 */
#define HS_CODE_NET_TLS               "net.tls"               /* handshake failed or certificate rejected; none documented */
#define HS_CODE_NET_INSPECTED         "net.inspected"         /* chain ends in a locally installed root:
                                                               * HTTPS inspection; 0xCAA70004 */
#define HS_CODE_NET_UNVERIFIED        "net.unverified"        /* could not check (cancelled, no TLS); none */

typedef struct {
  const char *code;
  int         step;        /* 1–4, 0 = any step or none (the network check) */
  const char *teams;       /* the status code Teams shows for it, or NULL when
                            * Microsoft documents none */
} HsCodeInfo;

/* NULL-terminated table of every code above, in step order. */
const HsCodeInfo *hs_codes_all (void);
gboolean          hs_code_is_known (const char *code);
/* The Teams status code ("0xCAA82EE7") a code corresponds to, or NULL. */
const char       *hs_code_teams_status (const char *code);

G_END_DECLS
