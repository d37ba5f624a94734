# 5,000 planted credentials (Teams, Microsoft account, Office, Windows' own,
# other apps, domain passwords, Unicode names): `creds list` classifies each
# exactly as the planter expects, with the right type and user.
N=5000
tool plant-creds $N "$(winpath "$HS_TMP/manifest.tsv")" || { echo "FAIL: planting"; exit 1; }
probe creds list > "$HS_TMP/list.tsv"; rc=$?
check "creds list exits 0" [ "$rc" -eq 0 ]
check "creds list prints $N records" [ "$(wc -l < "$HS_TMP/list.tsv")" -eq $N ]
# category, type, target from the listing
awk -F'\t' '{ t=""; c=""; y="";
  for (i = 1; i <= NF; i++) { split($i, kv, "="); k = kv[1]; v = substr($i, length(k) + 2);
    if (k == "target") t = v; else if (k == "category") c = v; else if (k == "type") y = v }
  print c "\t" y "\t" t }' "$HS_TMP/list.tsv" | LC_ALL=C sort > "$HS_TMP/got.tsv"
LC_ALL=C sort "$HS_TMP/manifest.tsv" > "$HS_TMP/want.tsv"
if cmp -s "$HS_TMP/got.tsv" "$HS_TMP/want.tsv"; then
  pass "every credential has the category and type the planter expects"
else
  fail "categories differ from the planter's:"; diff "$HS_TMP/want.tsv" "$HS_TMP/got.tsv" | head -20
fi
for t in msteams_adalsso/adal_context_segments msteams_adalsso/adal_context_3 MicrosoftAccount:user=a@b.com msteams_テスト; do
  check "$t is required" grep -qxF "required	generic	$t" "$HS_TMP/got.tsv"
done
check "Office ADAL is optional" grep -qx "optional	generic	MicrosoftOffice16_Data:ADAL:0c3a1f" "$HS_TMP/got.tsv"
check "SSO_POP_Device is kept" grep -qxF "keep	generic	MicrosoftAccount:target=SSO_POP_Device" "$HS_TMP/got.tsv"
check "virtualapp/didlogical is kept" grep -qxF "keep	generic	WindowsLive:target=virtualapp/didlogical" "$HS_TMP/got.tsv"
check "TERMSRV/host is a kept domain_password" grep -qxF "keep	domain_password	TERMSRV/host" "$HS_TMP/got.tsv"
rec=$(grep -P '^target=msteams_テスト\t' "$HS_TMP/list.tsv")
check "Unicode user name comes back as UTF-8 (ü)" [ "$(field "$rec" user)" = "ü" ]
check "persist and last_written are reported" [ "$(field "$rec" persist)" = "local_machine" -a "$(field "$rec" last_written)" -gt 1600000000 ]
rec=$(grep -P '^target=TERMSRV/host\t' "$HS_TMP/list.tsv")
check "backslash in a user name is escaped (HOST\\\\admin)" [ "$(field "$rec" user)" = 'HOST\\admin' ]
# a custom pattern file
printf 'keep * everything kept\n' > "$HS_TMP/keep-all.txt"
probe creds list --patterns "$(winpath "$HS_TMP/keep-all.txt")" > "$HS_TMP/list2.tsv"
check "--patterns FILE is used" [ "$(grep -c $'\tcategory=keep\t' "$HS_TMP/list2.tsv")" -eq $N ]
printf 'bogus line\n' > "$HS_TMP/bad.txt"
probe creds list --patterns "$(winpath "$HS_TMP/bad.txt")" > /dev/null 2>&1; rc=$?
check "a malformed pattern file is refused (exit 1)" [ "$rc" -eq 1 ]
finish
