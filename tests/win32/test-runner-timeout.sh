# Timeout kills the whole tree: a stand-in that hangs and has started a
# grandchild that hangs is gone within the limit, and so is the grandchild
# (job object). A child that exits while its grandchild lingers does not hang
# the runner either.
install_standin "$PS" "log=$(winpath "$LOG")
sleep_ms=-1
grandchild=1
stdout=partial\n"
t0=$(date +%s%N)
out=$(probe run powershell --timeout 2000); rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "# returned after $ms ms: $out"
check "timeout reported (exit 1, error=timeout)" [ "$rc" -eq 1 -a "$(field "$out" error)" = timeout ]
check "returned within the limit plus slack ($ms ms < 8000)" [ "$ms" -lt 8000 ]
gc=$(sed -n 's/^GRANDCHILD\t//p' "$LOG" | tail -n1)
check "the stand-in started a grandchild ($gc)" [ -n "$gc" ]
sleep 1
check "the grandchild is gone" tool alive "$gc" >/dev/null
# check toolhelp's view too: no powershell.exe left at all
tool find-procs powershell.exe; rc=$?
check "no powershell.exe process survives" [ "$rc" -eq 0 ]

: > "$LOG"
install_standin "$PS" "log=$(winpath "$LOG")
grandchild=1
exit=5"
t0=$(date +%s%N)
out=$(probe run powershell --timeout 20000); rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "child exits while its grandchild holds the pipes: runner returns ($ms ms, exit=$(field "$out" exit))" [ "$rc" -eq 0 -a "$(field "$out" exit)" = 5 -a "$ms" -lt 10000 ]
gc=$(sed -n 's/^GRANDCHILD\t//p' "$LOG" | tail -n1)
sleep 1
check "the lingering grandchild ($gc) was stopped with the job" tool alive "$gc" >/dev/null
finish
