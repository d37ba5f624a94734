# Step 1 facts under Wine: W32Time does not exist there, which must be a clear
# fact (service=missing, exit 0), not a crash; registry values are read when
# present; the elevated clock fix refuses to invent a W32Time configuration.
out=$(probe time status); rc=$?
echo "$out"
check "exit 0 without W32Time" [ "$rc" -eq 0 ]
check "service=missing" [ "$(field "$out" service)" = missing ]
check "start=unknown" [ "$(field "$out" start)" = unknown ]
check "type empty (no W32Time parameters)" [ -z "$(field "$out" type)" ]
check "tz_auto unknown without tzautoupdate" [ "$(field "$out" tz_auto)" = unknown ]
check "domain_member=no on a workgroup machine" [ "$(field "$out" domain_member)" = no ]
check "elevated is yes or no" grep -qE '^(yes|no)$' <<<"$(field "$out" elevated)"
# plant the values Windows keeps
wine reg add 'HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Parameters' /v Type /t REG_SZ /d NoSync /f >/dev/null 2>&1
wine reg add 'HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Parameters' /v NtpServer /t REG_SZ /d 'time.windows.com,0x1' /f >/dev/null 2>&1
wine reg add 'HKLM\SYSTEM\CurrentControlSet\Services\tzautoupdate' /v Start /t REG_DWORD /d 3 /f >/dev/null 2>&1
out=$(probe time status); rc=$?
echo "$out"
check "type=NoSync read from the registry" [ "$(field "$out" type)" = NoSync ]
check "ntp_server=time.windows.com,0x1" [ "$(field "$out" ntp_server)" = "time.windows.com,0x1" ]
check "tz_auto=yes for Start=3" [ "$(field "$out" tz_auto)" = yes ]
check "service still missing (the registry key is not the service)" [ "$(field "$out" service)" = missing ]
wine reg add 'HKLM\SYSTEM\CurrentControlSet\Services\tzautoupdate' /v Start /t REG_DWORD /d 4 /f >/dev/null 2>&1
check "tz_auto=no for Start=4" [ "$(field "$(probe time status)" tz_auto)" = no ]
# the elevated clock fix with no W32Time: fails cleanly, writes nothing
out=$(probe elevated-action clock-fix 2>&1); rc=$?
check "elevated-action clock-fix fails with exit 3 (no service) without W32Time" [ "$rc" -eq 3 ]
check "and says the service is not installed" grep -q "not installed" <<<"$out"
check "Type was not changed to NTP" [ "$(field "$(probe time status)" type)" = NoSync ]
finish
