/* hs-patterns.c — credential pattern rules. Plain C (also built by mingw-w64). */
#include "hs-patterns.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATTERN_FILE (1024 * 1024)

static int
ascii_lower (int c)
{
  return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int
hs_glob_match (const char *pattern, const char *text)
{
  const char *star = NULL, *resume = NULL;

  /* Classic greedy matcher with single backtrack point: O(n·m) worst case,
   * no recursion, so hostile patterns cannot blow the stack. */
  while (*text != '\0')
    {
      if (*pattern == '*')
        {
          star = pattern++;
          resume = text;
        }
      else if (*pattern == '?' ||
               (*pattern != '\0' && ascii_lower ((unsigned char) *pattern) ==
                                    ascii_lower ((unsigned char) *text)))
        {
          pattern++;
          text++;
        }
      else if (star != NULL)
        {
          pattern = star + 1;
          text = ++resume;
        }
      else
        return 0;
    }
  while (*pattern == '*')
    pattern++;
  return *pattern == '\0';
}

const char *
hs_category_name (HsCategory category)
{
  switch (category)
    {
    case HS_CATEGORY_REQUIRED: return "required";
    case HS_CATEGORY_OPTIONAL: return "optional";
    case HS_CATEGORY_KEEP: break;
    }
  return "keep";
}

int
hs_category_from_name (const char *name, HsCategory *out)
{
  if (strcmp (name, "required") == 0)
    *out = HS_CATEGORY_REQUIRED;
  else if (strcmp (name, "optional") == 0)
    *out = HS_CATEGORY_OPTIONAL;
  else if (strcmp (name, "keep") == 0)
    *out = HS_CATEGORY_KEEP;
  else
    return -1;
  return 0;
}

static char *
dup_range (const char *start, size_t len)
{
  char *s = malloc (len + 1);

  if (s == NULL)
    return NULL;
  memcpy (s, start, len);
  s[len] = '\0';
  return s;
}

static int
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

/* Splits off the next whitespace-separated field of [*p, end). */
static int
next_field (const char **p, const char *end, const char **start, size_t *len)
{
  while (*p < end && is_space (**p))
    (*p)++;
  *start = *p;
  while (*p < end && !is_space (**p))
    (*p)++;
  *len = (size_t) (*p - *start);
  return *len > 0;
}

void
hs_patterns_free (HsPatternSet *set)
{
  if (set == NULL)
    return;
  for (size_t i = 0; i < set->n_rules; i++)
    {
      free (set->rules[i].pattern);
      free (set->rules[i].reason);
    }
  free (set->rules);
  set->rules = NULL;
  set->n_rules = 0;
}

int
hs_patterns_parse (const char *text, size_t len, HsPatternSet *out,
                   char *err, size_t err_len)
{
  const char *p = text, *end = text + len;
  unsigned line_no = 0;
  size_t cap = 0;

  out->rules = NULL;
  out->n_rules = 0;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', (size_t) (end - p));
      const char *line_end = eol ? eol : end;
      const char *f, *q = p;
      size_t flen;
      HsPatternRule rule = { 0 };
      char category[16];

      line_no++;
      p = eol ? eol + 1 : end;

      if (memchr (q, '\0', (size_t) (line_end - q)) != NULL)
        {
          snprintf (err, err_len, "line %u: contains a NUL byte", line_no);
          goto fail;
        }
      if (!next_field (&q, line_end, &f, &flen) || *f == '#')
        continue;

      if (flen >= sizeof category)
        flen = sizeof category - 1;
      memcpy (category, f, flen);
      category[flen] = '\0';
      if (hs_category_from_name (category, &rule.category) != 0)
        {
          snprintf (err, err_len,
                    "line %u: unknown category \"%s\" (expected required, optional or keep)",
                    line_no, category);
          goto fail;
        }
      if (!next_field (&q, line_end, &f, &flen))
        {
          snprintf (err, err_len, "line %u: category without a pattern", line_no);
          goto fail;
        }
      rule.pattern = dup_range (f, flen);
      while (q < line_end && is_space (*q))
        q++;
      {
        const char *r_end = line_end;
        while (r_end > q && is_space (r_end[-1]))
          r_end--;
        rule.reason = dup_range (q, (size_t) (r_end - q));
      }
      rule.line = line_no;
      if (rule.pattern == NULL || rule.reason == NULL)
        {
          free (rule.pattern);
          free (rule.reason);
          snprintf (err, err_len, "line %u: out of memory", line_no);
          goto fail;
        }
      if (out->n_rules == cap)
        {
          size_t ncap = cap ? cap * 2 : 16;
          HsPatternRule *n = realloc (out->rules, ncap * sizeof *n);
          if (n == NULL)
            {
              free (rule.pattern);
              free (rule.reason);
              snprintf (err, err_len, "line %u: out of memory", line_no);
              goto fail;
            }
          out->rules = n;
          cap = ncap;
        }
      out->rules[out->n_rules++] = rule;
    }

  if (out->n_rules == 0)
    {
      snprintf (err, err_len, "line %u: no rules", line_no);
      goto fail;
    }
  return 0;

fail:
  hs_patterns_free (out);
  return -1;
}

int
hs_patterns_load_file (const char *path, HsPatternSet *out, char *err, size_t err_len)
{
  FILE *f = fopen (path, "rb");
  char *buf = NULL, inner[256];
  size_t len = 0;
  int rc;

  if (f == NULL)
    {
      snprintf (err, err_len, "%s: cannot open: %s", path, strerror (errno));
      return -1;
    }
  buf = malloc (MAX_PATTERN_FILE + 1);
  if (buf == NULL)
    {
      fclose (f);
      snprintf (err, err_len, "%s: out of memory", path);
      return -1;
    }
  len = fread (buf, 1, MAX_PATTERN_FILE + 1, f);
  fclose (f);
  if (len > MAX_PATTERN_FILE)
    {
      free (buf);
      snprintf (err, err_len, "%s: larger than %d bytes", path, MAX_PATTERN_FILE);
      return -1;
    }
  rc = hs_patterns_parse (buf, len, out, inner, sizeof inner);
  free (buf);
  if (rc != 0)
    snprintf (err, err_len, "%s: %s", path, inner);
  return rc;
}

int
hs_patterns_load_default (HsPatternSet *out)
{
  char err[256];

  return hs_patterns_parse (hs_patterns_default_text, strlen (hs_patterns_default_text),
                            out, err, sizeof err);
}

const HsPatternRule *
hs_patterns_match (const HsPatternSet *set, const char *target)
{
  if (target == NULL)
    return NULL;
  for (size_t i = 0; i < set->n_rules; i++)
    if (hs_glob_match (set->rules[i].pattern, target))
      return &set->rules[i];
  return NULL;
}

HsCategory
hs_patterns_classify (const HsPatternSet *set, const char *target, const char **reason)
{
  const HsPatternRule *rule = hs_patterns_match (set, target);

  if (reason != NULL)
    *reason = rule ? rule->reason : "not related to Teams sign-in";
  return rule ? rule->category : HS_CATEGORY_KEEP;
}
