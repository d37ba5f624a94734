# Shell: open_settings accepts only ms-settings: URIs; restart_teams closes
# ms-teams.exe / Teams.exe (WM_CLOSE, then TerminateProcess after the grace
# period) and asks the shell to start Teams again.
for uri in 'https://example.com/' 'file:///C:/windows/system32/cmd.exe' 'C:\windows\system32\cmd.exe' \
           'ms-settings:dateandtime" & calc' 'ms-settingsx:foo' ''; do
  out=$(probe shell open-settings "$uri"); rc=$?
  check "open-settings '$uri' refused (bad_input, exit 1)" [ "$rc" -eq 1 -a "$(field "$out" result)" = bad_input ]
done
out=$(probe shell open-settings ms-settings:dateandtime); rc=$?
echo "# ms-settings:dateandtime under Wine: $out"
check "open-settings ms-settings:dateandtime is attempted (ok, or failed: no handler in Wine)" \
  grep -qE '^(ok|failed)$' <<<"$(field "$out" result)"

teams="$HS_TMP/teams"
install_standin "$teams/ms-teams.exe" "sleep_ms=-1"
install_standin "$teams/classic/Teams.exe" "sleep_ms=-1"
p1=$(tool spawn "$(winpath "$teams/ms-teams.exe")" | tr -d '\r')
p2=$(tool spawn "$(winpath "$teams/classic/Teams.exe")" | tr -d '\r')
sleep 1
check "fake new and classic Teams are running ($p1, $p2)" bash -c "! wine '$HS_TOOL' alive $p1 $p2 >/dev/null"
t0=$(date +%s)
out=$(probe shell restart-teams --grace 1500); rc=$?
echo "# restart-teams: $out (after $(( $(date +%s) - t0 )) s)"
sleep 1
check "both Teams processes are gone" tool alive "$p1" "$p2"
check "no ms-teams.exe or Teams.exe left (toolhelp)" bash -c "wine '$HS_TOOL' find-procs ms-teams.exe >/dev/null; a=\$?; wine '$HS_TOOL' find-procs Teams.exe >/dev/null; [ \$a -eq 0 -a \$? -eq 0 ]"
check "restart-teams reports ok or a relaunch failure, never a crash" grep -qE '^(ok|failed)$' <<<"$(field "$out" result)"
finish
