# A PowerShell or w32tm that misbehaves: the stand-in crashes for real (an
# access violation), prints binary garbage, or prints far more than anyone
# should read. Each time the runner returns in good time, keeps at most its
# cap, and the step's answer says what happened: never "not registered" from
# output it could not read, never a raw control byte in the detail.
# A Get-AppxPackage that hangs is stopped at its 20 s bound and the step says
# so (the runner's own timeout tests: test-runner-timeout.sh).
BROKER=Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy
mkdir -p "$WINDIR/SystemApps/$BROKER"
echo '<Package/>' > "$WINDIR/SystemApps/$BROKER/AppxManifest.xml"

# timed COMMAND...: runs it, sets out, rc and ms
timed() {
  local t0; t0=$(date +%s%N)
  out=$("$@"); rc=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}
# clean TEXT: valid UTF-8 without control characters other than tab
clean() { printf '%s' "$1" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 && ! printf '%s' "$1" | grep -qP '[\x00-\x08\x0b-\x1f\x7f]'; }
broker_line() { grep -P "^package=$BROKER\t" <<<"$out"; }

# ---- crash ------------------------------------------------------------------
install_standin "$PS" "stdout=PackageFamilyName=Microsoft.AAD.Broker
crash=1"
timed probe broker status
b=$(broker_line)
echo "# crash: $ms ms: $b"
check "Get-AppxPackage crashing: exit 1, registered=unknown, error=failed" \
  [ "$rc" -eq 1 -a "$(field "$b" registered)" = unknown -a "$(field "$b" error)" = failed ]
check "the detail says it crashed, with the exception code" \
  grep -q 'crashed (0xC0000005, access violation)' <<<"$(field "$b" detail)"
check "a crash is reported at once, not at the 60 s timeout ($ms ms < 20000)" [ "$ms" -lt 20000 ]

install_standin "$PS" "crash=1"
timed probe broker reregister "$BROKER"
check "Add-AppxPackage crashing: exit 1, result=failed, says crashed" \
  [ "$rc" -eq 1 -a "$(field "$out" result)" = failed ]
grep -q 'Add-AppxPackage crashed (0xC0000005' <<<"$(field "$out" detail)" \
  && pass "reregister detail names the crash" || fail "reregister detail names the crash: $out"

install_standin "$W32TM" "stdout=Sending resync command to local computer
crash=1"
timed probe time resync
check "w32tm crashing: exit 1, says crashed ($(field "$out" detail))" \
  [ "$rc" -eq 1 ] && grep -q 'w32tm /resync crashed (0xC0000005' <<<"$(field "$out" detail)"

# ---- hang ---------------------------------------------------------------------
install_standin "$PS" "stdout=PackageFamilyName=$BROKER\r\n
sleep_ms=-1"
timed probe broker status
b=$(broker_line)
echo "# hang: $ms ms: $(field "$b" detail)"
check "a hanging Get-AppxPackage: registered=unknown, error=timeout (not its partial output)" \
  [ "$(field "$b" registered)" = unknown -a "$(field "$b" error)" = timeout -a "$rc" -eq 1 ]
check "the detail says how long it waited and that it was stopped" \
  grep -q 'no answer within 20000 ms; the program and its children were stopped' <<<"$(field "$b" detail)"
check "both lookups bounded: $ms ms < 2 x 20 s + 10 s" [ "$ms" -lt 50000 ]
tool find-procs powershell.exe
check "no powershell.exe left running" [ $? -eq 0 ]

# ---- garbage ----------------------------------------------------------------
install_standin "$PS" "garbage_bytes=200000"
timed probe broker status
b=$(broker_line)
d=$(field "$b" detail)
echo "# garbage: $ms ms: ${d:0:160}"
check "garbage on stdout: registered=unknown (not 'not registered'), error=failed" \
  [ "$(field "$b" registered)" = unknown -a "$(field "$b" error)" = failed -a "$rc" -eq 1 ]
check "garbage: the detail says unexpected output, with its size" grep -q 'unexpected output (200000 bytes)' <<<"$d"
check "garbage: the whole answer is valid UTF-8 without control bytes" clean "$out"
check "garbage: the detail quotes at most one short line (${#d} chars < 400)" [ "${#d}" -lt 400 ]

install_standin "$PS" "garbage_bytes=5000
exit=1"
timed probe broker status
b=$(broker_line)
check "garbage and exit 1: failed, says exited with 1, clean" \
  [ "$(field "$b" registered)" = unknown ] && grep -q 'Get-AppxPackage exited with 1' <<<"$(field "$b" detail)" \
  && clean "$out"

install_standin "$PS" "stderr=Get-AppxPackage : The AppX service is not running.\r\n"
timed probe broker status
b=$(broker_line)
check "nothing on stdout but an error on stderr (exit 0): unknown, with the error" \
  [ "$(field "$b" registered)" = unknown ] && grep -q 'reported an error: Get-AppxPackage : The AppX service' <<<"$(field "$b" detail)"

install_standin "$W32TM" "exit=5
stdout=\x1b[31mThe computer did not resync\x07\r\n"
timed probe time resync
check "w32tm printing escape sequences: the detail keeps the words, not the bytes" \
  [ "$rc" -eq 1 ] && grep -q 'exited with 5: ?\[31mThe computer did not resync?' <<<"$(field "$out" detail)" \
  && clean "$out"

# ---- huge output ------------------------------------------------------------
# 200,000 lines (9.6 MB, nine times the cap) that look like the command's
# own output (Wine's pipes move a few MB/s: more only makes the test slow)
install_standin "$PS" "stdout=PackageFamilyName=Some.Other.App_cw5n1h2txyewy\r\n
stdout_repeat=200000"
timed probe run powershell --timeout 60000
n=$(field "$out" stdout_bytes)
echo "# huge run: $ms ms, rc=$rc, captured $n bytes, truncated=$(field "$out" truncated)"
check "huge output: the child ran to its end and the capture says truncated" \
  [ "$rc" -eq 0 -a "$(field "$out" exit)" = 0 -a "$(field "$out" truncated)" = yes ]
check "huge output: exactly the 1 MiB cap kept ($n bytes)" [ "$n" = 1048576 ]
check "huge output: drained to the end in good time ($ms ms < 60000)" [ "$ms" -lt 60000 ]

timed probe broker status
b=$(broker_line)
echo "# huge broker status: $ms ms: $(field "$b" detail)"
check "huge output without our package: unknown (the capture was cut), error=failed" \
  [ "$(field "$b" registered)" = unknown -a "$(field "$b" error)" = failed ]
check "huge output: the detail says too much output" grep -q 'printed too much output' <<<"$(field "$b" detail)"

install_standin "$PS" "stdout=PackageFamilyName=$BROKER\r\nPackageFullName=x\r\nStatus=Ok\r\n
stdout_repeat=200000"
timed probe broker status
b=$(broker_line)
# (the same output answers the CloudExperienceHost lookup too: unknown there,
# so the probe as a whole exits 1)
check "huge output that names our package first: registered=yes ($ms ms)" [ "$(field "$b" registered)" = yes ]
finish
