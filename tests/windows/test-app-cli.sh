# handshake-cli.exe from the portable zip, in real mode on Wine's Windows:
# the real Credential Manager, registry and process runner (PowerShell is
# the test stand-in, as Wine has none; it prints what Get-AppxPackage
# prints). Steps 2, 3 and 4 and the redacted report.
. "$HS_SUITE_DIR/lib-app.sh"
unpack_zip
check "the zip holds handshake.exe and handshake-cli.exe side by side" \
  [ -f "$APP/handshake.exe" -a -f "$APP/handshake-cli.exe" ]
check "no libsoup, json-glib or glib-networking in the Windows build" \
  bash -c "! ls -R '$APP' | grep -Ei 'soup|json-glib|giognutls|gnutls'"
check "handshake.exe is a GUI program (no console window), handshake-cli.exe a console one" \
  bash -c "x86_64-w64-mingw32-objdump -p '$APP/handshake.exe' | grep -q 'Subsystem.*(Windows GUI)' &&
           x86_64-w64-mingw32-objdump -p '$APP/handshake-cli.exe' | grep -q 'Subsystem.*(Windows CUI)'"
check "the programs and DLLs are stripped (no COFF symbols)" \
  bash -c "for f in '$APP'/*.exe '$APP'/*.dll; do [ -z \"\$(x86_64-w64-mingw32-nm \"\$f\" 2>/dev/null)\" ] || exit 1; done"
# Data found from the program's own folder, wherever it was unzipped.
cli check --practice=healthy --step 2 --json > "$HS_TMP/practice.json"; rc=$?
check "practice scenarios are found beside the program (share/handshake)" \
  [ "$rc" -eq 0 -a "$(json "$HS_TMP/practice.json" 'r["platform"]["scenario"]')" = healthy ]
LANGUAGE=de cli check --step 2 > "$HS_TMP/de.txt"
check "catalogues are found beside the program (German output)" grep -q 'Schritt 2' "$HS_TMP/de.txt"

# Nothing planted: a real, empty Windows.
cli check --step 2 --json > "$HS_TMP/empty.json"; rc=$?
check "empty vault: exit 0" [ "$rc" -eq 0 ]
check "real mode: platform win32, practice false" \
  [ "$(json "$HS_TMP/empty.json" 'r["platform"]["name"], r["practice"]')" = "('win32', False)" ]
check "empty vault: creds.ok" [ "$(json "$HS_TMP/empty.json" 'r["steps"][0]["code"]')" = creds.ok ]

# Step 2: the fixed set of the win32 suites (Teams, Office, Windows' own, others).
tool plant-creds 11 "$(winpath "$HS_TMP/manifest.tsv")" >/dev/null || { echo "FAIL: planting"; exit 1; }
cli check --step 2 --json > "$HS_TMP/creds.json"; rc=$?
check "planted Teams entries: exit 1 (a problem)" [ "$rc" -eq 1 ]
check "planted Teams entries: creds.stale" [ "$(json "$HS_TMP/creds.json" 'r["steps"][0]["code"]')" = creds.stale ]
json "$HS_TMP/creds.json" '"\n".join(c["category"] + "\t" + c["target"] for c in r["steps"][0]["findings"]["credentials"])' \
  | LC_ALL=C sort > "$HS_TMP/listed.tsv"
awk -F'\t' '$1 != "keep" { print $1 "\t" $3 }' "$HS_TMP/manifest.tsv" | sed 's/user=a@b.com/user=a***@b.com/' \
  | LC_ALL=C sort > "$HS_TMP/expected.tsv"
if cmp -s "$HS_TMP/expected.tsv" "$HS_TMP/listed.tsv"; then
  pass "every planted Teams and Office entry is listed with its category, nothing else"
else
  fail "listed entries differ"; diff "$HS_TMP/expected.tsv" "$HS_TMP/listed.tsv"
fi
check "the Microsoft-account address is redacted in the report" \
  bash -c "! grep -q 'a@b.com' '$HS_TMP/creds.json' && grep -q 'a\*\*\*@b.com' '$HS_TMP/creds.json'"

# Step 3: the broker and CloudExperienceHost registered, manifests present.
BROKER=Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy
CXH=Microsoft.Windows.CloudExperienceHost_cw5n1h2txyewy
for fam in $BROKER $CXH; do
  mkdir -p "$WINDIR/SystemApps/$fam"; echo '<Package/>' > "$WINDIR/SystemApps/$fam/AppxManifest.xml"
  printf 'PackageFamilyName=%s\r\nPackageFullName=%s_1000.0.0.0_neutral_neutral_cw5n1h2txyewy\r\nStatus=Ok\r\n' \
    "$fam" "${fam%%_*}" >> "$HS_TMP/appx.txt"
done
install_standin "$PS" "log=$(winpath "$LOG")
stdout_file=$(winpath "$HS_TMP/appx.txt")"
cli check --step 3 --json > "$HS_TMP/broker.json"; rc=$?
check "broker registered: broker.ok, exit 0" \
  [ "$(json "$HS_TMP/broker.json" 'r["steps"][0]["code"]')" = broker.ok -a "$rc" -eq 0 ]
check "PowerShell ran from the system folder with the fixed command" \
  grep -q 'WindowsPowerShell\\v1.0\\powershell.exe" -NoProfile -NonInteractive' "$LOG"
printf 'PackageFamilyName=%s\r\nStatus=Ok\r\n' "$CXH" > "$HS_TMP/appx.txt"
cli check --step 3 --json > "$HS_TMP/broker2.json"; rc=$?
check "broker missing from Get-AppxPackage: broker.unregistered, exit 1" \
  [ "$(json "$HS_TMP/broker2.json" 'r["steps"][0]["code"]')" = broker.unregistered -a "$rc" -eq 1 ]

# Step 4: accounts planted in the registry and as .tbacct files.
tool plant-accounts >/dev/null || { echo "FAIL: planting accounts"; exit 1; }
cli check --step 4 --json > "$HS_TMP/accounts.json"; rc=$?
code=$(json "$HS_TMP/accounts.json" 'r["steps"][0]["code"]')
check "five planted accounts: a warning or problem code ($code)" \
  bash -c "[ '$code' = accounts.several -o '$code' = accounts.duplicate ]"
check "five accounts listed" [ "$(json "$HS_TMP/accounts.json" 'len(r["steps"][0]["findings"]["accounts"])')" -eq 5 ]

# The report: redacted by default, whole with --no-redact.
# (step 1 asks a silent local port, so that nothing waits on the internet)
quick_clock=(--time-server 127.0.0.1:9 --https-time-url '' --timeout 1)
cli report --json "${quick_clock[@]}" > "$HS_TMP/report.json"
check "report: redacted, no planted address in clear" \
  bash -c "grep -q '\"redacted\": true' '$HS_TMP/report.json' && ! grep -qi 'alice@contoso.com\|carol@outlook.com' '$HS_TMP/report.json'"
cli report --json --no-redact "${quick_clock[@]}" > "$HS_TMP/report-full.json"
check "report --no-redact: the addresses in clear" grep -qi 'alice@contoso.com' "$HS_TMP/report-full.json"
finish
