/* hs-patterns.h — which credentials belong to Teams sign-in. Plain C.
 *
 * The rules come from a small text file (data/credential-patterns.txt):
 * one rule per line, "CATEGORY PATTERN REASON…", where CATEGORY is
 * required, optional or keep, PATTERN is a case-insensitive glob over the
 * credential's target name (* and ?), and REASON is free English text for
 * reports. '#' starts a comment line. The first matching rule wins; a
 * credential no rule matches is kept.
 */
#ifndef HS_PATTERNS_H
#define HS_PATTERNS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  HS_CATEGORY_REQUIRED = 0,  /* stale Teams / Microsoft-account tokens: remove */
  HS_CATEGORY_OPTIONAL,      /* Office tokens: removing signs Office out; opt-in */
  HS_CATEGORY_KEEP           /* Windows' own or unrelated: never touched */
} HsCategory;

typedef struct {
  HsCategory category;
  char      *pattern;
  char      *reason;
  unsigned   line;
} HsPatternRule;

typedef struct {
  HsPatternRule *rules;
  size_t         n_rules;
} HsPatternSet;

/* The built-in rules (the text of data/credential-patterns.txt, embedded at
 * build time). */
extern const char hs_patterns_default_text[];

/* 0 on success; otherwise -1 and err holds "line N: what is wrong". */
int         hs_patterns_parse     (const char *text, size_t len, HsPatternSet *out,
                                   char *err, size_t err_len);
/* As above from a file; err names the file too. */
int         hs_patterns_load_file (const char *path, HsPatternSet *out,
                                   char *err, size_t err_len);
int         hs_patterns_load_default (HsPatternSet *out);
void        hs_patterns_free      (HsPatternSet *set);

/* The first matching rule, or NULL. */
const HsPatternRule *hs_patterns_match (const HsPatternSet *set, const char *target);
/* Category of a target (KEEP when no rule matches); *reason may be NULL. */
HsCategory  hs_patterns_classify  (const HsPatternSet *set, const char *target,
                                   const char **reason);

const char *hs_category_name      (HsCategory category);
int         hs_category_from_name (const char *name, HsCategory *out);

/* Case-insensitive (ASCII) glob with * and ?; non-recursive, linear time. */
int         hs_glob_match         (const char *pattern, const char *text);

#ifdef __cplusplus
}
#endif

#endif /* HS_PATTERNS_H */
