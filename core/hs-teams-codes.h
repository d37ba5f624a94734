/* hs-teams-codes.h — the status codes Teams shows on its sign-in screen,
 * explained: what one means and what to do next in Handshake.
 *
 * The table is data (data/teams-codes.xml, embedded at build time): each
 * entry has its source, and its texts are translated through po/. A code
 * the table does not know is still a well-formed code: its advice is to give
 * it to the IT admin. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HS_TEAMS_CODE_ERROR (hs_teams_code_error_quark ())
GQuark hs_teams_code_error_quark (void);

typedef enum {
  HS_TEAMS_CODE_ERROR_INVALID      /* not of the form 0xCAA20003 */
} HsTeamsCodeError;

/* What to do next in Handshake. */
typedef enum {
  HS_TEAMS_NEXT_IT = 0,      /* only the IT admin can help: give them the code */
  HS_TEAMS_NEXT_STEPS,       /* the four steps */
  HS_TEAMS_NEXT_NETWORK      /* the network check of the sign-in path */
} HsTeamsNext;

typedef struct {
  char        code[11];      /* normalised: "0xCAA20003" */
  gboolean    known;         /* in the table, by itself or by its family */
  gboolean    family;        /* known by its family only */
  gboolean    confirmed;     /* FALSE: no first-party source says so */
  HsTeamsNext next;
  const char *meaning;       /* English (the msgid); NULL when unknown */
  const char *advice;        /* English (the msgid); NULL when unknown */
  const char *network;       /* the net.* codes that give it, space-separated, or NULL */
  const char *source_title;  /* NULL when unknown */
  const char *source_url;
} HsTeamsCode;

/* Reads a code as people type it: "0xCAA20003", "caa20003", " 0xcaa20003 "
 * (0x optional, any case, spaces around). FALSE with HS_TEAMS_CODE_ERROR_INVALID
 * for anything else. */
gboolean    hs_teams_code_parse   (const char *input, char out[11], GError **error);
/* hs_teams_code_parse, then the table. */
gboolean    hs_teams_code_explain (const char *input, HsTeamsCode *out, GError **error);

/* "it", "steps", "network". */
const char *hs_teams_next_name    (HsTeamsNext next);
/* In the UI language (English with @english); the IT admin's advice for an
 * unknown code. */
const char *hs_teams_code_meaning (const HsTeamsCode *code, gboolean english);
const char *hs_teams_code_advice  (const HsTeamsCode *code, gboolean english);

/* How many entries the table has (tests). */
guint       hs_teams_codes_count  (void);

G_END_DECLS
