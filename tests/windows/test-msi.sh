# The per-user MSI under Wine's msiexec: installs without elevation under
# %LOCALAPPDATA%\Programs\Handshake with a Start-menu shortcut and an
# uninstall entry; the installed handshake-cli.exe, in real mode, finds,
# removes and restores planted Teams credentials, leaving every other one
# untouched, and measures the clock against a real chronyd on loopback; a
# newer MSI replaces it (major upgrade); uninstalling leaves nothing behind.
. "$HS_SUITE_DIR/lib-app.sh"

# Word Count bit 3 (8): "elevated privileges are not required" — no UAC prompt.
wc=$(msiinfo suminfo "$MSI" | sed -n 's/^Source: \([0-9]*\).*/\1/p')
check "summary information: no elevation needed (Word Count $wc has bit 8)" [ $(( ${wc:-0} & 8 )) -eq 8 ]
check "no ALLUSERS property (a per-user package)" bash -c "! msiinfo export '$MSI' Property | grep -q '^ALLUSERS'"

localapp=$(winepath -u "$(winenv LOCALAPPDATA)" 2>/dev/null)
appdata=$(winepath -u "$(winenv APPDATA)" 2>/dev/null)
dir="$localapp/Programs/Handshake"
lnk="$appdata/Microsoft/Windows/Start Menu/Programs/Handshake.lnk"
uninstall_keys() {  # uninstall entries whose DisplayName is Handshake, either hive
  local h
  for h in HKCU HKLM; do
    wine reg query "$h\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall" /s 2>/dev/null | tr -d '\r' |
      awk '/^HKEY/ { key = $0 } /^ +DisplayName +REG_SZ +Handshake$/ { print key }'
  done
}
# uninstall_value NAME: that value of the (one) Handshake entry
uninstall_value() {
  local key; key=$(uninstall_keys | head -n1)
  [ -n "$key" ] && wine reg query "$key" /v "$1" 2>/dev/null | tr -d '\r' | awk -v n="$1" '$1 == n { print $3 }'
}

wine msiexec /i "$(winpath "$MSI")" /qn; rc=$?
check "msiexec /i /qn exits 0" [ "$rc" -eq 0 ]
check "installed under %LOCALAPPDATA%\\Programs\\Handshake" [ -f "$dir/handshake.exe" -a -f "$dir/handshake-cli.exe" ]
check "the catalogues came along (share/locale/de)" [ -f "$dir/share/locale/de/LC_MESSAGES/handshake.mo" ]
check "a Start-menu shortcut" [ -f "$lnk" ]
check "one uninstall entry, version $HS_VERSION" \
  [ "$(uninstall_keys | wc -l)" -eq 1 -a "$(uninstall_value DisplayVersion)" = "$HS_VERSION" ]

# The installed program, for real: step 2.
APP="$dir"
tool plant-creds 11 "$(winpath "$HS_TMP/manifest.tsv")" >/dev/null || { echo "FAIL: planting"; exit 1; }
tool snapshot "$(winpath "$HS_TMP/before.tsv")" >/dev/null
LC_ALL=C sort -o "$HS_TMP/before.tsv" "$HS_TMP/before.tsv"
cli check --step 2 --json > "$HS_TMP/check.json"; rc=$?
check "installed cli: planted Teams entries are creds.stale (exit 1)" \
  [ "$rc" -eq 1 -a "$(json "$HS_TMP/check.json" 'r["steps"][0]["code"]')" = creds.stale ]
# --no-redact: the backup path names the user folder, which a redacted report masks
cli fix --yes --step 2 --json --no-redact > "$HS_TMP/fix.json"; rc=$?
check "fix --yes --step 2: creds.removed, exit 0" \
  [ "$rc" -eq 0 -a "$(json "$HS_TMP/fix.json" 'r["steps"][0]["code"]')" = creds.removed ]
backup=$(json "$HS_TMP/fix.json" 'r["steps"][0]["findings"].get("backup", "")')
check "the fix names its backup ($backup)" [ -n "$backup" ]
tool snapshot "$(winpath "$HS_TMP/after.tsv")" >/dev/null
LC_ALL=C sort -o "$HS_TMP/after.tsv" "$HS_TMP/after.tsv"
awk -F'\t' 'NR == FNR { if ($1 == "required") req[$3 "\t" ($2 == "generic" ? 1 : 2)] = 1; next }
            !(($1 "\t" $2) in req)' "$HS_TMP/manifest.tsv" "$HS_TMP/before.tsv" > "$HS_TMP/expected.tsv"
if cmp -s "$HS_TMP/expected.tsv" "$HS_TMP/after.tsv"; then
  pass "only the required entries went; every other credential is byte-identical"
else
  fail "the vault after the fix is not the vault minus the required entries"
  diff "$HS_TMP/expected.tsv" "$HS_TMP/after.tsv" | head
