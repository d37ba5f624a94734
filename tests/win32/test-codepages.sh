# Issue 11, point 10: localised messages arrive intact. w32tm (a console
# program run without a console) writes redirected output in the OEM code
# page: the runner decodes what is not UTF-8 from CP_OEMCP. PowerShell is
# told to write UTF-8 ([Console]::OutputEncoding); the stand-in writes UTF-8
# only when its command line says so, the OEM code page otherwise. Wine
# takes the OEM code page from the locale: de_DE -> 850, ja_JP -> 932.
clean() { printf '%s' "$1" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; }
install_standin "$W32TM" "stdout=Befehl zur erneuten Synchronisierung wird gesendet\r\nDer Computer wurde nicht synchronisiert, da keine Zeitdaten verfügbar waren.\r\n
exit=1
stdout_cp=850"
out=$(LC_ALL=de_DE.UTF-8 probe time resync); rc=$?
d=$(field "$out" detail); echo "# $d"
check "German w32tm output in CP850: the detail is valid UTF-8" clean "$out"
check "and says 'verfügbar', not '?'" grep -q 'Zeitdaten verfügbar waren' <<<"$d"
install_standin "$W32TM" "stdout=時刻データが利用できなかったため、コンピューターは再同期されませんでした。\r\n
stdout_cp=932"
out=$(LC_ALL=ja_JP.UTF-8 probe run w32tm /resync); rc=$?
check "Japanese w32tm output in CP932 is decoded (decoded=oem)" [ "$(field "$out" decoded)" = oem ] && grep -q '利用できなかった' <<<"$(field "$out" stdout)"
check "stdout_bytes counts what w32tm wrote (CP932 bytes)" [ "$(field "$out" stdout_bytes)" -lt "$(printf '%s' "$(field "$out" stdout)" | wc -c)" ]
BROKER=Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy
mkdir -p "$WINDIR/SystemApps/$BROKER"
echo '<Package/>' > "$WINDIR/SystemApps/$BROKER/AppxManifest.xml"
install_standin "$PS" "log=$(winpath "$LOG")
stderr=Add-AppxPackage : 展開に失敗しました。HRESULT: 0x80073CF6\r\n
exit=1
stdout_cp=932
utf8_when=OutputEncoding = New-Object System.Text.UTF8Encoding \$false"
out=$(LC_ALL=ja_JP.UTF-8 probe broker reregister "$BROKER"); rc=$?
d=$(field "$out" detail); echo "# $d"
check "PowerShell is told to write UTF-8 (the stand-in saw it): the Japanese error is intact" grep -q '展開に失敗しました' <<<"$d"
check "the command line asks for UTF-8 without a byte order mark" grep -q 'UTF8Encoding $false' <<<"$(cmdlines)"
# control: a command without that line gets CP932, and the runner decodes it
out=$(LC_ALL=ja_JP.UTF-8 probe run powershell -- x); rc=$?
check "(control) PowerShell output in CP932 is decoded too" grep -q '展開に失敗しました' <<<"$(field "$out" stderr)"
finish
