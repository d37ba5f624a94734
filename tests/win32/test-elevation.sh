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
# issue 11, point 2: an absolute reference, integers only (true UTC us,
# offset us, monotonic us), never a float a locale could reformat
check "with --elevated-action=clock-fix:TRUE_UTC_US:12500000:MONO_US" \
  grep -qE -- ' --elevated-action=clock-fix:[0-9]+:12500000:[0-9]+$' <<<"$(cmdlines)"
: > "$LOG"
out=$(aprobe elevate clock-fix); rc=$?
check "without a measurement: the bare action name" grep -q -- ' --elevated-action=clock-fix$' <<<"$(cmdlines)"
# each failure reason of the helper comes back as its own result
for pair in 1:failed 3:not_found 4:access_denied 7:unreachable 9:timeout 10:no_effect 11:stale 13:pending 14:managed; do
  install_standin "$app/handshake-cli.exe" "exit=${pair%%:*}"
  out=$(aprobe elevate clock-fix); rc=$?
  check "helper exit ${pair%%:*} -> result=${pair#*:} (probe exit 1)" [ "$rc" -eq 1 -a "$(field "$out" exit)" = "${pair%%:*}" -a "$(field "$out" result)" = "${pair#*:}" ]
done
# issue 11, point 6: COM initialised as ShellExecuteExW needs it, the prompt
# owned by the wizard's window (seam before_shell_execute, hs-wine-unit11.c)
install_standin "$app/handshake-cli.exe" "exit=0"
cp "$HS_TOOL" "$app/hs-wine-tool.exe"
out=$(wine "$app/hs-wine-tool.exe" elevate-com); rc=$?
echo "$out"
check "elevate-com: STA for the call, owner window passed, MTA callers served on a helper thread" [ "$rc" -eq 0 ]
out=$(aprobe elevate "clock-fix; calc" 2>&1); rc=$?
check "elevate with a name off the list: usage error, nothing started" [ "$rc" -eq 2 ]
rm -f "$app/handshake-cli.exe"
out=$(aprobe elevate clock-fix); rc=$?
check "no handshake-cli.exe next to the module: not_found, exit 1" [ "$rc" -eq 1 -a "$(field "$out" result)" = not_found ]
# the elevated side: fixed list
out=$(probe elevated-action frobnicate 2>&1); rc=$?
check "elevated-action unknown name -> exit 2" [ "$rc" -eq 2 ]
out=$(probe elevated-action clock-fix --offset 30 2>&1); rc=$?
check "elevated-action clock-fix without W32Time -> exit 3 (no service; fails cleanly)" [ "$rc" -eq 3 ]
finish
