#!/usr/bin/env python3
"""Checks on the translations, run by meson (suite 'i18n').

  check-i18n.py SRCDIR format      msgfmt --check --check-format on every po/*.po
  check-i18n.py SRCDIR complete    every catalogue 100 % translated, nothing fuzzy,
                                   against a template made now from the sources
  check-i18n.py SRCDIR potfiles    po/POTFILES.in lists every file with
                                   translatable strings, and only files that exist
  check-i18n.py SRCDIR linguas     po/LINGUAS names exactly the po files present
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

# The same as meson's i18n.gettext(preset: 'glib').
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]
SOURCE_DIRS = ['core', 'cli', 'ui', 'data']


def po_files(src):
    return sorted(glob.glob(os.path.join(src, 'po', '*.po')))


def lang_of(path):
    return os.path.basename(path)[:-3]


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kw)


def check_format(src):
    failed = []
    for po in po_files(src):
        r = run(['msgfmt', '--check', '--check-format', '-o', os.devnull, po])
        if r.returncode != 0:
            failed.append(lang_of(po))
            print(r.stdout)
        else:
            print('%s: ok' % lang_of(po))
    if failed:
        print('msgfmt --check failed for: ' + ' '.join(failed))
    return not failed


def make_pot(src, out):
    # GETTEXTDATADIRS: the ITS rules of data/teams-codes.xml (po/its), as
    # po/meson.build gives them to meson's own template target.
    env = dict(os.environ, GETTEXTDATADIRS=os.path.join(src, 'po'))
    r = run(['xgettext', '--package-name=handshake', '--directory=' + src,
             '--files-from=' + os.path.join(src, 'po', 'POTFILES.in'),
             '--output=' + out] + XGETTEXT_ARGS, env=env)
    if r.returncode != 0:
        print(r.stdout)
        raise SystemExit('xgettext failed')


STATS = re.compile(r'(?:(\d+) translated messages?)?(?:, )?(?:(\d+) fuzzy translations?)?(?:, )?'
                   r'(?:(\d+) untranslated messages?)?\.')


def check_complete(src):
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'handshake.pot')
        make_pot(src, pot)
        for po in po_files(src):
            merged = os.path.join(tmp, os.path.basename(po))
            r = run(['msgmerge', '--quiet', '--no-fuzzy-matching', '--output-file=' + merged, po, pot])
            if r.returncode != 0:
                print(r.stdout)
                ok = False
                continue
            r = run(['msgfmt', '--statistics', '-o', os.devnull, merged])
            m = STATS.search(r.stdout.strip().splitlines()[-1])
            translated, fuzzy, untranslated = (int(x or 0) for x in m.groups())
            # msgmerge keeps the file's own fuzzy marks, so they count too;
            # obsolete entries do not.
            line = '%s: %d translated, %d fuzzy, %d untranslated' % (lang_of(po), translated, fuzzy, untranslated)
            if fuzzy or untranslated:
                ok = False
                line += '  <-- incomplete'
                for flag, what in (('--untranslated', 'untranslated'), ('--only-fuzzy', 'fuzzy')):
                    r3 = run(['msgattrib', flag, '--no-obsolete', merged])
                    for msgid in re.findall(r'^msgid "(.+)"$', r3.stdout, re.M)[:5]:
                        line += '\n    %s: %s' % (what, msgid)
            print(line)
    return ok


CODE_MARKERS = re.compile(r'\b(?:N?C?_|NC_|ngettext|g_dngettext|g_dgettext|g_dpgettext2?|dgettext)\s*\(')
COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
STRING = re.compile(r'"(?:\\.|[^"\\\n])*"')


def has_translatable(path):
    name = os.path.basename(path)
    if name.endswith(('.desktop.in', '.metainfo.xml.in')):
        return True
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except (UnicodeDecodeError, OSError):
        return False
    if name.endswith(('.c', '.h')):
        text = STRING.sub('""', COMMENT.sub(' ', text))
        return CODE_MARKERS.search(text) is not None
    if name == 'teams-codes.xml':
        return '<meaning>' in text
    if name.endswith(('.ui', '.xml', '.blp')):
        return 'translatable="yes"' in text
    return False


def check_potfiles(src):
    with open(os.path.join(src, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        listed = [l.strip() for l in f if l.strip() and not l.startswith('#')]
    ok = True
    for p in listed:
        if not os.path.isfile(os.path.join(src, p)):
            print('listed in POTFILES.in but missing: ' + p)
            ok = False
    for d in SOURCE_DIRS:
        for root, dirs, files in os.walk(os.path.join(src, d)):
            for name in files:
                path = os.path.join(root, name)
                rel = os.path.relpath(path, src)
                if has_translatable(path) and rel not in listed:
                    print('has translatable strings but is not in POTFILES.in: ' + rel)
                    ok = False
    if listed != sorted(listed):
        print('POTFILES.in is not sorted')
        ok = False
    if ok:
        print('%d files listed, all present, none missing' % len(listed))
    return ok


def check_linguas(src):
    with open(os.path.join(src, 'po', 'LINGUAS'), encoding='utf-8') as f:
        linguas = sorted(w for l in f if not l.startswith('#') for w in l.split())
    present = sorted(lang_of(p) for p in po_files(src))
    print('LINGUAS: ' + ' '.join(linguas))
    print('po files: ' + ' '.join(present))
    return linguas == present


def main():
    src, what = sys.argv[1], sys.argv[2]
    checks = {'format': check_format, 'complete': check_complete,
              'potfiles': check_potfiles, 'linguas': check_linguas}
    return 0 if checks[what](src) else 1


if __name__ == '__main__':
    sys.exit(main())
