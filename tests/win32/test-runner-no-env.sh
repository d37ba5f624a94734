# No path comes from PATH or environment variables: with a decoy
# powershell.exe/w32tm.exe first in PATH and SystemRoot/windir pointing at a
# decoy directory, the real system path still wins. The stand-in reads its
# control file next to itself, so the runner needs no environment either.
install_standin "$PS" "log=$(winpath "$LOG")
stdout=real"
install_standin "$W32TM" "log=$(winpath "$LOG")
stdout=real"
decoy="$HS_TMP/decoy"
for p in powershell.exe w32tm.exe system32/w32tm.exe WindowsPowerShell/v1.0/powershell.exe \
         system32/WindowsPowerShell/v1.0/powershell.exe; do
  install_standin "$decoy/$p" "log=$(winpath "$HS_TMP/decoy.log")
stdout=decoy"
done
out=$(tool decoy-exec "$(winpath "$decoy")" "$(winpath "$HS_PROBE")" run powershell -- x); rc=$?
check "powershell run under a decoy environment: exit 0" [ "$rc" -eq 0 ]
check "the real powershell.exe answered" [ "$(field "$out" stdout)" = real ]
out=$(tool decoy-exec "$(winpath "$decoy")" "$(winpath "$HS_PROBE")" run w32tm /resync); rc=$?
check "the real w32tm.exe answered" [ "$rc" -eq 0 -a "$(field "$out" stdout)" = real ]
check "no decoy was started" [ ! -s "$HS_TMP/decoy.log" ]
check "both real stand-ins logged their system paths" [ "$(grep -c '^MODULE	C:\\windows\\system32\\' "$LOG")" -eq 2 ]
# sanity: the decoy environment really is in effect for a PATH search
out=$(tool decoy-exec "$(winpath "$decoy")" 'C:\windows\system32\cmd.exe' /c powershell.exe 2>/dev/null)
check "(control) a PATH search in that environment finds the decoy" grep -q decoy <<<"$out"
finish
