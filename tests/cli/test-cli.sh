#!/bin/sh
# test-cli.sh CLI — handshake-cli exit codes, output and JSON, as a user runs it. TAP.
CLI=${1:?usage: test-cli.sh PATH-TO-handshake-cli}
n=0
failed=0
OUT=$(mktemp) ERR=$(mktemp)
trap 'rm -f "$OUT" "$ERR" "$ERR.py"' EXIT

ok ()   { n=$((n + 1)); echo "ok $n - $1"; }
fail () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; sed 's/^/# out: /' "$OUT" | head -20; sed 's/^/# err: /' "$ERR" | head -20; }

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
  if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$OUT" 2>"$ERR.py"; then ok "$1"; else fail "$1"; fi
}
# pyl: the same on the JSON object in stdout, ignoring any text before it
pyl () {
  if python3 -c "import json,sys; t=open(sys.argv[1]).read(); d=json.loads(t[t.index('{'):]); sys.exit(0 if ($2) else 1)" "$OUT"; then ok "$1"; else fail "$1"; fi
}

run 0 "check --practice=healthy" check --practice=healthy
run 1 "check --practice (all-broken)" check --practice
run 3 "check --practice=offline" check --practice=offline
run 1 "check --practice=many-accounts" check --practice=many-accounts
run 2 "unknown command" frobnicate --practice
run 2 "--step 5" check --step 5 --practice
run 2 "--practice=nope" check --practice=nope
has '"nope"' "--practice=nope names the scenario"
run 2 "extra arguments" check extra --practice
run 2 "restore without a file" restore --practice

run 2 "fix without --yes and without a terminal" fix --practice
has "Refusing to change anything" "fix without --yes says nothing was changed"
run 1 "check after a refused fix: still broken" check --practice --json
py "still all-broken" "[s['code'] for s in d['steps']] == ['clock.skew','creds.stale','broker.unregistered','accounts.duplicate']"

run 1 "fix --practice --yes --json (step 4 is guided: a problem remains)" fix --practice --yes --json
py "fix --json: stdout is JSON only" "d['schema'] == 'handshake-report/1'"
pyl "fix: steps 1-3 fixed, fixed, needs_restart" "[s['status'] for s in d['steps']][:3] == ['fixed','fixed','needs_restart']"
pyl "fix: codes" "[s['code'] for s in d['steps']][:3] == ['clock.fixed','creds.removed','broker.reregistered']"
pyl "fix: backup and delete actions logged ok" "any(a['action']=='backup' and a['outcome']=='ok' for a in d['actions']) and sum(a['action']=='delete_credential' and a['outcome']=='ok' for a in d['actions']) == 3"

run 0 "fix --practice=healthy: nothing to do" fix --practice=healthy

run 1 "check --practice --json" check --practice --json
py "JSON has 4 steps with the expected codes" "d['schema']=='handshake-report/1' and len(d['steps'])==4 and [s['code'] for s in d['steps']] == ['clock.skew','creds.stale','broker.unregistered','accounts.duplicate']"
py "JSON numbers steps 1..4" "[s['number'] for s in d['steps']] == [1,2,3,4] and d['practice'] is True"

run 1 "report --practice" report --practice
hasnt "jane.doe@contoso.com" "report: no full address"
hasnt "jane.d@outlook.com" "report: no full personal address"
has "j\*\*\*@contoso.com" "report: masked address"
run 1 "report --practice --json" report --practice --json
py "report JSON redacted" "'jane.doe@contoso.com' not in json.dumps(d).lower() and d['redacted'] is True"
run 1 "report --practice --no-redact" report --practice --no-redact
has "jane.doe@contoso.com" "--no-redact: full address"

LANGUAGE=nl LANG=nl_NL.UTF-8 LC_ALL= LC_MESSAGES= run 1 "report --english with another language" report --english --practice
has "The clock is off by more than two minutes" "--english: English summary"

run 1 "restore /nonexistent" restore /nonexistent --practice
has "/nonexistent" "restore: message names the file"
run 1 "restore /nonexistent (native)" restore /nonexistent
if [ -s "$ERR" ] || [ -s "$OUT" ]; then ok "restore (native) says something"; else fail "restore (native) says something"; fi

# A real measurement with nothing answering: unverified, quickly.
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start=$(date +%s%N)
run 3 "check --step 1 against a dead server" check --step 1 --time-server "127.0.0.1:$PORT" --https-time-url '' --timeout 1 --json
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
if [ "$ms" -le 2500 ]; then ok "dead server: gave up in $ms ms"; else fail "dead server: took $ms ms (> 2500)"; fi
py "dead server: step 1 unverified clock.unreachable" "d['steps'][0]['status']=='unverified' and d['steps'][0]['code']=='clock.unreachable'"

echo "1..$n"
[ "$failed" = 0 ]
