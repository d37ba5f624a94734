# Step 3 under Wine: GetPackagesByPackageFamily is absent or a stub, so the
# PowerShell fallback is taken (method=powershell) with the fixed command,
# its output parsed; the manifest is looked up under the Windows directory;
# re-registering runs the exact Add-AppxPackage command as the user.
BROKER=Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy
CXH=Microsoft.Windows.CloudExperienceHost_cw5n1h2txyewy
printf 'PackageFamilyName=%s\r\nPackageFullName=Microsoft.AAD.BrokerPlugin_1000.19041.1.0_neutral_neutral_cw5n1h2txyewy\r\nStatus=Ok\r\n' "$BROKER" > "$HS_TMP/appx.txt"
install_standin "$PS" "log=$(winpath "$LOG")
stdout_file=$(winpath "$HS_TMP/appx.txt")"
mkdir -p "$WINDIR/SystemApps/$BROKER"
echo '<Package/>' > "$WINDIR/SystemApps/$BROKER/AppxManifest.xml"

out=$(probe broker status); rc=$?
echo "$out"
b=$(grep -P "^package=$BROKER\t" <<<"$out"); c=$(grep -P "^package=$CXH\t" <<<"$out")
check "broker status exits 0" [ "$rc" -eq 0 ]
check "broker: method=powershell (API absent or stub)" [ "$(field "$b" method)" = powershell ]
check "broker: registered=yes from Get-AppxPackage output" [ "$(field "$b" registered)" = yes ]
check "broker: manifest=yes" [ "$(field "$b" manifest)" = yes ]
check "broker: manifest path under GetSystemWindowsDirectoryW" [ "$(field "$b" manifest_path)" = "C:\\\\windows\\\\SystemApps\\\\$BROKER\\\\AppxManifest.xml" ]
check "CloudExperienceHost: registered=no (not in the output), method=powershell" [ "$(field "$c" registered)" = no -a "$(field "$c" method)" = powershell ]
check "CloudExperienceHost: manifest=no" [ "$(field "$c" manifest)" = no ]
first=$(cmdlines | head -n1)
want='"C:\windows\system32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false; Get-AppxPackage -Name '"'Microsoft.AAD.BrokerPlugin'"' | ForEach-Object { '"'PackageFamilyName='"' + $_.PackageFamilyName; '"'PackageFullName='"' + $_.PackageFullName; '"'Status='"' + $_.Status }"'
check "the fixed Get-AppxPackage command line" [ "$first" = "$want" ]
[ "$first" = "$want" ] || { echo "got:  $first"; echo "want: $want"; }

install_standin "$PS" "exit=1
stderr=Get-AppxPackage : something broke"
out=$(probe broker status); rc=$?
b=$(grep -P "^package=$BROKER\t" <<<"$out")
check "PowerShell failing: exit 1, registered=unknown, error reported" [ "$rc" -eq 1 -a "$(field "$b" registered)" = unknown -a "$(field "$b" error)" = failed ]
rm -f "$PS"
out=$(probe broker status); rc=$?
b=$(grep -P "^package=$BROKER\t" <<<"$out")
check "no powershell.exe: exit 1, registered=unknown, not_found" [ "$rc" -eq 1 -a "$(field "$b" registered)" = unknown -a "$(field "$b" error)" = not_found ]

install_standin "$PS" "log=$(winpath "$LOG")"
: > "$LOG"
out=$(probe broker reregister "$BROKER"); rc=$?
check "reregister: exit 0" [ "$rc" -eq 0 -a "$(field "$out" result)" = ok ]
want='"C:\windows\system32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false; Add-AppxPackage -Register '"'C:\\windows\\SystemApps\\$BROKER\\AppxManifest.xml'"' -DisableDevelopmentMode -ForceApplicationShutdown"'
want=${want//\\\\/\\}
check "reregister: the exact Add-AppxPackage command line" [ "$(cmdlines)" = "$want" ]
[ "$(cmdlines)" = "$want" ] || { echo "got:  $(cmdlines)"; echo "want: $want"; }
out=$(probe broker reregister "$CXH"); rc=$?
check "reregister without a manifest: exit 1, not_found" [ "$rc" -eq 1 -a "$(field "$out" result)" = not_found ]
out=$(probe broker reregister "Evil.Package_cw5n1h2txyewy"); rc=$?
check "reregister of another family refused (exit 2, bad_input)" [ "$rc" -eq 2 -a "$(field "$out" result)" = bad_input ]
install_standin "$PS" "exit=1
stderr=Add-AppxPackage : Deployment failed with HRESULT: 0x80073CF6"
out=$(probe broker reregister "$BROKER"); rc=$?
check "Add-AppxPackage failing: exit 1 with its message" [ "$rc" -eq 1 ] && grep -q 0x80073CF6 <<<"$(field "$out" detail)"
finish
