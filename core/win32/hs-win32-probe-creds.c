/* hs-win32-probe-creds.c — the probe's "creds" command (see README.md). */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-win32-probe.h"

/* ---- creds ---------------------------------------------------------------- */

int
cmd_creds (int argc, char **argv)
{
  if (argc < 1)
    return usage ("creds: missing subcommand");
  const char *sub = argv[0];
  const char *patterns = NULL, *backup = NULL;
  const char **targets = calloc ((size_t) argc + 1, sizeof *targets);
  size_t n_targets = 0;
  uint32_t allow = 0;
  HsPortStatus st = { 0 };

  if (strcmp (sub, "restore") == 0)
    {
      free (targets);
      uint32_t flags = 0;
      if (argc == 3 && strcmp (argv[2], "--overwrite-newer") == 0)
        flags |= HS_RESTORE_OVERWRITE_NEWER;
      else if (argc != 2)
        return usage ("creds restore: expected FILE [--overwrite-newer]");
      HsRestoreList list = { 0 };
      HsPortCode c = hs_win32_restore_credentials (argv[1], flags, &list, &st);
      size_t n_skipped = 0, n_failed = 0;
      for (size_t i = 0; i < list.n_items; i++)
        {
          const HsRestoreEntry *e = &list.items[i];
          char b[96];
          field ("target", e->target);
          field ("type", hs_cred_type_name (e->type));
          if (e->code == HS_PORT_OK)
            snprintf (b, sizeof b, "restored");
          else if (e->code == HS_PORT_SKIPPED)
            snprintf (b, sizeof b, "skipped:%s", hs_cred_skip_reason_name (e->reason)), n_skipped++;
          else
            snprintf (b, sizeof b, "error:%s:%lu", hs_port_code_name (e->code),
                      (unsigned long) e->os_error), n_failed++;
          field ("result", b);
          end_record ();
        }
      int rc = 0;
      if (list.n_items > 0 || c == HS_PORT_OK)
        {
          field_int ("restored", (long long) list.n_restored);
          field_int ("skipped", (long long) n_skipped);
          field_int ("failed", (long long) n_failed);
          end_record ();
        }
      if (c != HS_PORT_OK && c != HS_PORT_SKIPPED)
        rc = fail (&st);
      hs_port_restore_list_free (&list);
      return rc;
    }
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--patterns") == 0 && i + 1 < argc)
        patterns = argv[++i];
      else if (strcmp (sub, "delete") == 0 && strcmp (argv[i], "--backup") == 0 && i + 1 < argc)
        backup = argv[++i];
      else if (strcmp (sub, "delete") == 0 && strcmp (argv[i], "--target") == 0 && i + 1 < argc)
        targets[n_targets++] = argv[++i];
      else if (strcmp (sub, "delete") == 0 && strcmp (argv[i], "--allow-unrestorable") == 0)
        allow = HS_CRED_ALLOW_UNRESTORABLE;
      else
        {
          free (targets);
          return usage ("creds: unknown option");
        }
    }
  if (strcmp (sub, "list") != 0 && strcmp (sub, "delete") != 0)
    {
      free (targets);
      return usage ("creds: unknown subcommand");
    }
  if (strcmp (sub, "delete") == 0 && backup == NULL)
    {
      free (targets);
      return usage ("creds delete: --backup DIR is required");
    }
  HsPatternSet set = { 0 };
  if (!load_patterns (patterns, &set))
    {
      free (targets);
      return 1;
    }
  HsCredentialList list = { 0 };
  if (hs_win32_list_credentials (&list, &st) != HS_PORT_OK)
    {
      hs_patterns_free (&set);
      free (targets);
      return fail (&st);
    }
  int rc = 0;
  if (strcmp (sub, "list") == 0)
    {
      for (size_t i = 0; i < list.n_items; i++)
        {
          const HsCredential *c = &list.items[i];
          field ("target", c->target);
          field ("type", hs_cred_type_name (c->type));
          field ("category", hs_category_name (hs_patterns_classify (&set, c->target, NULL)));
          field ("user", c->user);
          field ("persist", hs_cred_persist_name (c->persist));
          field_int ("last_written", c->last_written_unix);
          field_int ("blob_size", c->blob_size);
          field ("restorable", tri (c->restorable));
          end_record ();
        }
    }
  else
    {
      HsCredentialRef *refs = calloc (list.n_items + n_targets + 1, sizeof *refs);
      size_t n = 0;
      for (size_t i = 0; i < list.n_items; i++)
        {
          const HsCredential *c = &list.items[i];
          int chosen = 0;
          if (n_targets == 0)
            chosen = hs_patterns_classify (&set, c->target, NULL) == HS_CATEGORY_REQUIRED;
          else
            for (size_t k = 0; k < n_targets; k++)
              if (strcmp (targets[k], c->target) == 0)
                chosen = 1;
          if (chosen)
            {
              refs[n].target = c->target;
              refs[n].type = c->type;
              refs[n].allow = allow;
              n++;
            }
        }
      /* named targets that are not in the listing: still asked for (they
       * report not_found), so a caller sees every name it gave */
      for (size_t k = 0; k < n_targets; k++)
        {
          int seen = 0;
          for (size_t i = 0; i < n; i++)
            if (strcmp (refs[i].target, targets[k]) == 0)
              seen = 1;
          if (!seen)
            {
              refs[n].target = targets[k];
              refs[n].type = 1;
              n++;
            }
        }
      HsCredentialOutcome *out = calloc (n + 1, sizeof *out);
      char *path = NULL;
      HsPortCode c = hs_win32_delete_credentials (refs, n, backup, &path, out, NULL, &st);
      if (c == HS_PORT_IO || c == HS_PORT_BAD_INPUT)
        rc = fail (&st);
      else
        {
          field ("backup", path);
          end_record ();
          for (size_t i = 0; i < n; i++)
            {
              field ("target", refs[i].target);
              field ("type", hs_cred_type_name (refs[i].type));
              if (out[i].code == HS_PORT_OK)
                field ("result", "deleted");
              else if (out[i].code == HS_PORT_NOT_FOUND)
                field ("result", "not_found");
              else if (out[i].code == HS_PORT_SKIPPED)
                {
                  char b[64];
                  snprintf (b, sizeof b, "skipped:%s", hs_cred_skip_reason_name (out[i].reason));
                  field ("result", b);
                }
              else
                {
                  char b[64];
                  snprintf (b, sizeof b, "error:%s:%lu", hs_port_code_name (out[i].code),
                            (unsigned long) out[i].os_error);
                  field ("result", b);
                }
              end_record ();
            }
          rc = c == HS_PORT_OK || c == HS_PORT_SKIPPED ? 0 : 1;
        }
      free (path);
      free (out);
      free (refs);
    }
  hs_port_credentials_free (&list);
  hs_patterns_free (&set);
  free (targets);
  return rc;
}

