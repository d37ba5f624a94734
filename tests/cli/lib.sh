# lib.sh — what the CLI suites share (sourced after CLI is set): TAP lines,
# running handshake-cli, looking at what it printed. OUT and ERR hold the
# last run's stdout and stderr; TMP is a folder removed at exit.
n=0
failed=0
TMP=$(mktemp -d)
OUT=$TMP/out ERR=$TMP/err
: >"$OUT"; : >"$ERR"
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT

ok ()   { n=$((n + 1)); echo "ok $n - $1"; }
fail () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; sed 's/^/# out: /' "$OUT" | head -20; sed 's/^/# err: /' "$ERR" | head -20; }
# check DESCRIPTION COMMAND... — passes when COMMAND succeeds
check () { desc=$1; shift; if "$@"; then ok "$desc"; else fail "$desc"; fi; }
# finish — the TAP plan, and the exit status
finish () { echo "1..$n"; [ "$failed" = 0 ]; }

# run EXPECTED-RC DESCRIPTION ARGS... (stdin from /dev/null)
run () {
  want=$1 desc=$2; shift 2
  "$CLI" "$@" </dev/null >"$OUT" 2>"$ERR"
  rc=$?
  if [ "$rc" = "$want" ]; then ok "$desc (exit $rc)"; else echo "# $CLI $* → exit $rc, want $want"; fail "$desc"; fi
}
# has PATTERN DESCRIPTION — grep -i in stdout+stderr of the last run
has ()   { if cat "$OUT" "$ERR" | grep -qi -- "$1"; then ok "$2"; else echo "# no \"$1\""; fail "$2"; fi; }
hasnt () { if cat "$OUT" "$ERR" | grep -qi -- "$1"; then echo "# found \"$1\""; fail "$2"; else ok "$2"; fi; }
# py DESCRIPTION PYTHON-EXPRESSION-OVER-d — on the JSON in stdout
py () {
  if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$OUT" 2>"$TMP/py.err"; then ok "$1"; else fail "$1"; fi
}
# pyl: the same on the JSON object in stdout, ignoring any text before it
pyl () {
  if python3 -c "import json,sys; t=open(sys.argv[1]).read(); d=json.loads(t[t.index('{'):]); sys.exit(0 if ($2) else 1)" "$OUT"; then ok "$1"; else fail "$1"; fi
}
