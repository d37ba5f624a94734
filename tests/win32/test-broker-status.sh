# Issue 11, point 7: a registered but broken broker package is a problem.
# Get-AppxPackage prints the package's Status (Ok, or a
# Windows.Management.Deployment.PackageStatus / Windows.ApplicationModel
# .PackageStatus name such as NeedsRemediation, Modified, Tampered,
# Disabled; flags combined as "Modified, Tampered"): the probe reports it.
BROKER=Microsoft.AAD.BrokerPlugin_cw5n1h2txyewy
mkdir -p "$WINDIR/SystemApps/$BROKER"
echo '<Package/>' > "$WINDIR/SystemApps/$BROKER/AppxManifest.xml"
appx() {  # appx STATUS: the fixed command's output for our package
  printf 'PackageFamilyName=%s\r\nPackageFullName=Microsoft.AAD.BrokerPlugin_1000.19041.1.0_neutral_neutral_cw5n1h2txyewy\r\nStatus=%s\r\n' "$BROKER" "$1" > "$HS_TMP/appx.txt"
  install_standin "$PS" "stdout_file=$(winpath "$HS_TMP/appx.txt")"
}
line() { grep -P "^package=$BROKER\t" <<<"$(probe broker status)"; }
appx Ok
b=$(line); echo "# $b"
check "Status Ok: registered=yes status_ok=yes status=Ok" [ "$(field "$b" registered)" = yes -a "$(field "$b" status_ok)" = yes -a "$(field "$b" status)" = Ok ]
appx NeedsRemediation
b=$(line)
check "Status NeedsRemediation: registered=yes but status_ok=no" [ "$(field "$b" registered)" = yes -a "$(field "$b" status_ok)" = no -a "$(field "$b" status)" = NeedsRemediation ]
appx 'Modified, Tampered'
b=$(line)
check "Status 'Modified, Tampered': status_ok=no, kept as printed" [ "$(field "$b" status_ok)" = no -a "$(field "$b" status)" = 'Modified, Tampered' ]
appx Disabled
check "Status Disabled: status_ok=no" [ "$(field "$(line)" status_ok)" = no ]
appx $'\x1b[31mOk'
check "a status that is not a name: status_ok=unknown" [ "$(field "$(line)" status_ok)" = unknown ]
finish
