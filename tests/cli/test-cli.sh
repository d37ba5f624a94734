#!/bin/sh
# test-cli.sh CLI — handshake-cli exit codes, output and JSON, as a user runs it. TAP.
CLI=${1:?usage: test-cli.sh PATH-TO-handshake-cli}
. "$(dirname "$0")/lib.sh"

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

run 4 "restore /nonexistent" restore /nonexistent --practice
has "/nonexistent" "restore: message names the file"
run 4 "restore /nonexistent (native)" restore /nonexistent
if [ -s "$ERR" ] || [ -s "$OUT" ]; then ok "restore (native) says something"; else fail "restore (native) says something"; fi

# ---- Issue 11: right on a real Windows PC ----
TMPD=$(mktemp -d)
trap 'rm -f "$OUT" "$ERR" "$ERR.py"; rm -rf "$TMPD"' EXIT

# 1. An entry a backup cannot put back goes only with its own flag.
run 1 "fix cannot-undo without --allow-unrecoverable: a problem remains" fix --practice=cannot-undo --step 2 --yes --json
pyl "fix: the entry that cannot be put back is left: creds.unrestorable" "d['steps'][0]['code'] == 'creds.unrestorable'"
pyl "fix: it is reported skipped (reason unrestorable), not failed" "[(r['outcome'], r.get('reason')) for r in d['steps'][0]['findings']['removals'] if r['target'].startswith('MicrosoftAccount')] == [('skipped', 'unrestorable')] and d['steps'][0]['findings']['failed_count'] == 0 and d['steps'][0]['findings']['skipped_count'] == 1"
pyl "fix: the other entry was removed" "[r['outcome'] for r in d['steps'][0]['findings']['removals'] if r['target'].startswith('msteams')] == ['deleted']"
run 2 "fix cannot-undo without --yes: the plan only" fix --practice=cannot-undo --step 2
has "left alone (--allow-unrecoverable removes it too)" "fix: the plan says which entry is left alone"
run 1 "fix cannot-undo, human output" fix --practice=cannot-undo --step 2 --yes
has "skipped: it cannot be put back once removed" "fix: the entry is listed as skipped, with why"
run 0 "fix cannot-undo --allow-unrecoverable: removed" fix --practice=cannot-undo --step 2 --yes --allow-unrecoverable --json
pyl "--allow-unrecoverable: creds.removed, both deleted" "d['steps'][0]['code'] == 'creds.removed' and sorted(r['outcome'] for r in d['steps'][0]['findings']['removals']) == ['deleted', 'deleted']"
run 2 "--allow-unrecoverable goes with fix only" check --practice --allow-unrecoverable
run 2 "--overwrite-newer goes with restore only" fix --practice --yes --overwrite-newer

# 8. A restore never writes over an entry saved after the backup.
cat > "$TMPD/old-backup.ini" <<'EOB'
[backup]
format=handshake-practice-backup/1
scenario=all-broken
created_us=1767225600000000

[credential 0]
target=msteams_adalsso/adal_context_segments
type=1
persist=2
last_written=1757837520
secret_base64=b2xkLXRva2Vu

[credential 1]
target=msteams_adalsso/adal_context_7
type=1
persist=2
last_written=1757837520
secret_base64=b2xkLXRva2Vu
EOB
run 0 "restore over a newer entry: skipped is no failure" restore "$TMPD/old-backup.ini" --practice
has "skipped: a newer one was saved after the backup" "restore: says the newer entry was kept"
has "adal_context_7: put back" "restore: the other entry was put back"
run 0 "restore --json" restore "$TMPD/old-backup.ini" --practice --json
pyl "restore: creds.restore_partial, one skipped newer_exists, one restored" "d['steps'][0]['code'] == 'creds.restore_partial' and sorted((r['outcome'], r.get('reason')) for r in d['steps'][0]['findings']['restorations']) == [('restored', None), ('skipped', 'newer_exists')]"
run 0 "restore --overwrite-newer" restore "$TMPD/old-backup.ini" --practice --overwrite-newer --json
pyl "--overwrite-newer: both put back" "d['steps'][0]['code'] == 'creds.restored' and [r['outcome'] for r in d['steps'][0]['findings']['restorations']] == ['restored', 'restored']"

