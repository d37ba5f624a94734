# handshake-cli.exe from the portable zip under Wine, on what a real Windows
# PC does and Wine does not (issue 11). Where Wine differs, the program's own
# objects are linked with one seam of the Windows layer (tests/windows/
# hs-seam-*.c): handshake-cli-withheld.exe meets a domain password whose
# secret Windows keeps from CredRead; handshake-cli-other-user.exe runs as
# another account than the session's user. A restore over newer entries
# needs no seam: the packaged program itself.
. "$HS_SUITE_DIR/lib-app.sh"
unpack_zip
cp "$HS_CLI_WITHHELD" "$APP/handshake-cli-withheld.exe"
cp "$HS_CLI_OTHER_USER" "$APP/handshake-cli-other-user.exe"
# seam NAME ARGS...: handshake-cli-NAME.exe from the unpacked folder.
seam() { local exe=$1; shift; wine "$APP/handshake-cli-$exe.exe" "$@" | tr -d '\r'; return "${PIPESTATUS[0]}"; }
quick_clock=(--time-server 127.0.0.1:9 --https-time-url '' --timeout 1)

DOMAIN='MicrosoftAccount:user=carol@contoso.com'
TEAMS='msteams_adalsso/adal_context_segments'
tool plant-domain "$DOMAIN" 'carol@contoso.com' 'domain-secret' || { echo "FAIL: planting the domain password"; exit 1; }
tool plant-secret "$TEAMS" 'teams-secret' || { echo "FAIL: planting"; exit 1; }
item() {  # item FILE KIND TARGET KEY: a finding of one listed entry
  json "$1" "[i.get('$4') for i in r['steps'][0]['findings']['$2'] if i['target'].startswith('$3')][0]"
}

# Point 1: the entry Windows keeps the secret of is said to be unrestorable.
cli check --step 2 --json --no-redact > "$HS_TMP/plain.json"
check "control: under plain Wine the domain password's secret reads back (restorable yes)" \
  [ "$(item "$HS_TMP/plain.json" credentials MicrosoftAccount restorable)" = yes ]
seam withheld check --step 2 --json --no-redact > "$HS_TMP/check.json"
check "with the secret withheld, as on Windows: restorable no" \
  [ "$(item "$HS_TMP/check.json" credentials MicrosoftAccount restorable)" = no ]
check "the generic Teams entry stays restorable" \
  [ "$(item "$HS_TMP/check.json" credentials msteams restorable)" = yes ]

# fix without --allow-unrecoverable: skipped and said so, not a failure.
seam withheld fix --step 2 --yes --json --no-redact > "$HS_TMP/fix1.json"; rc=$?
check "fix without --allow-unrecoverable: exit 1 (what is left is still stale)" [ "$rc" -eq 1 ]
check "fix: creds.unrestorable" [ "$(json "$HS_TMP/fix1.json" 'r["steps"][0]["code"]')" = creds.unrestorable ]
check "fix: the domain password skipped, reason unrestorable" \
  [ "$(item "$HS_TMP/fix1.json" removals MicrosoftAccount outcome)/$(item "$HS_TMP/fix1.json" removals MicrosoftAccount reason)" = skipped/unrestorable ]
check "fix: no failure counted" [ "$(json "$HS_TMP/fix1.json" 'r["steps"][0]["findings"]["failed_count"]')" -eq 0 ]
tool exists "$DOMAIN" domain
check "the domain password is still in Credential Manager" [ $? -eq 0 ]
tool exists "$TEAMS" generic
check "the Teams entry was removed" [ $? -eq 3 ]

# with --allow-unrecoverable: removed; its backup holds no secret, so a
# restore skips it rather than writing an entry without its password.
seam withheld fix --step 2 --yes --allow-unrecoverable --json --no-redact > "$HS_TMP/fix2.json"; rc=$?
check "fix --allow-unrecoverable: exit 0, creds.removed" \
  [ "$rc" -eq 0 -a "$(json "$HS_TMP/fix2.json" 'r["steps"][0]["code"]')" = creds.removed ]
tool exists "$DOMAIN" domain
check "the domain password is gone" [ $? -eq 3 ]
backup=$(json "$HS_TMP/fix2.json" 'r["steps"][0]["findings"]["backup"]')
seam withheld restore "$backup" --json --no-redact > "$HS_TMP/restore1.json"; rc=$?
check "restore of that backup: exit 0 (skipped on purpose)" [ "$rc" -eq 0 ]
check "restore: skipped, the backup holds no secret for it" \
  [ "$(item "$HS_TMP/restore1.json" restorations MicrosoftAccount reason)" = no_secret ]
tool exists "$DOMAIN" domain
check "nothing was written without its password" [ $? -eq 3 ]

# Point 8 (the packaged program): a restore keeps an entry saved after the
# backup, says so, and writes over it only with --overwrite-newer.
TEAMS2='msteams_adalsso/adal_context_42'
tool plant-secret "$TEAMS2" 'old-secret'
cli fix --step 2 --yes --json --no-redact > "$HS_TMP/fix3.json"
backup=$(json "$HS_TMP/fix3.json" 'r["steps"][0]["findings"]["backup"]')
sleep 1
tool plant-secret "$TEAMS2" 'new-secret'   # Teams signed in again
cli restore "$backup" > "$HS_TMP/restore2.txt"; rc=$?
check "restore over a newer entry: exit 0" [ "$rc" -eq 0 ]
check "restore: says the newer one was kept and how to overwrite it" \
  grep -qF "$TEAMS2: skipped: a newer one was saved after the backup (--overwrite-newer writes over it)" "$HS_TMP/restore2.txt"
tool check-secret "$TEAMS2" 'new-secret'
check "the newer secret is untouched" [ $? -eq 0 ]
cli restore "$backup" --overwrite-newer --json > "$HS_TMP/restore3.json"; rc=$?
check "restore --overwrite-newer: exit 0, creds.restored" \
  [ "$rc" -eq 0 -a "$(json "$HS_TMP/restore3.json" 'r["steps"][0]["code"]')" = creds.restored ]
tool check-secret "$TEAMS2" 'old-secret'
check "and the backed-up secret is back" [ $? -eq 0 ]

# Point 4: run as another account than the person at the computer.
seam other-user check --json "${quick_clock[@]}" > "$HS_TMP/user.json"; rc=$?
check "another account: steps 2-4 step.wrong_user, unverified" \
  [ "$(json "$HS_TMP/user.json" '",".join(s["code"] + ":" + s["status"] for s in r["steps"][1:])')" = \
    "step.wrong_user:unverified,step.wrong_user:unverified,step.wrong_user:unverified" ]
check "another account: the session's user, masked in the report" \
  [ "$(json "$HS_TMP/user.json" 'r["steps"][1]["findings"]["session_user"]')" = 'CONTOSO\j***' ]
seam other-user check --step 2 > "$HS_TMP/user.txt"; rc=$?
check "another account, step 2: exit 3 (could not check)" [ "$rc" -eq 3 ]
check "another account: says how to run it as the person" grep -qF 'run handshake-cli as CONTOSO\j***' "$HS_TMP/user.txt"
seam other-user fix --step 2 --yes --allow-unrecoverable --json > "$HS_TMP/user-fix.json"
tool exists "$TEAMS2" generic
check "another account: nothing was removed from this account's vault either" [ $? -eq 0 ]
finish
