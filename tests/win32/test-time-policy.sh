# Issue 11, point 3: Group Policy and MDM own time settings. The probe reports
# the W32Time policy (Type, NtpServer, NtpClient Enabled), a location policy
# that blocks automatic time zone, and an MDM-imposed time zone; the elevated
# clock fix writes nothing a policy owns and stops when a policy turns
# synchronisation off.
out=$(probe time status); rc=$?
check "no policy: policy_time_source=no" [ "$rc" -eq 0 -a "$(field "$out" policy_time_source)" = no ]
check "no policy: tz auto not blocked, no imposed zone" [ "$(field "$out" policy_tz_auto_blocked)" = no -a -z "$(field "$out" policy_time_zone)" ]
P='HKLM\SOFTWARE\Policies\Microsoft\W32Time'
wine reg add "$P\Parameters" /v Type /t REG_SZ /d NTP /f >/dev/null 2>&1
wine reg add "$P\Parameters" /v NtpServer /t REG_SZ /d 'ntp.contoso.com,0x9' /f >/dev/null 2>&1
wine reg add 'HKLM\SOFTWARE\Policies\Microsoft\Windows\LocationAndSensors' /v DisableLocation /t REG_DWORD /d 1 /f >/dev/null 2>&1
wine reg add 'HKLM\SOFTWARE\Microsoft\PolicyManager\current\device\TimeLanguageSettings' /v ConfigureTimeZone /t REG_SZ /d 'W. Europe Standard Time' /f >/dev/null 2>&1
out=$(probe time status); echo "$out"
check "policy_time_source=yes, with its Type and NtpServer" \
  [ "$(field "$out" policy_time_source)" = yes -a "$(field "$out" policy_type)" = NTP -a "$(field "$out" policy_ntp_server)" = 'ntp.contoso.com,0x9' ]
check "location off by policy: automatic time zone blocked" [ "$(field "$out" policy_tz_auto_blocked)" = yes ]
check "the MDM time zone is reported" [ "$(field "$out" policy_time_zone)" = 'W. Europe Standard Time' ]
check "NtpClient not set by policy: unknown" [ "$(field "$out" policy_ntp_client)" = unknown ]
wine reg add "$P\TimeProviders\NtpClient" /v Enabled /t REG_DWORD /d 0 /f >/dev/null 2>&1
check "NtpClient Enabled=0 by policy: policy_ntp_client=no" [ "$(field "$(probe time status)" policy_ntp_client)" = no ]
wine reg add 'HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Parameters' /v Type /t REG_SZ /d NoSync /f >/dev/null 2>&1
install_standin "$W32TM" "log=$(winpath "$LOG")"
out=$(probe elevated-action clock-fix 2>&1); rc=$?
check "a policy turns synchronisation off: the helper exits 14 (managed)" [ "$rc" -eq 14 ] && grep -q 'result=managed' <<<"$out"
check "it wrote nothing (Type still NoSync) and ran nothing" [ "$(field "$(probe time status)" type)" = NoSync -a ! -s "$LOG" ]
finish
