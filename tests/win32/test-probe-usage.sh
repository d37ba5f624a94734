# Probe usage errors exit 2 with the usage text on stderr.
expect_usage() {
  local out err rc
  err=$(probe "$@" 2>&1 >/dev/null); rc=$?
  if [ "$rc" -eq 2 ] && printf '%s' "$err" | grep -q '^usage:'; then
    pass "probe $* -> exit 2 with usage"
  else
    fail "probe $* -> exit $rc (want 2), stderr: $err"
  fi
}
expect_usage
expect_usage frobnicate
expect_usage creds
expect_usage creds list --bogus
expect_usage creds delete
expect_usage creds delete --target x
expect_usage creds restore
expect_usage accounts
expect_usage time
expect_usage time status extra
expect_usage time resync --offset abc
expect_usage broker
expect_usage run
expect_usage run cmd.exe /c echo
expect_usage run C:\\windows\\system32\\cmd.exe
expect_usage run powershell --timeout 0
expect_usage run w32tm --timeout abc
expect_usage elevated-action
expect_usage elevated-action format-c
expect_usage elevated-action clock-fix --offset
expect_usage elevate rm-rf
expect_usage shell
expect_usage shell restart-teams --grace abc
expect_usage shell restart-teams --grace 5x
expect_usage shell restart-teams --grace -1
expect_usage shell restart-teams --grace 99999999999999999999
expect_usage time resync --offset nan
expect_usage time resync --offset inf
expect_usage time resync --offset 1e999
expect_usage time resync --offset 12abc
expect_usage run powershell --timeout -5
out=$(probe --help); rc=$?
check "--help exits 0" [ "$rc" -eq 0 ]
check "--help lists the subcommands" grep -q "creds list" <<<"$out"
finish