# 4. Another account runs Handshake: steps 2-4 refused, with how to run it.
run 1 "check wrong-user (step 1 still checked)" check --practice=wrong-user --json
py "wrong-user: steps 2-4 step.wrong_user, unverified" "[(s['code'], s['status']) for s in d['steps'][1:]] == [('step.wrong_user', 'unverified')] * 3 and d['steps'][0]['code'] == 'clock.skew'"
py "wrong-user: both accounts in the report, masked" "d['steps'][1]['findings']['session_user'] == 'CONTOSO\\\\j***' and 'helpdesk' not in json.dumps(d)"
run 3 "check wrong-user --step 2: could not check" check --practice=wrong-user --step 2
has "run handshake-cli as CONTOSO" "wrong-user: says how to run it as the person"
hasnt "helpdesk.admin" "wrong-user: the account names are masked by default"
run 3 "check wrong-user --step 3 --no-redact" check --practice=wrong-user --step 3 --no-redact
has 'running as CONTOSO\\helpdesk.admin, but the person signed in to this computer is CONTOSO\\jane.doe' "wrong-user --no-redact: both names"
run 3 "fix wrong-user --step 2 --yes: nothing done" fix --practice=wrong-user --step 2 --yes --json
pyl "wrong-user fix: no deletion logged" "not any(a['action'] == 'delete_credential' for a in d['actions'])"

# 2, 3. A clock the organisation manages: no fix, a word for IT.
run 1 "check managed-clock" check --practice=managed-clock --step 1 --json
py "managed-clock: clock.managed, problem, guided, the policy in the findings" "d['steps'][0]['code'] == 'clock.managed' and d['steps'][0]['status'] == 'problem' and d['steps'][0]['fix'] == 'guided' and d['steps'][0]['findings']['policy_time_source'] == 'yes'"
run 1 "fix managed-clock: nothing to run" fix --practice=managed-clock --step 1 --yes
has "Your organisation manages the clock of this computer: ask your IT support" "managed-clock: says it is IT's"
hasnt "elevate" "managed-clock: no administrator prompt"
printf '[clock]\noffset_seconds=252.4\ntype=NoSync\n[fixes]\nclock=no_effect\n' > "$TMPD/no-effect.ini"
run 1 "fix a clock Windows does not move" fix --practice="$TMPD/no-effect.ini" --step 1 --yes --json
pyl "no_effect: clock.fix_no_effect" "d['steps'][0]['code'] == 'clock.fix_no_effect'"

# 7. A damaged sign-in component is registered again; one being updated waits.
printf '[broker]\nregistered=yes\nstatus=tampered\n' > "$TMPD/tampered.ini"
run 1 "check a damaged broker" check --practice="$TMPD/tampered.ini" --step 3 --json
py "damaged: broker.broken, the status Windows gives" "d['steps'][0]['code'] == 'broker.broken' and d['steps'][0]['findings']['packages'][0]['status'] == 'Modified, Tampered'"
printf '[broker]\nregistered=yes\nstatus=servicing\n' > "$TMPD/servicing.ini"
run 0 "fix a broker Windows is updating: nothing to do" fix --practice="$TMPD/servicing.ini" --step 3 --yes
has "Windows is updating the sign-in component" "servicing: says to try again later"

# 9. The page that lists the accounts to sign out.
printf '[account a]\nemail=jane.doe@contoso.com\nkind=work\nsources=workplace_join,tbacct\n[account b]\nemail=jane@fabrikam.com\nkind=work\n[account c]\nemail=it@contoso.com\nkind=work\nsources=aad_join\n' > "$TMPD/work.ini"
run 0 "fix two work accounts and a join record" fix --practice="$TMPD/work.ini" --step 4 --yes
has "Access work or school" "accounts: sends the person to Access work or school"

# A real measurement with nothing answering: unverified, quickly.
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start=$(date +%s%N)
run 3 "check --step 1 against a dead server" check --step 1 --time-server "127.0.0.1:$PORT" --https-time-url '' --timeout 1 --json
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
if [ "$ms" -le 2500 ]; then ok "dead server: gave up in $ms ms"; else fail "dead server: took $ms ms (> 2500)"; fi
py "dead server: step 1 unverified clock.unreachable" "d['steps'][0]['status']=='unverified' and d['steps'][0]['code']=='clock.unreachable'"

