# Issue 11, point 2: a clock fix is proven by measuring, not by exit codes.
# The helper gets an absolute reference (true UTC in microseconds + the
# system-wide monotonic stamp taken at the same moment, integers only) and
# refuses when the clock moved since it was measured or the measurement is
# too old; w32tm saying "no time data was available" with exit 0 is a
# failure; after a "successful" resync the offset is measured again. w32tm is
# a stand-in here (it never moves the clock), which is exactly the case of a
# resync that did nothing.
stamp=$(probe time stamp)
sys=$(field "$stamp" system_utc_us); mono=$(field "$stamp" mono_us)
check "time stamp prints integers" grep -qE '^[0-9]+$' <<<"$sys$mono"
# ref OFFSET_S: the clock is OFFSET_S seconds ahead of true time (as measured now)
ref() { echo "$((sys - $1 * 1000000)):$(($1 * 1000000)):$mono"; }

install_standin "$W32TM" "log=$(winpath "$LOG")
stdout=Sending resync command to local computer\r\nThe computer did not resync because no time data was available.\r\n"
: > "$LOG"
out=$(probe time resync --ref "$(ref 0)"); rc=$?
echo "# $out"
check "exit 0 with 'no time data was available': unreachable, not ok" [ "$rc" -eq 1 -a "$(field "$out" result)" = unreachable ]
check "the detail is w32tm's result, not its progress line" bash -c "grep -q 'no time data' <<<'$(field "$out" detail)' && ! grep -q 'Sending resync' <<<'$(field "$out" detail)'"

install_standin "$W32TM" "log=$(winpath "$LOG")
stdout=Sending resync command to local computer\r\nThe command completed successfully.\r\n"
out=$(probe time resync --ref "$(ref 0)"); rc=$?
check "success and the clock measured right: ok" [ "$rc" -eq 0 -a "$(field "$out" result)" = ok ]
out=$(probe time resync --ref "$(ref 600)"); rc=$?
echo "# $out"
check "success, but still 600 s off (beyond W32Time's step limit): no_effect" [ "$rc" -eq 1 -a "$(field "$out" result)" = no_effect ]
out=$(probe time resync --ref "$(ref 60)"); rc=$?
check "success with 60 s left (W32Time slews small offsets): pending, not ok" [ "$(field "$out" result)" = pending ]
out=$(probe time resync); rc=$?
check "nothing measured to prove it: pending" [ "$(field "$out" result)" = pending ]

: > "$LOG"
# the reference says 120 s ahead, but the clock now is right: it moved
moved="$((sys)):120000000:$mono"
out=$(probe time resync --ref "$moved"); rc=$?
check "the clock moved since it was measured: stale, w32tm not run" [ "$(field "$out" result)" = stale -a ! -s "$LOG" ]
out=$(probe time resync --ref "$((sys)):0:$((mono - 16 * 60 * 1000000))"); rc=$?
check "a measurement over 15 min old: stale" [ "$(field "$out" result)" = stale -a ! -s "$LOG" ]
out=$(probe elevated-action "clock-fix:$moved" 2>&1); rc=$?
check "the elevated helper refuses a moved clock with its own exit code (11), nothing run" [ "$rc" -eq 11 -a ! -s "$LOG" ]
out=$(probe elevated-action "clock-fix:$(ref 0)" 2>&1); rc=$?
check "a fresh reference passes on to the next step (no W32Time under Wine: exit 3)" [ "$rc" -eq 3 ]

# W32Time is told about changed settings
install_standin "$W32TM" "log=$(winpath "$LOG")"
: > "$LOG"
out=$(probe time config-update); rc=$?
check "w32tm /config /update: the exact command" [ "$rc" -eq 0 -a "$(cmdlines)" = '"C:\windows\system32\w32tm.exe" /config /update' ]
install_standin "$W32TM" "stdout=The following error occurred: The service has not been started. (0x80070426)\r\n"
out=$(probe time config-update); rc=$?
check "w32tm /config /update printing an error with exit 0: failed, with the HRESULT" [ "$rc" -eq 1 -a "$(field "$out" result)" = failed ] && grep -q 0x80070426 <<<"$(field "$out" detail)"
finish
