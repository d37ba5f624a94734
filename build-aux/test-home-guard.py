#!/usr/bin/env python3
"""test-home-guard.py COMMAND [ARG...] — runs one test so that it cannot
write to the real home unnoticed (meson's default test setup wraps every
test in it).

The test setup gives each suite HOME, XDG_CACHE_HOME, XDG_DATA_HOME and
XDG_CONFIG_HOME of its own under the build dir; this wrapper creates them
and refuses to run a test without them. Then, where the kernel allows a
mount namespace (root, or unprivileged user namespaces), the real home's
.cache, .local and .config are covered with empty tmpfs for the test alone:
whatever the test writes there anyway (a path built from getpwuid(), a
library that ignores XDG_*) lands on the tmpfs, is listed, and fails the
test; the real home is untouched. Without namespaces it falls back to
comparing the directories of those three folders before and after, which
also sees other programs writing there at the same time (say so when it
fails).

  --inner   (internal) inside the namespace: mount, run, inspect
  HS_TEST_GUARD_MODE=snapshot   force the fallback (for its own test)
"""
import os
import pwd
import shutil
import signal
import subprocess
import sys

WATCHED = ('.cache', '.local', '.config')
HOME_VARS = ('HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME')
DEPTH = 4


def say(message):
    print('test-home-guard: ' + message, file=sys.stderr, flush=True)


def real_home():
    return pwd.getpwuid(os.getuid()).pw_dir


def watched_dirs():
    return [os.path.join(real_home(), w) for w in WATCHED]


def prepare_homes():
    home = os.path.realpath(real_home())
    forbidden = {home} | {os.path.realpath(d) for d in watched_dirs()}
    for var in HOME_VARS:
        path = os.environ.get(var, '')
        if not path:
            say('%s is not set: the test setup gives every suite a home of its own '
                '(meson.build, add_test_setup)' % var)
            sys.exit(1)
        real = os.path.realpath(path)
        if real in forbidden or any(real.startswith(f + os.sep) for f in forbidden - {home}):
            say('%s=%s is the real home: refusing to run' % (var, path))
            sys.exit(1)
        os.makedirs(path, exist_ok=True)


def run(command):
    try:
        return subprocess.call(command)
    except OSError as e:
        say('cannot run %s: %s' % (command[0], e))
        return 127


def report(found, how):
    say('the test wrote outside its own home (%s):' % how)
    for path in found[:40]:
        print('  ' + path, file=sys.stderr)
    if len(found) > 40:
        print('  … and %d more' % (len(found) - 40), file=sys.stderr)
    sys.stderr.flush()


# ---- in a mount namespace: the real folders are empty tmpfs -------------

def inner(command):
    covered = []
    for d in watched_dirs():
        if os.path.isdir(d):
            if subprocess.call(['mount', '-t', 'tmpfs', '-o', 'mode=0700,size=256m', 'hs-test-guard', d]) != 0:
                say('could not cover %s' % d)
                return 1
            covered.append(d)
    missing_before = [d for d in watched_dirs() if d not in covered]
    rc = run(command)
    found = []
    for d in covered:
        for root, dirs, files in os.walk(d):
            found += [os.path.join(root, n) for n in dirs + files]
    # A folder that did not exist was created on the real disk.
    found += [d for d in missing_before if os.path.exists(d)]
    if found:
        report(found, 'caught on tmpfs; the real home was not touched' if covered else 'created')
        return rc or 1
    return rc


def namespace_prefix():
    """The unshare command that works here, or None."""
    if shutil.which('unshare') is None:
        return None
    for prefix in (['unshare', '--mount', '--propagation', 'private'],
                   ['unshare', '--user', '--map-root-user', '--mount', '--propagation', 'private']):
        probe = prefix + ['sh', '-c', 'mount -t tmpfs none "$1"', 'sh', '/tmp']
        if subprocess.call(probe, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
            return prefix
    return None


# ---- fallback: the folders' directories before and after ----------------

def snapshot():
    """Each folder (to DEPTH) with its modification time and its entries."""
    seen = {}
    for d in watched_dirs():
        if not os.path.isdir(d):
            continue
        base = d.count(os.sep)
        for root, dirs, files in os.walk(d):
            try:
                seen[root] = (os.stat(root).st_mtime_ns, frozenset(dirs + files))
            except OSError:
                pass
            if root.count(os.sep) - base >= DEPTH:
                dirs[:] = []
    return seen


def outer_snapshot(command):
    before = snapshot()
    rc = run(command)
    after = snapshot()
    found = []
    for path, (mtime, entries) in sorted(after.items()):
        old = before.get(path)
        if old is None:
            found.append(path)
        elif old != (mtime, entries):
            added = sorted(entries - old[1])
            found += [os.path.join(path, n) for n in added] or [path + os.sep]
    found += [d for d in watched_dirs() if d not in before and os.path.exists(d)]
    if found:
        report(sorted(set(found)), 'folders changed while it ran; another program may also have written there')
        return rc or 1
    return rc


def main(argv):
    if len(argv) > 1 and argv[1] == '--inner':
        return inner(argv[2:])
    if len(argv) < 2:
        say('usage: test-home-guard.py COMMAND [ARG...]')
        return 2
    prepare_homes()
    prefix = None if os.environ.get('HS_TEST_GUARD_MODE') == 'snapshot' else namespace_prefix()
    if prefix is None:
        return outer_snapshot(argv[1:])
    return run(prefix + [sys.executable, os.path.abspath(__file__), '--inner'] + argv[1:])


if __name__ == '__main__':
    status = main(sys.argv)
    if status < 0:
        # Killed by a signal (an assertion's SIGTRAP or SIGABRT): die of it
        # too, so that meson reports the signal and not an exit code.
        signal.signal(-status, signal.SIG_DFL)
        os.kill(os.getpid(), -status)
    sys.exit(status)
