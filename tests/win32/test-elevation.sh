# Elevation: only names on the fixed list; ShellExecuteExW "runas" starts
# handshake-cli.exe NEXT TO THE MODULE with the fixed parameters and waits for
# its exit code. (Wine has no UAC: "runas" starts the program directly, so the
# prompt and its refusal cannot be exercised here.)
app="$HS_TMP/app"
mkdir -p "$app"
cp "$HS_PROBE" "$app/hs-win32-probe.exe"
install_standin "$app/handshake-cli.exe" "log=$(winpath "$LOG")
exit=0"
aprobe() { wine "$app/hs-win32-probe.exe" "$@"; }

out=$(aprobe elevate clock-fix --offset 12.5); rc=$?
echo "$out"
check "elevate clock-fix: exit 0 when the helper exits 0" [ "$rc" -eq 0 -a "$(field "$out" exit)" = 0 ]
check "the helper next to the module was started" grep -qxF "MODULE	$(winpath "$app/handshake-cli.exe")" "$LOG"
check "with --elevated-action=clock-fix --offset=12.500" grep -q -- ' --elevated-action=clock-fix --offset=12.500$' <<<"$(cmdlines)"
install_standin "$app/handshake-cli.exe" "exit=1"
out=$(aprobe elevate clock-fix); rc=$?
check "the helper's exit code 1 is passed back (probe exit 1, exit=1)" [ "$rc" -eq 1 -a "$(field "$out" exit)" = 1 ]
out=$(aprobe elevate "clock-fix; calc" 2>&1); rc=$?
check "elevate with a name off the list: usage error, nothing started" [ "$rc" -eq 2 ]
rm -f "$app/handshake-cli.exe"
out=$(aprobe elevate clock-fix); rc=$?
check "no handshake-cli.exe next to the module: not_found, exit 1" [ "$rc" -eq 1 -a "$(field "$out" result)" = not_found ]
# the elevated side: fixed list
out=$(probe elevated-action frobnicate 2>&1); rc=$?
check "elevated-action unknown name -> exit 2" [ "$rc" -eq 2 ]
out=$(probe elevated-action clock-fix --offset 30 2>&1); rc=$?
check "elevated-action clock-fix without W32Time -> exit 1 (fails cleanly)" [ "$rc" -eq 1 ]
finish