fi
cli restore "$backup" > "$HS_TMP/restore.txt"; rc=$?
check "restore exits 0" [ "$rc" -eq 0 ]
tool snapshot "$(winpath "$HS_TMP/restored.tsv")" >/dev/null
LC_ALL=C sort -o "$HS_TMP/restored.tsv" "$HS_TMP/restored.tsv"
if cmp -s "$HS_TMP/before.tsv" "$HS_TMP/restored.tsv"; then
  pass "after restore the vault is byte-identical to before"
else
  fail "the restored vault differs"; diff "$HS_TMP/before.tsv" "$HS_TMP/restored.tsv" | head
fi

# Text output: where the backup went, and the line that undoes the removal,
# quoted for PowerShell (no PowerShell under Wine: its file argument is read
# here as PowerShell reads it, then given to restore).
cli fix --yes --step 2 > "$HS_TMP/fix.txt"; rc=$?
undo=$(grep -F ' restore ' "$HS_TMP/fix.txt" | sed 's/^ *//' | head -n1)
check "fix (text) prints the line that undoes it: $undo" [ "$rc" -eq 0 -a -n "$undo" ]
file=$(python3 -c '
import sys
line, words, i = sys.argv[1], [], 0
while i < len(line):                  # words as PowerShell splits them
    if line[i] == " ":
        i += 1; continue
    w = ""
    while i < len(line) and line[i] != " ":
        if line[i] == "\x27":          # single quotes: literal, doubled inside
            i += 1
            while i < len(line) and not (line[i] == "\x27" and line[i + 1:i + 2] != "\x27"):
                w += line[i]; i += 2 if line[i] == "\x27" else 1
            i += 1
        else:
            w += line[i]; i += 1
    words.append(w)
print(words[-1])' "$undo")
check "… its backup is in %LOCALAPPDATA%\\Handshake\\backups ($file)" \
  bash -c "grep -qiF 'AppData\\Local\\Handshake\\backups\\' <<<'$file' && grep -qF '$file' '$HS_TMP/fix.txt'"
cli restore "$file" > "$HS_TMP/restore2.txt"; rc=$?
tool snapshot "$(winpath "$HS_TMP/restored2.tsv")" >/dev/null
LC_ALL=C sort -o "$HS_TMP/restored2.tsv" "$HS_TMP/restored2.tsv"
check "… and restoring it (exit $rc) gives the vault back byte for byte" \
  bash -c "[ $rc -eq 0 ] && cmp -s '$HS_TMP/before.tsv' '$HS_TMP/restored2.tsv'"

# Step 1 against a real chronyd running 5 minutes behind: this PC is 300 s ahead.
start_chrony -5m
cli check --step 1 --time-server "127.0.0.1:$CHRONY_PORT" --https-time-url '' --timeout 5 --json \
  > "$HS_TMP/clock.json"; rc=$?
offset=$(json "$HS_TMP/clock.json" 'r["steps"][0]["findings"].get("offset_seconds", "none")')
echo "# offset measured by the installed cli: $offset"
check "clock: clock.skew from chronyd, exit 1" \
  [ "$(json "$HS_TMP/clock.json" 'r["steps"][0]["code"]')" = clock.skew -a "$rc" -eq 1 ]
check "clock: offset $offset within 0.5 s of +300 s" \
  python3 -c "import sys; sys.exit(abs(float('$offset') - 300) > 0.5)"

# A newer version replaces this one: one entry, the new version's files.
python3 "$HS_SOURCE_ROOT/build-aux/windows/package.py" --msi-from "$dir" --version "$HS_VERSION" \
  --msi-version 99.0.0 --out "$HS_TMP/upgrade" >/dev/null || fail "building the upgrade MSI"
wine msiexec /i "$(winpath "$HS_TMP/upgrade/handshake-99.0.0-x64.msi")" /qn; rc=$?
check "the newer MSI installs (exit 0)" [ "$rc" -eq 0 ]
check "after the upgrade: still one uninstall entry" [ "$(uninstall_keys | wc -l)" -eq 1 ]
check "after the upgrade: the entry is version 99.0.0" [ "$(uninstall_value DisplayVersion)" = 99.0.0 ]
check "after the upgrade: the program is still there" [ -f "$dir/handshake-cli.exe" ]

wine msiexec /x "$(winpath "$HS_TMP/upgrade/handshake-99.0.0-x64.msi")" /qn; rc=$?
check "msiexec /x exits 0" [ "$rc" -eq 0 ]
check "uninstalled: the program folder is gone" [ ! -e "$dir" ]
check "uninstalled: the Start-menu shortcut is gone" [ ! -e "$lnk" ]
check "uninstalled: no uninstall entry" [ "$(uninstall_keys | wc -l)" -eq 0 ]
check "uninstalled: HKCU\\Software\\Handshake is gone" \
  bash -c "! wine reg query 'HKCU\\Software\\Handshake' >/dev/null 2>&1"
finish
