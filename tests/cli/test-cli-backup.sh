#!/bin/sh
# test-cli-backup.sh CLI README — the credential backup as a support
# engineer meets it from handshake-cli: where `fix` put it and the exact line
# that undoes it, the real reason when it cannot be written, and `restore`:
# errors on stderr, exit codes as README.md's table says, and a status that
# agrees with the code. Practice mode. TAP.
CLI=${1:?usage: test-cli-backup.sh PATH-TO-handshake-cli README}
README=${2:?usage: test-cli-backup.sh PATH-TO-handshake-cli README}
# The undo line names the program as it was started; the test starts it by
# its absolute path so that the line works from any folder.
case $CLI in /*) ;; *) CLI=$PWD/$CLI ;; esac
. "$(dirname "$0")/lib.sh"
# The status README.md's code table gives a code.
readme_status () { grep -F "| \`$1\` |" "$README" | awk -F'|' '{ gsub(/ /, "", $4); print $4 }'; }

# ---- 4. fix says where the backup went and how to undo it ----
# A cache folder with a space and a quote in its name: the undo line must
# still be one paste away.
CACHE="$TMP/cache dir's"
mkdir -p "$CACHE"
XDG_CACHE_HOME=$CACHE run 0 "fix --practice --yes --step 2" fix --practice --yes --step 2
backup=$(ls "$CACHE"/handshake/practice-backups/*.ini 2>/dev/null | head -1)
check "the backup exists under the cache folder" [ -n "$backup" ]
has "$backup" "fix prints the backup's path"
undo=$(grep -F " restore " "$OUT" | sed 's/^ *//' | head -1)
check "fix prints a restore line" [ -n "$undo" ]
case $undo in
  *--practice*) ok "the restore line keeps practice mode" ;;
  *) fail "the restore line keeps practice mode: $undo" ;;
esac
# Pasted into a shell, the line restores that very backup.
( cd "$TMP" && export XDG_CACHE_HOME="$CACHE" && eval "$undo" ) >"$OUT" 2>"$ERR" </dev/null
rc=$?
check "the printed line, pasted into sh, restores (exit $rc)" [ "$rc" = 0 ]
has "put back" "the pasted restore says the entries were put back"

# A scenario given as a file with a space in its path comes back in the line.
SCEN="$TMP/my scenario.ini"
cp "$(dirname "$README")/data/scenarios/all-broken.ini" "$SCEN"
XDG_CACHE_HOME=$CACHE run 0 "fix --practice=FILE --yes" fix "--practice=$SCEN" --yes --step 2
undo=$(grep -F " restore " "$OUT" | sed 's/^ *//' | head -1)
( cd "$TMP" && export XDG_CACHE_HOME="$CACHE" && eval "$undo --json" ) >"$OUT" 2>"$ERR" </dev/null
rc=$?
check "the line for a scenario file restores (exit $rc)" [ "$rc" = 0 ]
py "… on that scenario" "d['platform']['scenario'] == 'all-broken' and d['steps'][0]['code'] == 'creds.restored'"

# ---- 8. restore: status, code and exit code agree, as documented ----
XDG_CACHE_HOME=$CACHE run 0 "restore --practice=all-broken BACKUP --json" restore --practice=all-broken "$backup" --json
want=$(readme_status creds.restored)
py "JSON: step 2 is creds.restored with README's status ($want)" \
   "d['steps'][0]['code'] == 'creds.restored' and d['steps'][0]['status'] == '$want'"
check "README gives creds.restored a real status" \
  sh -c "echo ok warning problem fixed needs_restart unverified not_applicable | grep -qw -- '$want'"

# ---- 6. restore --practice FILE: FILE is the backup ----
XDG_CACHE_HOME=$CACHE run 0 "restore --practice BACKUP (no =)" restore --practice "$backup"
XDG_CACHE_HOME=$CACHE run 0 "restore BACKUP --practice" restore "$backup" --practice

# ---- 7. restore errors: stderr, the README's exit code ----
rc_row=$(grep -E '^\| [0-9] \| .*restore.* could not' "$README" | head -1 | awk -F'|' '{ gsub(/ /, "", $2); print $2 }')
check "README's exit-code table has a row for a failed restore (${rc_row:-none})" [ -n "$rc_row" ]
: >"$TMP/empty.ini"
head -c 4096 /dev/urandom >"$TMP/random.bin"
mkdir -p "$TMP/a-directory"
for f in "$TMP/missing.ini" "$TMP/random.bin" "$TMP/empty.ini" "$TMP/a-directory"; do
  name=$(basename "$f")
  XDG_CACHE_HOME=$CACHE run "${rc_row:-4}" "restore $name: exit code from the README" restore --practice=all-broken "$f"
  check "restore $name: nothing on stdout" [ ! -s "$OUT" ]
  if grep -qF "$f" "$ERR"; then ok "restore $name: stderr names the file"; else fail "restore $name: stderr names the file"; fi
  XDG_CACHE_HOME=$CACHE run "${rc_row:-4}" "restore $name --json" restore --practice=all-broken "$f" --json
  py "restore $name --json: creds.restore_failed, README's status" \
     "d['steps'][0]['code'] == 'creds.restore_failed' and d['steps'][0]['status'] == '$(readme_status creds.restore_failed)'"
done

# ---- 5. a backup that cannot be written says why ----
touch "$TMP/a-file"
XDG_CACHE_HOME="$TMP/a-file" run 1 "fix with the cache folder a file" fix --practice --yes --step 2
has "creds.backup_failed" "backup_failed"
has "Not a directory" "the real reason (not a directory)"
hasnt "simulated" "no made-up reason"
env -u XDG_CACHE_HOME HOME="$TMP/a-file" "$CLI" fix --practice --yes --step 2 </dev/null >"$OUT" 2>"$ERR"
has "Not a directory" "HOME unusable: the real reason"
hasnt "simulated" "HOME unusable: no made-up reason"
if [ "$(id -u)" != 0 ]; then
  mkdir -p "$TMP/ro" && chmod 555 "$TMP/ro"
  XDG_CACHE_HOME="$TMP/ro" run 1 "fix with a read-only cache folder" fix --practice --yes --step 2
  has "Permission denied" "read-only: the real reason"
  hasnt "simulated" "read-only: no made-up reason"
else
  echo "# running as root: a read-only folder is writable, its case is not run"
fi
# The scenario's own simulated failure still says it is simulated.
printf '[fixes]\ncredentials=backup_fails\n' | cat "$(dirname "$README")/data/scenarios/all-broken.ini" - >"$TMP/bf.ini"
XDG_CACHE_HOME=$CACHE run 1 "scenario backup_fails" fix "--practice=$TMP/bf.ini" --yes --step 2
has "simulated" "a simulated failure says so"

finish