# The action log is in time order, also when one step (the clock, measuring)
# finishes after the others: "measure_clock started" comes first.
run 3 "check (native) with a dead server" check --time-server "127.0.0.1:$PORT" --https-time-url '' --timeout 0.5 --json
py "the action log is sorted by time" "(lambda t: t == sorted(t) and len(t) >= 5)([__import__('datetime').datetime.fromisoformat(a['time'].replace('Z', '+00:00')) for a in d['actions']])"

# ---- explain CODE: the codes Teams shows (issue 14) ----
run 0 "explain caa82ee2" explain caa82ee2
has "^0xCAA82EE2 " "explain: the code normalised"
has "did not answer in time" "explain caa82ee2: a timeout, in plain words"
has "handshake-cli check --network" "explain caa82ee2: points to the network check"
has "support.microsoft.com" "explain: names its source"
run 0 "explain 0xCAA20003" explain 0xCAA20003
has "four steps" "explain 0xCAA20003: the four steps"
hasnt "check --network" "explain 0xCAA20003: not the network check"
run 0 "explain ' 0xcaa20004 ' (spaces, lower case)" explain ' 0xcaa20004 '
has "^0xCAA20004 " "explain 0xcaa20004: normalised"
has "IT admin" "explain 0xCAA20004: a matter for IT"
run 0 "explain an unknown well-formed code" explain 0x12345678
has "does not know this code" "unknown code: said so"
has "Give this code to your IT admin" "unknown code: IT advice"
run 2 "explain garbage" explain 'not a code'
if [ "$(wc -l <"$ERR")" = 1 ] && [ ! -s "$OUT" ]; then ok "explain garbage: one line on stderr, nothing on stdout"; else fail "explain garbage: one line on stderr"; fi
has "not a Teams status code" "explain garbage: says why"
run 2 "explain without a code" explain
run 0 "explain --json" explain caa20004 --json
py "explain --json: codes_seen" "d['schema']=='handshake-report/1' and d['codes_seen'][0]['code']=='0xCAA20004' and d['codes_seen'][0]['known'] is True and d['codes_seen'][0]['next']=='it'"
py "explain --json: logged" "any(a['action']=='teams_code' and a['detail']=='0xCAA20004' and a['outcome']=='known' for a in d['actions'])"

# ---- the network check: usage and practice mode ----
run 2 "--signin-url http:// refused" check --network --signin-url http://login.example.test/
if head -n1 "$ERR" | grep -q -- '--signin-url' && [ "$(wc -l <"$ERR")" -le 2 ]; then ok "--signin-url http://: one line naming it (then the --help pointer)"; else fail "--signin-url http://: one line naming it"; fi
has "https://" "--signin-url http://: says https:// is needed"
run 2 "--signin-url without a host" check --network --signin-url https://
run 2 "check --network --step 1" check --network --step 1 --practice
run 0 "check --network --practice (all reachable)" check --network --practice --json
py "network member, simulated" "d['network']['simulated'] is True and [e['code'] for e in d['network']['endpoints']]==['net.ok','net.ok'] and d['steps']==[]"
py "network: default endpoints" "[e['url'] for e in d['network']['endpoints']]==['https://login.microsoftonline.com/','https://teams.microsoft.com/']"
run 1 "check --network --practice=tls-inspection" check --network --practice=tls-inspection
has "net.inspected" "tls-inspection: net.inspected"
has "0xCAA70004" "tls-inspection: the Teams code"
has "Contoso Secure Web Gateway CA" "tls-inspection: names the inspecting root"
run 1 "report --network --practice=tls-inspection --json" report --network --practice=tls-inspection --json
py "report --network: steps and network" "len(d['steps'])==4 and d['network']['code']=='net.inspected' and d['network']['teams_code']=='0xCAA70004'"
py "report --network: the endpoint's facts" "d['network']['endpoints'][0]['findings']['root']=='local' and d['network']['endpoints'][0]['findings']['proxy']=='http://proxy.contoso.com:8080'"
run 0 "report --practice=tls-inspection (no --network): no network member" report --practice=tls-inspection --json
py "no network member unless run" "'network' not in d"
run 1 "report --network --practice=tls-inspection (text)" report --network --practice=tls-inspection
has "Network check of the sign-in path" "text report: the network section"

finish
