# Issue 11, point 5: restarting Teams touches this session's processes only,
# and says what happened: new Teams answers WM_CLOSE by hiding in the tray
# (alive, window hidden) and is then ended; one that exits is "closed"; one
# that ignores WM_CLOSE is "killed". Real windows need a display: this suite
# starts its own Xvfb (tests/lib-xvfb.sh). A process in another session is
# presented over the session_of seam (Wine has one session).
. "$HS_SOURCE_ROOT/tests/lib-xvfb.sh"
start_xvfb 640x480x24 || exit 1
teams="$HS_TMP/teams"
# one at a time, each until its window shows, so that a Teams that cannot
# start is named rather than counted as missing later
pids=()
for kind in exit hide ignore; do
  install_standin "$teams/$kind/ms-teams.exe" "log=$(winpath "$HS_TMP/$kind.log")
window=1
on_close=$kind"
  pids+=("$(tool spawn "$(winpath "$teams/$kind/ms-teams.exe")" | tr -d '\r')")
  for _ in $(seq 150); do
    grep -q '^WINDOW	shown' "$HS_TMP/$kind.log" 2>/dev/null && break; sleep 0.1
  done
  check "the fake Teams that answers WM_CLOSE with '$kind' shows its window" \
    grep -q '^WINDOW	shown' "$HS_TMP/$kind.log" ||
    { echo "# its log:"; sed 's/^/#   /' "$HS_TMP/$kind.log" 2>/dev/null; }
done
p1=${pids[0]} p2=${pids[1]} p3=${pids[2]}
out=$(probe shell restart-teams --grace 4000); rc=$?
echo "# $out"
check "found=3 in this session, none elsewhere" [ "$(field "$out" found)" = 3 -a "$(field "$out" other_sessions)" = 0 ]
check "closed=1 (exited on WM_CLOSE)" [ "$(field "$out" closed)" = 1 ]
check "hidden_then_ended=1 (went to the tray, then ended)" [ "$(field "$out" hidden_then_ended)" = 1 ]
check "killed=1 (ignored WM_CLOSE)" [ "$(field "$out" killed)" = 1 ]
check "every one received WM_CLOSE" [ "$(cat "$HS_TMP"/*.log | grep -c '^WM_CLOSE')" -eq 3 ]
sleep 0.5
check "all three are gone" tool alive "$p1" "$p2" "$p3"
# another session's Teams is left alone
install_standin "$teams/other/ms-teams.exe" "sleep_ms=-1"
p4=$(tool spawn "$(winpath "$teams/other/ms-teams.exe")" | tr -d '\r')
sleep 0.5
out=$(tool restart-teams-foreign "$p4")
echo "# $out"
check "a Teams of another session is counted, not touched" [ "$(field "$out" other_sessions)" = 1 -a "$(field "$out" found)" = 0 ]
check "and it is still running" bash -c "! wine '$HS_TOOL' alive $p4 >/dev/null"
wine taskkill /F /PID "$p4" >/dev/null 2>&1
finish
