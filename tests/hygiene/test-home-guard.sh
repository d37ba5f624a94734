#!/bin/sh
# test-home-guard.sh GUARD — the guard every test runs in fails a test
# that writes to the real home (~/.cache, ~/.local, ~/.config), in either of
# its modes, and lets one that stays in its own home pass. TAP.
GUARD=${1:?usage: test-home-guard.sh PATH-TO-test-home-guard.py}
n=0
failed=0
ok ()   { n=$((n + 1)); echo "ok $n - $1"; }
fail () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; sed 's/^/# /' "$ERR"; }
ERR=$(mktemp)
REAL=$(python3 -c 'import os, pwd; print(pwd.getpwuid(os.getuid()).pw_dir)')
MARK="hs-test-home-guard-$$"
trap 'rm -f "$ERR" "$REAL/.cache/$MARK"' EXIT
mkdir -p "$HOME" "$XDG_CACHE_HOME"

for mode in namespace snapshot; do
  [ "$mode" = snapshot ] && export HS_TEST_GUARD_MODE=snapshot
  # Writes to its own cache folder: passes.
  if python3 "$GUARD" sh -c 'echo x >"$XDG_CACHE_HOME/ok"' 2>"$ERR"; then
    ok "$mode: a test writing to its own XDG_CACHE_HOME passes"
  else
    fail "$mode: a test writing to its own XDG_CACHE_HOME passes"
  fi
  # Writes to the real ~/.cache (found the way getpwuid() finds it): fails,
  # and the guard names the file.
  if [ -d "$REAL/.cache" ]; then
    if python3 "$GUARD" sh -c "echo leak >'$REAL/.cache/$MARK'" 2>"$ERR"; then
      fail "$mode: a test writing to the real ~/.cache fails"
    elif grep -q "$MARK" "$ERR"; then
      ok "$mode: a test writing to the real ~/.cache fails, and the guard names the file"
    else
      fail "$mode: the guard names the file"
    fi
    rm -f "$REAL/.cache/$MARK"
  else
    ok "$mode: # SKIP no real ~/.cache to write to"
  fi
  # A test's own failure stays a failure, and a crash a crash.
  python3 "$GUARD" sh -c 'exit 3' 2>"$ERR"; rc=$?
  if [ "$rc" = 3 ]; then ok "$mode: exit code passed through"; else fail "$mode: exit code passed through ($rc)"; fi
  python3 "$GUARD" sh -c 'kill -ABRT $$' 2>"$ERR"; rc=$?
  if [ "$rc" -gt 128 ]; then ok "$mode: a signal stays a signal ($rc)"; else fail "$mode: a signal stays a signal ($rc)"; fi
done
unset HS_TEST_GUARD_MODE

# No home of its own: refused.
if env -u XDG_CONFIG_HOME python3 "$GUARD" true 2>"$ERR"; then
  fail "a test without XDG_CONFIG_HOME is refused"
else
  ok "a test without XDG_CONFIG_HOME is refused"
fi
if HOME=$REAL python3 "$GUARD" true 2>"$ERR"; then
  fail "a test whose HOME is the real home is refused"
else
  ok "a test whose HOME is the real home is refused"
fi

echo "1..$n"
[ "$failed" = 0 ]
