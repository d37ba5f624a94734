# The process runner: absolute system path, exact argument strings (quoted by
# the CommandLineToArgvW rules), exit codes, stdout/stderr capture (escaped,
# capped at 1 MiB without deadlock), missing program -> not_found.
install_standin "$W32TM" "log=$(winpath "$LOG")"
install_standin "$PS" "log=$(winpath "$LOG")"

out=$(probe run w32tm /resync /rediscover); rc=$?
check "run w32tm exits 0" [ "$rc" -eq 0 ]
check "exit=0 captured" [ "$(field "$out" exit)" = 0 ]
check "w32tm started by absolute path as lpApplicationName" grep -qxF $'MODULE\tC:\\windows\\system32\\w32tm.exe' "$LOG"
check "exact command line: \"C:\\windows\\system32\\w32tm.exe\" /resync /rediscover" \
  [ "$(cmdlines | tail -n1)" = '"C:\windows\system32\w32tm.exe" /resync /rediscover' ]

: > "$LOG"
probe run powershell -- 'a b' 'q"x' 'tr\' 'sp ace\' '' 'ü テ' "it's" >/dev/null
want='"C:\windows\system32\WindowsPowerShell\v1.0\powershell.exe" "a b" "q\"x" tr\ "sp ace\\" "" "ü テ" it'"'"'s'
got=$(cmdlines | tail -n1)
check "quoted arguments: $got" [ "$got" = "$want" ]

install_standin "$PS" 'exit=3
stdout=hello\tworld\r\nline two\n
stderr=oops: \\\\server\\share'
out=$(probe run powershell -NoProfile); rc=$?
check "probe exit 0 when the child ran (whatever its code)" [ "$rc" -eq 0 ]
check "exit=3 mapped" [ "$(field "$out" exit)" = 3 ]
check "stdout captured and escaped" [ "$(field "$out" stdout)" = 'hello\tworld\r\nline two\n' ]
check "stderr captured separately" [ "$(field "$out" stderr)" = 'oops: \\\\server\\share' ]

install_standin "$PS" "exit=-1"
check "exit code 0xFFFFFFFF reported as 4294967295" [ "$(field "$(probe run powershell)" exit)" = 4294967295 ]

head -c 3000000 /dev/zero | tr '\0' 'A' > "$HS_TMP/big.txt"
install_standin "$PS" "stdout_file=$(winpath "$HS_TMP/big.txt")
stderr=small"
t0=$(date +%s)
out=$(probe run powershell --timeout 20000); rc=$?
check "3 MB of output: no deadlock (exit 0 in $(( $(date +%s) - t0 )) s)" [ "$rc" -eq 0 ]
check "stdout capped at 1 MiB" [ "$(field "$out" stdout | wc -c)" -eq $((1048576 + 1)) ]
check "truncated=yes reported" [ "$(field "$out" truncated)" = yes ]
check "stderr still captured" [ "$(field "$out" stderr)" = small ]

# resync through the runner
install_standin "$W32TM" "log=$(winpath "$LOG")
stdout=Sending resync command to local computer\r\nThe command completed successfully.\r\n"
: > "$LOG"
out=$(probe time resync); rc=$?
check "time resync: w32tm succeeds, nothing measured to prove it: pending (issue 11)" [ "$rc" -eq 1 -a "$(field "$out" result)" = pending ]
check "time resync ran w32tm /resync /rediscover" [ "$(cmdlines)" = '"C:\windows\system32\w32tm.exe" /resync /rediscover' ]
: > "$LOG"
out=$(probe time resync --offset 120); rc=$?
check "an offset within 15 h still uses w32tm" [ "$(cmdlines)" = '"C:\windows\system32\w32tm.exe" /resync /rediscover' ]
install_standin "$W32TM" "exit=1
stdout=The computer did not resync because no time data was available.\r\n"
out=$(probe time resync); rc=$?
check "w32tm failure (no time data) -> exit 1, result=unreachable" [ "$rc" -eq 1 -a "$(field "$out" result)" = unreachable ]
check "w32tm's reason is kept" grep -q "no time data" <<<"$(field "$out" detail)"

rm -f "$W32TM"
out=$(probe run w32tm /query); rc=$?
check "missing w32tm.exe: exit 1, error=not_found" [ "$rc" -eq 1 -a "$(field "$out" error)" = not_found ]
finish
